"""`sb validate` as a user runs it: every output format, exit codes and errors."""

import json
import xml.etree.ElementTree as ET

import pytest

from tests.conftest import CASES, build_repo, invoke, sb


@pytest.fixture
def broken(tmp_path):
    return build_repo(CASES / "invalid" / "SB020-numbering", tmp_path)


def run(root, *args):
    return invoke("validate", "--root", root, "--as-of", "2026-03-01", *args)


def test_text_names_file_line_column_code_and_summary(broken):
    result = run(broken)
    assert result.exit_code == 1
    assert "documents/lsvo-2.yaml:8:6: SB020 fel: § 5 följer på § 2 i LSVO-2026-01-16" in result.stdout
    assert "3 fel, 1 varning, 0 info i 4 filer (per 2026-03-01)" in result.stdout


def test_json_is_one_object_in_the_shape_of_the_spec(broken):
    result = run(broken, "--format", "json")
    payload = json.loads(result.stdout)
    assert set(payload) == {"as_of", "documents", "findings", "summary"}
    assert payload["as_of"] == "2026-03-01"
    assert payload["summary"] == {"error": 3, "warning": 1, "info": 0}
    first = next(f for f in payload["findings"] if f["code"] == "SB020")
    assert set(first) == {"code", "severity", "path", "line", "column", "document", "message"}
    assert first["document"] == "att-aldras-2026-01-20"


def test_github_annotations(broken):
    lines = run(broken, "--format", "github").stdout.splitlines()
    assert (
        "::error file=documents/lsvo-1.yaml,line=10,col=6,title=SB020 Fel i paragrafnumreringen::"
        "punkt 2 förekommer två gånger" in lines
    )


def test_junit_has_a_testcase_per_checked_file_and_a_failure_per_failing_file(broken):
    result = run(broken, "--format", "junit")
    suite = ET.fromstring(result.stdout).find("testsuite")
    cases = {c.get("name"): c.find("failure") for c in suite.findall("testcase")}
    files = {f"documents/{n}.yaml" for n in ("aldras", "lsvo-1", "lsvo-2", "organisation")}
    assert set(cases) == files | {"repositoriet"}  # not a git repository: SB041, a warning
    assert (suite.get("tests"), suite.get("failures"), suite.get("timestamp")) == ("5", "3", "2026-03-01T00:00:00")
    assert cases["documents/organisation.yaml"] is None and cases["repositoriet"] is None
    assert cases["documents/lsvo-2.yaml"].text == (
        "documents/lsvo-2.yaml:8:6: SB020 fel: § 5 följer på § 2 i LSVO-2026-01-16: § 3–4 saknas"
    )
    assert result.exit_code == 1


def test_junit_counts_warnings_as_failures_only_with_strict(tmp_path):
    root = build_repo(CASES / "invalid" / "SB010-review-overdue", tmp_path)
    documents = json.loads(run(root, "--format", "json").stdout)["documents"]
    for extra, status, failures in (((), 0, "0"), (("--strict",), 1, "2")):  # the SB010 file and SB041
        result = run(root, "--format", "junit", *extra)
        suite = ET.fromstring(result.stdout).find("testsuite")
        assert (result.exit_code, suite.get("failures")) == (status, failures)
        assert suite.get("tests") == str(documents + 1)  # and the repository
        assert ("SB010 varning" in (suite.findtext("system-out") or "")) is (status == 0)


def test_sarif_is_2_1_0_with_rules_and_regions(broken):
    payload = json.loads(run(broken, "--format", "sarif").stdout)
    assert payload["version"] == "2.1.0"
    run_ = payload["runs"][0]
    rules = run_["tool"]["driver"]["rules"]
    result = next(r for r in run_["results"] if r["ruleId"] == "SB020")
    assert rules[result["ruleIndex"]]["id"] == result["ruleId"] == "SB020"
    assert rules[result["ruleIndex"]]["helpUri"] == "https://github.com/samverkan-blekinge/sb#sb020"
    assert result["locations"][0]["physicalLocation"]["region"] == {"startLine": 9, "startColumn": 6}
    assert result["locations"][0]["physicalLocation"]["artifactLocation"] == {
        "uri": "documents/aldras.yaml",
        "uriBaseId": "%SRCROOT%",
    }


def test_sarif_says_outside_git_that_history_was_not_read_as_a_notification(tmp_path):
    root = build_repo(CASES / "invalid" / "SB010-review-overdue", tmp_path)
    run_ = json.loads(run(root, "--format", "sarif").stdout)["runs"][0]
    (notification,) = run_["invocations"][0]["toolExecutionNotifications"]
    assert notification["associatedRule"]["id"] == "SB041"
    assert notification["message"]["text"].startswith("inte ett git-repositorium: SB040 kontrolleras inte")
    assert [r["ruleId"] for r in run_["results"]] == ["SB010"]


def test_clean_repository_exits_0_and_strict_turns_warnings_into_failure(tmp_path):
    root = build_repo(CASES / "invalid" / "SB010-review-overdue", tmp_path)
    assert run(root).exit_code == 0
    assert run(root, "--strict").exit_code == 1


def test_paths_limit_the_report(broken):
    result = run(broken, "--format", "json", broken / "documents" / "aldras.yaml")
    payload = json.loads(result.stdout)
    assert {f["path"] for f in payload["findings"]} == {"documents/aldras.yaml"}
    assert payload["documents"] == 1


@pytest.mark.slow
def test_usage_errors_exit_2_with_a_message_and_no_traceback(tmp_path):
    result = sb("validate", "--root", str(tmp_path))
    assert result.returncode == 2
    assert "mappen documents/ finns inte" in result.stderr
    assert "Traceback" not in result.stderr + result.stdout
    result = sb("validate", "--as-of", "2026-13-01")
    assert result.returncode == 2
    assert "inget datum" in result.stderr


@pytest.mark.slow
def test_outside_a_repository_says_where_it_looked(tmp_path):
    result = sb("validate", cwd=tmp_path)
    assert result.returncode == 2
    assert "hittar inget dokumentrepositorium" in result.stderr


def test_help_shows_examples():
    assert "Exempel" in sb("--help").stdout
    assert "sb validate --changed-since" in sb("validate", "--help").stdout


@pytest.mark.slow
def test_the_installed_command_exits_1_on_errors(broken):
    result = sb("validate", "--root", broken, "--as-of", "2026-03-01")
    assert result.returncode == 1
    assert "SB020" in result.stdout
