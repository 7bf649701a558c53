"""The pages of the public site, the feed and the calendar, from the published documents.

Each page is a template of templates/site/ (which a repository may override) over plain data made
here; the documents themselves are written by the same macros as `sb render --to html`.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any, TypeVar

import msgspec

from sb_cli import __version__
from sb_cli.core import doctypes
from sb_cli.core.announce import Posting, posting
from sb_cli.core.meetings import signed_pdf_of
from sb_cli.core.model import Corpus, Document
from sb_cli.core.organisation import forum_name, known_names
from sb_cli.core.records import Arshjul, Kallelse, Protocol, Record, Styrdokument, When
from sb_cli.core.terms import schedule_of, status
from sb_cli.io.cache import NO_CACHE, Cache, Later, files_key, key, made, plain
from sb_cli.io.repo import Settings
from sb_cli.publish.changes import Change, change_links, change_pages, changes, published_history
from sb_cli.publish.content import STATES, Meeting, Selection, decision_meetings, decision_state, mandate, state_words
from sb_cli.render.view import STATUS_LABELS, View, as_data, relinked, swedish_day

FACET_WINDOWS = (90, 180, 365)  # "löper ut inom" these many days
COMPUTED = "beräknat, om ingen sagt upp avtalet"  # an end computed from the agreement's terms (SPEC §4)


@dataclass(frozen=True)
class Context:
    settings: Settings
    corpus: Corpus  # everything: names, references
    public: Corpus  # the published documents, withheld points removed
    selection: Selection
    views: dict[str, View]
    as_of: dt.date
    history_of: Callable[[str], list[dict[str, Any]] | None]
    wheel_svg: Callable[[View], str]
    cache: Cache = NO_CACHE
    draft: bool = False  # --draft-site: every page says "Utkast"
    first_published: dict[str, str] = field(default_factory=dict)  # id -> ISO day, as the site's manifest has it
    record_at: Callable[[str, str], Record | None] = field(default=lambda path, commit: None)  # a file at a commit

    def name(self, ident: str | None) -> str:
        return self.corpus.organisation.name_of(ident) if ident else ""

    def name_on(self, ident: str, when: When | None) -> str:
        """A forum's name on a meeting's date (SPEC 3.4), else its name now."""
        forum = self.corpus.organisation.forums.get(ident)
        return forum_name(forum, when) if forum else self.name(ident)

    def published_on(self, ident: str) -> str:
        """The day a document first stood on this site: as an earlier build recorded it, else this build's."""
        return self.first_published.get(ident, self.as_of.isoformat())

    @cached_property
    def public_protocols(self) -> dict[str, Document[Protocol]]:
        return {d.id: d for d in self.public.protocols()}

    @cached_property
    def public_kallelser(self) -> dict[str, Document[Kallelse]]:
        return {d.id: d for d in self.public.kallelser()}

    @cached_property
    def published_documents(self) -> dict[str, Document[Styrdokument]]:
        return {d.id: d for d in self.selection.documents}

    @cached_property
    def published_histories(self) -> dict[str, list[dict[str, Any]]]:
        """The commits at which each published styrdokument was published, newest first: its git
        history read once per build, for its Versioner table and its "Vad ändrades" pages."""
        return {d.id: published_history(self.history_of(d.path) or []) for d in self.selection.documents}

    @cached_property
    def later_versions(self) -> dict[str, list[Change]]:
        """Each published styrdokument's later published versions, with the version before each."""
        return {ident: changes(history) for ident, history in self.published_histories.items()}

    @cached_property
    def pages_by_id(self) -> dict[str, str]:
        """The page of every published document: its meeting's page, or its own."""
        pages = {d.id: f"dokument/{d.id}/index.html" for d in self.selection.published()}
        for meeting in self.selection.meetings:
            for document in (meeting.kallelse, meeting.protocol):
                if document is not None and document.id in pages:
                    pages[document.id] = f"{meeting.folder}/index.html"
        return pages

    @cached_property
    def pages_by_path(self) -> dict[str, str]:
        return {d.path: self.pages_by_id[d.id] for d in self.selection.published()}

    @cached_property
    def links_key(self) -> str:
        """What site_links makes of a link depends on: the pages of the published documents."""
        return key(msgspec.msgpack.encode((sorted(self.pages_by_id.items()), sorted(self.pages_by_path.items()))))

    @cached_property
    def meetings_by_protocol(self) -> dict[str, Meeting]:
        return {m.protocol.id: m for m in self.selection.meetings if m.protocol}

    @cached_property
    def signed(self) -> dict[str, SignedCopy]:
        """The published protocols justerade by electronic signatures (the PDF `sb finalize` put beside
        the protocol), by id: only one whose signatures are intact, unchanged after signing and made on
        this protocol. `sb validate` (SB042) reports the others."""
        found = {}
        for meeting in self.selection.meetings:
            protocol = meeting.protocol
            copy = signed_copy(self.settings, protocol) if protocol is not None else None
            if protocol is not None and copy is not None:
                found[protocol.id] = copy
        return found

    @property
    def announces(self) -> bool:
        """Whether some forum posts its justeringar on the notice board (anslagstavla/)."""
        return any(forum.announce for forum in self.corpus.organisation.forums.values())

    @cached_property
    def postings(self) -> list[tuple[Meeting, Posting]]:
        """The published protocols' postings on the notice board made by the as-of day, in meeting order."""
        found = []
        for meeting in sorted(self.selection.meetings, key=lambda m: (m.order, m.forum)):
            if meeting.protocol is None:
                continue
            forum = self.corpus.organisation.forums.get(meeting.forum)
            notice = posting(meeting.protocol.record, forum)
            if notice is not None and notice.posted <= self.as_of:
                found.append((meeting, notice))
        return found


