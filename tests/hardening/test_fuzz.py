"""Fuzzing: random and mutated input to the loader, the validator and the writers ends in findings or
a clean result — never a traceback, never a hang, never a change to an input file.

The number of examples per test is HYPOTHESIS_EXAMPLES (default 150; the closing figures used 2000)."""

import datetime as dt
import hashlib
import os
import random
import signal
from contextlib import contextmanager

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sb_cli.core.model import Corpus
from sb_cli.core.organisation import organisation_from
from sb_cli.core.rules import Context, corpus_checks, run
from sb_cli.corpus import typed
from sb_cli.io.loader import parse_bytes
from sb_cli.io.schemas import validators
from sb_cli.io.yamlpos import parse_yaml
from sb_cli.render.markdown import parse as parse_markdown
from sb_cli.render.text import to_html, to_markdown
from sb_cli.render.view import build
from sb_cli.validation import check_source
from tests.conftest import REPO

EXAMPLES = int(os.environ.get("HYPOTHESIS_EXAMPLES", "150"))
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
SCHEMAS = validators(REPO / "schemas")
ORGANISATION = organisation_from(parse_yaml((REPO / "documents" / "organisation.yaml").read_text("utf-8")).data)
SEEDS = sorted(
    p for p in (REPO / "documents").rglob("*") if p.suffix in (".yaml", ".md") and p.name != "organisation.yaml"
)
SEED_BYTES = [p.read_bytes() for p in SEEDS]


@contextmanager
def no_hang(seconds: int = 20):
    def fail(*_):
        raise AssertionError(f"hung for more than {seconds} s")

    previous = signal.signal(signal.SIGALRM, fail)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def validate_bytes(name: str, raw: bytes):
    """Every rule on one file, as `sb validate` runs them."""
    loaded = parse_bytes(name, raw)
    if loaded.source is None:
        assert loaded.finding.code == "SB001" and loaded.finding.line is not None
        return [loaded.finding]
    context = Context(as_of=dt.date(2026, 11, 22), path_exists=lambda p: False)
    document, findings = check_source(loaded.source, SCHEMAS, ORGANISATION, context)
    if document is not None:
        findings += run(Corpus.of((document,), ORGANISATION), context, corpus_checks())
    return findings


def mutate(raw: bytes, rng: random.Random, edits: int) -> bytes:
    data = bytearray(raw)
    lines = raw.split(b"\n")
    for _ in range(edits):
        choice = rng.randrange(6)
        if choice == 0 and data:  # flip a byte
            data[rng.randrange(len(data))] = rng.randrange(256)
        elif choice == 1 and data:  # delete a span
            start = rng.randrange(len(data))
            del data[start : start + rng.randrange(1, 40)]
        elif choice == 2:  # insert YAML syntax
            token = rng.choice(
                [
                    b":",
                    b"- ",
                    b"&a ",
                    b"*a",
                    b"{",
                    b"[",
                    b"]",
                    b"}",
                    b"'",
                    b'"',
                    b"|",
                    b"\t",
                    b"---\n",
                    b"\xe2\x80\x8f",
                    b"\x00",
                    b"? ",
                    b"!!python/object:os.system ",
                ]
            )
            data[rng.randrange(len(data) + 1) : 0] = token
        elif choice == 3:  # duplicate a line
            line = rng.choice(lines)
            position = rng.randrange(len(data) + 1)
            data[position:position] = line + b"\n"
        elif choice == 4 and data:  # change indentation
            position = rng.randrange(len(data))
            data[position:position] = b"  " * rng.randrange(1, 4)
        else:  # swap two lines
            lines = bytes(data).split(b"\n")
            a, b = rng.randrange(len(lines)), rng.randrange(len(lines))
            lines[a], lines[b] = lines[b], lines[a]
            data = bytearray(b"\n".join(lines))
    return bytes(data)


@FUZZ
@given(st.binary(max_size=2000))
def test_random_bytes(raw):
    with no_hang():
        validate_bytes("x.yaml", raw)
        validate_bytes("x.md", raw)


@pytest.mark.slow
@FUZZ
@given(st.sampled_from(range(len(SEEDS))), st.integers(0, 2**32 - 1), st.integers(1, 12))
def test_mutated_corpus_documents(index, seed, edits):
    raw = mutate(SEED_BYTES[index], random.Random(seed), edits)
    with no_hang():
        validate_bytes(SEEDS[index].name, raw)


