"""Probes of every public route for documents of an internal collection (tests/data/internal).

The internal corpus holds a near-twin of the public 租赁住房 withdrawal guide, a policy and two
knowledge-base entries, with phrases found nowhere else (口令, 规则 and 通道 names, amounts, a phone
number, a room). `probe` asks each public route questions aimed at them and returns every response
body; `leaks` says which internal markers a body holds that its own request did not.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx

INTERNAL_DIR = Path(__file__).parent / "data" / "internal"
INTERNAL_COLLECTION = "staff"
INTERNAL_IDS = ("JL-GJJ-NB-901", "jlgjj-nb-2025-07", "JL-NB-KB-001", "JL-NB-KB-002")
INTERNAL_CODE = "JL-GJJ-NB-901"
# Words and figures of the internal documents that no public document contains (checked by a test).
MARKERS = (
    "青鸾七三一",
    "QL-7731",
    "白鹭稽核",
    "鹊桥九号",
    "玄武通道",
    "XW-5520",
    "31800元",  # with its unit: a bare number also occurs in scores and offsets of JSON bodies
    "386元",
    "0599-86019999",
    "B区9楼",
    "内部复核室",
    "内部稽核工作规程",
    "江公积金内",
    "租赁住房内部复核",
    "稽核科",
    "绿色通道",
    *INTERNAL_IDS,
)

EXACT = ("青鸾七三一是什么口令", "白鹭稽核口令怎么输入", "玄武通道编号XW-5520是什么", "鹊桥九号规则是什么")
PARAPHRASES = (
    "租房提取公积金的内部复核流程是怎样的",
    "公积金内部审批的绿色通道怎么走",
    "租房提取公积金的内部复核口令是什么？",
    "单笔提取公积金超过三万多元由谁审批放行",
)
TITLES = (
    "江临市住房公积金内部稽核工作规程第三条是怎么规定的",
    "江公积金内〔2025〕7号还有效吗",
    "住房公积金提取（租赁住房内部复核）需要什么材料",
    "JL-GJJ-NB-901需要什么材料",
    "公积金内部审批绿色通道怎么走？",
)
# Questions of the public twin: answered (or asked back) from public documents only.
PUBLIC = ("租房提取公积金需要什么材料", "公积金提取需要什么材料", "租房提取公积金每年最多能提多少")
QUESTIONS = EXACT + PARAPHRASES + TITLES


@dataclass(frozen=True, slots=True)
class Exchange:
    """One request to a public route and the body it got back."""

    route: str
    request: str
    status: int
    body: str

    def leaks(self) -> list[str]:
        """Internal markers in the body that the request did not itself contain (echoes are not leaks)."""
        return [m for m in MARKERS if m in self.body and m not in self.request]


def _chat(client: httpx.Client, question: str, plain: bool = True, stream: bool = True) -> Iterator[Exchange]:
    if plain:
        r = client.post("/api/v1/chat", json={"message": question})
        yield Exchange("POST /api/v1/chat", question, r.status_code, r.text)
        if r.status_code == 200 and r.json().get("kind") == "clarify":
            session, option = r.json()["session_id"], r.json()["options"][0]  # the options list is the same for all
            follow = client.post("/api/v1/chat", json={"message": option, "session_id": session})
            yield Exchange("POST /api/v1/chat (option)", question, follow.status_code, follow.text)
    if stream:
        with client.stream("POST", "/api/v1/chat/stream", json={"message": question}) as s:
            yield Exchange("POST /api/v1/chat/stream", question, s.status_code, "".join(s.iter_text()))


def _openai(client: httpx.Client, question: str, stream: bool) -> Exchange:
    body = {"model": "govqa", "messages": [{"role": "user", "content": question}], "stream": stream}
    headers = {"X-Session-Id": f"probe-{abs(hash((question, stream)))}"}
    if stream:
        with client.stream("POST", "/v1/chat/completions", json=body, headers=headers) as s:
            return Exchange("POST /v1/chat/completions stream", question, s.status_code, "".join(s.iter_text()))
    r = client.post("/v1/chat/completions", json=body, headers=headers)
    return Exchange("POST /v1/chat/completions", question, r.status_code, r.text)


def _get(client: httpx.Client, path: str, **params: str) -> Exchange:
    r = client.get(path, params=params)
    return Exchange(f"GET {path}", json.dumps([path, params], ensure_ascii=False), r.status_code, r.text)


def _answer_routes(client: httpx.Client, question: str, which: int | None) -> Iterator[Exchange]:
    """The four answering routes, or only route `which` of them (0 chat, 1 SSE, 2 and 3 OpenAI)."""
    if which is None or which in (0, 1):
        yield from _chat(client, question, plain=which != 1, stream=which != 0)
    if which is None or which == 2:
        yield _openai(client, question, stream=False)
    if which is None or which == 3:
        yield _openai(client, question, stream=True)


def probe(url: str, questions: tuple[str, ...] = QUESTIONS, llm: bool = True, rotate: bool = False) -> list[Exchange]:
    """Every public route asked about the internal documents; `llm=False` leaves out the answer
    routes, `rotate` sends each question to one answering route in turn (a quarter of the LLM work)."""
    out: list[Exchange] = []
    with httpx.Client(base_url=url, timeout=300) as client:
        for doc_id in INTERNAL_IDS:
            out.append(_get(client, f"/api/v1/documents/{doc_id}"))
        out.append(_get(client, f"/api/v1/items/{INTERNAL_CODE}"))
        for q in ("内部复核", "JL-GJJ-NB", "公积金", ""):
            out.append(_get(client, "/api/v1/items", q=q, limit="1000"))
        out.append(_get(client, "/api/v1/facets"))
        for q in questions:
            out.append(_get(client, "/api/v1/search", q=q, k="50"))
            out.append(_get(client, "/api/v1/search", q=q, k="50", doc_type="policy"))
            out.append(_get(client, "/api/v1/search", q=q, k="50", doc_type="faq", issuer="公积金"))
            out.append(_get(client, "/api/v1/search", q=q, k="50", region="江临市", valid_on="2025-10-02"))
            out.append(_get(client, "/api/v1/policy/brief", topic=q[:50]))
        if llm:
            for i, q in enumerate(questions + PUBLIC):
                out.extend(_answer_routes(client, q, i % 4 if rotate else None))
    return out
