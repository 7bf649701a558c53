"""The reporters of `sb validate` as pure functions: the exact output of every format."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from typing import Any
from xml.etree import ElementTree as ET

import pytest

from sb_cli import __version__
from sb_cli.core.model import Finding, Severity
from sb_cli.core.rules import BY_CODE
from sb_cli.reporters import findings
from sb_cli.validation import Report

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
    assert output.startswith('<?xml version="1.0" encoding="UTF-8"?>\n<testsuites ')
    assert output.endswith("</testsuites>\n")
    return tree(ET.fromstring(output))


def suites(tests: int, failures: int, *cases: tuple[Any, ...]) -> tuple[Any, ...]:
    counts = {"tests": str(tests), "failures": str(failures)}
    suite_attributes = {"name": "sb validate", **counts, "errors": "0", "skipped": "0", "timestamp": "2026-03-01"}
    suite = ("testsuite", suite_attributes, None if cases else "", list(cases))
    return ("testsuites", {"name": "sb validate", **counts}, None, [suite])


def case(path: str, *children: tuple[Any, ...]) -> tuple[Any, ...]:
    return ("testcase", {"classname": "sb.validate", "name": path}, None if children else "", list(children))


def failure(code: str, message: str, text: str) -> tuple[Any, ...]:
    return ("failure", {"type": code, "message": message}, text, [])


def system_out(*notes: str) -> tuple[Any, ...]:
    return ("system-out", {}, "\n".join(notes), [])


def test_junit_is_one_testcase_per_file_with_failures_for_errors_and_the_rest_as_output() -> None:
    assert junit_tree(MIXED) == suites(
        2,
        2,
        case(
            "documents/a.yaml",
            failure(
                "SB003",
                'id <x> & "y" finns två gånger',
                'documents/a.yaml:1:1: SB003 id <x> & "y" finns två gånger',
            ),
            system_out(
                "documents/a.yaml:3: SB010 varning: revisionen är försenad",
                "documents/a.yaml: SB012 info: uppsägning inom 30 dagar",
                "documents/a.yaml: SB099 varning: okänd regel",
            ),
        ),
        case(
            "documents/b.yaml",
            failure("SB020", "§ 5 följer på § 2", "documents/b.yaml:8:6: SB020 § 5 följer på § 2"),
        ),
    )


def test_junit_sorts_files_and_counts_every_error() -> None:
    second = Finding("SB004", Severity.ERROR, "documents/b.yaml", 9, None, "saknas")
    report = Report(AS_OF, 5, [NUMBERING, second, OVERDUE])
    assert junit_tree(report) == suites(
        2,
        2,
        case("documents/a.yaml", system_out("documents/a.yaml:3: SB010 varning: revisionen är försenad")),
        case(
            "documents/b.yaml",
            failure("SB020", "§ 5 följer på § 2", "documents/b.yaml:8:6: SB020 § 5 följer på § 2"),
            failure("SB004", "saknas", "documents/b.yaml:9: SB004 saknas"),
        ),
    )


def test_junit_escapes_xml_special_characters() -> None:
    finding = Finding("SB003", Severity.ERROR, "documents/<&>.yaml", None, None, "\"a\" & 'b' <c>")
    assert findings.junit(Report(AS_OF, 1, [finding])) == lines(
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<testsuites name="sb validate" tests="1" failures="1">',
        '  <testsuite name="sb validate" tests="1" failures="1" errors="0" skipped="0" timestamp="2026-03-01">',
        '    <testcase classname="sb.validate" name="documents/&lt;&amp;&gt;.yaml">',
        '      <failure type="SB003" message="&quot;a&quot; &amp; \'b\' &lt;c&gt;">'
        "documents/&lt;&amp;&gt;.yaml: SB003 \"a\" &amp; 'b' &lt;c&gt;</failure>",
        "    </testcase>",
        "  </testsuite>",
        "</testsuites>",
    )


def test_junit_without_findings_is_an_empty_suite() -> None:
    assert findings.junit(EMPTY) == lines(
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<testsuites name="sb validate" tests="0" failures="0">',
        '  <testsuite name="sb validate" tests="0" failures="0" errors="0" skipped="0" timestamp="2026-03-01" />',
        "</testsuites>",
    )


def test_junit_with_only_warnings_has_no_failures() -> None:
    assert junit_tree(SINGLE) == suites(
        1, 0, case("documents/a.yaml", system_out("documents/a.yaml:3: SB010 varning: revisionen är försenad"))
    )


# sarif


def sarif_rules(*extra: str) -> list[dict[str, Any]]:
    """Every rule of the registry and the unknown codes (named by their code), sorted by code."""
    titles = {code: rule.title for code, rule in BY_CODE.items()} | {code: code for code in extra}
    return [{"id": code, "shortDescription": {"text": titles[code]}} for code in sorted(titles)]


def sarif_payload(rules: list[dict[str, Any]], results: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "sb",
                        "version": __version__,
                        "informationUri": "https://regionblekinge.se",
                        "rules": rules,
                    }
                },
                "results": results,
            }
        ],
    }


def result(rules: list[dict[str, Any]], code: str, level: str, text: str, path: str, **region: int) -> dict[str, Any]:
    physical: dict[str, Any] = {"artifactLocation": {"uri": path, "uriBaseId": "SRCROOT"}}
    if region:
        physical["region"] = region
    return {
        "ruleId": code,
        "ruleIndex": [rule["id"] for rule in rules].index(code),
        "level": level,
        "message": {"text": text},
        "locations": [{"physicalLocation": physical}],
    }


def test_sarif_lists_every_rule_and_one_result_per_finding() -> None:
    rules = sarif_rules("SB099")
    assert json.loads(findings.sarif(MIXED)) == sarif_payload(
        rules,
        [
            result(
                rules,
                "SB003",
                "error",
                'id <x> & "y" finns två gånger',
                "documents/a.yaml",
                startLine=1,
                startColumn=1,
            ),
            result(rules, "SB010", "warning", "revisionen är försenad", "documents/a.yaml", startLine=3),
            result(rules, "SB012", "note", "uppsägning inom 30 dagar", "documents/a.yaml"),
            result(rules, "SB099", "warning", "okänd regel", "documents/a.yaml"),
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


def test_sarif_rule_index_points_at_the_rule() -> None:
    payload = json.loads(findings.sarif(MIXED))
    run = payload["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    assert [rules[r["ruleIndex"]]["id"] for r in run["results"]] == ["SB003", "SB010", "SB012", "SB099", "SB020"]
    assert [rule["id"] for rule in rules][:3] == ["SB001", "SB002", "SB003"]
    assert rules[-1] == {"id": "SB099", "shortDescription": {"text": "SB099"}}


def test_sarif_without_findings_still_lists_the_rules() -> None:
    assert json.loads(findings.sarif(EMPTY)) == sarif_payload(sarif_rules(), [])


def test_sarif_is_indented_and_keeps_non_ascii() -> None:
    output = findings.sarif(SINGLE)
    assert output.endswith("\n}\n")
    assert '\n  "version": "2.1.0",\n' in output
    assert '\n            "text": "revisionen är försenad"\n' in output


# the registry of formats


def test_every_format_has_its_reporter_and_each_shows_document_text_readably() -> None:
    assert set(findings.REPORTERS) == {"text", "json", "github", "junit", "sarif"}
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
