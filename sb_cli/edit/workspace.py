"""The repository as the editor sees it: the documents, their findings, and safe saves.

The corpus is loaded once and again only when a file under the documents folder changed (its size
or modification time); each file is parsed anew only when its bytes changed, through the run's
cache. A save writes through `io/yamledit.py` (only the lines of what changed) and `io/atomic.py`,
never over a file that changed on disk since the form was loaded, and never unreadable YAML.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sb_cli.core.doctypes import TYPES
from sb_cli.core.model import Document, Finding, Severity, Source
from sb_cli.core.records import Protocol, Record
from sb_cli.corpus import Loaded, load_corpus
from sb_cli.errors import SbError
from sb_cli.io.atomic import create_atomic, write_atomic
from sb_cli.io.cache import Cache, HeldCache, user_folder, using
from sb_cli.io.filememo import FileMemo, remembering
from sb_cli.io.loader import discover, parse_bytes, read_file
from sb_cli.io.repo import Settings
from sb_cli.validation import Report, validate_repository


def fingerprint(data: bytes) -> str:
    """What a form remembers of the file it was loaded from."""
    return hashlib.sha256(data).hexdigest()


@dataclass(frozen=True)
class Opened:
    """A document file as the editor shows it."""

    relpath: str
    text: str
    version: str  # fingerprint of the bytes on disk
    data: dict[str, Any]
    doc_type: str
    markdown: bool
    document: Document[Record] | None  # None when the file does not pass its schema
    source: Source  # the file as read: where each key is written, for placing findings

    @property
    def locked(self) -> str | None:
        return lock_of(self.doc_type, self.data)


def lock_of(doc_type: str, data: dict[str, Any]) -> str | None:
    """Why a document cannot be changed here (SB040 guards it), or None. Read from the data as
    written, so that a record that no longer passes its schema stays locked too."""
    entry = TYPES.get(doc_type)
    if entry is None:
        return None
    if entry.record is Protocol and data.get("adjusted"):
        when = "(datum okänt)" if data["adjusted"] is True else data["adjusted"]
        return f"Protokollet justerades {when} och ändras inte. En rättelse görs genom ett beslut i nästa protokoll."
    if entry.header and data.get("status") in ("beslutad", "upphavd"):
        return "Dokumentet är beslutat och ändras inte. Börja en ny version för att ändra det."
    return None


class _Background:
    """Work done in a thread of its own, started again only when asked after it has ended."""

    def __init__(self, name: str, work: Callable[[], object]) -> None:
        self._name, self._work = name, work
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()

    def start(self, *, unless: Callable[[], bool]) -> None:
        """Start the work, unless `unless()` says it is done or it is under way."""
        with self._lock:
            if unless() or (self._thread is not None and self._thread.is_alive()):
                return
            self._thread = threading.Thread(target=self._quietly, name=self._name, daemon=True)
            self._thread.start()

    def _quietly(self) -> None:
        try:
            self._work()
        except Exception:  # the page that asks next does the work again, and shows the error
            return


@dataclass(frozen=True)
class Conflict:
    """The file changed on disk after the form was loaded: nothing was written."""

    on_disk: str
    proposed: str


class Workspace:
    """One repository, one server: loads lazily, and one save at a time."""

    def __init__(self, settings: Settings, *, as_of: dt.date | None = None, cache: Cache | None = None) -> None:
        self.settings = settings
        self._as_of = as_of
        self.cache = cache if cache is not None else HeldCache(user_folder())
        self._lock = threading.RLock()
        self._files = FileMemo()
        self._seen: tuple[tuple[str, int, int, int, int], ...] | None = None
        self._loaded: Loaded | None = None
        self._report: Report | None = None
        self._loading = _Background("sb-inlasning", self.loaded)
        self._checking = _Background("sb-kontroll", self.report)
        self._progress = (0, 0)  # files loaded, files in all: how far the load under way has come

    @property
    def as_of(self) -> dt.date:
        return self._as_of or dt.datetime.now(tz=dt.UTC).astimezone().date()

    @property
    def documents(self) -> Path:
        return self.settings.root / self.settings.documents

    def _signature(self) -> tuple[tuple[str, int, int, int, int], ...]:
        """Each file under the documents folder with its inode, size and times: what changes when
        the file does."""
        found = []
        root = str(self.settings.root)
        for relpath in discover(self.settings.root, self.settings.documents):
            try:
                info = os.stat(os.path.join(root, relpath))  # not pathlib: this runs on every request
            except OSError:
                continue
            found.append((relpath, info.st_ino, info.st_size, info.st_mtime_ns, info.st_ctime_ns))
        return tuple(found)

    def refresh(self) -> None:
        """Look at the files once (at the start of each request): what changed on disk since the
        last look is loaded and checked anew when next asked for. While the documents are being
        loaded or checked (or a save runs) the look waits for the next request: the page must not
        wait."""
        if not self._lock.acquire(blocking=False):
            return
        try:
            signature = self._signature()
            if signature != self._seen:
                self._seen, self._loaded, self._report = signature, None, None
        finally:
            self._lock.release()

    @property
    def is_loaded(self) -> bool:
        return self._loaded is not None

    @property
    def progress(self) -> tuple[int, int]:
        """How far the load under way has come: (files loaded, files in all)."""
        return self._progress

    def _note_progress(self, done: int, total: int) -> None:
        self._progress = (done, total)

    def load_in_background(self) -> None:
        """Start loading every document, unless that is done or under way: the first start on a
        large repository takes seconds, and the first page shows how it goes instead of waiting."""
        self._loading.start(unless=lambda: self._loaded is not None)

    def check_in_background(self) -> None:
        """Start checking every document, unless that is done or under way: each document's page
        shows its findings, and the first check of a large repository takes seconds. Started once
        the start page is shown, so that it does not hold that page up."""
        self._checking.start(unless=lambda: self._report is not None)

    def loaded(self) -> Loaded:
        """Every document, as the files were at the last `refresh` or save."""
        loaded = self._loaded  # without waiting for a check under way, which keeps the lock
        if loaded is not None:
            return loaded
        with self._lock:
            if self._loaded is None:
                if self._seen is None:
                    self._seen = self._signature()
                with using(self.cache), remembering(self._files):
                    self._loaded = load_corpus(self.settings, self._note_progress)
            return self._loaded

    def report(self) -> Report:
        """The findings of `sb validate` on the whole repository, as it is now."""
        with self._lock:
            self.loaded()
            if self._report is None:
                with using(self.cache), remembering(self._files):
                    self._report = validate_repository(self.settings, as_of=self.as_of)
            return self._report

    def findings_of(self, relpath: str) -> list[Finding]:
        return [f for f in self.report().findings if f.path == relpath]

    def path_of(self, ident: str) -> str:
        """The file of a document id: paths come from ids, never from a request."""
        corpus = self.loaded().corpus
        document = corpus.by_id.get(ident)
        if document is not None:
            return document.path
        for relpath in corpus.left_out:  # a draft that does not pass its schema is still edited
            raw = self._bytes(relpath)
            source = parse_bytes(relpath, raw).source if raw is not None else None
            if source is not None and source.id == ident:
                return relpath
        raise SbError(f"inget dokument har id '{ident}'")

    def _bytes(self, relpath: str) -> bytes | None:
        """The file's bytes as sb reads any document: never through a link out of the repository,
        never from a FIFO or a device, never more than max_file_bytes."""
        raw = read_file(self.settings.root, relpath, max_bytes=self.settings.max_file_bytes)
        return raw if isinstance(raw, bytes) else None

    def open(self, ident: str) -> Opened:
        relpath = self.path_of(ident)
        raw = self._bytes(relpath)
        if raw is None:
            raise SbError(f"{relpath} kan inte läsas")
        result = parse_bytes(relpath, raw)
        if result.source is None:
            message = result.finding.message if result.finding else "filen kan inte läsas"
            raise SbError(f"{relpath}: {message}", hint="rätta filen i en textredigerare")
        source = result.source
        data = dict(source.data)
        if relpath.endswith(".md"):
            data["body"] = source.body or ""  # the text after the front matter, edited as the key body
        document = self.loaded().corpus.by_id.get(ident)
        return Opened(
            relpath,
            raw.decode("utf-8"),
            fingerprint(raw),
            data,
            str(data.get("type", "")),
            relpath.endswith(".md"),
            document if document is not None and document.path == relpath else None,
            source,
        )

    def save(self, opened: Opened, version: str, data: dict[str, Any], *, unlock: bool = False) -> Conflict | None:
        """Write `data` over the document, when the file is still the one the form was loaded from.
        `unlock`: the one change a locked document allows, the start of its next version."""
        from sb_cli.io.yamledit import edited_document

        with self._lock:
            raw = self._bytes(opened.relpath)
            if raw is None:
                raise SbError(f"{opened.relpath} finns inte längre")
            text = edited_document(opened.text, data, markdown=opened.markdown)
            if fingerprint(raw) != version:
                return Conflict(raw.decode("utf-8", errors="replace"), text)
            if opened.locked and not unlock:
                raise SbError(opened.locked)
            if text.encode("utf-8") != raw:
                write_atomic(self.settings.root / opened.relpath, text.encode("utf-8"), within=self.documents)
                self.refresh()
            if not opened.locked and lock_of(opened.doc_type, data):
                self._lock_only_without_errors(opened.relpath, raw)
            return None

    def _lock_only_without_errors(self, relpath: str, before: bytes) -> None:
        """A save that would lock the document (beslutad) stands only when it has no errors: a
        record is never made of a document with errors. Otherwise the file is as it was."""
        errors = [f for f in self.findings_of(relpath) if f.severity is Severity.ERROR]
        if errors:
            write_atomic(self.settings.root / relpath, before, within=self.documents)
            self.refresh()
            raise SbError(
                f"dokumentet markeras inte som beslutat: det har {len(errors)} fel att rätta först",
                hint="spara det som utkast, rätta felen och markera det sedan som beslutat",
            )

    def create(self, target: Path, text: str) -> str:
        """A new document file; never over one that exists."""
        with self._lock:
            try:
                create_atomic(target, text.encode("utf-8"), within=self.documents)
            except FileExistsError:
                raise SbError(f"{target.relative_to(self.settings.root)} finns redan") from None
            self.refresh()
            return self.settings.relpath(target)

    def types(self) -> list[tuple[str, str]]:
        """The styrdokument types a user may create: (name, label)."""
        return [(entry.name, entry.label) for entry in TYPES.values() if entry.header and entry.importable]