def site_links(data: Any, context: Context, source: str, page: str) -> Any:
    """The view data of a document with the links of its own text made into the site's addresses,
    relative to `page`: a document id, or a path to a document's file (relative to `source`), leads to
    that document's page. A link to a document that is not published is left out (its text stays);
    web and mail links stay as they are."""
    import posixpath

    targets, by_path = context.pages_by_id, context.pages_by_path
    here = posixpath.dirname(page)

    def resolved(link: str) -> str | None:
        if re.match(r"^[a-z][a-z0-9+.-]*:", link, re.I) or link.startswith("#"):
            return link
        target, _, fragment = link.partition("#")
        ident = target.split(" ")[0]
        found = targets.get(ident) or by_path.get(posixpath.normpath(posixpath.join(posixpath.dirname(source), target)))
        if found is None:
            return None
        return posixpath.relpath(found, here or ".") + (f"#{fragment}" if fragment else "")

    return relinked(data, resolved)


def protocol_file(protocol: Document[Protocol]) -> str:
    return f"{protocol.id}-offentlig"


def extract_file(protocol: Document[Protocol], number: int) -> str:
    return f"{protocol.id}-utdrag-{number}"


EXTRACT_FORMATS = ("pdf", "docx")  # a protokollsutdrag is offered as both


def kallelse_file(kallelse: Document[Kallelse]) -> str:
    return kallelse.id


def all_pages(context: Context, templates: Path) -> dict[str, str]:
    """Every HTML page by its path in the site (SPEC §8). A page is a template over plain data and
    nothing else, so a page made before from the same templates and data is taken from the cache."""
    from sb_cli.publish.site_templates import FOLDERS, Page, render_pages
    from sb_cli.render.isolation import Limits

    folders = [templates / folder for folder in FOLDERS]
    made_with = files_key(templates, [p for folder in folders for p in folder.rglob("*")])
    settings = context.settings
    site = {
        "name": settings.site_title,
        "description": settings.site_description,
        "organisation": settings.publisher,
        "draft": context.draft,
        "built": context.as_of.isoformat(),
        "version": __version__,
        "announces": context.announces,
    }
    found = _page_data(context)
    pages: dict[str, str] = {}
    missing: dict[str, tuple[str, Page]] = {}  # by path: the page's cache key, and what makes it
    for path, (template, page) in found.items():
        root = "../" * path.count("/")
        made_of = key(made_with, template, plain((page, site, root)))
        stored = context.cache.stored("sida", made_of, bytes.decode)
        if stored is None:
            missing[path] = (made_of, Page(path, template, made(page), root))
        else:
            pages[path] = stored
    # The templates are the repository's code: they run in a child under the render workers' limits.
    limits = Limits.of(context.settings)
    for path, html in render_pages(templates, site, [page for _, page in missing.values()], limits).items():
        context.cache.keep("sida", missing[path][0], html, str.encode)
        pages[path] = html
    return {path: pages[path] for path in found}


def _page_data(context: Context) -> dict[str, tuple[str, dict[str, Any]]]:
    """Each page's template and data, by its path in the site."""
    found: dict[str, tuple[str, dict[str, Any]]] = {"index.html": ("start.html.j2", _start(context))}
    for forum in context.corpus.organisation.forums.values():
        found[f"{forum.id}/index.html"] = ("forum.html.j2", _forum(context, forum.id))
    for meeting in context.selection.meetings:
        found[f"{meeting.folder}/index.html"] = ("meeting.html.j2", _meeting(context, meeting))
    for document in context.selection.documents:
        found[f"dokument/{document.id}/index.html"] = ("document.html.j2", _document(context, document))
        found.update(change_pages(context, document))
    found.update(_registers(context))
    found.update(_decisions(context))
    found["arshjul/index.html"] = ("arshjul.html.j2", _arshjul(context))
    found["sok/index.html"] = ("search.html.j2", {"title": "Sök", "section": "sok"})
    found["tillganglighet/index.html"] = ("accessibility.html.j2", _accessibility(context))
    if context.announces:
        found["anslagstavla/index.html"] = ("anslagstavla.html.j2", _notice_board(context))
    for meeting, notice in context.postings:
        found[f"{meeting.folder}/{CERTIFICATE}"] = ("anslagsbevis.html.j2", _certificate(context, meeting, notice))
    return found


CERTIFICATE = "anslagsbevis/index.html"  # beside the meeting's page


