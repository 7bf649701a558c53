"""SARIF and JUnit as their readers check them: the official SARIF 2.1.0 schema and the SARIF multitool (with
GitHub code scanning's rules), the Jenkins and the Ant JUnit XSDs. The schemas are in tests/reference/; the
multitool comes from tests/web/package.json (`npm ci --prefix tests/web`)."""

from __future__ import annotations

import copy
import datetime as dt
import functools
import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import jsonschema_rs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree

from sb_cli.core.model import Finding, Severity
from sb_cli.core.rules import BY_CODE
from sb_cli.reporters import findings
from sb_cli.validation import Report
from tests.conftest import CASES, REPO, invoke

REFERENCE = Path(__file__).resolve().parents[1] / "reference"
# The package's own launcher, not the link in .bin: a copy of the tree (as mutation testing makes) turns the
# link into a file beside nothing it requires.
MULTITOOL = REPO / "tests" / "web" / "node_modules" / "@microsoft" / "sarif-multitool" / "bin.js"
AS_OF = "2026-11-22"
UMLAUT = "documents/rutiner/årsrutin 2026.yaml"  # å and a space
UMLAUT_URI = "documents/rutiner/%C3%A5rsrutin%202026.yaml"

RUTIN = """id: {id}
type: rutin
title: Årsrutin
owner: LSVO
status: beslutad
version: "1.0"
decided: {{by: LSVO, date: 2026-01-16}}
valid_from: 2026-02-01
review_by: 2026-06-30
body: |
  {text}
"""


def git(root: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=root, check=True, capture_output=True)


@pytest.fixture(scope="module")
def corpora(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """A git repository whose decided årsrutin has been changed (SB040 at a line) and whose other decided
    rutin has been deleted (SB040 without a file, with --changed-since), with an overdue revision (SB010,
    a warning) and a broken file (SB001); and the same documents outside git (SB041, about the repository)."""
    root = tmp_path_factory.mktemp("git")
    documents = root / "documents"
    (documents / "rutiner").mkdir(parents=True)
    shutil.copy(CASES / "organisation.yaml", documents / "organisation.yaml")
    (root / UMLAUT).write_text(RUTIN.format(id="arsrutin", text="Text."), "utf-8")
    (documents / "borttagen.yaml").write_text(RUTIN.format(id="borttagen", text="Text."), "utf-8")
    (documents / "trasig ö.yaml").write_text("id: [\n", "utf-8")
    git(root, "init", "-q", "-b", "main")
    git(root, "config", "user.email", "sekreterare@example.se")
    git(root, "config", "user.name", "Sekreterare")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "beslutad")
    (root / UMLAUT).write_text(RUTIN.format(id="arsrutin", text="Ändrad text."), "utf-8")
    (documents / "borttagen.yaml").unlink()
    outside = tmp_path_factory.mktemp("utan-git")
    shutil.copytree(documents, outside / "documents")
    return {"git": root, "outside": outside}


RUNS = {
    "alla": ("git",),
    "andrade": ("git", "--changed-since", "HEAD"),
    "utan-git": ("outside",),
}


def output(corpora: dict[str, Path], run: str, output_format: str, *extra: str) -> tuple[str, int]:
    corpus, *arguments = RUNS[run]
    root = corpora[corpus]
    result = invoke("validate", "--root", root, "--as-of", AS_OF, "--format", output_format, *arguments, *extra)
    return result.stdout, result.exit_code


@pytest.fixture(scope="module")
def sarif_logs(corpora: dict[str, Path]) -> dict[str, dict[str, Any]]:
    logs = {run: json.loads(output(corpora, run, "sarif")[0]) for run in RUNS}
    # The corpus holds what the checks are meant to see.
    results = {run: log["runs"][0]["results"] for run, log in logs.items()}
    uris = {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for rs in results.values() for r in rs}
    assert {UMLAUT_URI, "documents/trasig%20%C3%B6.yaml", "documents/borttagen.yaml"} <= uris
    assert [r["ruleId"] for r in results["andrade"]] == ["SB040", "SB010", "SB040"]  # borttagen, then årsrutin
    assert {r["level"] for r in results["alla"]} == {"error", "warning"}
    assert "SB041" not in {r["ruleId"] for rs in results.values() for r in rs}
    notifications = logs["utan-git"]["runs"][0]["invocations"][0]["toolExecutionNotifications"]
    assert [n["associatedRule"]["id"] for n in notifications] == ["SB041"]
    return logs


