"""Select a reproducible subset of the real development corpus for dialogue evaluation.

The real corpus (``../shared/data/realworld/corpus.jsonl``, not part of the repository) is too large
to embed quickly on a laptop. This script picks, by fixed rules and a seed, the documents that make
clarifying dialogue interesting, plus distractors:

1. every document of the region/level hotspot topics listed in ``ambiguity.jsonl``;
2. every knowledge-base entry of the "same question, different answers" pairs in ``ambiguity.jsonl``;
3. knowledge-base entries whose titles are duplicated across the whole KB: the normalised title is
   equal (NFKC, punctuation and spaces removed), or near-equal (equal once interchangeable wordings
   such as 怎么/如何 and filler characters such as 我/你/请问/吗 are folded away);
4. laws on the same topic in several regions (the same title once the leading place name is
   removed, e.g. 优化营商环境条例 of several provinces and cities), up to ``--max-same-topic``
   more documents, largest groups first;
5. a seeded random sample of other KB entries (``--kb-distractors``) and other laws
   (``--law-distractors``).

The output has the corpus schema, one record per line, in corpus order. Write it outside the
repository: the real data must not be committed.

Usage::

    python -m eval.realworld_subset --corpus ../shared/data/realworld/corpus.jsonl \\
        --out /tmp/rw-subset.jsonl [--ambiguity PATH] [--seed 20250601] [--summary]

``--ambiguity`` defaults to ``ambiguity.jsonl`` next to the corpus. A summary (counts per rule and
the duplicated-title groups) goes to stderr.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
import unicodedata
from collections import defaultdict
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from eval.datasets import read_jsonl

KB = "bj_gov_kb"
LAW = "law"

_NON_WORD = re.compile(r"[\W_]+")
# Wordings a citizen uses interchangeably in a question title (folded before comparing titles).
_SYNONYMS = (
    ("怎么样", "如何"),
    ("怎样", "如何"),
    ("怎么", "如何"),
    ("是否会", "会"),
    ("是否", "会"),
    ("哪些", "什么"),
)
# Characters that carry no meaning of their own in a question title.
_FILLER = re.compile(r"请问|咨询|我们|您|你|我|该|呢|吗|啊|的|了")

# Leading place names of the laws in the corpus: a province-level name, then optionally a city,
# prefecture or county name ending in 市/州/县/区/盟 (e.g. 山东省济南市, 浙江省, 宁波市).
_PROVINCES = (
    "北京|天津|上海|重庆|河北|山西|辽宁|吉林|黑龙江|江苏|浙江|安徽|福建|江西|山东|河南|湖北|湖南|"
    "广东|海南|四川|贵州|云南|陕西|甘肃|青海|台湾|内蒙古|广西|西藏|宁夏|新疆|香港|澳门"
)
_PLACE = re.compile(
    rf"^(?:(?:{_PROVINCES})(?:省|市|壮族自治区|回族自治区|维吾尔自治区|自治区|特别行政区)?)?"
    r"(?:[\u4e00-\u9fff]{1,8}?(?:自治州|自治县|市|州|县|区|盟))?"
)
_BRACKETS = re.compile(r"[（(][^）)]*[）)]$")


def norm_title(title: str) -> str:
    """NFKC, lower case, punctuation and spaces removed: equal keys mean the same title."""
    return _NON_WORD.sub("", unicodedata.normalize("NFKC", title)).lower()


def near_key(title: str) -> str:
    """The normalised title with interchangeable wordings and filler folded away."""
    key = norm_title(title)
    for old, new in _SYNONYMS:
        key = key.replace(old, new)
    return _FILLER.sub("", key) or key


def place_and_topic(title: str) -> tuple[str, str]:
    """Split a law title into its leading place name ('' for national law) and the rest."""
    title = _BRACKETS.sub("", title.strip())
    match = _PLACE.match(title)
    place = match.group(0) if match else ""
    topic = title[len(place) :]
    if len(topic) < 4:  # the "place" swallowed the topic (a title like 城市道路管理条例)
        return "", title
    return place, topic


def duplicate_title_groups(kb: Iterable[dict[str, Any]]) -> list[list[dict[str, Any]]]:
    """Groups (size >= 2) of KB entries whose titles are equal or near-equal, in corpus order."""
    by_key: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for doc in kb:
        by_key[near_key(doc["title"])].append(doc)
    return [group for group in by_key.values() if len(group) > 1]


def same_topic_law_groups(laws: Iterable[dict[str, Any]]) -> list[list[dict[str, Any]]]:
    """Groups of laws with the same topic from at least two places (national law counts as one)."""
    by_topic: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for doc in laws:
        _, topic = place_and_topic(doc["title"])
        by_topic[norm_title(topic)].append(doc)
    groups = []
    for docs in by_topic.values():
        places = {place_and_topic(d["title"])[0] for d in docs}
        if len(places) >= 2:
            groups.append(docs)
    groups.sort(key=lambda g: (-len(g), norm_title(place_and_topic(g[0]["title"])[1])))
    return groups


def select(
    corpus: list[dict[str, Any]],
    ambiguity: list[dict[str, Any]],
    *,
    seed: int,
    max_same_topic: int,
    kb_distractors: int,
    law_distractors: int,
) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """The subset (in corpus order) and a summary of why each part was chosen."""
    by_id = {doc["id"]: doc for doc in corpus}
    chosen: dict[str, str] = {}  # doc id -> rule

    def take(ids: Iterable[str], rule: str) -> int:
        added = 0
        for doc_id in ids:
            if doc_id in by_id and doc_id not in chosen:
                chosen[doc_id] = rule
                added += 1
        return added

    summary: dict[str, Any] = {}
    hotspot_ids = [
        i for rec in ambiguity if rec.get("type") == "corpus_region_or_level_hotspot" for i in rec["doc_ids"]
    ]
    summary["hotspot"] = take(hotspot_ids, "hotspot")
    pair_ids = [
        c["doc_id"]
        for rec in ambiguity
        if rec.get("type") == "same_question_multiple_kb_entries"
        for c in rec["candidates"]
    ]
    summary["dup_pairs"] = take(pair_ids, "dup_pair")

    kb = [d for d in corpus if d["collection"] == KB]
    groups = duplicate_title_groups(kb)
    exact = [g for g in groups if len({norm_title(d["title"]) for d in g}) == 1]
    differing = [g for g in groups if len({d["category"] for d in g}) > 1]
    summary["dup_title_groups"] = len(groups)
    summary["dup_title_groups_exact"] = len(exact)
    summary["dup_title_groups_near"] = len(groups) - len(exact)
    summary["dup_title_groups_department_differs"] = len(differing)
    summary["dup_title_docs"] = take((d["id"] for g in groups for d in g), "dup_title")
    summary["groups"] = [[(d["id"], d["category"], d["title"]) for d in g] for g in groups]

    laws = [d for d in corpus if d["collection"] == LAW]
    added = 0
    topics = []
    for group in same_topic_law_groups(laws):
        fresh = [d["id"] for d in group if d["id"] not in chosen]
        if not fresh:
            continue
        if added + len(fresh) > max_same_topic:
            continue
        added += take(fresh, "same_topic_law")
        topics.append((place_and_topic(group[0]["title"])[1], len(group)))
    summary["same_topic_laws"] = added
    summary["same_topic_groups"] = topics

    rng = random.Random(seed)
    other_kb = sorted(d["id"] for d in kb if d["id"] not in chosen)
    summary["kb_distractors"] = take(rng.sample(other_kb, min(kb_distractors, len(other_kb))), "kb_distractor")
    other_laws = sorted(d["id"] for d in laws if d["id"] not in chosen)
    summary["law_distractors"] = take(rng.sample(other_laws, min(law_distractors, len(other_laws))), "law_distractor")

    subset = [doc for doc in corpus if doc["id"] in chosen]
    summary["total"] = len(subset)
    summary["by_collection"] = {
        c: sum(1 for d in subset if d["collection"] == c) for c in sorted({d["collection"] for d in subset})
    }
    return subset, summary


def main(argv: list[str] | None = None) -> int:
    """Command line: write the subset, print the summary to stderr."""
    parser = argparse.ArgumentParser(prog="python -m eval.realworld_subset", description=(__doc__ or "").split("\n")[0])
    parser.add_argument("--corpus", type=Path, required=True, help="realworld corpus.jsonl")
    parser.add_argument("--out", type=Path, required=True, help="subset JSONL to write (outside the repository)")
    parser.add_argument("--ambiguity", type=Path, help="ambiguity.jsonl (default: next to the corpus)")
    parser.add_argument("--seed", type=int, default=20250601)
    parser.add_argument("--max-same-topic", type=int, default=60, help="laws added by the same-topic rule")
    parser.add_argument("--kb-distractors", type=int, default=300)
    parser.add_argument("--law-distractors", type=int, default=40)
    parser.add_argument("--summary", action="store_true", help="also list the duplicated-title groups")
    args = parser.parse_args(argv)

    ambiguity_path = args.ambiguity or args.corpus.with_name("ambiguity.jsonl")
    for path in (args.corpus, ambiguity_path):
        if not path.is_file():
            parser.error(f"{path}: not found")
    subset, summary = select(
        list(read_jsonl(args.corpus)),
        list(read_jsonl(ambiguity_path)),
        seed=args.seed,
        max_same_topic=args.max_same_topic,
        kb_distractors=args.kb_distractors,
        law_distractors=args.law_distractors,
    )
    args.out.parent.mkdir(parents=True, exist_ok=True)
    with args.out.open("w", encoding="utf-8") as handle:
        for doc in subset:
            handle.write(json.dumps(doc, ensure_ascii=False) + "\n")

    groups = summary.pop("groups")
    topics = summary.pop("same_topic_groups")
    print(json.dumps(summary, ensure_ascii=False, indent=1), file=sys.stderr)
    if args.summary:
        for group in groups:
            print(" | ".join(f"{i} [{c}] {t}" for i, c, t in group), file=sys.stderr)
        for topic, size in topics:
            print(f"same topic: {topic} ({size})", file=sys.stderr)
    print(f"wrote {len(subset)} documents to {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