unicode_text = st.text(st.characters(codec="utf-8"), max_size=300) | st.sampled_from(
    ["\u200f\u202e\u2066rtl\u2069", "\x00\x0b\x1f", "a" * 5000, "§ 61\u00a0att", "\ufeff", "💥" * 50]
)


@pytest.mark.slow
@FUZZ
@given(title=unicode_text, body=unicode_text, clause=unicode_text)
def test_random_unicode_through_the_validator_and_the_text_writers(title, body, clause):
    import json

    document = {
        "id": "LSVO-2026-01-16",
        "type": "protokoll",
        "title": title,
        "forum": "LSVO",
        "meeting": {"date": "2026-01-16"},
        "numbering": "paragraph",
        "items": [{"number": 1, "title": title, "kind": "B", "body": body, "decisions": [clause]}],
    }
    raw = json.dumps(document, ensure_ascii=False).encode("utf-8")  # JSON is YAML
    with no_hang():
        validate_bytes("p.yaml", raw)
        source = parse_bytes("p.yaml", raw).source
        document = typed(source, SCHEMAS)[0] if source else None
        if document is None:  # e.g. a control character YAML refuses: a finding, checked above
            return
        view = build(document, ORGANISATION, as_of=dt.date(2026, 1, 16), commit=None, version="0")
        to_markdown(view)
        to_html(view, REPO / "templates")


@FUZZ
@given(unicode_text)
def test_random_markdown(text):
    with no_hang():
        parse_markdown(text)


@settings(
    max_examples=max(10, EXAMPLES // 10), deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow]
)
@given(title=unicode_text, body=unicode_text)
def test_random_unicode_through_word_and_pdf(title, body, tmp_path_factory):
    from docx import Document as WordDocument

    from sb_cli.render.formats import render_bytes

    document = {
        "id": "r",
        "type": "rutin",
        "title": title or "x",
        "owner": "LSVO",
        "status": "utkast",
        "version": "0.1",
    }
    import json

    source = parse_bytes(
        "r.md",
        b"---\n"
        + json.dumps(document, ensure_ascii=False).encode()
        + b"\n---\n"
        + body.encode("utf-8", "surrogatepass"),
    ).source
    loaded = typed(source, SCHEMAS)[0] if source else None
    if loaded is None:
        return
    view = build(loaded, ORGANISATION, as_of=dt.date(2026, 1, 16), commit=None, version="0")
    folder = tmp_path_factory.mktemp("w")
    with no_hang(60):
        out = folder / "r.docx"
        out.write_bytes(render_bytes(view, "docx", REPO / "templates", 0))
        WordDocument(out)  # Word's own parser accepts it
        assert render_bytes(view, "pdf", REPO / "templates", 0).startswith(b"%PDF")


def test_deep_nesting_and_huge_scalars_end_in_findings():
    assert validate_bytes("d.yaml", b"a: " + b"[" * 50_000 + b"]" * 50_000)[0].code == "SB001"
    assert validate_bytes("d.yaml", b"a:\n" + b"".join(b"  " * i + b"b:\n" for i in range(1, 200)))[0].code == "SB001"
    findings = validate_bytes("d.yaml", b"id: x\ntype: rutin\ntitle: " + b"x" * 4_000_000 + b"\n")
    assert {f.code for f in findings} == {"SB002"}


@pytest.mark.slow
def test_inputs_are_never_changed(tmp_path):
    import shutil

    from tests.conftest import sb

    shutil.copytree(REPO / "documents", tmp_path / "documents")
    rng = random.Random(7)
    target = tmp_path / "documents" / "protokoll" / "LSVO" / "2023-06-16.yaml"
    target.write_bytes(mutate(target.read_bytes(), rng, 8))
    before = {p: hashlib.sha256(p.read_bytes()).hexdigest() for p in tmp_path.rglob("*") if p.is_file()}
    sb("validate", cwd=tmp_path)
    sb("render", "--all", "--to", "md", "--out", str(tmp_path / "ut"), cwd=tmp_path)
    after = {p: hashlib.sha256(p.read_bytes()).hexdigest() for p in before}
    assert before == after
