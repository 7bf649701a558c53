"""The shipped corpus: it validates, it carries the seeds' facts, and the schemas work on their own."""

import datetime as dt
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from sb_cli.corpus import load_corpus
from sb_cli.io.repo import load_settings
from tests.conftest import REPO, findings_json


@pytest.fixture(scope="module")
def report():
    return findings_json(REPO, "2026-11-22")


def test_shipped_corpus_has_no_errors(report):
    assert report["summary"]["error"] == 0
    got = {(f["code"], f["document"]) for f in report["findings"]}
    # The known state of the collaboration's documents on 2026-11-22:
    assert got == {
        ("SB010", "ledningssystem-2021"),  # revision due by end of 2022 (LSVO decided it 2023-06-16 §63)
        ("SB013", "overenskommelse-malgrupper-2023"),  # no party's adoption is recorded in the sources
    }


@pytest.fixture(scope="module")
def corpus():
    return load_corpus(load_settings(REPO, REPO)).corpus


def test_lsvo_protocol_carries_seed_003(corpus):
    record = corpus.by_id["LSVO-2023-06-16"].record
    assert [i.number for i in record.items] == list(range(61, 73))
    assert len(record.attendance.present) == 17
    assert len(record.attendance.absent) == 4
    assert {o.name: o.items for o in record.attendance.others}["Judith Moss Månsson"] == (64,)
    assert sum(len(i.decisions) for i in record.items) == 35
    deferred = [s.title for i in record.items for s in i.subitems if s.deferred_to == dt.date(2023, 8, 25)]
    assert "Samordnare Prator/LINK 20%" in deferred and "Syrgas i hemmet" in deferred
    assert record.distribution == ("Diariet", "Ledamöter", "Helene Håkansson", "Peter Lilja", "Lars Ericsson")
    assert (record.meeting.start, record.meeting.end, record.meeting.place) == ("08:15", "12:00", "via Teams")


def test_aldras_protocol_carries_seed_002(corpus):
    record = corpus.by_id["att-aldras-2024-02"].record
    assert record.numbering == "list"
    assert [i.number for i in record.items] == list(range(1, 11))
    assert record.meeting.date is None  # the first page is missing from the source
    assert {i.number: i.kind for i in record.items}[4] == "I/D"


def test_agreement_carries_the_term_of_seed_001(corpus):
    record = corpus.by_id["overenskommelse-malgrupper-2023"].record
    assert (record.valid_from, record.valid_until) == (dt.date(2023, 6, 1), dt.date(2026, 12, 31))
    assert (record.term.notice_months, record.term.renewal_months) == (12, 24)
    assert len(record.parties) == 6


def test_every_shipped_document_is_in_the_corpus(corpus):
    assert corpus.left_out == ()
    assert len(corpus.documents) == 6


@pytest.mark.slow
def test_schemas_work_on_their_own_with_check_jsonschema():
    """Offline, with the schemas' folder as the base of their $id (which names where they are published)."""
    cjs = shutil.which("check-jsonschema", path=str(Path(sys.executable).parent))
    assert cjs, "check-jsonschema is installed with the test extra"
    files = [str(p) for p in (REPO / "documents").rglob("*.yaml") if p.name != "organisation.yaml"]
    base = ["--base-uri", (REPO / "schemas").as_uri() + "/"]
    result = subprocess.run(
        [cjs, *base, "--schemafile", str(REPO / "schemas" / "document.schema.json"), *files],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout
    result = subprocess.run(
        [
            cjs,
            *base,
            "--schemafile",
            str(REPO / "schemas" / "organisation.schema.json"),
            str(REPO / "documents" / "organisation.yaml"),
        ],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout


def test_every_schema_key_has_a_swedish_title_and_description():
    def walk(node, where):
        if isinstance(node, dict):
            for key, sub in (node.get("properties") or {}).items():
                assert sub.get("title") and sub.get("description"), f"{where}: {key}"
            for key, value in node.items():
                if key not in ("if", "then", "else"):  # conditions refine keys, not define them
                    walk(value, where)
        elif isinstance(node, list):
            for value in node:
                walk(value, where)

    for path in (REPO / "schemas").glob("*.schema.json"):
        walk(json.loads(path.read_text("utf-8")), path.name)


def test_sb_help_is_fast_to_import():
    # `sb --help` must not load the heavy libraries (schema engine, git, YAML, Word).
    code = (
        "import sys, sb_cli.cli.app as a; heavy = {'jsonschema_rs', 'git', 'yaml', 'docx', 'rich', 'msgspec'}"
        " & set(sys.modules); print(sorted(heavy))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"


def test_a_repository_loaded_by_worker_processes_is_the_one_loaded_here(tmp_path, monkeypatch):
    """The same documents and problems either way, and each way tells how far it has come."""
    from sb_cli import corpus as corpus_module
    from sb_cli.io.cache import Cache, using

    shutil.copytree(REPO / "documents", tmp_path / "documents")
    (tmp_path / "documents" / "trasig.yaml").write_text("id: [trasig\n", "utf-8")
    (tmp_path / "documents" / "utan-titel.yaml").write_text("id: utan-titel\ntype: rutin\n", "utf-8")
    settings = load_settings(tmp_path, tmp_path)
    told: dict[str, list[tuple[int, int]]] = {"here": [], "workers": [], "cached": []}
    here = load_corpus(settings, lambda *progress: told["here"].append(progress))
    assert here.problems and "documents/trasig.yaml" in here.corpus.left_out
    monkeypatch.setattr(corpus_module, "PARALLEL_FROM", 2)
    (tmp_path / "cache").mkdir()
    with Cache(tmp_path / "cache") as cache, using(cache):
        by_workers = load_corpus(settings, lambda *progress: told["workers"].append(progress))
    assert by_workers.corpus == here.corpus and by_workers.problems == here.problems
    monkeypatch.setattr(corpus_module, "PARALLEL_FROM", 10**6)  # in this process, to see what is parsed
    parsed: list[str] = []
    parse = corpus_module.parse_bytes
    monkeypatch.setattr(
        corpus_module, "parse_bytes", lambda relpath, raw: parsed.append(relpath) or parse(relpath, raw)
    )
    with Cache(tmp_path / "cache") as cache, using(cache):  # the workers kept the documents they loaded
        cached = load_corpus(settings, lambda *progress: told["cached"].append(progress))
    assert cached.corpus.documents == here.corpus.documents
    assert sorted(parsed) == ["documents/trasig.yaml", "documents/utan-titel.yaml"]
    files = len(here.corpus.documents) + len(here.corpus.left_out)
    for way, first in (("here", 0), ("workers", 0), ("cached", files - 2)):
        assert told[way][0] == (first, files) and told[way][-1] == (files, files), way
        assert told[way] == sorted(told[way]) and len(told[way]) >= 2, way