@functools.cache
def sarif_schema() -> Any:
    schema = json.loads((REFERENCE / "sarif-2.1.0.json").read_text("utf-8"))
    return jsonschema_rs.validator_for(schema, validate_formats=True)  # formats too: uri, uri-reference


def schema_errors(log: dict[str, Any]) -> list[str]:
    return [f"{list(e.instance_path)}: {e.message}" for e in sarif_schema().iter_errors(log)]


@pytest.mark.git
def test_sarif_is_valid_against_the_sarif_2_1_0_schema(sarif_logs: dict[str, dict[str, Any]]) -> None:
    for run, log in sarif_logs.items():
        assert schema_errors(log) == [], run
    spaced = copy.deepcopy(sarif_logs["alla"])
    spaced["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] = UMLAUT
    assert any("uri-reference" in e for e in schema_errors(spaced))  # the schema checks the URIs


def multitool(folder: Path, logs: dict[str, dict[str, Any]], *rule_kind: str) -> dict[str, list[tuple[str, str]]]:
    """(rule, level) of every error and warning the multitool reports, by the file it reports it on."""
    assert MULTITOOL.exists(), "kör: npm ci --prefix tests/web"
    for name, log in logs.items():
        (folder / f"{name}.sarif").write_text(json.dumps(log, ensure_ascii=False), "utf-8")
    out = folder / "multitool.json"
    # The multitool's launcher runs it through a shell, so the names have no spaces.
    command = ["node", str(MULTITOOL), "validate", *(str(folder / f"{n}.sarif") for n in logs), *rule_kind]
    done = subprocess.run(
        [*command, "--output", str(out), "--log", "ForceOverwrite", "--quiet"],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    report = json.loads(out.read_text("utf-8"))
    (run,) = report["runs"]
    assert all(i["executionSuccessful"] for i in run["invocations"])
    found: dict[str, list[tuple[str, str]]] = {name: [] for name in logs}
    for result in run.get("results", []):
        level = result.get("level", "warning")
        if level in ("error", "warning"):
            analysed = Path(result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]).stem
            found[analysed].append((result["ruleId"], level))
    return found


def broken(log: dict[str, Any]) -> dict[str, Any]:
    """A log with the faults sb once had, for the multitool to find: a path that is not a URI, a rule without
    its full description and help."""
    log = copy.deepcopy(log)
    run = log["runs"][0]
    run["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] = UMLAUT
    del run["tool"]["driver"]["rules"][0]["help"], run["tool"]["driver"]["rules"][0]["fullDescription"]
    return log


@pytest.mark.slow
@pytest.mark.git
@pytest.mark.parametrize("rule_kind", [(), ("--rule-kind", "Gh")], ids=["sarif", "github"])
def test_the_sarif_multitool_finds_no_error_and_no_warning(
    sarif_logs: dict[str, dict[str, Any]], tmp_path: Path, rule_kind: tuple[str, ...]
) -> None:
    found = multitool(tmp_path, {**sarif_logs, "kontroll": broken(sarif_logs["alla"])}, *rule_kind)
    assert {run: found[run] for run in sarif_logs} == {run: [] for run in sarif_logs}
    expected = ("SARIF1002", "error") if not rule_kind else ("GH2012", "error")
    assert expected in found["kontroll"]  # the multitool did look


@pytest.fixture(scope="module")
def xsds() -> dict[str, etree.XMLSchema]:
    return {name: etree.XMLSchema(etree.parse(REFERENCE / name)) for name in ("junit-10.xsd", "ant-JUnit.xsd")}


def xsd_errors(xsds: dict[str, etree.XMLSchema], xml: str) -> dict[str, list[str]]:
    document = etree.fromstring(xml.encode("utf-8"))
    errors = {}
    for name, schema in xsds.items():
        schema.validate(document)
        errors[name] = [str(e) for e in schema.error_log]
    return errors


@pytest.mark.git
@pytest.mark.parametrize("strict", [False, True], ids=["", "strict"])
@pytest.mark.parametrize("run", list(RUNS))
def test_junit_is_valid_against_both_xsds_and_fails_as_the_exit_status_does(
    corpora: dict[str, Path], xsds: dict[str, etree.XMLSchema], run: str, strict: bool
) -> None:
    xml, status = output(corpora, run, "junit", *(["--strict"] if strict else []))
    assert xsd_errors(xsds, xml) == {name: [] for name in xsds}
    suite = etree.fromstring(xml.encode("utf-8")).find("testsuite")
    assert suite is not None
    failures = int(suite.get("failures", ""))
    assert (status == 1) is (failures > 0) and status in (0, 1)
    assert failures == len(suite.findall("testcase/failure"))
    names = [c.get("name") for c in suite.findall("testcase")]
    assert int(suite.get("tests", "")) == len(names)
    summary = json.loads(output(corpora, run, "json")[0])
    assert len({*names} - {"repositoriet", "documents/borttagen.yaml"}) == summary["documents"]
    if run == "alla":
        assert names == sorted(names) and {UMLAUT, "documents/organisation.yaml"} <= set(names)


def test_the_xsds_reject_what_sb_once_wrote(xsds: dict[str, etree.XMLSchema]) -> None:
    """Several failures in one testcase, a date without a time, no hostname: the Ant XSD says no."""
    old = (
        '<testsuites name="sb validate" tests="1" failures="2"><testsuite name="sb validate" tests="1" failures="2" '
        'errors="0" skipped="0" timestamp="2026-11-22"><testcase classname="sb.validate" name="a.yaml">'
        '<failure type="SB002" message="m">x</failure><failure type="SB002" message="m">y</failure>'
        "</testcase></testsuite></testsuites>"
    )
    assert xsd_errors(xsds, old)["ant-JUnit.xsd"]


# Any findings, any names: the outputs stay valid.

PATHS = st.one_of(
    st.sampled_from([".", "documents/a.yaml", UMLAUT, "documents/<&>\"'.yaml", "documents/a:b#c?%.yaml"]),
    st.text(min_size=1, max_size=20).map(lambda name: f"documents/{name}"),
    st.binary(min_size=1, max_size=8).map(lambda raw: "documents/" + raw.decode("utf-8", "surrogateescape")),
)
FINDINGS = st.builds(
    Finding,
    code=st.sampled_from([*BY_CODE, "SB099"]),
    severity=st.sampled_from(list(Severity)),
    path=PATHS,
    line=st.none() | st.integers(1, 10_000),
    column=st.none() | st.integers(1, 500),
    message=st.text(max_size=40),
    document=st.none() | st.text(max_size=10),
    hint=st.none() | st.text(max_size=10),
)


def report_of(found: list[Finding], clean: set[str], strict: bool) -> Report:
    """The findings, with the files they are in and some without findings as the checked files."""
    paths = tuple(sorted({f.path for f in found if f.path != "."} | clean))
    return Report(dt.date(2026, 11, 22), len(paths), found, paths, strict)


REPORTS = st.builds(
    report_of, st.lists(FINDINGS, max_size=8), st.sets(PATHS.filter(lambda p: p != "."), max_size=3), st.booleans()
)


@pytest.mark.slow
@settings(max_examples=200, deadline=None)
@given(report=REPORTS)
def test_any_report_gives_valid_sarif_and_junit(report: Report, xsds: dict[str, etree.XMLSchema]) -> None:
    log = json.loads(findings.write(report, "sarif"))
    assert schema_errors(log) == []
    run = log["runs"][0]
    assert len(run["results"]) + len(run["invocations"][0].get("toolExecutionNotifications", [])) == len(
        report.findings
    )
    xml = findings.write(report, "junit")
    assert xsd_errors(xsds, xml) == {name: [] for name in xsds}
    suite = etree.fromstring(xml.encode("utf-8")).find("testsuite")
    assert suite is not None
    assert (int(suite.get("failures", "")) > 0) is report.failed
