"""Benchmark: the word comparison of `sb compare`, against the other ways to compare words.

    python tests/benchmarks/bench_compare.py [SEED]      (default 7)

Every paragraph of the ledningssystem (documents/) gets one to three random edits: a word replaced,
a full stop after a word, words inserted, a word removed. Each way of comparing then compares every
pair. Printed per way: the time, the number of changed runs a reader sees (fewer reads better), the
runs that begin or end inside a word ("sjuk<del>vård</del>": hard to read), and whether removing the
insertions gives the old text and removing the deletions the new one. sb's own way (difflib over
words and punctuation, with the spaces between two changes taken into them) is always measured;
diff-match-patch is measured when it is installed (it is not a dependency of sb).
"""

from __future__ import annotations

import random
import re
import sys
import time
from collections.abc import Callable
from difflib import SequenceMatcher
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from sb_cli.render.compare import compare_inlines  # noqa: E402
from sb_cli.render.markdown import Inline  # noqa: E402

Runs = list[tuple[str, str]]  # (change, text): "" unchanged, "ins", "del"
TOKEN = re.compile(r"\w+|\s+|[^\w\s]")


def paragraphs() -> list[str]:
    text = (ROOT / "documents/styrdokument/ledningssystem-2021.md").read_text(encoding="utf-8")
    body = text.split("\n---\n", 1)[1]
    return [" ".join(p.split()) for p in body.split("\n\n") if len(p.split()) > 8 and not p.startswith(("#", "|", "-"))]


def edited(paragraph: str, rng: random.Random) -> str:
    tokens = TOKEN.findall(paragraph)
    words = [i for i, t in enumerate(tokens) if t.isalnum()]
    for _ in range(rng.randint(1, 3)):
        i, r = rng.choice(words), rng.random()
        if r < 0.4:
            tokens[i] = rng.choice(["regionen", "kommunerna", "ska", "inte", "samverkansgruppen"])
        elif r < 0.6:
            tokens[i] += "."
        elif r < 0.8:
            tokens[i] += " och även"
        else:
            tokens[i] = ""
    return "".join(tokens)


def sb_runs(old: str, new: str) -> Runs:
    return [(i.change, i.text) for i in compare_inlines((Inline(text=old),), (Inline(text=new),))]


def difflib_runs(old: str, new: str) -> Runs:
    a, b = TOKEN.findall(old), TOKEN.findall(new)
    runs: Runs = []
    for tag, i1, i2, j1, j2 in SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if tag == "equal":
            runs.append(("", "".join(b[j1:j2])))
            continue
        runs += [("del", "".join(a[i1:i2]))] * (i2 > i1) + [("ins", "".join(b[j1:j2]))] * (j2 > j1)
    return runs


def dmp_ways() -> dict[str, Callable[[str, str], Runs]]:
    try:
        import diff_match_patch
    except ImportError:
        return {}
    dmp = diff_match_patch.diff_match_patch()
    names = {0: "", -1: "del", 1: "ins"}

    def characters(old: str, new: str) -> Runs:
        diff = dmp.diff_main(old, new)
        dmp.diff_cleanupSemantic(diff)
        return [(names[op], text) for op, text in diff]

    def words(old: str, new: str) -> Runs:
        vocabulary: dict[str, int] = {}

        def encode(text: str) -> str:
            return "".join(chr(0x100 + vocabulary.setdefault(t, len(vocabulary))) for t in TOKEN.findall(text))

        a, b = encode(old), encode(new)
        spelled = list(vocabulary)
        diff = dmp.diff_main(a, b, False)
        dmp.diff_cleanupSemantic(diff)
        return [(names[op], "".join(spelled[ord(c) - 0x100] for c in text)) for op, text in diff]

    return {"diff-match-patch, tecken": characters, "diff-match-patch, ord": words}


def inside_words(pair: tuple[str, str], runs: Runs) -> int:
    found, at = 0, {"del": 0, "ins": 0}
    for change, text in runs:
        side = pair[0] if change == "del" else pair[1] if change == "ins" else None
        if side is not None:
            start, end = at[change], at[change] + len(text)
            cut_start = start > 0 and side[start - 1].isalnum() and text[:1].isalnum()
            cut_end = end < len(side) and text[-1:].isalnum() and side[end].isalnum()
            found += cut_start or cut_end
        for kind in ("del", "ins"):
            if change in ("", kind):
                at[kind] += len(text)
    return found


def main() -> None:
    rng = random.Random(int(sys.argv[1]) if len(sys.argv) > 1 else 7)
    pairs = [(p, edited(p, rng)) for p in paragraphs()]
    print(f"{len(pairs)} stycken, {sum(len(p.split()) for p, _ in pairs)} ord")
    ways = {"sb (difflib, ord och skiljetecken, sammanslagna)": sb_runs, "difflib, ord": difflib_runs, **dmp_ways()}
    for name, way in ways.items():
        start = time.perf_counter()
        results = [way(old, new) for old, new in pairs]
        elapsed = (time.perf_counter() - start) * 1000
        runs = sum(1 for r in results for change, _ in r if change)
        split = sum(inside_words(pair, r) for pair, r in zip(pairs, results, strict=True))
        exact = all(
            "".join(t for c, t in r if c != "ins") == old and "".join(t for c, t in r if c != "del") == new
            for r, (old, new) in zip(results, pairs, strict=True)
        )
        print(f"{name}: {elapsed:.0f} ms, {runs} ändrade sträckor, {split} inne i ord, tillbaka till båda: {exact}")


if __name__ == "__main__":
    main()
