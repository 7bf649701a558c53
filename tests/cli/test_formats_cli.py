"""The CLI's formats come from the tables: `--format` choices, `--out` suffixes, help, and the writer
that runs. A format added to, or changed in, a table is what `sb` offers and writes, with no other edit."""

from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest

from sb_cli.reporters.formats import FINDING_FORMATS, ROW_FORMATS
from tests.cli.test_completion import complete
from tests.cli.test_rows_cli import AS_OF, environment
from tests.conftest import REPO, invoke

EPOCH = {"SOURCE_DATE_EPOCH": "1767225600"}

# Run `sb` with one entry of a table replaced or added before the CLI is imported.
PATCHED = textwrap.dedent(
    """
    import dataclasses, sys
    from sb_cli.io.formats import Formats, OutputFormat
    from sb_cli.reporters import formats

    family, name, suffix = sys.argv[1:4]
    table = getattr(formats, family)

    def stub(*arguments):
        text = f"stub {name}\\n"
        return text if family == "FINDING_FORMATS" else text.encode()

    entry = OutputFormat(name, suffix, "provformat", stub)
    if name in table:
        entry = dataclasses.replace(table[name], write=stub, show=None, binary=False)
    setattr(formats, family, Formats(*(entry if f.name == name else f for f in table.values()), *(
        [] if name in table else [entry])))

    from sb_cli.cli.app import main

    sys.argv = ["sb", *sys.argv[4:]]
    main()
    """
)


def patched_sb(family: str, name: str, suffix: str, *args: object) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", PATCHED, family, name, suffix, *map(str, args)],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
        env=environment(),
    )


@pytest.mark.parametrize("name", list(ROW_FORMATS))
def test_every_row_format_is_written_by_its_table_entry(tmp_path, name):
    """Before, table, CSV and xlsx went around the table of writers."""
    out = tmp_path / f"lista{ROW_FORMATS[name].suffix}"
    result = patched_sb("ROW_FORMATS", name, "", "list", *AS_OF, "--out", out)
    assert result.returncode == 0, result.stderr
    assert out.read_text("utf-8") == f"stub {name}\n"
    piped = patched_sb("ROW_FORMATS", name, "", "list", *AS_OF, "--format", name)
    assert piped.stdout == f"stub {name}\n"


@pytest.mark.parametrize("name", list(FINDING_FORMATS))
def test_every_finding_format_is_written_by_its_table_entry(name):
    """Before, SARIF was a special case of the findings' writer."""
    result = patched_sb("FINDING_FORMATS", name, "", "validate", *AS_OF, "--format", name)
    assert result.returncode == 0, result.stderr
    assert result.stdout == f"stub {name}\n"


@pytest.mark.parametrize(
    ("family", "command"),
    [("ROW_FORMATS", ("list", *AS_OF, "--out", "{out}")), ("FINDING_FORMATS", ("validate", *AS_OF))],
)
def test_a_format_added_to_a_table_is_offered_helped_and_written(tmp_path, family, command):
    out = tmp_path / "lista.prov"
    args = [a.format(out=out) for a in command]
    written = patched_sb(family, "prov", ".prov", *args, "--format", "prov")
    assert written.returncode == 0, written.stderr
    assert (out.read_text("utf-8") if "--out" in args else written.stdout) == "stub prov\n"
    helped = patched_sb(family, "prov", ".prov", command[0], "--help").stdout
    assert "prov (provformat)" in " ".join(helped.split())
    if family == "ROW_FORMATS":
        inferred = patched_sb(family, "prov", ".prov", *args)
        assert inferred.returncode == 0 and out.read_text("utf-8") == "stub prov\n"
        assert ".prov" in " ".join(helped.split())


def test_the_format_choices_are_the_tables():
    assert complete("sb", "list", "--format", "") == list(ROW_FORMATS)
    assert complete("sb", "report", "overdue", "--format", "") == list(ROW_FORMATS)
    assert complete("sb", "validate", "--format", "") == list(FINDING_FORMATS)
    refused = invoke("validate", "--format", "xml")
    assert refused.exit_code == 2 and "sarif" in refused.output


@pytest.mark.parametrize("command", [("list",), ("report", "overdue"), ("validate",)], ids=" ".join)
def test_the_help_names_every_format_of_the_table_with_what_it_is(command):
    table = FINDING_FORMATS if command == ("validate",) else ROW_FORMATS
    helped = " ".join(invoke(*command, "--help").stdout.split())
    for entry in table.values():
        assert f"{entry.name} ({entry.help})" in helped
    if table is ROW_FORMATS:
        assert f"({ROW_FORMATS.suffix_list()})" in helped


@pytest.mark.parametrize(
    ("name", "suffix"), [(entry.name, suffix) for entry in ROW_FORMATS.values() for suffix in entry.suffixes]
)
def test_the_suffix_of_out_chooses_the_same_bytes_as_format(tmp_path, monkeypatch, name, suffix):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH["SOURCE_DATE_EPOCH"])
    inferred, chosen = tmp_path / f"a{suffix.upper()}", tmp_path / "b.fil"
    assert invoke("list", *AS_OF, "--root", REPO, "--out", inferred).exit_code == 0
    assert invoke("list", *AS_OF, "--root", REPO, "--format", name, "--out", chosen).exit_code == 0
    assert inferred.read_bytes() == chosen.read_bytes()