def _certificate(context: Context, meeting: Meeting, notice: Posting) -> dict[str, Any]:
    """The anslagsbevis: who, which meeting, when justerat, posted and taken down, and where the
    protocol is kept (the organisation, and its page on this site)."""
    name = context.name_on(meeting.forum, meeting.date)
    site_url = context.settings.site_url
    page = f"{meeting.folder}/index.html"
    return {
        "title": f"Anslagsbevis: {name} {swedish_day(meeting.date)}",
        "section": "anslagstavla",
        "forum_id": meeting.forum,
        "forum_name": name,
        "meeting_day": swedish_day(meeting.date),
        "adjusted": swedish_day(notice.adjusted) if notice.adjusted else "datum okänt",
        "posted": swedish_day(notice.posted),
        "appeal_ends": swedish_day(notice.appeal_ends),
        "taken_down": swedish_day(notice.taken_down),
        "kept_by": context.settings.publisher,
        "protocol_link": f"{site_url.rstrip('/')}/{page}" if site_url else "../index.html",
        "protocol_text": f"{site_url.rstrip('/')}/{page}" if site_url else "sammanträdets sida",
    }


def _notice_board(context: Context) -> dict[str, Any]:
    """The postings up on the as-of day, newest first, and those taken down before it."""
    current: list[dict[str, str]] = []
    earlier: list[dict[str, str]] = []
    for meeting, notice in reversed(context.postings):
        row = {
            "title": f"{context.name_on(meeting.forum, meeting.date)} {swedish_day(meeting.date)}",
            "link": f"{meeting.folder}/{CERTIFICATE}",
            "adjusted": notice.adjusted.isoformat() if notice.adjusted else "datum okänt",
            "posted": notice.posted.isoformat(),
            "taken_down": notice.taken_down.isoformat(),
        }
        (current if notice.is_current(context.as_of) else earlier).append(row)
    return {
        "title": "Anslagstavla",
        "section": "anslagstavla",
        "current": current,
        "earlier": earlier,
        "day": swedish_day(context.as_of),
    }


def _meeting_entry(context: Context, meeting: Meeting) -> dict[str, Any]:
    parts = [p for p, d in (("kallelse", meeting.kallelse), ("protokoll", meeting.protocol)) if d is not None]
    return {
        "folder": meeting.folder,
        "forum_name": context.name_on(meeting.forum, meeting.date),
        "date_long": swedish_day(meeting.date),
        "parts": " och ".join(parts),
    }


def _start(context: Context) -> dict[str, Any]:
    meetings = context.selection.meetings
    protocols = sorted((m for m in meetings if m.protocol), key=lambda m: m.order, reverse=True)[:10]
    # A meeting known only by its month is no event to announce (SPEC §3.5).
    upcoming = [m for m in meetings if isinstance(m.date, dt.date) and m.date >= context.as_of and m.kallelse]
    return {
        "title": "Start",
        "section": "start",
        "forums": [{"id": f.id, "name": f.name} for f in context.corpus.organisation.forums.values()],
        "protocols": [_meeting_entry(context, m) for m in protocols],
        "upcoming": [_meeting_entry(context, m) for m in upcoming],
        "agreements": _agreements_in_force(context),
    }


def _agreements_in_force(context: Context) -> list[dict[str, Any]]:
    """The decided agreements that have not ended, with their end and the next day to give notice."""
    agreements = []
    for document in context.public.styrdokument():
        record = document.record
        if not doctypes.is_agreement(record.type) or record.status != "beslutad":
            continue
        facts = _term_facts(record, context.as_of)
        if not facts["ended"]:
            agreements.append(
                {"id": record.id, "title": record.title, "effective_end": facts["end"], "notice": facts["notice"]}
            )
    return agreements


def _term_facts(record: Styrdokument, as_of: dt.date) -> dict[str, Any]:
    schedule = schedule_of(record)
    if schedule is None:
        return {"end": record.valid_until.isoformat() if record.valid_until else None, "notice": None, "ended": False}
    facts = status(schedule, as_of)
    notice = facts.next_notice_deadline
    return {
        "end": facts.effective_end.isoformat(),
        "notice": notice.isoformat() if notice else None,
        "ended": facts.effective_end < as_of,
    }


def _forum(context: Context, forum_id: str) -> dict[str, Any]:
    forum = context.corpus.organisation.forums[forum_id]
    source, blocks = None, []
    for document in context.selection.documents:
        if doctypes.describes_forums(document.record.type) and document.record.status == "beslutad":
            found = mandate(context.views[document.id].body, known_names(forum))
            if found:
                source, blocks = document, found
                break
    by_year: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for meeting in context.selection.meetings:
        if meeting.forum == forum_id:
            by_year[meeting.date.year].append(_meeting_entry(context, meeting))
    return {
        "title": forum.name,
        "section": "forum",
        "mandate": site_links(msgspec.to_builtins(blocks), context, source.path, f"{forum_id}/index.html")
        if source and blocks
        else [],
        "mandate_source": {"id": source.id, "title": source.record.title} if source else None,
        "years": sorted(by_year.items(), reverse=True),
        "members": [
            {
                "name": member.name,
                "title": member.title or "",
                "organisation": context.name(member.party),
                "role": member.role or "",
            }
            for member in forum.roster(context.as_of)
        ],
        "members_day": swedish_day(context.as_of),
        "feed": f"{forum_id}/feed.atom",
        "searchable": True,
        "filters": {"forum": forum.name},
    }


