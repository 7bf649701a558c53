"""The reporters of `sb validate` as pure functions: the exact output of every format."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import re
from typing import Any
from xml.etree import ElementTree as ET

import pytest

from sb_cli import __version__
from sb_cli.core.model import Finding, Severity
from sb_cli.core.rules import BY_CODE
from sb_cli.reporters import findings
from sb_cli.reporters.formats import FINDING_FORMATS
from sb_cli.validation import Report
from tests.conftest import REPO

AS_OF = dt.date(2026, 3, 1)

DUPLICATE = Finding("SB003", Severity.ERROR, "documents/a.yaml", 1, 1, 'id <x> & "y" finns två gånger', document="A-1")
OVERDUE = Finding("SB010", Severity.WARNING, "documents/a.yaml", 3, None, "revisionen är försenad", document="A-1")
NOTICE = Finding("SB012", Severity.INFO, "documents/a.yaml", None, None, "uppsägning inom 30 dagar")
UNKNOWN = Finding("SB099", Severity.WARNING, "documents/a.yaml", None, 4, "okänd regel")  # a column without a line
NUMBERING = Finding(
    "SB020", Severity.ERROR, "documents/b.yaml", 8, 6, "§ 5 följer på § 2", document="LSVO-1", hint="numrera om"
)

MIXED = Report(AS_OF, 3, [DUPLICATE, OVERDUE, NOTICE, UNKNOWN, NUMBERING])
SINGLE = Report(AS_OF, 1, [OVERDUE])
EMPTY = Report(AS_OF, 0, [])

MIXED_SUMMARY = "2 fel, 2 varningar, 1 info i 3 filer (per 2026-03-01)"
SINGLE_SUMMARY = "0 fel, 1 varning, 0 info i 1 fil (per 2026-03-01)"
EMPTY_SUMMARY = "0 fel, 0 varningar, 0 info i 0 filer (per 2026-03-01)"


def lines(*texts: str) -> str:
    return "".join(t + "\n" for t in texts)


# location, finding_lines, summary_line, text


@pytest.mark.parametrize(
    ("finding", "expected"),
    [
        (NUMBERING, "documents/b.yaml:8:6"),
        (OVERDUE, "documents/a.yaml:3"),
        (NOTICE, "documents/a.yaml"),
        (UNKNOWN, "documents/a.yaml"),
    ],
)
def test_location_is_path_line_and_column_as_far_as_known(finding: Finding, expected: str) -> None:
    assert findings.location(finding) == expected


def test_finding_lines_add_the_hint_on_an_indented_line() -> None:
    assert findings.finding_lines(NUMBERING) == [
        "documents/b.yaml:8:6: SB020 fel: § 5 följer på § 2",
        "    tips: numrera om",
    ]
    assert findings.finding_lines(OVERDUE) == ["documents/a.yaml:3: SB010 varning: revisionen är försenad"]
    assert findings.finding_lines(NOTICE) == ["documents/a.yaml: SB012 info: uppsägning inom 30 dagar"]


def test_an_empty_hint_gives_no_line() -> None:
    finding = Finding("SB010", Severity.WARNING, "documents/a.yaml", 3, 2, "försenad", hint="")
    assert findings.finding_lines(finding) == ["documents/a.yaml:3:2: SB010 varning: försenad"]


@pytest.mark.parametrize(
    ("report", "expected"),
    [(MIXED, MIXED_SUMMARY), (SINGLE, SINGLE_SUMMARY), (EMPTY, EMPTY_SUMMARY)],
)
def test_summary_line_counts_each_severity_and_the_files(report: Report, expected: str) -> None:
    assert findings.summary_line(report) == expected


def test_summary_line_counts_info_and_errors() -> None:
    report = Report(dt.date(2025, 12, 31), 2, [NOTICE, NOTICE, NUMBERING])
    assert findings.summary_line(report) == "1 fel, 0 varningar, 2 info i 2 filer (per 2025-12-31)"


def test_text_is_one_line_per_finding_then_the_summary() -> None:
    assert findings.text(MIXED) == lines(
        'documents/a.yaml:1:1: SB003 fel: id <x> & "y" finns två gånger',
        "documents/a.yaml:3: SB010 varning: revisionen är försenad",
        "documents/a.yaml: SB012 info: uppsägning inom 30 dagar",
        "documents/a.yaml: SB099 varning: okänd regel",
        "documents/b.yaml:8:6: SB020 fel: § 5 följer på § 2",
        "    tips: numrera om",
        MIXED_SUMMARY,
    )


def test_text_without_findings_is_only_the_summary() -> None:
    assert findings.text(EMPTY) == lines(EMPTY_SUMMARY)


# json


def test_json_is_exactly_indented_and_keeps_non_ascii() -> None:
    assert findings.as_json(SINGLE) == lines(
        "{",
        '  "as_of": "2026-03-01",',
        '  "documents": 1,',
        '  "findings": [',
        "    {",
        '      "code": "SB010",',
        '      "severity": "warning",',
        '      "path": "documents/a.yaml",',
        '      "line": 3,',
        '      "column": null,',
        '      "document": "A-1",',
        '      "message": "revisionen är försenad"',
        "    }",
        "  ],",
        '  "summary": {',
        '    "error": 0,',
        '    "warning": 1,',
        '    "info": 0',
        "  }",
        "}",
    )


def json_finding(finding: Finding) -> dict[str, Any]:
    return {
        "code": finding.code,
        "severity": finding.severity.value,
        "path": finding.path,
        "line": finding.line,
        "column": finding.column,
        "document": finding.document,
        "message": finding.message,
    }


def test_json_has_every_finding_in_order_and_the_summary() -> None:
    assert json.loads(findings.as_json(MIXED)) == {
        "as_of": "2026-03-01",
        "documents": 3,
        "findings": [
            {
                "code": "SB003",
                "severity": "error",
                "path": "documents/a.yaml",
                "line": 1,
                "column": 1,
                "document": "A-1",
                "message": 'id <x> & "y" finns två gånger',
            },
            json_finding(OVERDUE),
            json_finding(NOTICE),
            json_finding(UNKNOWN),
            {
                "code": "SB020",
                "severity": "error",
                "path": "documents/b.yaml",
                "line": 8,
                "column": 6,
                "document": "LSVO-1",
                "message": "§ 5 följer på § 2",
            },
        ],
        "summary": {"error": 2, "warning": 2, "info": 1},
    }


def test_json_without_findings() -> None:
    assert json.loads(findings.as_json(EMPTY)) == {
        "as_of": "2026-03-01",
        "documents": 0,
        "findings": [],
        "summary": {"error": 0, "warning": 0, "info": 0},
    }


# github


def test_github_is_one_annotation_per_finding_then_the_summary() -> None:
    assert findings.github(MIXED) == lines(
        '::error file=documents/a.yaml,line=1,col=1,title=SB003 Dubblerat id::id <x> & "y" finns två gånger',
        "::warning file=documents/a.yaml,line=3,title=SB010 Revisionen är försenad::revisionen är försenad",
        "::notice file=documents/a.yaml,title=SB012 Uppsägning eller slut inom bevakningsfönstret"
        "::uppsägning inom 30 dagar",
        "::warning file=documents/a.yaml,title=SB099 SB099::okänd regel",
        "::error file=documents/b.yaml,line=8,col=6,title=SB020 Fel i paragrafnumreringen"
        "::§ 5 följer på § 2 (tips: numrera om)",
        MIXED_SUMMARY,
    )


def test_github_escapes_properties_and_message() -> None:
    finding = Finding(
        "SB099",
        Severity.ERROR,
        "documents/50%,a:b\r\n.yaml",
        2,
        1,
        "50% klart: a, b\nrad två\rslut",
        hint="se: x, y",
    )
    assert findings.github(Report(AS_OF, 1, [finding])) == lines(
        "::error file=documents/50%25%2Ca%3Ab%0D%0A.yaml,line=2,col=1,title=SB099 SB099"
        "::50%25 klart: a, b%0Arad två%0Dslut (tips: se: x, y)",
        "1 fel, 0 varningar, 0 info i 1 fil (per 2026-03-01)",
    )


def test_github_escapes_colons_and_commas_in_the_title() -> None:
    finding = Finding("a:b,c", Severity.INFO, "d.yaml", None, None, "m")
    assert (
        findings.github(Report(AS_OF, 1, [finding])).splitlines()[0]
        == "::notice file=d.yaml,title=a%3Ab%2Cc a%3Ab%2Cc::m"
    )


def test_github_without_findings_is_only_the_summary() -> None:
    assert findings.github(EMPTY) == lines(EMPTY_SUMMARY)


# junit

PATHS = ("documents/a.yaml", "documents/b.yaml", "documents/c.yaml")  # c.yaml has no findings
CHECKED = Report(AS_OF, 3, [DUPLICATE, OVERDUE, NOTICE, UNKNOWN, NUMBERING], PATHS)
SB041 = Finding("SB041", Severity.WARNING, ".", None, None, "inte ett git-repositorium", hint="kör i en klon")


def tree(element: ET.Element) -> tuple[Any, ...]:
    """An element as (tag, attributes, text, children); the indentation between elements is left out."""
    children = [tree(child) for child in element]
    if children:
        assert (element.text or "").strip() == ""
        assert all((child.tail or "").strip() == "" for child in element)
        return (element.tag, element.attrib, None, children)
    return (element.tag, element.attrib, element.text, [])


def junit_tree(report: Report) -> tuple[Any, ...]:
    output = findings.junit(report)
    assert output.startswith('<?xml version="1.0" encoding="UTF-8"?>\n<testsuites>\n  <testsuite ')
    assert output.endswith("</testsuites>\n")
    return tree(ET.fromstring(output))


def suites(tests: int, failures: int, *cases: tuple[Any, ...], out: str | None = None, strict: bool = False) -> Any:
    attributes = {
        "name": "sb validate",
        "package": "sb",
        "id": "0",
        "tests": str(tests),
        "failures": str(failures),
        "errors": "0",
        "skipped": "0",
        "time": "0",
        "timestamp": "2026-03-01T00:00:00",
        "hostname": "localhost",
    }
    properties = [
        ("property", {"name": "as_of", "value": "2026-03-01"}, None, []),
        ("property", {"name": "strict", "value": "true" if strict else "false"}, None, []),
    ]
    children = [("properties", {}, None, properties), *cases, ("system-out", {}, out, []), ("system-err", {}, None, [])]
    return ("testsuites", {}, None, [("testsuite", attributes, None, children)])


def case(name: str, *failure: tuple[Any, ...]) -> tuple[Any, ...]:
    return ("testcase", {"classname": "sb.validate", "name": name, "time": "0"}, None, list(failure))


def failure(codes: str, message: str, *lines: str) -> tuple[Any, ...]:
    return ("failure", {"type": codes, "message": message}, "\n".join(lines), [])


def test_junit_has_a_testcase_per_checked_document_and_one_failure_with_all_its_findings() -> None:
    assert junit_tree(CHECKED) == suites(
        3,
        2,
        case(
            "documents/a.yaml",
            failure(
                "SB003",
                "1 fel, 2 varningar, 1 info: SB003, SB010, SB012, SB099",
                'documents/a.yaml:1:1: SB003 fel: id <x> & "y" finns två gånger',
                "documents/a.yaml:3: SB010 varning: revisionen är försenad",
                "documents/a.yaml: SB012 info: uppsägning inom 30 dagar",
                "documents/a.yaml: SB099 varning: okänd regel",
            ),
        ),
        case(
            "documents/b.yaml",
            failure("SB020", "1 fel: SB020", "documents/b.yaml:8:6: SB020 fel: § 5 följer på § 2 (tips: numrera om)"),
        ),
        case("documents/c.yaml"),
    )


def test_junit_puts_the_warnings_of_passing_documents_in_the_suites_output() -> None:
    report = Report(AS_OF, 2, [OVERDUE, NOTICE], ("documents/a.yaml", "documents/b.yaml"))
    assert junit_tree(report) == suites(
        2,
        0,
        case("documents/a.yaml"),
        case("documents/b.yaml"),
        out="documents/a.yaml:3: SB010 varning: revisionen är försenad\n"
        "documents/a.yaml: SB012 info: uppsägning inom 30 dagar",
    )


def test_junit_with_strict_makes_warnings_failures_but_not_info() -> None:
    report = Report(AS_OF, 2, [OVERDUE, NOTICE, dataclasses.replace(NOTICE, path="documents/b.yaml")], PATHS[:2])
    assert junit_tree(dataclasses.replace(report, strict=True)) == suites(
        2,
        1,
        case(
            "documents/a.yaml",
            failure(
                "SB010",
                "1 varning, 1 info: SB010, SB012",
                "documents/a.yaml:3: SB010 varning: revisionen är försenad",
                "documents/a.yaml: SB012 info: uppsägning inom 30 dagar",
            ),
        ),
        case("documents/b.yaml"),
        out="documents/b.yaml: SB012 info: uppsägning inom 30 dagar",
        strict=True,
    )


def test_junit_gives_findings_about_the_repository_a_testcase_of_their_own() -> None:
    report = Report(AS_OF, 1, [SB041], ("documents/a.yaml",))
    assert junit_tree(report) == suites(
        2,
        0,
        case("repositoriet"),
        case("documents/a.yaml"),
        out=".: SB041 varning: inte ett git-repositorium (tips: kör i en klon)",
    )
    assert junit_tree(dataclasses.replace(report, strict=True)) == suites(
        2,
        1,
        case(
            "repositoriet",
            failure("SB041", "1 varning: SB041", ".: SB041 varning: inte ett git-repositorium (tips: kör i en klon)"),
        ),
        case("documents/a.yaml"),
        strict=True,
    )


def test_junit_adds_a_testcase_for_a_finding_outside_the_checked_files() -> None:
    removed = Finding("SB040", Severity.ERROR, "documents/borta.yaml", None, None, "har tagits bort")
    report = Report(AS_OF, 1, [removed], ("documents/a.yaml",))
    assert junit_tree(report) == suites(
        2,
        1,
        case("documents/a.yaml"),
        case(
            "documents/borta.yaml", failure("SB040", "1 fel: SB040", "documents/borta.yaml: SB040 fel: har tagits bort")
        ),
    )


@pytest.mark.parametrize("strict", [False, True])
@pytest.mark.parametrize(
    "report",
    [CHECKED, SINGLE, EMPTY, Report(AS_OF, 1, [NOTICE], ("documents/a.yaml",)), Report(AS_OF, 0, [SB041])],
)
def test_junit_counts_agree_with_the_exit_status_and_hold_every_finding_once(report: Report, strict: bool) -> None:
    report = dataclasses.replace(report, strict=strict)
    suite = ET.fromstring(findings.junit(report)).find("testsuite")
    assert suite is not None
    cases = suite.findall("testcase")
    failures = suite.findall("testcase/failure")
    assert int(suite.get("tests", "")) == len(cases) >= len(report.paths)
    assert int(suite.get("failures", "")) == len(failures) <= len(cases)
    assert (len(failures) > 0) is report.failed is any(report.fails(f) for f in report.findings)
    assert all(len(c.findall("failure")) <= 1 for c in cases)
    lines = [line for element in [*failures, suite.find("system-out")] for line in (element.text or "").splitlines()]
    assert len(lines) == len(report.findings)


def test_junit_escapes_xml_special_characters() -> None:
    finding = Finding("SB003", Severity.ERROR, "documents/<&>.yaml", None, None, "\"a\" & 'b' <c>")
    assert findings.junit(Report(AS_OF, 1, [finding])) == lines(
        '<?xml version="1.0" encoding="UTF-8"?>',
        "<testsuites>",
        '  <testsuite name="sb validate" package="sb" id="0" tests="1" failures="1" errors="0" skipped="0" time="0" '
        'timestamp="2026-03-01T00:00:00" hostname="localhost">',
        "    <properties>",
        '      <property name="as_of" value="2026-03-01" />',
        '      <property name="strict" value="false" />',
        "    </properties>",
        '    <testcase classname="sb.validate" name="documents/&lt;&amp;&gt;.yaml" time="0">',
        '      <failure type="SB003" message="1 fel: SB003">'
        "documents/&lt;&amp;&gt;.yaml: SB003 fel: \"a\" &amp; 'b' &lt;c&gt;</failure>",
        "    </testcase>",
        "    <system-out />",
        "    <system-err />",
        "  </testsuite>",
        "</testsuites>",
    )


def test_junit_without_documents_is_an_empty_suite() -> None:
    assert junit_tree(EMPTY) == suites(0, 0)


# sarif


def expected_rule(code: str) -> dict[str, Any]:
    rule = BY_CODE[code]
    return {
        "id": code,
        "shortDescription": {"text": rule.title},
        "fullDescription": {"text": rule.description},
        "help": {
            "text": f"{rule.description}\n\nGör så här: {rule.help}",
            "markdown": f"**{rule.title}.** {rule.description}\n\n**Gör så här:** {rule.help}",
        },
        "helpUri": f"https://github.com/samverkan-blekinge/sb#{code.lower()}",
        "defaultConfiguration": {"level": {"error": "error", "warning": "warning", "info": "note"}[rule.severity]},
    }


def sarif_rules(*extra: str) -> list[dict[str, Any]]:
    """Every rule of the registry and the unknown codes (named by their code), sorted by code."""
    unknown = {c: {"id": c, "shortDescription": {"text": c}, "fullDescription": {"text": c}} for c in extra}
    for rule in unknown.values():
        rule["help"] = {"text": rule["id"], "markdown": rule["id"]}
    return [unknown[c] if c in unknown else expected_rule(c) for c in sorted({*BY_CODE, *extra})]


def sarif_payload(rules: list[dict[str, Any]], results: list[dict[str, Any]], **invocation: Any) -> dict[str, Any]:
    return {
        "$schema": "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json",
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "sb",
                        "version": __version__,
                        "semanticVersion": __version__,
                        "informationUri": "https://github.com/samverkan-blekinge/sb",
                        "rules": rules,
                    }
                },
                "invocations": [{"executionSuccessful": True, **invocation}],
                "originalUriBaseIds": {"%SRCROOT%": {"description": {"text": "Dokumentrepositoriets rot."}}},
                "columnKind": "unicodeCodePoints",
                "results": results,
            }
        ],
    }


def result(rules: list[dict[str, Any]], code: str, level: str, text: str, uri: str, **region: int) -> dict[str, Any]:
    return {
        "ruleId": code,
        "ruleIndex": [rule["id"] for rule in rules].index(code),
        "level": level,
        "message": {"text": text},
        "locations": [
            {"physicalLocation": {"artifactLocation": {"uri": uri, "uriBaseId": "%SRCROOT%"}, "region": region}}
        ],
    }


def sarif_run(report: Report) -> dict[str, Any]:
    run: dict[str, Any] = json.loads(findings.sarif(report))["runs"][0]
    return run


def without_fingerprints(payload: dict[str, Any]) -> dict[str, Any]:
    for r in payload["runs"][0]["results"]:
        assert re.fullmatch(r"[0-9a-f]{32}:[1-9][0-9]*", r.pop("partialFingerprints")["sbFinding/v1"])
    return payload


def test_sarif_lists_every_rule_and_one_result_per_finding() -> None:
    rules = sarif_rules("SB099")
    assert without_fingerprints(json.loads(findings.sarif(MIXED))) == sarif_payload(
        rules,
        [
            result(
                rules, "SB003", "error", 'id <x> & "y" finns två gånger', "documents/a.yaml", startLine=1, startColumn=1
            ),
            result(rules, "SB010", "warning", "revisionen är försenad", "documents/a.yaml", startLine=3),
            result(rules, "SB012", "note", "uppsägning inom 30 dagar", "documents/a.yaml", startLine=1),
            result(rules, "SB099", "warning", "okänd regel", "documents/a.yaml", startLine=1),
            result(
                rules,
                "SB020",
                "error",
                "§ 5 följer på § 2 (tips: numrera om)",
                "documents/b.yaml",
                startLine=8,
                startColumn=6,
            ),
        ],
    )


def test_sarif_rules_carry_the_registrys_texts_and_an_anchor_in_the_readme() -> None:
    rules = sarif_run(EMPTY)["tool"]["driver"]["rules"]
    assert len(rules) == len(BY_CODE) == 24
    assert rules[1] == {
        "id": "SB002",
        "shortDescription": {"text": "Schemafel"},
        "fullDescription": {"text": BY_CODE["SB002"].description},
        "help": {
            "text": BY_CODE["SB002"].description
            + "\n\nGör så här: Rätta nyckeln som anges; schemat i schemas/ beskriver varje nyckel på svenska.",
            "markdown": "**Schemafel.** "
            + BY_CODE["SB002"].description
            + "\n\n**Gör så här:** Rätta nyckeln som anges; schemat i schemas/ beskriver varje nyckel på svenska.",
        },
        "helpUri": "https://github.com/samverkan-blekinge/sb#sb002",
        "defaultConfiguration": {"level": "error"},
    }
    assert [r["defaultConfiguration"]["level"] for r in rules if r["id"] in ("SB010", "SB013")] == ["warning", "note"]
    readme = (REPO / "README.md").read_text("utf-8")
    for rule in rules:
        assert rule["fullDescription"]["text"] and rule["help"]["text"] and rule["help"]["markdown"]
        url, anchor = rule["helpUri"].split("#")
        assert f'<a name="{anchor}"></a>{rule["id"]} |' in readme
        assert f'pip install "sb @ git+{url}"' in readme  # the project's address, as the README gives it


def test_sarif_rule_index_points_at_the_rule() -> None:
    run = sarif_run(MIXED)
    rules = run["tool"]["driver"]["rules"]
    assert [rules[r["ruleIndex"]]["id"] for r in run["results"]] == ["SB003", "SB010", "SB012", "SB099", "SB020"]
    assert [rule["id"] for rule in rules][:3] == ["SB001", "SB002", "SB003"]
    assert rules[-1]["id"] == "SB099" and "helpUri" not in rules[-1]


@pytest.mark.parametrize(
    ("path", "uri"),
    [
        ("documents/rutiner/årsrutin 2026.yaml", "documents/rutiner/%C3%A5rsrutin%202026.yaml"),
        ("documents/Ö/ä.md", "documents/%C3%96/%C3%A4.md"),
        ("documents/a:b#c?d%e.yaml", "documents/a%3Ab%23c%3Fd%25e.yaml"),
        ("a:b.yaml", "a%3Ab.yaml"),  # no scheme
        ("documents/x-y_z.~1.yaml", "documents/x-y_z.~1.yaml"),
        ("documents/\udcff\udcfe-trasig.yaml", "documents/%FF%FE-trasig.yaml"),  # a name that is not UTF-8
        ("documents/a\\x1b.yaml", "documents/a%5Cx1b.yaml"),
    ],
)
def test_artifact_uris_are_percent_encoded_relative_references(path: str, uri: str) -> None:
    assert findings.artifact_uri(path) == uri


def test_sarif_takes_each_uri_from_the_file_name_as_it_is_and_shows_the_message_readably() -> None:
    finding = Finding("SB001", Severity.ERROR, "documents/\udcff a\x1b.yaml", 2, None, "trasig\x1b")
    output = findings.write(Report(AS_OF, 1, [finding]), "sarif")
    found = json.loads(output)["runs"][0]["results"][0]
    assert found["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "documents/%FF%20a%1B.yaml"
    assert found["message"] == {"text": "trasig\\x1b"}
    assert "\x1b" not in output


def test_sarif_reports_findings_about_the_repository_as_notifications_not_as_results() -> None:
    rules = sarif_rules()
    assert json.loads(findings.sarif(Report(AS_OF, 0, [SB041]))) == sarif_payload(
        rules,
        [],
        toolExecutionNotifications=[
            {
                "level": "warning",
                "message": {"text": "inte ett git-repositorium (tips: kör i en klon)"},
                "associatedRule": {"id": "SB041", "index": 22},
            }
        ],
    )


def fingerprints(*found: Finding) -> list[str]:
    return [r["partialFingerprints"]["sbFinding/v1"] for r in sarif_run(Report(AS_OF, 1, list(found)))["results"]]


def test_sarif_fingerprints_stay_when_lines_move_or_days_pass_and_differ_otherwise() -> None:
    (first,) = fingerprints(OVERDUE)
    assert fingerprints(dataclasses.replace(OVERDUE, line=30, column=2)) == [first]
    assert fingerprints(dataclasses.replace(OVERDUE, hint="nytt tips")) == [first]
    assert fingerprints(dataclasses.replace(OVERDUE, path="documents/flyttad.yaml")) == [first]  # same document id
    for other in (
        dataclasses.replace(OVERDUE, code="SB011"),
        dataclasses.replace(OVERDUE, message="revisionen är inte försenad"),
        dataclasses.replace(OVERDUE, document="A-2"),
        dataclasses.replace(NOTICE, message=OVERDUE.message),  # no document: the path counts
    ):
        assert fingerprints(other) != [first]
    late = Finding("SB010", Severity.WARNING, "d.yaml", 3, 1, "försenad (1422 dagar sedan)", document="x")
    assert fingerprints(late) == fingerprints(dataclasses.replace(late, message="försenad (1 dag sedan)"))
    assert fingerprints(late) != fingerprints(dataclasses.replace(late, message="försenad sedan 2022-12-31"))


def test_sarif_fingerprints_of_the_same_finding_twice_are_numbered() -> None:
    twice = fingerprints(OVERDUE, dataclasses.replace(OVERDUE, line=9), NOTICE)
    assert [f.split(":")[1] for f in twice] == ["1", "2", "1"]
    assert twice[0].split(":")[0] == twice[1].split(":")[0] != twice[2].split(":")[0]
    assert fingerprints(OVERDUE, NOTICE) == [twice[0], twice[2]]


def test_sarif_is_indented_and_keeps_non_ascii() -> None:
    output = findings.sarif(SINGLE)
    assert output.endswith("\n}\n")
    assert '\n  "version": "2.1.0",\n' in output
    assert '\n            "text": "revisionen är försenad"\n' in output


# the registry of formats


def test_every_format_has_its_reporter_and_each_shows_document_text_readably() -> None:
    assert list(FINDING_FORMATS) == ["text", "json", "github", "junit", "sarif"]
    report = Report(dt.date(2026, 3, 1), 1, [Finding("SB002", Severity.ERROR, "documents/a.yaml", 1, 1, "x\x1by")])
    for name, reporter in {
        "text": findings.text,
        "json": findings.as_json,
        "github": findings.github,
        "junit": findings.junit,
        "sarif": findings.sarif,
    }.items():
        readable = Report(report.as_of, 1, [findings.readable(f) for f in report.findings])
        assert findings.write(report, name) == reporter(readable)
        assert "\x1b" not in findings.write(report, name)


def test_readable_writes_out_controls_in_every_text_of_a_finding() -> None:
    f = Finding("SB004", Severity.ERROR, "documents/a\x1b.yaml", 1, 1, "m\x1b", document="d\x1b", hint="h\x1b")
    shown = findings.readable(f)
    assert (shown.path, shown.message, shown.document, shown.hint) == (
        "documents/a\\x1b.yaml",
        "m\\x1b",
        "d\\x1b",
        "h\\x1b",
    )
    assert findings.readable(dataclasses.replace(f, document=None, hint=None)).hint is None
