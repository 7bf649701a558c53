"""Reproducible output: one reader of SOURCE_DATE_EPOCH and one writer of zip files (docx and xlsx)."""

from __future__ import annotations

import calendar
import datetime as dt
import io
import zipfile

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sb_cli.errors import UsageError
from sb_cli.io.reproducible import VARIABLE, made_at, source_date_epoch, zip_bytes, zip_entries
from sb_cli.render.docx import stable_zip
from sb_cli.reporters.tables import Column
from sb_cli.reporters.xlsx import as_xlsx
from tests.cli.test_rows_cli import AS_OF, environment
from tests.conftest import REPO, sb

# --- SOURCE_DATE_EPOCH ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "epoch"),
    [(None, None), ("", None), ("  ", None), ("0", 0), ("1767225600", 1767225600), (" 1767225600\n", 1767225600)],
)
def test_source_date_epoch_is_read_as_seconds_or_none(monkeypatch, value, epoch):
    if value is None:
        monkeypatch.delenv(VARIABLE, raising=False)
    else:
        monkeypatch.setenv(VARIABLE, value)
    assert source_date_epoch() == epoch


NOT_SECONDS = ["-1", "1.5", "1e9", "i går", "0x10", "12 34", "١٢٣", "+5", "2026-01-01"]


@pytest.mark.parametrize("value", NOT_SECONDS)
def test_a_source_date_epoch_that_is_not_seconds_is_a_usage_error(monkeypatch, value):
    monkeypatch.setenv(VARIABLE, value)
    with pytest.raises(UsageError, match="SOURCE_DATE_EPOCH är .* inte ett antal sekunder sedan 1970-01-01"):
        source_date_epoch()


@given(st.integers(min_value=0, max_value=2**40), st.sampled_from(["", " ", "\t", "\n"]))
def test_every_non_negative_integer_is_read_back(seconds, space):
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(VARIABLE, f"{space}{seconds}{space}")
        assert source_date_epoch() == seconds
        assert made_at(lambda: 5.0) == seconds


def test_made_at_is_now_without_source_date_epoch(monkeypatch):
    monkeypatch.delenv(VARIABLE, raising=False)
    assert made_at(lambda: 1234.9) == 1234


@pytest.mark.parametrize("value", NOT_SECONDS[:4])
def test_sb_refuses_a_source_date_epoch_that_is_not_seconds(tmp_path, value):
    """Before, `sb` silently took the clock, and the "reproducible" file was not."""
    out = tmp_path / "beslut.xlsx"
    result = sb("report", "decisions", *AS_OF, "--root", REPO, "--out", out, env=environment(SOURCE_DATE_EPOCH=value))
    assert result.returncode == 2, result.stderr
    assert "SOURCE_DATE_EPOCH är" in result.stderr and "Traceback" not in result.stderr
    assert not out.exists()


# --- zip files -----------------------------------------------------------------------------------

ENTRIES = st.lists(
    st.tuples(st.text("abcåäö/._-", min_size=1, max_size=12).filter(lambda n: not n.endswith("/")), st.binary()),
    max_size=5,
    unique_by=lambda entry: entry[0],
)
TIMESTAMPS = st.none() | st.integers(min_value=-(2**33), max_value=2**33)


@given(ENTRIES, TIMESTAMPS, st.booleans())
def test_a_zip_holds_the_entries_in_order_and_the_same_input_gives_the_same_bytes(entries, timestamp, compress):
    data = zip_bytes(entries, timestamp=timestamp, compress=compress)
    assert data == zip_bytes(list(entries), timestamp=timestamp, compress=compress)
    assert zip_entries(data) == entries
    infos = zipfile.ZipFile(io.BytesIO(data)).infolist()
    assert len({(i.date_time, i.external_attr, i.create_system) for i in infos}) <= 1
    assert all(i.compress_type == (zipfile.ZIP_DEFLATED if compress else zipfile.ZIP_STORED) for i in infos)


@pytest.mark.parametrize(
    ("timestamp", "date"),
    [
        (None, (1980, 1, 1, 0, 0, 0)),
        (0, (1980, 1, 1, 0, 0, 0)),  # before the earliest date a zip file holds
        (1767225600, (2026, 1, 1, 0, 0, 0)),
        (1767225601, (2026, 1, 1, 0, 0, 0)),  # zip dates count in two seconds
        (2**40, (2107, 12, 31, 23, 59, 58)),  # after the latest
    ],
)
def test_every_entry_gets_the_date_of_the_timestamp_within_what_zip_holds(timestamp, date):
    info = zipfile.ZipFile(io.BytesIO(zip_bytes([("a", b"x")], timestamp=timestamp))).infolist()[0]
    assert info.date_time == date
    assert info.external_attr >> 16 == 0o644


def _docx() -> bytes:
    entries = [("word/document.xml", b"<w/>"), ("_rels/.rels", b"<r/>"), ("[Content_Types].xml", b"<t/>")]
    return stable_zip(zip_bytes(entries, timestamp=None), 1767225600)


def _xlsx() -> bytes:
    created = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    return as_xlsx([{"id": "a"}], [Column("id", "Id")], "Lista", created=created)


@pytest.mark.parametrize("written", [_docx, _xlsx], ids=["docx", "xlsx"])
def test_docx_and_xlsx_are_written_by_the_one_zip_writer(written):
    """Rewriting the file with zip_bytes changes no byte: same dates, modes, order and compression."""
    data = written()
    assert zip_bytes(zip_entries(data), timestamp=calendar.timegm((2026, 1, 1, 0, 0, 0))) == data


def test_a_word_package_starts_with_its_content_types_and_relations():
    assert [name for name, _ in zip_entries(_docx())] == ["[Content_Types].xml", "_rels/.rels", "word/document.xml"]
