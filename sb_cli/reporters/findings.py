"""Reporters: the only writers of validation results. One function per --format; the formats
are listed in reporters/formats.py."""

from __future__ import annotations

import dataclasses
import hashlib
import json
import re
import sys
import urllib.parse
from collections import Counter
from typing import TYPE_CHECKING
from xml.etree import ElementTree as ET

from sb_cli import __version__
from sb_cli.core.model import REPOSITORY, Finding, Severity
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
    """One testsuite with one testcase per checked document (and one for the repository as a whole
    when it has findings). It validates against both the Ant and the Jenkins XSD, which decides its
    shape: properties, the testcases, system-out and system-err in that order; at most one failure
    per testcase; no system-out and no file or line inside a testcase, so a document's location is
    its name and each finding's is at the start of its line. Time is 0, so that the same input gives
    the same file."""
    by_case: dict[str, list[Finding]] = {path: [] for path in report.paths}
    for f in report.findings:
        by_case.setdefault(_case_name(f.path), []).append(f)
    cases = sorted(by_case.items(), key=lambda item: (item[0] != REPOSITORY_CASE, item[0]))
    failing = {name for name, found in cases if any(report.fails(f) for f in found)}
    suites = ET.Element("testsuites")
    suite = ET.SubElement(
        suites,
        "testsuite",
        name="sb validate",
        package="sb",
        id="0",
        tests=str(len(cases)),
        failures=str(len(failing)),
        errors="0",
        skipped="0",
        time="0",
        timestamp=f"{report.as_of.isoformat()}T00:00:00",
        hostname="localhost",  # what the Ant schema asks for when no host is meant
    )
    properties = ET.SubElement(suite, "properties")
    ET.SubElement(properties, "property", name="as_of", value=report.as_of.isoformat())
    ET.SubElement(properties, "property", name="strict", value="true" if report.strict else "false")
    passed_notes: list[str] = []
    for name, found in cases:
        case = ET.SubElement(suite, "testcase", classname="sb.validate", name=name, time="0")
        if name in failing:
            _junit_failure(case, found, report)
        else:
            passed_notes += [_junit_line(f) for f in found]
    ET.SubElement(suite, "system-out").text = "\n".join(passed_notes)
    ET.SubElement(suite, "system-err").text = ""
    ET.indent(suites)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(suites, encoding="unicode") + "\n"


REPOSITORY_CASE = "repositoriet"  # the testcase of findings about the repository as a whole (SB041)


def _junit_failure(case: ET.Element, found: list[Finding], report: Report) -> None:
    """A failing testcase's one failure: the codes that fail it, and every finding, one a line."""
    failed = sorted({f.code for f in found if report.fails(f)})
    summary = f"{_counted(found)}: {', '.join(sorted({f.code for f in found}))}"
    failure = ET.SubElement(case, "failure", type=" ".join(failed), message=summary)
    failure.text = "\n".join(_junit_line(f) for f in found)


def _case_name(path: str) -> str:
    return REPOSITORY_CASE if path in (REPOSITORY, "") else path


def _junit_line(f: Finding) -> str:
    return f"{location(f)}: {f.code} {_SWEDISH[f.severity]}: {f.message}" + (f" (tips: {f.hint})" if f.hint else "")


def _counted(found: list[Finding]) -> str:
    """ "2 fel, 1 varning": the severities a document's findings have."""
    words = {
        Severity.ERROR: ("fel", "fel"),
        Severity.WARNING: ("varning", "varningar"),
        Severity.INFO: ("info", "info"),
    }
    numbers = Counter(f.severity for f in found)
    return ", ".join(count(numbers[s], *words[s]) for s in Severity if numbers[s])


# SARIF 2.1.0, for GitHub code scanning: every rule with its texts from the registry, one result per
# finding in a file, and the findings about the repository as a whole as notifications of the run.

PROJECT_URL = "https://github.com/samverkan-blekinge/sb"  # the README's rule table has an anchor per rule
SARIF_SCHEMA = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
SRCROOT = "%SRCROOT%"
FINGERPRINT = "sbFinding/v1"
_SARIF_LEVELS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}
# What changes from one day to the next in a message ("1422 dagar sedan", "om 39 dagar") is left out of
# its fingerprint, so that the same finding stays the same alert.
_VOLATILE = re.compile(r"(?<!\d)\d++ dag(?:ar)?\b")  # from a number's first digit only: linear


def artifact_uri(path: str) -> str:
    """A repository-relative path as a relative URI reference (RFC 3986): every byte but the unreserved
    characters and / percent-encoded, so that å, a space, a colon or a byte of a file name that is not
    UTF-8 still gives one valid URI of that very file."""
    return urllib.parse.quote(path.encode("utf-8", "surrogateescape"), safe="/")


