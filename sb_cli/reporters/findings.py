"""Reporters: the only writers of validation results. One function per --format."""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Callable
from typing import TYPE_CHECKING
from xml.etree import ElementTree as ET

from sb_cli import __version__
from sb_cli.core.model import Finding, Severity
from sb_cli.core.rules import BY_CODE
from sb_cli.core.words import count
from sb_cli.reporters.escape import line, visible

if TYPE_CHECKING:
    from sb_cli.validation import Report

_SWEDISH = {Severity.ERROR: "fel", Severity.WARNING: "varning", Severity.INFO: "info"}


def _title(code: str) -> str:
    rule = BY_CODE.get(code)
    return rule.title if rule else code


def location(finding: Finding) -> str:
    parts = [finding.path]
    if finding.line is not None:
        parts.append(str(finding.line))
        if finding.column is not None:
            parts.append(str(finding.column))
    return ":".join(parts)


def summary_line(report: Report) -> str:
    counts = report.summary
    return (
        f"{counts['error']} fel, {count(counts['warning'], 'varning', 'varningar')}, {counts['info']} info "
        f"i {count(report.documents, 'fil', 'filer')} (per {report.as_of.isoformat()})"
    )


def readable(f: Finding) -> Finding:
    """The finding with every text from documents made visible (see escape.py)."""
    return dataclasses.replace(
        f,
        path=visible(f.path),
        message=visible(f.message),
        document=visible(f.document) if f.document is not None else None,
        hint=visible(f.hint) if f.hint is not None else None,
    )


def finding_lines(f: Finding) -> list[str]:
    f = readable(f)
    lines = [line(f"{location(f)}: {f.code} {_SWEDISH[f.severity]}: {f.message}")]
    if f.hint:
        lines.append(f"    tips: {f.hint}")
    return lines


def text(report: Report) -> str:
    lines = [line for f in report.findings for line in finding_lines(f)]
    lines.append(summary_line(report))
    return "\n".join(lines) + "\n"


def as_json(report: Report) -> str:
    payload = {
        "as_of": report.as_of.isoformat(),
        "documents": report.documents,
        "findings": [
            {
                "code": f.code,
                "severity": f.severity.value,
                "path": f.path,
                "line": f.line,
                "column": f.column,
                "document": f.document,
                "message": f.message,
            }
            for f in report.findings
        ],
        "summary": report.summary,
    }
    return json.dumps(payload, ensure_ascii=False, indent=2) + "\n"


def github(report: Report) -> str:
    levels = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}

    def escape(value: str, *, prop: bool = False) -> str:
        value = value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
        return value.replace(":", "%3A").replace(",", "%2C") if prop else value

    lines = []
    for f in report.findings:
        props = [f"file={escape(f.path, prop=True)}"]
        if f.line is not None:
            props.append(f"line={f.line}")
            if f.column is not None:
                props.append(f"col={f.column}")
        props.append(f"title={escape(f.code + ' ' + _title(f.code), prop=True)}")
        message = f.message + (f" (tips: {f.hint})" if f.hint else "")
        lines.append(f"::{levels[f.severity]} {','.join(props)}::{escape(message)}")
    lines.append(summary_line(report))
    return "\n".join(lines) + "\n"


def junit(report: Report) -> str:
    by_path: dict[str, list[Finding]] = {}
    for f in report.findings:
        by_path.setdefault(f.path, []).append(f)
    failures = sum(1 for f in report.findings if f.severity == Severity.ERROR)
    suites = ET.Element("testsuites", name="sb validate", tests=str(len(by_path)), failures=str(failures))
    suite = ET.SubElement(
        suites,
        "testsuite",
        name="sb validate",
        tests=str(len(by_path)),
        failures=str(failures),
        errors="0",
        skipped="0",
        timestamp=report.as_of.isoformat(),
    )
    for path, findings in sorted(by_path.items()):
        case = ET.SubElement(suite, "testcase", classname="sb.validate", name=path)
        for f in findings:
            if f.severity == Severity.ERROR:
                failure = ET.SubElement(case, "failure", type=f.code, message=f.message)
                failure.text = f"{location(f)}: {f.code} {f.message}"
        notes = [
            f"{location(f)}: {f.code} {_SWEDISH[f.severity]}: {f.message}"
            for f in findings
            if f.severity != Severity.ERROR
        ]
        if notes:
            ET.SubElement(case, "system-out").text = "\n".join(notes)
    ET.indent(suites)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(suites, encoding="unicode") + "\n"


def sarif(report: Report) -> str:
    levels = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}
    codes = sorted({f.code for f in report.findings} | set(BY_CODE))
    results = []
    for f in report.findings:
        region: dict[str, int] = {}
        if f.line is not None:
            region["startLine"] = f.line
            if f.column is not None:
                region["startColumn"] = f.column
        physical: dict[str, object] = {"artifactLocation": {"uri": f.path, "uriBaseId": "SRCROOT"}}
        if region:
            physical["region"] = region
        results.append(
            {
                "ruleId": f.code,
                "ruleIndex": codes.index(f.code),
                "level": levels[f.severity],
                "message": {"text": f.message + (f" (tips: {f.hint})" if f.hint else "")},
                "locations": [{"physicalLocation": physical}],
            }
        )
    payload = {
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "sb",
                        "version": __version__,
                        "informationUri": "https://regionblekinge.se",
                        "rules": [{"id": c, "shortDescription": {"text": _title(c)}} for c in codes],
                    }
                },
                "results": results,
            }
        ],
    }
    return json.dumps(payload, ensure_ascii=False, indent=2) + "\n"


REPORTERS: dict[str, Callable[[Report], str]] = {
    "text": text,
    "json": as_json,
    "github": github,
    "junit": junit,
    "sarif": sarif,
}


def write(report: Report, name: str) -> str:
    """The report in the format `name`, every text from documents made visible first."""
    return REPORTERS[name](dataclasses.replace(report, findings=[readable(f) for f in report.findings]))
