"""Build the public site into a folder beside `--out`, check it, and swap it in (SPEC §8).

A failed or killed build leaves the old site whole. A rebuild renders again only the PDF and Word
files whose view, mall or sb version changed, takes the others over from the old site, and leaves
out what is no longer published; the pages are small and are made anew, but a page whose bytes are
the same keeps its old file.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import json
import os
import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sb_cli import __version__
from sb_cli.core.model import Corpus, Finding, Severity
from sb_cli.core.records import Kallelse, Protocol
from sb_cli.errors import SbError
from sb_cli.io.repo import Settings
from sb_cli.publish import pages
from sb_cli.publish.content import Selection, public_corpus, select, withheld_texts
from sb_cli.publish.leaks import check_site, check_views
from sb_cli.render.isolation import Limits
from sb_cli.render.service import Job
from sb_cli.render.view import View, build

MANIFEST = ".sb-webbplats.json"  # what each PDF and Word file was made from, for the next build


class Blocked(SbError):
    """Documents that would be published have errors; `findings` says which."""

    def __init__(self, findings: list[Finding]) -> None:
        super().__init__("webbplatsen byggs inte: dokument som skulle publiceras har fel")
        self.findings = findings


@dataclass(frozen=True)
class Built:
    out: Path
    pages: int
    files: int
    rendered: int  # PDF and Word files made anew; the rest came from the old site
    left_out: list[tuple[str, str]]


@dataclass
class _Site:
    """The files of the site being built, by path relative to its root."""

    texts: dict[str, bytes] = field(default_factory=dict)
    # A document's job, the key of each file it writes (by path), and its extracts (§, path).
    jobs: list[tuple[Job, dict[str, str], list[tuple[int, Path]]]] = field(default_factory=list)


def publish(
    settings: Settings,
    corpus: Corpus,
    *,
    out: Path,
    as_of: dt.date,
    skip_invalid: bool,
    timestamp: int,
    reproducible: bool,
    stamp_of: Callable[[str], Any],
    history_of: Callable[[str], list[dict[str, Any]] | None],
    progress: Callable[[str, int, int], None] | None = None,
) -> Built:
    from sb_cli.render.service import template_folder
    from sb_cli.validation import validate_repository

    report = validate_repository(settings, as_of=as_of)
    errors = [f for f in report.findings if f.severity == Severity.ERROR]
    # What would be published, and the files that could not be read as documents at all: nobody can
    # tell whether those would be.
    candidates = {d.path for d in select(corpus, as_of).published()} | {settings.organisation_path}
    unknown = set(corpus.left_out)
    blocking = [f for f in errors if f.path in candidates or f.path in unknown]
    if blocking and (not skip_invalid or any(f.path == settings.organisation_path for f in blocking)):
        raise Blocked(blocking)
    selection = select(corpus, as_of, {f.path for f in errors})
    unread = sorted({f.path for f in blocking if f.path in unknown})
    selection.left_out.extend((path, "kan inte läsas som ett dokument (sb validate)") for path in unread)
    published = public_corpus(corpus, selection)
    views, view_of = _views(corpus, selection, as_of, stamp_of)
    with template_folder(settings) as templates:
        site = _Site()
        context = pages.Context(
            settings=settings,
            corpus=corpus,
            public=published,
            selection=selection,
            views=views,
            as_of=as_of,
            history_of=history_of,
            wheel_svg=lambda view: _wheel_svg(view, templates),
        )
        for path, text in pages.all_pages(context, templates).items():
            site.texts[path] = text.encode("utf-8")
        site.texts["site.css"] = (templates / "site" / "site.css").read_bytes()
        site.texts["feed.atom"] = pages.feed(context, timestamp)
        site.texts["kalender.ics"] = pages.calendar(context, timestamp)
        _plan_files(site, views, selection, _fingerprint(templates), timestamp if reproducible else None)
        check_views(_pdf_texts(site), withheld_texts(selection))
        return _build(site, out, templates, timestamp, settings, selection, view_of, progress)


def _views(
    corpus: Corpus, selection: Selection, as_of: dt.date, stamp_of: Callable[[str], Any]
) -> tuple[dict[str, View], Callable[[str, int], View]]:
    """The view of every published document by id (meetings in their public version), and a way to
    the view of one § of a published protocol as a protokollsutdrag (made only when it is rendered)."""
    documents = {d.id: d for d in selection.published()}

    def view_of(ident: str, extract: int | None = None) -> View:
        document = documents[ident]
        stamp = stamp_of(document.path)
        return build(
            document,
            corpus.organisation,
            as_of=as_of,
            commit=stamp.commit,
            changed=stamp.changed,
            version=__version__,
            public=isinstance(document.record, Protocol | Kallelse),
            extract=extract,
        )

    return {ident: view_of(ident) for ident in documents}, view_of


def _wheel_svg(view: View, templates: Path) -> str:
    from sb_cli.render.pdf import render_wheel_svg
    from sb_cli.render.text import _svg_body

    return _svg_body(render_wheel_svg(view, templates)) if view.wheel is not None else ""


def _fingerprint(templates: Path) -> str:
    """What the PDF and Word files are made with: sb and the mallar (the site's own templates and
    stylesheet make no PDF)."""
    digest = hashlib.sha256(__version__.encode())
    for path in sorted(p for p in templates.rglob("*") if p.is_file() and p.relative_to(templates).parts[0] != "site"):
        digest.update(path.relative_to(templates).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def _key(view: View, fmt: str, templates: str, timestamp: int | None) -> str:
    """What a file is made from, as a digest in base 32: hexadecimal digits can run together into
    something the leak check must take for a personnummer."""
    import msgspec

    digest = hashlib.sha256(f"{templates}\0{fmt}\0{timestamp}\0".encode())
    digest.update(msgspec.json.encode(view))
    return base64.b32encode(digest.digest()).decode("ascii").rstrip("=").lower()


def _plan_files(
    site: _Site, views: dict[str, View], selection: Selection, templates: str, timestamp: int | None
) -> None:
    """A PDF and a Word file of each protocol (public version) and styrdokument, and a PDF
    protokollsutdrag of each public §, made in the same job as its protocol. An extract is made from
    the points of its protocol's public version, so that version's key stands for it too."""
    for meeting in selection.meetings:
        protocol = meeting.protocol
        if protocol is None:
            continue
        view = views[protocol.id]
        folder = meeting.folder
        targets = {fmt: Path(f"{folder}/{pages.protocol_file(protocol)}.{fmt}") for fmt in ("pdf", "docx")}
        keys = {path.as_posix(): _key(view, fmt, templates, timestamp) for fmt, path in targets.items()}
        extracts = []
        for item in protocol.record.items:
            if item.public:
                path = Path(f"{folder}/{pages.extract_file(protocol, item.number)}.pdf")
                keys[path.as_posix()] = _key(view, f"utdrag {item.number}", templates, timestamp)
                extracts.append((item.number, path))
        site.jobs.append((Job(view, targets), keys, extracts))
    for document in selection.documents:
        view = views[document.id]
        folder = f"dokument/{document.id}"
        targets = {fmt: Path(f"{folder}/{document.id}.{fmt}") for fmt in ("pdf", "docx")}
        keys = {path.as_posix(): _key(view, fmt, templates, timestamp) for fmt, path in targets.items()}
        site.jobs.append((Job(view, targets), keys, []))


def _build(
    site: _Site,
    out: Path,
    templates: Path,
    timestamp: int,
    settings: Settings,
    selection: Selection,
    view_of: Callable[[str, int], View],
    progress: Callable[[str, int, int], None] | None,
) -> Built:
    from sb_cli.io.atomic import write_atomic
    from sb_cli.render.isolation import render_isolated

    out = out.resolve()
    if out.exists() and not out.is_dir():
        raise SbError(f"{out} finns och är ingen mapp")
    out.parent.mkdir(parents=True, exist_ok=True)
    staging = out.parent / f".{out.name}.bygge-{os.getpid()}"
    old = _manifest(out)
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir()
    try:
        for path, data in site.texts.items():
            target = staging / path
            target.parent.mkdir(parents=True, exist_ok=True)
            previous = out / path
            if previous.is_file() and not previous.is_symlink() and _same(previous, data):
                _take(previous, target)
            else:
                write_atomic(target, data)
        manifest: dict[str, str] = {}
        to_render: list[Job] = []
        for job, keys, extracts in site.jobs:
            manifest.update(keys)
            if all(old.get(p) == k and (out / p).is_file() for p, k in keys.items()):
                for path in keys:
                    (staging / path).parent.mkdir(parents=True, exist_ok=True)
                    _take(out / path, staging / path)
            else:
                also = tuple((view_of(job.view.id, number), {"pdf": path}) for number, path in extracts)
                to_render.append(_rooted(Job(job.view, job.targets, also), staging))
        limits = Limits(seconds=settings.render_seconds, memory_mb=settings.render_memory_mb)
        done = [0]

        def advanced(job: Job) -> None:
            done[0] += 1
            if progress:
                progress(job.view.id, done[0], len(to_render))

        for job in to_render:
            for _view, targets in job.outputs():
                for target in targets.values():
                    target.parent.mkdir(parents=True, exist_ok=True)
        render_isolated(to_render, templates, timestamp, limits, advanced)
        write_atomic(staging / MANIFEST, json.dumps(manifest, indent=1, sort_keys=True).encode())
        _search_index(staging)
        check_site(staging, withheld_texts(selection))
        _swap(staging, out)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    files = sum(len(keys) for _job, keys, _extracts in site.jobs)
    return Built(out, len([p for p in site.texts if p.endswith(".html")]), files, len(to_render), selection.left_out)


def _pdf_texts(site: _Site) -> dict[str, str]:
    """The text each document's PDF is made from: every string of its view. A protokollsutdrag is
    made from the same points as its protocol's public version, so the protocol's text covers it."""
    import msgspec

    texts: dict[str, str] = {}
    for job, _keys, _extracts in site.jobs:
        strings: list[str] = []
        _strings(msgspec.to_builtins(job.view), strings)
        texts[job.targets["pdf"].as_posix()] = " ".join(strings)
    return texts


def _strings(value: Any, into: list[str]) -> None:
    if isinstance(value, str):
        into.append(value)
    elif isinstance(value, dict):
        for item in value.values():
            _strings(item, into)
    elif isinstance(value, list):
        for item in value:
            _strings(item, into)


def _rooted(job: Job, root: Path) -> Job:
    return Job(
        job.view,
        {fmt: root / path for fmt, path in job.targets.items()},
        tuple((view, {fmt: root / path for fmt, path in targets.items()}) for view, targets in job.also),
    )


def _manifest(out: Path) -> dict[str, str]:
    try:
        data = json.loads((out / MANIFEST).read_text("utf-8"))
    except (OSError, ValueError):
        return {}
    return {str(k): str(v) for k, v in data.items()} if isinstance(data, dict) else {}


def _same(path: Path, data: bytes) -> bool:
    try:
        return path.stat().st_size == len(data) and path.read_bytes() == data
    except OSError:
        return False


def _take(previous: Path, target: Path) -> None:
    """The old site's file, unchanged (a hard link where the file system allows one)."""
    try:
        os.link(previous, target)
    except OSError:
        shutil.copy2(previous, target)


def _search_index(root: Path) -> None:
    """Pagefind's static index with the Swedish stemmer, and its search UI, into pagefind/."""
    import subprocess
    import sys

    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "pagefind",
            "--site",
            str(root),
            "--force-language",
            "sv",
            "--keep-index-url",
            "--silent",
        ],
        capture_output=True,
        text=True,
        timeout=600,
    )
    if run.returncode != 0:
        raise SbError(f"sökindexet kunde inte byggas: {(run.stderr or run.stdout).strip()[:500]}")


def _swap(staging: Path, out: Path) -> None:
    """The new site in place of the old: two renames, the old site removed after."""
    retired = out.parent / f".{out.name}.gammal-{os.getpid()}"
    if out.exists():
        out.rename(retired)
    staging.rename(out)
    shutil.rmtree(retired, ignore_errors=True)
