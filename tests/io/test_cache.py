"""The cache between runs: values by kind and key, kept in the user's own folder only, and a cache
that cannot be used costs time, never a result."""

import multiprocessing
import os
import sqlite3
import threading
import time

import pytest

from sb_cli.io import cache as cache_module
from sb_cli.io import loader
from sb_cli.io.cache import NO_CACHE, Cache, Later, active, files_key, key, made, plain, user_folder, using
from sb_cli.io.loader import _parse, parse_bytes
from tests.conftest import REPO


def test_a_value_put_is_there_in_the_next_run_under_its_kind_only(tmp_path):
    with Cache(tmp_path) as first:
        first.put("vy", "k", b"v\x00\xff")
    with Cache(tmp_path) as second:
        assert second.get("vy", "k") == b"v\x00\xff"
        assert second.get("sida", "k") is None
        assert second.get("vy", "annan") is None


def test_remembered_makes_a_value_once_and_again_when_it_no_longer_decodes(tmp_path):
    made: list[str] = []

    def make() -> str:
        made.append("x")
        return "värde"

    with Cache(tmp_path) as cache:
        assert cache.remembered("sida", "k", make, str.encode, bytes.decode) == "värde"
    with Cache(tmp_path) as cache:
        assert cache.remembered("sida", "k", make, str.encode, bytes.decode) == "värde"
        assert made == ["x"]
        cache.put("sida", "k", b"\xff trasigt")
        assert cache.remembered("sida", "k", make, str.encode, bytes.decode) == "värde"
        assert made == ["x", "x"] and cache.get("sida", "k") == "värde".encode()


def test_a_cache_without_a_folder_keeps_nothing(tmp_path):
    nothing = Cache(None)
    nothing.put("vy", "k", b"v")
    assert nothing.get("vy", "k") is None
    nothing.close()
    assert active().get("vy", "k") is None  # no command has chosen a cache


def test_keys_tell_their_parts_apart():
    assert key("ab", "c") != key("a", "bc")
    assert key("a") == key(b"a") != key("a", "")
    assert len({key("x"), key("y"), key()}) == 3
    assert key("documents/\udcff.yaml") == key(b"documents/\xff.yaml")  # a file name that is not UTF-8


def test_plain_holds_what_msgpack_cannot_and_tells_markup_from_text():
    import markupsafe

    assert plain({"a": [1, "b"]}) == plain({"a": [1, "b"]}) != plain({"a": [1, "c"]})
    assert plain(["documents/\udcff.yaml"]) != plain(["documents/\udcfe.yaml"])
    assert plain([markupsafe.Markup("<b>x</b>")]) != plain(["<b>x</b>"])


def test_a_key_changes_with_sbs_own_code(monkeypatch):
    before = key("x")
    monkeypatch.setattr(cache_module, "_code", lambda: b"other code")
    assert key("x") != before


def test_the_key_of_files_changes_with_a_name_or_a_byte(tmp_path):
    (tmp_path / "a.j2").write_text("x", "utf-8")
    first = files_key(tmp_path, tmp_path.rglob("*"))
    (tmp_path / "a.j2").write_text("y", "utf-8")
    second = files_key(tmp_path, tmp_path.rglob("*"))
    (tmp_path / "a.j2").rename(tmp_path / "b.j2")
    assert len({first, second, files_key(tmp_path, tmp_path.rglob("*"))}) == 3


def test_a_file_that_is_no_database_is_replaced(tmp_path):
    (tmp_path / cache_module.DATABASE).write_bytes(b"inte en databas " * 100)
    with Cache(tmp_path) as fresh:
        fresh.put("vy", "k", b"v")
    with Cache(tmp_path) as again:
        assert again.get("vy", "k") == b"v"


def test_a_locked_database_costs_the_value_not_the_run(tmp_path, monkeypatch):
    monkeypatch.setattr(cache_module, "BUSY_SECONDS", 0.05)
    with Cache(tmp_path) as made:
        made.put("vy", "gammal", b"v")
    holder = sqlite3.connect(tmp_path / cache_module.DATABASE)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        busy = Cache(tmp_path)
        busy.put("vy", "ny", b"v")  # waits BUSY_SECONDS, then goes without
        busy.get("vy", "gammal")
        busy.close()
    finally:
        holder.rollback()
        holder.close()
    with Cache(tmp_path) as after:
        assert after.get("vy", "ny") is None and after.get("vy", "gammal") == b"v"