def _meeting(context: Context, meeting: Meeting) -> dict[str, Any]:
    protocol, kallelse = meeting.protocol, meeting.kallelse
    page: dict[str, Any] = {
        "title": f"{context.name_on(meeting.forum, meeting.date)} {swedish_day(meeting.date)}",
        "section": "forum",
        "forum_id": meeting.forum,
        "forum_name": context.name_on(meeting.forum, meeting.date),
        "protocol": _linked(context, protocol, f"{meeting.folder}/index.html") if protocol else None,
        "kallelse": _linked(context, kallelse, f"{meeting.folder}/index.html") if kallelse else None,
        "files": {},
        "extracts": [],
        "cited": [],
        "adjusted": "",
        "published": "",
        "posted": "",
        "signed": "",
        "signed_file": "",
        "kallelse_files": {},
        "kallelse_cited": [],
        "kallelse_sent": "",
        "kallelse_published": "",
        "meeting_day": swedish_day(meeting.date),
        "searchable": True,
        "filters": {
            "forum": context.name(meeting.forum),
            "typ": "Protokoll" if protocol else "Kallelse",
            "år": str(meeting.date.year),
        },
    }
    if protocol:
        page["files"] = {fmt: f"{protocol_file(protocol)}.{fmt}" for fmt in ("pdf", "docx")}
        public = context.public_protocols.get(protocol.id, protocol)
        page["extracts"] = [
            {
                "label": _label(protocol.record, i.number),
                "title": i.title,
                "files": {fmt: f"{extract_file(protocol, i.number)}.{fmt}" for fmt in EXTRACT_FORMATS},
            }
            for i in public.record.items
        ]
        page["cited"] = _cited(context, public.record)
        page["adjusted"] = adjusted_words(protocol.record.adjusted)
        page["published"] = f"Publicerat den {_long_day(context.published_on(protocol.id))}"
        notice = dict((m.folder, p) for m, p in context.postings).get(meeting.folder)
        page["posted"] = f"Anslaget den {swedish_day(notice.posted)}" if notice else ""
        copy = context.signed.get(protocol.id)
        page["signed"] = copy.words if copy else ""
        page["signed_file"] = signed_file(protocol) if copy and copy.offered else ""
    if kallelse:
        page["kallelse_files"] = {fmt: f"{kallelse_file(kallelse)}.{fmt}" for fmt in ("pdf", "docx")}
        page["kallelse_cited"] = _cited(context, context.public_kallelser.get(kallelse.id, kallelse).record)
        sent = kallelse.record.sent
        page["kallelse_sent"] = f"Skickad den {swedish_day(sent)}" if sent else ""
        page["kallelse_published"] = f"Publicerad den {_long_day(context.published_on(kallelse.id))}"
    return page


@dataclass(frozen=True)
class SignedCopy:
    """A protocol's PDF with its justerares' electronic signatures, as the site offers it."""

    data: bytes
    signers: tuple[tuple[str, str, dt.date], ...]  # name, role, day (Swedish time) of each signature
    offered: bool  # the whole protocol is public: the signed file holds nothing the site withholds

    @property
    def words(self) -> str:
        """ "Elektroniskt justerat av Bodil Sundlöf (ordförande) den 20 juni 2023 och …"."""
        each = [f"{name} ({role}) den {swedish_day(day)}" for name, role, day in self.signers]
        joined = ", ".join(each[:-1]) + f" och {each[-1]}" if len(each) > 1 else each[0]
        return f"Elektroniskt justerat av {joined}"


def signed_file(protocol: Document[Protocol]) -> str:
    return f"{protocol.id}-justerat.pdf"


def signed_copy(settings: Settings, protocol: Document[Protocol]) -> SignedCopy | None:
    """The signed PDF beside the protocol's file, when every signature in it is intact, nothing was
    changed after signing, and it claims to be this protocol's rendering; else None."""
    from sb_cli.io.loader import TooLarge, read_regular
    from sb_cli.signing.source import read_claim
    from sb_cli.signing.verify import offline_signatures

    path = settings.root / signed_pdf_of(protocol.path)
    if protocol.record.adjusted is None or not path.is_file():
        return None
    try:
        data = read_regular(path, settings.max_file_bytes)
        checks = offline_signatures(data)
    except (TooLarge, OSError, ValueError):
        return None
    if not checks or read_claim(data).id != protocol.id:
        return None
    if any(not c.intact or c.modified_after or c.time is None for c in checks):
        return None
    signers = tuple((c.signer, c.role or "justerare", c.time.date()) for c in checks if c.time is not None)
    return SignedCopy(data, signers, offered=all(item.public for item in protocol.record.items))


def adjusted_words(adjusted: object) -> str:
    """ "Justerat den 20 juni 2023", or "Justerat, datum okänt" for `adjusted: true` (SPEC §3.5)."""
    if isinstance(adjusted, dt.date):
        return f"Justerat den {swedish_day(adjusted)}"
    return "Justerat, datum okänt" if adjusted is True else ""


def _label(record: Protocol, number: int) -> str:
    return f"§{number}" if record.numbering == "paragraph" else f"{number})."


def _cited(context: Context, record: Protocol | Kallelse) -> list[dict[str, str]]:
    """The published styrdokument that the meeting's public items name."""
    from sb_cli.core.refs import referenced_ids

    published = context.published_documents
    return [
        {"id": ident, "title": published[ident].record.title}
        for ident in sorted(referenced_ids(record))
        if ident in published
    ]


