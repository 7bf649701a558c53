"""The corpus carries every word of its sources: each seed's words, page furniture aside, in order.

The seeds are the plain-text extractions in tests/seeds/ (copies of the project's seed folder). Each
corpus document made from a seed must hold at least 99 % of the seed's words in the seed's order.
"""

import difflib
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.conftest import REPO, invoke

SEEDS = Path(__file__).parent / "seeds"

DOCUMENT_OF_SEED = {
    "000_129639c8c91af85d.txt": "documents/styrdokument/ledningssystem-2021.md",
    "001_45a796ce63b4f262.txt": "documents/styrdokument/overenskommelse-malgrupper-2023.md",
    "002_54ea3c025259f440.txt": "documents/protokoll/att-aldras/2024-02.yaml",
    "003_d265c5da1e831e42.txt": "documents/protokoll/LSVO/2023-06-16.yaml",
    "004_7eedcbcc7d079cea.txt": "documents/tjansteskrivelser/samverkan-for-utveckling.md",
}

REQUIRED_COVERAGE = 0.99

# Page furniture: lines the extraction took from the page rather than from the document's text. Each
# pattern must match the whole line, so that no sentence of the document can match.
FURNITURE_LINES = [
    # A page footer that is the whole line: "Sida 7" (seed 001).
    re.compile(r"Sida \d+"),
    # A page number with the page count, "5(12)", alone on its line (seed 002).
    re.compile(r"\d+ ?\(\d+\)"),
]
# A line holding only web addresses: the PDF's link layer. The extraction writes a link's address
# on a line of its own, once per line of the link's text, wherever the page's text flow puts it (so
# often twice or more in a row, away from the link). The link's text is printed and stays; an address
# printed as text stands in a sentence ("se https://…", "länk: https://…") and stays too.
LINK_LAYER_LINE = re.compile(r"(https?://\S+\s*)+")

WORD = re.compile(r"[^\W_]+")


def without_furniture(text: str) -> str:
    kept = []
    for line in text.splitlines():
        stripped = line.strip()
        if stripped and not any(pattern.fullmatch(stripped) for pattern in (*FURNITURE_LINES, LINK_LAYER_LINE)):
            kept.append(stripped)
    return "\n".join(kept)


def yaml_values(data: Any) -> Iterator[str]:
    """Every scalar value of a YAML tree, in document order; keys are structure, not text."""
    if isinstance(data, dict):
        for value in data.values():
            yield from yaml_values(value)
    elif isinstance(data, list):
        for value in data:
            yield from yaml_values(value)
    elif data is not None:
        yield str(data)


def markdown_text(path: Path) -> str:
    """A Markdown document's text: its header's values and its body (the words of its markup,
    headings' hashes, table pipes and list bullets, fall away as punctuation; a link's address is
    kept, as the source prints it too)."""
    _, front, body = path.read_text(encoding="utf-8").split("---\n", 2)
    return "\n".join([*yaml_values(yaml.safe_load(front)), body])


@pytest.fixture(scope="module")
def published(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The protocols as sb renders them to Markdown. A protocol's form words ("Föredragande",
    "LSVO beslutar", "att" before each decision, "Protokollet ska skickas till", an organisation's
    name for its id in organisation.yaml) are its YAML keys and references; the render prints them
    as the source does, so the record's text is compared as it is published."""
    out = tmp_path_factory.mktemp("published")
    protocols = [str(REPO / path) for path in DOCUMENT_OF_SEED.values() if path.endswith(".yaml")]
    result = invoke("render", *protocols, "--to", "md", "--out", str(out), "--as-of", "2026-11-22", "--root", str(REPO))
    assert result.exit_code == 0, result.output
    return out


def document_text(path: Path, published: Path) -> str:
    if path.suffix == ".md":
        return markdown_text(path)
    return (published / f"{yaml.safe_load(path.read_text(encoding='utf-8'))['id']}.md").read_text(encoding="utf-8")


def words(text: str) -> list[str]:
    """Words as runs of letters and digits, in lower case: punctuation, Markdown markup and layout
    (line breaks, table pipes, list bullets) fall away."""
    return [word.lower() for word in WORD.findall(text)]


def matched_blocks(seed: list[str], corpus: list[str]) -> list[difflib.Match]:
    """The seed's words that appear in order in the corpus, as difflib's matching blocks.

    SequenceMatcher finds the longest common run, then recurses on both sides of it. On two
    nearly equal texts of ~10,000 words that takes well under a second, and gives what a failure
    must show: which words are missing, and where. autojunk is off, so that frequent words
    ("och", "att") are matched like any other.
    """
    return difflib.SequenceMatcher(None, seed, corpus, autojunk=False).get_matching_blocks()


def missing_runs(seed: list[str], blocks: list[difflib.Match]) -> list[tuple[int, str]]:
    runs: list[tuple[int, str]] = []
    start = 0
    for block in blocks:
        if block.a > start:
            runs.append((start, " ".join(seed[start : block.a])))
        start = block.a + block.size
    return runs


def coverage(seed_name: str, published: Path) -> tuple[float, list[tuple[int, str]], int]:
    seed = words(without_furniture((SEEDS / seed_name).read_text(encoding="utf-8")))
    corpus = words(document_text(REPO / DOCUMENT_OF_SEED[seed_name], published))
    blocks = matched_blocks(seed, corpus)
    matched = sum(block.size for block in blocks)
    return matched / len(seed), missing_runs(seed, blocks), len(seed)


def test_furniture_is_removed_and_text_kept() -> None:
    text = "Slut på sidan\n Sida 7 \n  5(12) \nse https://a.se/x\nhttps://a.se/x\n\nhttps://a.se/x \nSida 7 av"
    assert without_furniture(text).splitlines() == ["Slut på sidan", "se https://a.se/x", "Sida 7 av"]


def test_words_in_order_and_missing_runs() -> None:
    seed = words("Ett två tre fyra fem sex")
    blocks = matched_blocks(seed, words("ett TVÅ, fem sex tre"))
    assert sum(block.size for block in blocks) == 4
    assert missing_runs(seed, blocks) == [(2, "tre fyra")]


@pytest.mark.parametrize("seed_name", sorted(DOCUMENT_OF_SEED))
def test_corpus_document_carries_the_seed(seed_name: str, published: Path) -> None:
    share, runs, total = coverage(seed_name, published)
    missing = "\n".join(f"  saknas från ord {position}: {run}" for position, run in runs)
    assert share >= REQUIRED_COVERAGE, (
        f"{DOCUMENT_OF_SEED[seed_name]} bär {share:.1%} av {seed_name}s {total} ord i ordning "
        f"(krav {REQUIRED_COVERAGE:.1%}):\n{missing}"
    )