def _sarif_rule(code: str) -> dict[str, object]:
    rule = BY_CODE.get(code)
    if rule is None:  # a code outside the registry: named by its code
        return {
            "id": code,
            "shortDescription": {"text": code},
            "fullDescription": {"text": code},
            "help": {"text": code, "markdown": code},
        }
    return {
        "id": code,
        "shortDescription": {"text": rule.title},
        "fullDescription": {"text": rule.description},
        "help": {
            "text": f"{rule.description}\n\nGör så här: {rule.help}",
            "markdown": f"**{rule.title}.** {rule.description}\n\n**Gör så här:** {rule.help}",
        },
        "helpUri": f"{PROJECT_URL}#{code.lower()}",
        "defaultConfiguration": {"level": _SARIF_LEVELS[rule.severity]},
    }


def _fingerprint(f: Finding, uri: str, seen: Counter[str]) -> str:
    """Stable across runs and edits elsewhere in the file: the code, the document (its id, which stays
    when the file moves, else its path) and the message without day counts, never the line; the n-th
    finding with the same of these gets :n."""
    identity = "\0".join((f.code, f.document or uri, _VOLATILE.sub("N dagar", f.message)))
    digest = hashlib.sha256(identity.encode("utf-8", "surrogateescape")).hexdigest()[:32]
    seen[digest] += 1
    return f"{digest}:{seen[digest]}"


def sarif(report: Report) -> str:
    """The report as SARIF. It makes the texts readable itself, but takes each URI from the path as
    it is, so that it names the file byte for byte."""
    codes = sorted({f.code for f in report.findings} | set(BY_CODE))
    results: list[dict[str, object]] = []
    notifications: list[dict[str, object]] = []
    seen: Counter[str] = Counter()
    for raw in report.findings:
        f = readable(raw)
        message = {"text": f.message + (f" (tips: {f.hint})" if f.hint else "")}
        rule = {"id": f.code, "index": codes.index(f.code)}
        if raw.path in (REPOSITORY, ""):
            notifications.append({"level": _SARIF_LEVELS[f.severity], "message": message, "associatedRule": rule})
            continue
        uri = artifact_uri(raw.path)
        region = {"startLine": f.line or 1}  # a finding about the whole file stands at its start
        if f.line is not None and f.column is not None:
            region["startColumn"] = f.column
        location = {"artifactLocation": {"uri": uri, "uriBaseId": SRCROOT}, "region": region}
        results.append(
            {
                "ruleId": f.code,
                "ruleIndex": rule["index"],
                "level": _SARIF_LEVELS[f.severity],
                "message": message,
                "locations": [{"physicalLocation": location}],
                "partialFingerprints": {FINGERPRINT: _fingerprint(f, uri, seen)},
            }
        )
    invocation: dict[str, object] = {"executionSuccessful": True}
    if notifications:
        invocation["toolExecutionNotifications"] = notifications
    run = {
        "tool": {
            "driver": {
                "name": "sb",
                "version": __version__,
                "semanticVersion": __version__,
                "informationUri": PROJECT_URL,
                "rules": [_sarif_rule(c) for c in codes],
            }
        },
        "invocations": [invocation],
        # No absolute path: it would tell where and by whom sb was run, and differ between clones.
        "originalUriBaseIds": {SRCROOT: {"description": {"text": "Dokumentrepositoriets rot."}}},
        "columnKind": "unicodeCodePoints",
        "results": results,
    }
    payload = {"$schema": SARIF_SCHEMA, "version": "2.1.0", "runs": [run]}
    return json.dumps(payload, ensure_ascii=False, indent=2) + "\n"


def readable_report(report: Report) -> Report:
    """The report with every text from documents made visible (see escape.py)."""
    shown = [readable(f) for f in report.findings]
    return dataclasses.replace(report, findings=shown, paths=tuple(visible(p) for p in report.paths))


def show_text(output: str) -> None:
    """The text format on standard out: coloured by severity on a terminal, else as written."""
    if not sys.stdout.isatty():
        sys.stdout.write(output)
        return
    from rich.console import Console
    from rich.text import Text

    console = Console(highlight=False)
    styles = {" fel: ": "red", " varning: ": "yellow", " info: ": "cyan", "    tips: ": "dim"}
    for shown in output.rstrip("\n").split("\n"):
        style = next((s for marker, s in styles.items() if marker in shown), "bold")
        console.print(Text(shown, style=style))


def write(report: Report, name: str) -> str:
    """The report in the format `name` (see FINDING_FORMATS)."""
    from sb_cli.reporters.formats import FINDING_FORMATS

    return FINDING_FORMATS[name].write(report)
