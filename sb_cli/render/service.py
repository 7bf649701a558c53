"""`sb render` as a library call: documents to files in DIR, atomically, in parallel for many.

`render` takes every decision the command takes (the check first, the git stamps, the timestamp), so
Python callers get what `sb render` writes; the command only parses its options and prints the paths.
`document_view` is the one maker of views, for `sb render` and `sb publish` both."""

from __future__ import annotations

import datetime as dt
import os
import stat
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import msgspec

from sb_cli import __version__
from sb_cli.core.model import ID_CHARACTERS, Corpus, Document, Finding, Severity, is_valid_id
from sb_cli.core.records import Meeting, Organisation, Protocol, Record
from sb_cli.errors import Refused, SbError, UsageError
from sb_cli.io.cache import NO_CACHE, Cache, key
from sb_cli.io.git import Stamp
from sb_cli.io.loader import TooLarge, read_regular
from sb_cli.io.repo import Settings, packaged
from sb_cli.render.isolation import Limits, render_isolated
from sb_cli.render.view import View, build

FORMATS = ("docx", "pdf")  # what is rendered when no format is asked for
_VIEWS = msgspec.msgpack.Decoder(View)


class NotRendered(Refused):
    """Documents with errors that stop rendering; `findings` says which (exit 1, as findings)."""


@dataclass(frozen=True)
class Job:
    """One document to render: its view model and where each format goes; `also` are more views of
    the same document (a protocol's extracts) rendered in the same child process."""

    view: View
    targets: dict[str, Path]  # format -> output file
    also: tuple[tuple[View, dict[str, Path]], ...] = ()

    def outputs(self) -> list[tuple[View, dict[str, Path]]]:
        return [(self.view, self.targets), *self.also]


@contextmanager
def template_folder(settings: Settings) -> Iterator[Path]:
    """The shipped mallar with the repository's templates/ laid over them, file by file.

    Only regular files inside the repository's template folder are taken: a symbolic link (git
    keeps them) could bring in any readable file, a FIFO or a device could hang or flood the copy."""
    with tempfile.TemporaryDirectory(prefix="sb-mallar-") as folder:
        root = Path(folder)
        _lay_over(packaged("templates"), root, "templates")
        own = settings.root / settings.templates
        if own.is_dir() and own.resolve() != packaged("templates").resolve():
            _lay_over(own, root, settings.templates)
        yield root


MAX_TEMPLATE_BYTES = 50 * 1024 * 1024


def _lay_over(own: Path, root: Path, name: str) -> None:
    for folder, dirs, files in os.walk(own):  # os.walk does not follow links to folders
        here = Path(folder)
        for entry in sorted(dirs + files):
            path = here / entry
            shown = f"{name}/{path.relative_to(own).as_posix()}"
            if entry.startswith("."):
                dirs[:] = [d for d in dirs if d != entry]
                continue
            mode = path.lstat().st_mode
            if stat.S_ISDIR(mode):
                continue
            if not stat.S_ISREG(mode):
                kind = "en symbolisk länk" if stat.S_ISLNK(mode) else "ingen vanlig fil"
                raise SbError(
                    f"mallfilen {shown} är {kind}; mallar får bara bestå av vanliga filer i mallmappen",
                    hint=f"ersätt {shown} med en kopia av filen",
                )
            try:
                data = read_regular(path, MAX_TEMPLATE_BYTES)
            except TooLarge:
                raise SbError(f"mallfilen {shown} är större än {MAX_TEMPLATE_BYTES // 1_000_000} MB") from None
            target = root / path.relative_to(own)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)


def output_name(document: Document[Record], *, public: bool, extract: int | None) -> str:
    ident = document.id
    if not is_valid_id(ident):
        raise SbError(
            f"{document.path}: id {ident!r} kan inte bli ett filnamn", hint=f"ett id får bara innehålla {ID_CHARACTERS}"
        )
    if extract is not None:
        ident += f"-utdrag-{extract}"
    if public:
        ident += "-offentlig"
    return ident


def plan(
    corpus: Corpus,
    documents: list[Document[Record]],
    formats: tuple[str, ...],
    out: Path,
    *,
    as_of: dt.date,
    stamp_of: Callable[[str], Stamp],
    public: bool = False,
    extract: int | None = None,
) -> list[Job]:
    jobs = []
    approved = approving_meetings(corpus, as_of)
    for document in documents:
        if extract is not None:
            if not isinstance(document.record, Protocol):
                raise SbError(f"{document.path}: --extract gäller bara protokoll")
            if extract not in [item.number for item in document.record.items]:
                raise SbError(f"{document.path}: protokollet har ingen punkt {extract}")
        view = document_view(
            document,
            corpus.organisation,
            as_of=as_of,
            stamp=stamp_of(document.path),
            public=public,
            extract=extract,
            approved=approved(document),
        )
        name = output_name(document, public=public, extract=extract)
        jobs.append(Job(view, {fmt: out / f"{name}.{fmt}" for fmt in formats}))
    return jobs