def _document(context: Context, document: Document[Styrdokument]) -> dict[str, Any]:
    record = document.record
    view = context.views[document.id]
    published = context.published_documents
    return {
        "title": record.title,
        "section": "styrdokument",
        "view": _linked(context, document, f"dokument/{document.id}/index.html"),
        "wheel_svg": _markup(context.wheel_svg(view)),
        "facts": [{"link": None, **f} for part in _DOCUMENT_FACTS for f in part(context, document)],
        "files": {fmt: f"{document.id}.{fmt}" for fmt in ("pdf", "docx")},
        "repealed": record.status == "upphavd",
        "replaced_by": [{"id": i, "title": published[i].record.title} for i in record.superseded_by if i in published],
        "versions": _versions(context, document),
        "searchable": True,
        "filters": {"typ": view.type_label, "år": _decided_year(record)},
    }


def _versions(context: Context, document: Document[Styrdokument]) -> list[dict[str, Any]]:
    compared = change_links(context, document)  # "Vad ändrades": a version's page, on its row
    return [
        {
            "date": h["date"],
            "version": h.get("version") or "",
            "status": STATUS_LABELS[h["status"]],
            "message": h["message"],
            "changes": compared.get(h.get("commit") or ""),
        }
        for h in context.published_histories[document.id]
    ]


def _decided_year(record: Styrdokument) -> str:
    return str(record.decided.date.year) if record.decided and record.decided.date else ""


# The facts box of a styrdokument's page, part by part in the order shown; a part the document
# does not have gives no rows.
_Facts = list[dict[str, Any]]


def _kind_and_owner(context: Context, document: Document[Styrdokument]) -> _Facts:
    record = document.record
    facts: _Facts = [
        {"label": "Dokumenttyp", "value": context.views[document.id].type_label},
        {"label": "Dokumentägare", "value": context.name(record.owner)},
    ]
    if record.contact:
        facts.append({"label": "Kontaktperson", "value": record.contact})
    return facts + [
        {"label": "Status", "value": STATUS_LABELS.get(record.status, record.status)},
        {"label": "Version", "value": record.version},
    ]


def _decided_fact(context: Context, document: Document[Styrdokument]) -> _Facts:
    decided = document.record.decided
    if not decided:
        return []
    meetings = context.meetings_by_protocol
    reference = (decided.ref or "").split(" ")[0]
    link = f"{meetings[reference].folder}/index.html" if reference in meetings else None
    words = [context.name(decided.by), decided.date.isoformat() if decided.date else "", decided.ref or ""]
    return [{"label": "Beslutad", "value": ", ".join(w for w in words if w), "link": link}]


def _validity_facts(context: Context, document: Document[Styrdokument]) -> _Facts:
    record = document.record
    days = (("Gäller från", record.valid_from), ("Gäller till (enligt avtalet)", record.valid_until))
    facts: _Facts = [{"label": label, "value": day.isoformat()} for label, day in days if day]
    if schedule_of(record) is not None:
        term = _term_facts(record, context.as_of)
        facts.append({"label": "Gäller till", "value": f"{term['end']} ({COMPUTED})"})
        if term["notice"]:
            facts.append({"label": "Säg upp senast", "value": f"{term['notice']} (beräknat)"})
    return facts


def _filing_facts(context: Context, document: Document[Styrdokument]) -> _Facts:
    record = document.record
    facts: _Facts = []
    if record.review_by:
        facts.append({"label": "Revideras senast", "value": record.review_by.isoformat()})
    if record.diarienummer:
        facts.append({"label": "Diarienummer", "value": record.diarienummer})
    return facts


def _party_facts(context: Context, document: Document[Styrdokument]) -> _Facts:
    record = document.record
    adopted = {a.party: a for a in record.adopted}
    facts: _Facts = []
    for party in record.parties:
        adoption = adopted.get(party)
        words = [adoption.by or "", adoption.date.isoformat()] if adoption else ["antagande inte registrerat"]
        facts.append({"label": f"Part: {context.name(party)}", "value": ", ".join(w for w in words if w)})
    return facts


def _replacement_facts(context: Context, document: Document[Styrdokument]) -> _Facts:
    record, published = document.record, context.published_documents
    facts: _Facts = []
    for label, ids in (("Ersätter", record.supersedes), ("Ersatt av", record.superseded_by)):
        for ident in ids:
            known = published.get(ident)
            title = known.record.title if known else ident
            facts.append({"label": label, "value": title, "link": f"dokument/{ident}/index.html" if known else None})
    return facts


_DOCUMENT_FACTS = (
    _kind_and_owner,
    _decided_fact,
    _validity_facts,
    _filing_facts,
    _party_facts,
    _replacement_facts,
)


def _linked(context: Context, document: Document[Any], page: str) -> Later:
    """The view data of a document with its links made the site's (see site_links), made only for a
    page that is not in the cache; the same view on the same page of a site with the same pages is
    taken from the cache."""
    view = context.views[document.id]
    made_of = key(msgspec.msgpack.encode(view), document.path, page, context.links_key)
    return Later(
        made_of,
        lambda: context.cache.remembered(
            "länkad",
            made_of,
            lambda: site_links(as_data(view), context, document.path, page),
            msgspec.msgpack.encode,
            msgspec.msgpack.decode,
        ),
    )


def _markup(svg: str) -> Any:
    import markupsafe

    return markupsafe.Markup(svg) if svg else ""