def test_what_nobody_used_for_a_month_is_forgotten(tmp_path, monkeypatch):
    with Cache(tmp_path) as made:
        made.put("vy", "används", b"1")
        made.put("vy", "glömd", b"2")
    later = time.time() + 20 * 86400
    monkeypatch.setattr(time, "time", lambda: later)
    with Cache(tmp_path) as reader:
        assert reader.get("vy", "används") == b"1"
    monkeypatch.setattr(time, "time", lambda: later + 15 * 86400)
    Cache(tmp_path).close()
    with Cache(tmp_path) as after:
        assert after.get("vy", "används") == b"1"
        assert after.get("vy", "glömd") is None


def _put_in_child(cache: Cache) -> None:
    cache.put("vy", "barn", b"v")


def test_a_forked_worker_writes_through_its_own_connection(tmp_path):
    with Cache(tmp_path) as parent:
        parent.get("vy", "något")  # the parent's connection is open when the worker is forked
        child = multiprocessing.get_context("fork").Process(target=_put_in_child, args=(parent,))
        child.start()
        child.join(30)
        assert child.exitcode == 0
        assert parent.get("vy", "barn") == b"v"


def test_the_folder_must_be_the_users_own(tmp_path, monkeypatch):
    mine = tmp_path / "egen"
    monkeypatch.setenv("SB_CACHE_DIR", str(mine))
    assert user_folder() == mine and (mine.stat().st_mode & 0o777) == 0o700
    shared = tmp_path / "delad"
    shared.mkdir(mode=0o777)
    shared.chmod(0o777)
    monkeypatch.setenv("SB_CACHE_DIR", str(shared))
    assert user_folder() is None
    link = tmp_path / "länk"
    link.symlink_to(mine)
    monkeypatch.setenv("SB_CACHE_DIR", str(link))
    assert user_folder() is None
    monkeypatch.setenv("SB_CACHE_DIR", str(tmp_path / "fil"))
    (tmp_path / "fil").write_text("x", "utf-8")
    assert user_folder() is None


@pytest.mark.skipif(os.geteuid() != 0, reason="bara root kan ge en mapp till en annan användare")
def test_another_users_folder_is_not_used(tmp_path, monkeypatch):
    theirs = tmp_path / "deras"
    theirs.mkdir(mode=0o700)
    os.chown(theirs, 12345, 12345)
    monkeypatch.setenv("SB_CACHE_DIR", str(theirs))
    assert user_folder() is None


SHIPPED = sorted(p for p in (REPO / "documents").rglob("*") if p.suffix in (".yaml", ".md"))


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.name)
def test_a_document_read_from_the_cache_is_the_document_parsed(tmp_path, path):
    relpath = path.relative_to(REPO).as_posix()
    raw = path.read_bytes()
    loader._last_parsed.clear()  # a file another test read last would not reach the cache
    with Cache(tmp_path) as cache, using(cache):
        first = parse_bytes(relpath, raw)
        assert cache.get("källa", key("källa", relpath, raw)) is not None
        loader._last_parsed.clear()  # not the file read last: from the cache
        second = parse_bytes(relpath, raw)
    assert first == second == _parse(relpath, raw)
    assert first.source is not None and first.source.positions and first.source.text


def test_a_broken_cache_entry_is_parsed_anew(tmp_path):
    raw = b"id: x\ntype: rutin\ntitle: T\n"
    with Cache(tmp_path) as cache, using(cache):
        cache.put("källa", key("källa", "documents/x.yaml", raw), b"\xc1 trasigt")
        loader._last_parsed.clear()
        loaded = parse_bytes("documents/x.yaml", raw)
    assert loaded == _parse("documents/x.yaml", raw) and loaded.source is not None


def test_a_file_that_cannot_be_read_is_not_kept(tmp_path):
    raw = b"id: [x\n"
    with Cache(tmp_path) as cache, using(cache):
        loaded = parse_bytes("documents/x.yaml", raw)
        assert loaded.finding is not None and loaded.finding.code == "SB001"
        assert cache.get("källa", key("källa", "documents/x.yaml", raw)) is None


def test_the_file_read_last_is_not_parsed_again(monkeypatch):
    raw = b"id: x\ntype: rutin\ntitle: Senast\n"
    first = parse_bytes("documents/x.yaml", raw)

    def never(*args):
        raise AssertionError("lästes igen")

    monkeypatch.setattr(loader, "_parse", never)
    assert parse_bytes("documents/x.yaml", raw) is first
    with pytest.raises(AssertionError, match="lästes igen"):
        parse_bytes("documents/x.yaml", raw + b"# mer\n")


def test_using_chooses_the_cache_for_a_while_only(tmp_path):
    chosen = Cache(tmp_path)
    with using(chosen):
        assert active() is chosen
    assert active() is not chosen
    chosen.close()