def document_view(
    document: Document[Record],
    organisation: Organisation,
    *,
    as_of: dt.date,
    stamp: Stamp,
    public: bool = False,
    extract: int | None = None,
    approved: Meeting | None = None,
    cache: Cache = NO_CACHE,
) -> View:
    """The view of one document, its footer stamped with its commit (SPEC §7); `approved` is the
    meeting that approved a protocol (`approving_meetings`). A view is made of its record, the
    organisation and the arguments, so one made before from the same is taken from `cache`."""

    def made() -> View:
        return build(
            document,
            organisation,
            as_of=as_of,
            commit=stamp.commit,
            changed=stamp.changed,
            version=__version__,
            public=public,
            extract=extract,
            approved=approved,
        )

    if cache.folder is None:
        return made()
    made_of = key(
        msgspec.msgpack.encode(organisation),
        type(document.record).__name__,
        msgspec.msgpack.encode(document.record),
        msgspec.msgpack.encode(approved),
        f"{as_of}\0{stamp.commit}\0{stamp.changed}\0{public}\0{extract}",
    )
    view: View = cache.remembered("vy", made_of, made, msgspec.msgpack.encode, _VIEWS.decode)
    return view


def approving_meetings(corpus: Corpus, as_of: dt.date) -> Callable[[Document[Record]], Meeting | None]:
    """For a document, the meeting at which it was approved, when it is a protocol that a later one
    approves by `as_of` (core.meetings.approvals, worked out once for them all)."""
    from sb_cli.core.meetings import approvals

    found = approvals(corpus, as_of)

    def approved(document: Document[Record]) -> Meeting | None:
        record = document.record
        approving = found.get((record.forum, record.id)) if isinstance(record, Protocol) else None
        return approving.record.meeting if approving is not None else None

    return approved


def documents_at(
    settings: Settings, corpus: Corpus, problems: list[Finding], paths: list[Path]
) -> list[Document[Record]]:
    """The documents at the paths; a file left out of the corpus is not rendered (its `problems` say
    why), and a path that is no document is a usage error."""
    found = {d.path: d for d in corpus.documents}
    documents = []
    for path in paths:
        rel = settings.relpath(path)
        if rel in found:
            documents.append(found[rel])
        elif rel in corpus.left_out:
            raise NotRendered([p for p in problems if p.path == rel], f"{rel} renderas inte: rätta felen först")
        else:
            raise UsageError(f"{rel} är inget dokument under {settings.documents}/")
    return documents


def check_first(
    settings: Settings, documents: list[Document[Record]], as_of: dt.date, *, force: bool, public: bool
) -> None:
    """SPEC §7: what is rendered is validated first. Errors stop it unless `force`; a personnummer
    (SB030) always stops a public version."""
    from sb_cli.validation import validate_repository

    report = validate_repository(settings, as_of=as_of, paths=[settings.root / d.path for d in documents])
    errors = [f for f in report.findings if f.severity == Severity.ERROR]
    personal = [f for f in errors if f.code == "SB030"]
    if public and personal:
        raise NotRendered(personal, "en offentlig version med personnummer renderas aldrig, inte heller med --force")
    if errors and not force:
        raise NotRendered(errors, "dokumenten renderas inte: rätta felen först, eller ange --force")


def render(
    settings: Settings,
    corpus: Corpus,
    documents: list[Document[Record]],
    *,
    as_of: dt.date,
    formats: tuple[str, ...] = FORMATS,
    out: Path | None = None,
    public: bool = False,
    extract: int | None = None,
    force: bool = False,
    progress: Callable[[Job, int, int], None] | None = None,
) -> list[Path]:
    """`sb render`: the documents checked first (NotRendered when they may not be rendered), stamped
    with their commits, and rendered to `out` (ut/ in the repository by default) in every format.
    Files say they were made at SOURCE_DATE_EPOCH when it is set. The paths written, in order."""
    from sb_cli.io import git as gitio
    from sb_cli.io.reproducible import made_at

    check_first(settings, documents, as_of, force=force, public=public)
    git = gitio.open_repository(settings.root)
    jobs = plan(
        corpus,
        documents,
        formats,
        output_folder(settings, out),
        as_of=as_of,
        stamp_of=lambda path: gitio.stamp(git, path, (settings.root / path).read_bytes()),
        public=public,
        extract=extract,
    )
    timestamp = made_at()
    done = [0]

    def advanced(job: Job) -> None:
        done[0] += 1
        if progress is not None:
            progress(job, done[0], len(jobs))

    with template_folder(settings) as templates:
        return render_isolated(jobs, templates, timestamp, Limits.of(settings), advanced)


def output_folder(settings: Settings, out: Path | None) -> Path:
    """`out` as given (the caller chose it, links and all), or ut/ in the repository, which must not
    be a link out of it: whoever can commit to the repository must not choose where sb writes."""
    if out is not None:
        return out
    from sb_cli.io.atomic import check_inside

    check_inside(settings.root, settings.root / "ut")
    return settings.root / "ut"