def _register_row(context: Context, document: Document[Styrdokument]) -> dict[str, Any]:
    record = document.record
    view = context.views[document.id]
    term = _term_facts(record, context.as_of)
    decided = record.decided
    return {
        "id": record.id,
        "title": record.title,
        "type": view.type_label,
        "owner": context.name(record.owner),
        "status": STATUS_LABELS.get(record.status, record.status),
        "version": record.version,
        "decided": decided.date.isoformat() if decided and decided.date else "",
        "end": term["end"] or "",
        "notice": term["notice"] or "",
        "review": record.review_by.isoformat() if record.review_by else "",
    }


def _registers(context: Context) -> dict[str, tuple[str, dict[str, Any]]]:
    """The register of styrdokument, and one static listing per facet value: type, owner, status,
    party and "löper ut inom"."""
    return _faceted(
        context,
        Listing("styrdokument", "register.html.j2", "Styrdokument", "Alla styrdokument"),
        context.selection.documents,
        _FACETS,
        order=lambda facet: lambda kv: kv[1][0],
        content=lambda chosen: {"rows": [_register_row(context, d) for d in chosen]},
    )


@dataclass(frozen=True)
class Listing:
    """A faceted listing: its folder (and the site's section), template, title and the caption of
    the listing of everything."""

    section: str
    template: str
    title: str
    everything: str


L = TypeVar("L")
# facet -> (its name, the values (each with its label) an item has)
_Facets = dict[str, tuple[str, Callable[[Context, L], list[tuple[str, str]]]]]
_SortKey = Callable[[tuple[str, tuple[str, list[Any]]]], Any]


def _faceted(
    context: Context,
    listing: Listing,
    items: list[L],
    facet_table: _Facets[L],
    *,
    order: Callable[[str], _SortKey],
    content: Callable[[list[L]], dict[str, Any]],
) -> dict[str, tuple[str, dict[str, Any]]]:
    """The listing of all the items, and one static listing per facet value
    (<section>/<facet>/<value>/index.html), each naming the others with their counts."""
    facets: dict[str, dict[str, tuple[str, list[L]]]] = {facet: {} for facet in facet_table}
    for item in items:
        for facet, (_, values_of) in facet_table.items():
            for value, label in values_of(context, item):
                facets[facet].setdefault(value, (label, []))[1].append(item)
    names = {facet: name for facet, (name, _) in facet_table.items()}

    def page(caption: str, chosen: list[L], current: str | None) -> dict[str, Any]:
        return {
            "title": listing.title if current is None else f"{listing.title}: {caption}",
            "caption": caption,
            "section": listing.section,
            "filtered": current is not None,
            **content(chosen),
            "facets": [
                {
                    "name": names[facet],
                    "choices": [
                        {
                            "label": label,
                            "count": len(found),
                            "link": f"{listing.section}/{facet}/{value}/index.html",
                            "current": current == f"{facet}/{value}",
                        }
                        for value, (label, found) in sorted(values.items(), key=order(facet))
                    ],
                }
                for facet, values in facets.items()
                if values
            ],
        }

    found = {f"{listing.section}/index.html": (listing.template, page(listing.everything, items, None))}
    for facet, values in facets.items():
        for value, (label, chosen) in values.items():
            found[f"{listing.section}/{facet}/{value}/index.html"] = (
                listing.template,
                page(f"{names[facet]}: {label}", chosen, f"{facet}/{value}"),
            )
    return found


def _expiry_values(context: Context, document: Document[Styrdokument]) -> list[tuple[str, str]]:
    """The windows ("inom 90 dagar") within which a decided document ends or must be given notice."""
    if document.record.status != "beslutad":
        return []
    term = _term_facts(document.record, context.as_of)
    ends = [d for d in (term["end"], term["notice"]) if d]
    today = context.as_of.isoformat()
    windows = [(days, (context.as_of + dt.timedelta(days=days)).isoformat()) for days in FACET_WINDOWS]
    return [(str(days), f"inom {days} dagar") for days, limit in windows if any(today <= d <= limit for d in ends)]


# The facets of the register: each one's name, and the values (with their labels) a document has.
_FACETS: _Facets[Document[Styrdokument]] = {
    "typ": ("Typ", lambda context, d: [(d.record.type, context.views[d.id].type_label)]),
    "agare": ("Ägare", lambda context, d: [(d.record.owner, context.name(d.record.owner))]),
    "status": ("Status", lambda context, d: [(d.record.status, STATUS_LABELS.get(d.record.status, d.record.status))]),
    "part": ("Part", lambda context, d: [(party, context.name(party)) for party in d.record.parties]),
    "loper-ut": ("Löper ut", _expiry_values),
}


def _decisions(context: Context) -> dict[str, tuple[str, dict[str, Any]]]:
    """The decision register, grouped by forum, meeting and §, and one static listing per forum,
    year and state (beslut/<facet>/<value>/index.html)."""
    from sb_cli.core.reports import decisions

    rows = [row for row in decisions(context.public, context.as_of) if row.get("kind") in ("beslut", "bordlagd")]
    return _faceted(
        context,
        Listing("beslut", "decisions.html.j2", "Beslut", "Alla beslut"),
        rows,
        _DECISION_FACETS,
        order=_facet_order,
        content=lambda chosen: {
            "clauses": len([r for r in chosen if r.get("kind") == "beslut"]),
            "deferred": len([r for r in chosen if r.get("kind") == "bordlagd"]),
            "forums": _decision_forums(context, chosen),
        },
    )


