"""Load test: many concurrent citizens against the real app, on loopback only; stops by itself.

    python -m eval.bench.load [--sessions 50] [--seconds 60] [--url http://127.0.0.1:8000]
                              [--data-dir DIR] [--think 1.0] [--timeout 120] [--baseline-rounds 3]
                              [--kinds clarify,field,clause,generated,search] [--no-idle-llm] [--json]

Without --url it starts `govqa serve` (the configured, by default bundled, models) on a free port
with the index of --data-dir, first ingesting the sample corpus there if it holds no index (a fresh
temporary folder by default). It then measures an idle baseline (the scripted conversations one
at a time, after a warm-up pass), runs N sessions for T seconds, each repeating conversations drawn from a mix
(clarifying questions, field answers, clause answers, generated answers, clause search) with a
think time between turns, and prints the throughput, p50/p95 per answer mode idle and under load,
the number of 503s (the LLM queue turning requests away, expected), other 5xx (must be 0) and
whether /readyz is healthy afterwards. Exit code 1 when other 5xx occurred or /readyz is not 200.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import httpx

from eval.bench.common import table
from eval.metrics import percentile

LOOPBACK = {"127.0.0.1", "localhost", "::1"}

# Chinese kept here: the scripted conversations, one list of turns each; "?q" is a search.
# Which mode each gets is the app's decision, reported per reply; the labels say what it is meant for.
CONVERSATIONS: dict[str, list[list[str]]] = {
    "clarify": [["公积金提取需要什么材料"], ["我想提取公积金"], ["居住证弄丢了补一个要钱吗"]],
    "field": [["身份证丢了补办要多少钱"], ["申领居住证需要满足什么条件"], ["公积金怎么取", "租房"]],
    "clause": [["《江临市住房公积金提取管理办法》第八条是怎么规定的"], ["江政发〔2023〕6号第九条讲的是啥"]],
    "generated": [["失业金每个月发多少"], ["个税年度汇算什么时候办理"], ["结婚登记对年龄有什么要求"]],
    "search": [["?q=住房公积金 提取 条件"], ["?q=居住证 申领"], ["?q=最低生活保障 标准"]],
}
MIX = {"clarify": 3, "field": 3, "clause": 2, "generated": 2, "search": 3}


@dataclass
class Tally:
    """Latencies by answer mode, and the failures, of one phase (idle or under load)."""

    seconds: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    statuses: Counter[int] = field(default_factory=Counter)
    errors: Counter[str] = field(default_factory=Counter)

    def add(self, mode: str, status: int, seconds: float) -> None:
        self.statuses[status] += 1
        if status == 200:
            self.seconds[mode].append(seconds)

    @property
    def other_5xx(self) -> int:
        return sum(n for s, n in self.statuses.items() if s >= 500 and s != 503)


def free_port() -> int:
    """A free loopback port."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_ready(url: str, proc: subprocess.Popen[bytes] | None, timeout: float) -> None:
    """Until /readyz answers 200 (the server exiting or the timeout: RuntimeError)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc is not None and proc.poll() is not None:
            raise RuntimeError(f"the server exited with {proc.returncode}")
        try:
            if httpx.get(f"{url}/readyz", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.5)
    raise RuntimeError(f"{url}/readyz was not 200 within {timeout:.0f} s")


def _die_with_parent() -> None:
    """In the server's process before exec: on Linux, end it when this script dies, even by SIGKILL
    (a script killed by a timeout would otherwise leave the server running)."""
    if sys.platform == "linux":
        import ctypes

        ctypes.CDLL("libc.so.6").prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG


@contextmanager
def started_app(data_dir: Path, log: Path) -> Iterator[str]:
    """`govqa serve` on a free loopback port with the index of `data_dir` (the sample ingested first
    when it has none); stopped on exit."""
    # The simulated citizens share one loopback address, so the per-client rate limit is off.
    env = {**os.environ, "GOVQA_DATA_DIR": str(data_dir), "GOVQA_RATE_LIMIT__PER_MINUTE": "0"}
    if not (data_dir / "CURRENT").exists():
        t0 = time.monotonic()
        subprocess.run(
            [sys.executable, "-m", "govqa.cli", "ingest", "--sample", "--json"],
            env=env,
            check=True,
            stdout=subprocess.DEVNULL,
        )
        print(f"ingested the sample corpus into {data_dir} in {time.monotonic() - t0:.0f} s", flush=True)
    port = free_port()
    with log.open("wb") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "govqa.cli", "serve", "--host", "127.0.0.1", "--port", str(port)],
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            preexec_fn=_die_with_parent,
        )
        url = f"http://127.0.0.1:{port}"
        try:
            t0 = time.monotonic()
            wait_ready(url, proc, timeout=600)
            print(f"server ready in {time.monotonic() - t0:.0f} s (log: {log})", flush=True)
            yield url
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


async def turn(client: httpx.AsyncClient, text: str, session: str | None) -> tuple[str, int, str | None]:
    """One turn: (answer mode or "search", HTTP status, session id to continue with)."""
    if text.startswith("?q="):
        response = await client.get("/api/v1/search", params={"q": text[3:], "k": 10})
        return "search", response.status_code, session
    body: dict[str, str] = {"message": text}
    if session:
        body["session_id"] = session
    response = await client.post("/api/v1/chat", json=body)
    if response.status_code != 200:
        return "error", response.status_code, session
    data = response.json()
    return str(data.get("mode") or data.get("kind")), 200, str(data["session_id"])


async def converse(client: httpx.AsyncClient, turns: list[str], tally: Tally, think: float, rng: random.Random) -> None:
    """Run one scripted conversation, recording each turn."""
    session: str | None = None
    for i, text in enumerate(turns):
        if i and think:
            await asyncio.sleep(rng.uniform(0.5, 1.5) * think)
        t0 = time.perf_counter()
        try:
            mode, status, session = await turn(client, text, session)
        except httpx.HTTPError as exc:
            tally.errors[type(exc).__name__] += 1
            return
        tally.add(mode, status, time.perf_counter() - t0)
        if status != 200:
            return  # a turned-away turn ends the conversation (its next turns would need its state)


async def baseline(url: str, timeout: float, rounds: int, only: frozenset[str], llm: bool = True) -> Tally:
    """The idle latencies: every scripted conversation one at a time, after one unrecorded warm-up
    pass; `rounds` times, except the generated ones (one LLM answer takes seconds): once, or never
    without `llm`."""
    tally, warm = Tally(), Tally()
    async with httpx.AsyncClient(base_url=url, timeout=timeout) as client:
        for n in range(rounds + 1):
            for kind, scripts in CONVERSATIONS.items():
                if kind not in only or (kind == "generated" and (n != 1 or not llm)):
                    continue
                for turns in scripts:
                    await converse(client, turns, tally if n else warm, 0.0, random.Random(0))
    return tally


async def load(
    url: str, sessions: int, seconds: float, think: float, timeout: float, only: frozenset[str]
) -> tuple[Tally, float]:
    """`sessions` concurrent citizens for `seconds` (turns under way then finish, within `timeout`),
    drawing conversations of the kinds in `only`."""
    tally = Tally()
    kinds = [k for k, w in MIX.items() if k in only for _ in range(w)]
    deadline = time.monotonic() + seconds
    limits = httpx.Limits(max_connections=sessions + 4, max_keepalive_connections=sessions + 4)

    async def citizen(n: int, client: httpx.AsyncClient) -> None:
        rng = random.Random(n)
        await asyncio.sleep(rng.uniform(0, min(2.0, seconds / 4)))  # do not all arrive at once
        while time.monotonic() < deadline:
            scripts = CONVERSATIONS[rng.choice(kinds)]
            await converse(client, rng.choice(scripts), tally, think, rng)
            await asyncio.sleep(rng.uniform(0.5, 1.5) * think)

    t0 = time.monotonic()
    async with httpx.AsyncClient(base_url=url, timeout=timeout, limits=limits) as client:
        await asyncio.wait_for(asyncio.gather(*(citizen(n, client) for n in range(sessions))), seconds + timeout + 10)
    return tally, time.monotonic() - t0


def summary_rows(idle: Tally, busy: Tally) -> list[dict[str, object]]:
    """One row per answer mode: count, p50 and p95 (ms) idle and under load."""
    rows: list[dict[str, object]] = []
    for mode in sorted(set(idle.seconds) | set(busy.seconds)):
        a, b = idle.seconds.get(mode, []), busy.seconds.get(mode, [])

        def ms(values: list[float], q: float) -> str:
            return f"{percentile(values, q) * 1000:.0f}" if values else "-"

        rows.append(
            {
                "mode": mode,
                "idle n": len(a),
                "idle p50 ms": ms(a, 50),
                "idle p95 ms": ms(a, 95),
                "load n": len(b),
                "load p50 ms": ms(b, 50),
                "load p95 ms": ms(b, 95),
            }
        )
    return rows


def run(url: str, args: argparse.Namespace) -> int:
    """Baseline, load, report; the exit code."""
    only = frozenset(args.kinds.split(","))
    idle = asyncio.run(baseline(url, args.timeout, args.baseline_rounds, only, not args.no_idle_llm))
    busy, elapsed = asyncio.run(load(url, args.sessions, args.seconds, args.think, args.timeout, only))
    ready = httpx.get(f"{url}/readyz", timeout=30).status_code
    done = sum(busy.statuses.values())
    result = {
        "sessions": args.sessions,
        "seconds": round(elapsed, 1),
        "requests": done,
        "throughput_rps": round(done / elapsed, 2) if elapsed else 0.0,
        "answered_200": busy.statuses.get(200, 0),
        "busy_503": busy.statuses.get(503, 0),
        "other_5xx": busy.other_5xx + idle.other_5xx,
        "other_status": {str(s): n for s, n in busy.statuses.items() if s != 200 and s < 500},
        "client_errors": dict(busy.errors + idle.errors),
        "readyz_after": ready,
        "modes": summary_rows(idle, busy),
    }
    print(table(result["modes"]))
    print(
        f"\n{args.sessions} sessions for {elapsed:.0f} s: {done} requests, {result['throughput_rps']} req/s; "
        f"200: {result['answered_200']}, 503 (LLM queue full): {result['busy_503']}, "
        f"other 5xx: {result['other_5xx']}, other statuses: {result['other_status']}, "
        f"client errors: {result['client_errors']}; /readyz afterwards: {ready}"
    )
    if args.json:
        print(json.dumps(result, ensure_ascii=False))
    return 0 if result["other_5xx"] == 0 and ready == 200 else 1


def main() -> None:
    """Parse arguments, start the app unless --url is given, run."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sessions", type=int, default=50, help="concurrent citizens (1-500)")
    parser.add_argument("--seconds", type=float, default=60.0, help="how long the load lasts (at most 1800)")
    parser.add_argument("--think", type=float, default=1.0, help="mean pause between a citizen's turns, seconds")
    parser.add_argument("--timeout", type=float, default=120.0, help="per-request timeout, seconds")
    parser.add_argument("--baseline-rounds", type=int, default=3, help="idle passes over the conversations")
    parser.add_argument("--kinds", default=",".join(MIX), help=f"conversation kinds to draw (default {','.join(MIX)})")
    parser.add_argument("--no-idle-llm", action="store_true", help="leave generated answers out of the baseline")
    parser.add_argument(
        "--url", default="", help="a running app on loopback, with GOVQA_RATE_LIMIT__PER_MINUTE=0 (else one is started)"
    )
    parser.add_argument("--data-dir", type=Path, help="index to serve (default: a fresh folder, sample ingested)")
    parser.add_argument("--json", action="store_true", help="also print the figures as one JSON line")
    args = parser.parse_args()
    if not 1 <= args.sessions <= 500 or not 0 < args.seconds <= 1800 or args.timeout <= 0 or args.think < 0:
        parser.error("--sessions must be 1-500, --seconds 0-1800, --timeout > 0, --think >= 0")
    if not 1 <= args.baseline_rounds <= 20:
        parser.error("--baseline-rounds must be 1-20")
    if not args.kinds or not set(args.kinds.split(",")) <= set(MIX):
        parser.error(f"--kinds takes a comma-separated subset of {','.join(MIX)}")
    if args.url:
        if urlsplit(args.url).hostname not in LOOPBACK:
            parser.error(
                f"--url must be on loopback ({', '.join(sorted(LOOPBACK))}): this script only loads a local app"
            )
        sys.exit(run(args.url.rstrip("/"), args))
    with tempfile.TemporaryDirectory(prefix="govqa-load-") as tmp:
        data_dir = args.data_dir or Path(tmp) / "data"
        with started_app(data_dir, Path(tmp) / "server.log") as url:
            code = run(url, args)
    sys.exit(code)


if __name__ == "__main__":
    main()