def test_a_cache_chosen_in_one_thread_is_neither_seen_nor_left_behind_in_another():
    # The editor checks in a background thread while a request runs in another: each chooses.
    there, here = Cache(None), Cache(None)
    entered, leave = threading.Event(), threading.Event()

    def background() -> None:
        with using(there):
            entered.set()
            leave.wait(10)

    thread = threading.Thread(target=background)
    thread.start()
    assert entered.wait(10)
    assert active() is NO_CACHE
    with using(here):
        leave.set()
        thread.join(10)
        assert active() is here
    assert active() is NO_CACHE


def test_a_later_stands_in_data_by_its_key_and_is_made_only_when_asked():
    asked: list[str] = []
    later = Later("k1", lambda: asked.append("k1") or {"text": "värde"})
    assert plain({"page": later}) == plain({"page": Later("k1", lambda: None)})
    assert plain({"page": later}) != plain({"page": Later("k2", lambda: None)})
    assert plain({"page": later}) != plain({"page": "k1"})  # not the same as the text of its key
    assert repr(later) == "Later(k1)"  # a key made of its repr (data msgpack cannot hold) is its key too
    assert asked == []
    assert made({"page": [later, ("x", 1)], "n": 2}) == {"page": [{"text": "värde"}, ["x", 1]], "n": 2}
    assert asked == ["k1"]


def test_the_documents_of_a_repository_come_back_from_the_cache_as_they_were_read(tmp_path, monkeypatch):
    from sb_cli import corpus as corpus_module
    from sb_cli.corpus import load_corpus
    from sb_cli.io.repo import load_settings

    settings = load_settings(REPO, REPO)
    read = load_corpus(settings)
    with Cache(tmp_path) as cache, using(cache):
        assert load_corpus(settings).corpus == read.corpus
    with monkeypatch.context() as patch, Cache(tmp_path) as cache, using(cache):
        patch.setattr(corpus_module, "parse_bytes", lambda *a: pytest.fail("läst på nytt trots cachen"))
        again = load_corpus(settings)
    assert again.corpus == read.corpus and again.problems == read.problems
    assert len(again.corpus.documents) >= 5
    with Cache(tmp_path) as cache:  # entries that no longer decode are read anew
        db = cache._connection()
        assert db is not None
        with db:
            db.execute("UPDATE entries SET value = x'c1' WHERE kind = 'dokument'")
    with Cache(tmp_path) as cache, using(cache):
        assert load_corpus(settings).corpus == read.corpus


def test_what_is_put_in_a_batch_is_written_together_at_its_end(tmp_path):
    with Cache(tmp_path) as writer, Cache(tmp_path) as reader:
        with writer.batched():
            writer.put("vy", "a", b"1")
            writer.put("vy", "b", b"2")
            assert reader.get("vy", "a") is None  # not yet written
        assert (reader.get("vy", "a"), reader.get("vy", "b")) == (b"1", b"2")
        writer.put("vy", "c", b"3")  # after the batch, a value is written when it is put
        assert reader.get("vy", "c") == b"3"


def test_a_source_keeps_a_string_the_data_does_not_hold_at_its_path(tmp_path):
    from dataclasses import replace

    raw = b"id: x\ntype: rutin\ntitle: Rubrik\n"
    parsed = _parse("documents/x.yaml", raw).source
    assert parsed is not None and (("title",), "Rubrik", 3) in parsed.strings
    odd = replace(parsed, strings=(*parsed.strings, (("title",), "annan text", 9)))
    stored = loader._encoded(odd)
    assert stored is not None
    assert loader._decoded("documents/x.yaml", stored, raw) == odd
    assert stored.count(b"Rubrik") == 1 and stored.count(b"annan text") == 1  # the data's strings once


def test_a_stored_document_reads_its_positions_only_when_asked():
    import pickle

    from sb_cli.corpus import StoredPositions, decoded_document, encoded_document, load_corpus
    from sb_cli.io.repo import load_settings

    document = load_corpus(load_settings(REPO, REPO)).corpus.documents[0]
    again = decoded_document(document.path, encoded_document(document))
    assert isinstance(again.positions, StoredPositions) and again.positions._decoded is None
    assert again.record == document.record
    assert again.positions == document.positions and len(again.positions) == len(document.positions)
    assert pickle.loads(pickle.dumps(again.positions)) == document.positions
    assert decoded_document(document.path, encoded_document(again)).positions == document.positions
    broken = StoredPositions(b"\xc1")  # a damaged entry: findings point at the start of the file
    assert len(broken) == 0 and broken.get(("title",)) is None