def _facet_order(facet: str) -> _SortKey:
    """Years newest first, states in the order of STATES, the rest by label."""
    if facet == "ar":
        return lambda kv: -int(kv[0])
    if facet == "lage":
        return lambda kv: list(STATES).index(kv[0])
    return lambda kv: kv[1][0]


def _decision_forum(context: Context, row: dict[str, Any]) -> list[tuple[str, str]]:
    return [(row["forum"], context.name(row["forum"]))]


def _decision_year(context: Context, row: dict[str, Any]) -> list[tuple[str, str]]:
    year = (row.get("meeting") or "")[:4]
    return [(year, year)] if year else []


def _decision_state(context: Context, row: dict[str, Any]) -> list[tuple[str, str]]:
    state = decision_state(row)
    return [(state, STATES[state])]


# The facets of the decision register: each one's name, and the value (with its label) of a row.
_DECISION_FACETS: _Facets[dict[str, Any]] = {
    "forum": ("Forum", _decision_forum),
    "ar": ("År", _decision_year),
    "lage": ("Läge", _decision_state),
}


def _decision_forums(context: Context, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The rows by forum (in organisation.yaml's order), meeting (newest first) and §."""
    by_forum: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for meeting in reversed(decision_meetings(rows)):
        by_forum[meeting.forum].append(
            {
                "title": _meeting_title(context, meeting.protocol, meeting.forum, meeting.meeting),
                "link": _item_link(context, meeting.protocol),
                "points": [
                    {
                        "reference": point.reference,
                        "title": point.title,
                        "link": _item_link(context, point.reference),
                        "clauses": [_clause(context, row) for row in point.rows],
                    }
                    for point in meeting.points
                ],
                "deferred": [_clause(context, row) for row in meeting.deferred],
            }
        )
    order = list(context.corpus.organisation.forums)
    return [
        {"id": forum, "name": context.name(forum), "meetings": meetings}
        for forum, meetings in sorted(by_forum.items(), key=lambda kv: order.index(kv[0]) if kv[0] in order else 0)
    ]


def _meeting_title(context: Context, protocol: str, forum: str, day: str) -> str:
    meeting = context.meetings_by_protocol.get(protocol)
    if meeting is None:
        return f"{context.name(forum)} {day}"
    return f"{context.name_on(forum, meeting.date)} {swedish_day(meeting.date)}"


def _clause(context: Context, row: dict[str, Any]) -> dict[str, Any]:
    """One att-clause, or one deferred point, as the register shows it."""
    followed = row.get("followed_up_by") or ""
    return {
        "reference": row["reference"],
        "title": row.get("item") or "",
        "text": f"flyttad till sammanträdet den {_long_day(row['due'])}"
        if row.get("kind") == "bordlagd"
        else row["text"],
        "responsible": row.get("responsible") or "",
        "state": decision_state(row),
        "words": state_words(row, _long_day),
        "followed_up_by": followed,
        "followed_link": _item_link(context, followed) if followed else None,
    }


def _long_day(iso: str) -> str:
    try:
        return swedish_day(dt.date.fromisoformat(iso))
    except ValueError:  # a month, "2024-02"
        return iso


def _item_link(context: Context, reference: str) -> str | None:
    """The page of the published protocol a reference (core.refs) names, at its § if it names one:
    the document macros give each item the id "protokoll-<number>"."""
    from sb_cli.core.refs import parse_reference

    parsed = parse_reference(reference)
    meeting = context.meetings_by_protocol.get(parsed.document) if parsed else None
    if parsed is None or meeting is None:
        return None
    anchor = f"#protokoll-{parsed.number}" if parsed.number is not None else ""
    return f"{meeting.folder}/index.html{anchor}"


def _arshjul(context: Context) -> dict[str, Any]:
    wheels = [d for d in context.selection.documents if isinstance(d.record, Arshjul) and d.record.status == "beslutad"]
    if not wheels:
        return {"title": "Årshjul", "section": "arshjul", "view": None, "wheel_svg": ""}
    view = context.views[wheels[-1].id]
    return {
        "title": "Årshjul",
        "section": "arshjul",
        "view": as_data(view),
        "wheel_svg": _markup(context.wheel_svg(view)),
    }


def _accessibility(context: Context) -> dict[str, Any]:
    settings = context.settings
    return {
        "title": "Tillgänglighetsredogörelse",
        "section": "tillganglighet",
        "organisation": settings.publisher,
        "contact": settings.accessibility_contact,  # empty only in a draft site
        "report_url": settings.accessibility_report_url,
        "compliance": settings.accessibility_compliance,  # None: not assessed
        "shortcomings": list(settings.accessibility_shortcomings),
    }


def feed(context: Context, timestamp: int) -> bytes:
    """Atom: the published protocols and styrdokument, newest first, with ids that never change."""
    entries: list[_Entry] = []
    for meeting in context.selection.meetings:
        if meeting.protocol and (adjusted := _adjusted_day(context, meeting.protocol)):
            title = f"Protokoll: {context.name_on(meeting.forum, meeting.date)} {swedish_day(meeting.date)}"
            entries.append((adjusted, meeting.protocol.id, title, f"{meeting.folder}/index.html"))
    for document in context.selection.documents:
        decided = document.record.decided
        day = decided.date if decided and decided.date else document.record.valid_from
        if day:
            entries.append(
                (
                    day,
                    document.id,
                    f"{document.record.title} ({document.record.version})",
                    f"dokument/{document.id}/index.html",
                )
            )
    for meeting, notice in context.postings:
        if meeting.protocol:
            name = context.name_on(meeting.forum, meeting.date)
            title = f"Anslag: justerat protokoll {name} {swedish_day(meeting.date)}"
            entries.append((notice.posted, f"{meeting.protocol.id}-anslag", title, f"{meeting.folder}/{CERTIFICATE}"))
    name = f"{context.settings.site_title}: protokoll och styrdokument"
    return _atom(context, "webbplats", name, "feed.atom", "index.html", entries)


def forum_feeds(context: Context, timestamp: int) -> dict[str, bytes]:
    """Atom per forum, `<forum-id>/feed.atom` (SPEC §8): its justerade protocols and its kallelser
    as they are sent, newest first, with the ids of the site's own feed."""
    feeds = {}
    for forum in context.corpus.organisation.forums.values():
        entries: list[_Entry] = []
        for meeting in context.selection.meetings:
            if meeting.forum != forum.id:
                continue
            link, day_long = f"{meeting.folder}/index.html", swedish_day(meeting.date)
            name = forum_name(forum, meeting.date)
            if meeting.protocol and (adjusted := _adjusted_day(context, meeting.protocol)):
                entries.append((adjusted, meeting.protocol.id, f"Protokoll: {name} {day_long}", link))
            if meeting.kallelse and meeting.kallelse.record.sent:
                sent = meeting.kallelse.record.sent
                entries.append((sent, meeting.kallelse.id, f"Kallelse: {name} {day_long}", link))
        title = f"{forum.name}: protokoll och kallelser"
        path = f"{forum.id}/feed.atom"
        feeds[path] = _atom(context, f"forum/{forum.id}", title, path, f"{forum.id}/index.html", entries)
    return feeds


_Entry = tuple[dt.date, str, str, str]  # (day, document id, title, link in the site)


def _adjusted_day(context: Context, protocol: Document[Protocol]) -> dt.date | None:
    """The day a protocol's entry carries: its justeringsdag, or for one justerat on a day the
    source does not give, the day the site first published it; None for a draft."""
    adjusted: object = protocol.record.adjusted
    if isinstance(adjusted, dt.date):
        return adjusted
    return dt.date.fromisoformat(context.published_on(protocol.id)) if adjusted is True else None


def _atom(context: Context, feed_id: str, title: str, path: str, page: str, entries: list[_Entry]) -> bytes:
    """An Atom feed at `path` in the site; its links are the site's (`page` its alternate), absolute
    under site_url or else relative to the feed itself."""
    import posixpath

    from feedgen.feed import FeedGenerator

    site_url = context.settings.site_url

    def url(link: str) -> str:
        if site_url:
            return site_url.rstrip("/") + "/" + link
        return posixpath.relpath(link, posixpath.dirname(path) or ".")

    generator = FeedGenerator()
    generator.id(f"tag:{_tag_authority(context)}:{feed_id}")
    generator.title(title)
    if context.settings.site_description:
        generator.subtitle(context.settings.site_description)
    generator.language("sv")
    generator.author({"name": context.settings.publisher})
    generator.link(href=url(path), rel="self")
    generator.link(href=url(page), rel="alternate")
    updated = max((e[0] for e in entries), default=context.as_of)
    generator.updated(_moment(updated))
    for day, ident, entry_title, link in sorted(entries, key=lambda e: (e[0], e[1])):
        entry = generator.add_entry(order="prepend")
        entry.id(f"tag:{_tag_authority(context)}:{ident}")
        entry.title(entry_title)
        entry.link(href=url(link))
        entry.updated(_moment(day))
        entry.published(_moment(day))
    data: bytes = generator.atom_str(pretty=True)
    return data


def _tag_authority(context: Context) -> str:
    """The tag: URI authority (RFC 4151) of the feed's ids: the site's host, or sb's own name for it."""
    from urllib.parse import urlparse

    host = urlparse(context.settings.site_url or "").hostname or "samverkan.sb"
    return f"{host},2024"


def _moment(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(), tzinfo=dt.UTC)


def calendar(context: Context, timestamp: int) -> bytes:
    """As `sb calendar`, over what is published: public meetings and the deadlines of published
    documents. An event written before is taken from the cache."""
    from sb_cli.core.calendar import Event, events, sequenced
    from sb_cli.io.ics import change_times, to_ics, vevent

    settings = context.settings
    found = events(context.public, context.as_of, reminder_days=settings.reminder_days, domain=settings.site_host)
    sources = [path for event in found for path in event.sources]
    found = sequenced(found, change_times(settings.root, settings.documents, sources))
    stamp = dt.datetime.combine(context.as_of, dt.time(), tzinfo=dt.UTC)

    def entry(event: Event, stamp: dt.datetime) -> bytes:
        made_of = key(plain(event), stamp.isoformat())
        return context.cache.remembered("kalenderpost", made_of, lambda: vevent(event, stamp), bytes, bytes)

    return to_ics(found, stamp, entry, name=settings.site_title)
