"""View models: what a mall (template) sees of a document. Plain JSON-able dicts, built purely.

Every mall gets `common` keys (kind, id, type, title, meta, footer, header_rows, body); protocols
and agendas add `meeting`, the årshjul adds `wheel`. Templates never see raw YAML.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from sb_cli.core.meetings import person_name
from sb_cli.core.model import STYRDOKUMENT_TYPES, Document, Organisation
from sb_cli.core.terms import status, term_of
from sb_cli.render.markdown import clean, parse

TYPE_LABELS = {
    "ledningssystem": "Ledningssystem", "overenskommelse": "Överenskommelse", "avtal": "Avtal",
    "riktlinje": "Riktlinje", "rutin": "Rutin", "processbeskrivning": "Processbeskrivning",
    "uppdragsbeskrivning": "Uppdragsbeskrivning", "verksamhetsplan": "Verksamhetsplan",
    "handlingsplan": "Handlingsplan", "projektplan": "Projektplan", "arshjul": "Årshjul",
    "kallelse": "Kallelse och dagordning", "protokoll": "Sammanträdesprotokoll",
    "foredragning": "Föredragning", "tjansteskrivelse": "Tjänsteskrivelse", "arsrapport": "Årsrapport",
}
STATUS_LABELS = {"utkast": "Utkast", "remiss": "Remiss", "beslutad": "Beslutad", "upphavd": "Upphävd"}

# Which mall (templates/<mall>/) renders each type; the rest use the styrdokument mall.
MALLAR = {"protokoll": "protokoll", "kallelse": "kallelse", "foredragning": "foredragning",
          "uppdragsbeskrivning": "uppdragsbeskrivning", "projektplan": "projektplan", "arshjul": "arshjul"}


def map_strings(value: Any, change: Callable[[str], str]) -> Any:
    """The view (or any part of it) with `change` applied to every string in it."""
    if isinstance(value, str):
        return change(value)
    if isinstance(value, dict):
        return {key: map_strings(item, change) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [map_strings(item, change) for item in value]
    return value


def mall_for(doc_type: str) -> str:
    return MALLAR.get(doc_type, "styrdokument")


def swedish_date(day: dt.date) -> str:
    """"fredagen den 16 juni 2023" (Babel gives the weekday and month names)."""
    from babel.dates import format_date

    weekday = format_date(day, "EEEE", locale="sv_SE")
    return f"{weekday}en den {day.day} {format_date(day, 'MMMM', locale='sv_SE')} {day.year}"


def clock(value: Any) -> str | None:
    return value.replace(":", ".") if isinstance(value, str) else None


def _s(value: Any) -> str:
    return clean(str(value)) if value is not None else ""


def _name(organisation: Organisation, ident: Any) -> str:
    return organisation.name_of(ident) if isinstance(ident, str) else ""


def build(document: Document, organisation: Organisation, *, as_of: dt.date, commit: str | None,
          version: str, public: bool = False, extract: int | None = None) -> dict[str, Any]:
    doc_type = document.type or ""
    owner = document.get("owner") or document.get("forum")
    term = term_of(document)
    valid_until = document.get("valid_until")
    meta = {
        "title": _s(document.get("title")),
        "author": _name(organisation, owner),
        "owner": _s(owner),
        "version": _s(document.get("version")),
        "valid_until": _s(valid_until),
        "diarienummer": _s(document.get("diarienummer")),
        "status": _s(document.get("status")),
        "date": document.get("meeting", "date") or document.get("decided", "date") or document.get("date"),
    }
    meta["keywords"] = [f"{label} {value}" for label, value in (
        ("Typ", TYPE_LABELS.get(doc_type, doc_type)), ("Ägare", meta["author"]), ("Version", meta["version"]),
        ("Giltig till", meta["valid_until"]), ("Diarienummer", meta["diarienummer"])) if value]
    stamp = [document.id or "", f"version {meta['version']}" if meta["version"] else "",
             f"commit {commit[:7]}" if commit else "ej incheckad", f"sb {version}"]
    view: dict[str, Any] = {
        "kind": mall_for(doc_type),
        "lang": "sv-SE",
        "id": document.id,
        "type": doc_type,
        "type_label": TYPE_LABELS.get(doc_type, doc_type),
        "title": meta["title"],
        "meta": meta,
        "footer": " · ".join(s for s in stamp if s),
        "header_rows": _header_rows(document, organisation, term, as_of),
        "body": parse(document.body or document.get("body")),
        "public": public,
    }
    if doc_type in ("protokoll", "kallelse", "foredragning"):
        view["meeting"] = _meeting(document, organisation, public=public, extract=extract)
    if doc_type == "arshjul":
        view["wheel"] = _wheel(document, organisation, as_of)
    if doc_type == "foredragning":
        view["proposed_decisions"] = [_decision_text(d) for d in document.get("proposed_decisions") or []]
    return view


def _header_rows(document: Document, organisation: Organisation, term: Any, as_of: dt.date) -> list[list[str]]:
    """The dokumenthuvud: label and value, only for what the document says."""
    decided = document.get("decided") if isinstance(document.get("decided"), dict) else {}
    rows = [
        ("Dokumenttyp", TYPE_LABELS.get(document.type or "", document.type or "")),
        ("Dokumentnamn", document.get("title")),
        ("Dokumentägare", _name(organisation, document.get("owner") or document.get("forum"))),
        ("Dokumentansvarig", document.get("contact") or document.get("author")),
        ("Status", STATUS_LABELS.get(document.get("status"), document.get("status"))),
        ("Beslutad av", _name(organisation, decided.get("by")) if decided else None),
        ("Beslutsdatum", decided.get("date") if decided else None),
        ("Beslutsparagraf", decided.get("ref") if decided else None),
        ("Giltig från", document.get("valid_from")),
        ("Giltig till", document.get("valid_until")),
        ("Revideras senast", document.get("review_by")),
        ("Version", document.get("version")),
        ("Diarienummer", document.get("diarienummer")),
        ("Datum", document.get("date")),
    ]
    if term is not None and term.renewal_months:
        facts = status(term, as_of)
        rows.append(("Uppsägning", f"senast {term.notice_months} månader före avtalstidens slut; "
                                   f"förlängs annars med {term.renewal_months} månader i taget"))
        if facts.renewed:
            rows.append(("Gäller nu till", facts.effective_end.isoformat()))
    parties = document.get("parties")
    if isinstance(parties, list) and parties:
        rows.append(("Parter", ", ".join(_name(organisation, p) for p in parties)))
    if document.type in STYRDOKUMENT_TYPES or document.type in ("tjansteskrivelse", "arsrapport"):
        return [[label, _s(value)] for label, value in rows if value not in (None, "", [])]
    return []


def _decision_text(value: Any) -> str:
    if isinstance(value, dict):
        return _s(value.get("text"))
    return _s(value)


def _people(entries: Any, organisation: Organisation, *, with_items: bool = False) -> list[dict[str, Any]]:
    people = []
    for entry in entries if isinstance(entries, list) else []:
        name = person_name(entry)
        if not name:
            continue
        details = entry if isinstance(entry, dict) else {}
        description = ", ".join(_s(x) for x in (details.get("title"), _name(organisation, details.get("party"))) if x)
        items = details.get("items") if with_items and isinstance(details.get("items"), list) else []
        people.append({"name": _s(name), "description": description, "role": _s(details.get("role")),
                       "items_label": " ".join(f"§{n}" for n in items)})
    return people


def _join_names(names: list[str]) -> str:
    names = [_s(n) for n in names if n]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " och " + names[-1] if names else ""


def _meeting(document: Document, organisation: Organisation, *, public: bool, extract: int | None) -> dict[str, Any]:
    forum_id = document.get("forum")
    forum = organisation.forums.get(forum_id) if isinstance(forum_id, str) else None
    day = document.date("meeting", "date")
    numbering = document.get("numbering") or (forum.numbering if forum else "paragraph")
    start, end = clock(document.get("meeting", "start")), clock(document.get("meeting", "end"))
    time = f"kl. {start}–{end}" if start and end else (f"kl. {start}" if start else "")
    place = _s(document.get("meeting", "place"))
    when = swedish_date(day) if day else "datum saknas"
    time_and_place = ", ".join(p for p in (" ".join(p for p in (when[0].upper() + when[1:], time) if p), place) if p)
    items = []
    for item in document.get("items") or []:
        if not isinstance(item, dict) or not isinstance(item.get("number"), int):
            continue
        if public and item.get("public") is False:
            continue
        if extract is not None and item["number"] != extract:
            continue
        items.append(_item(item, numbering))
    numbers = [i["number"] for i in items]
    paragraphs = (f"Paragrafer §{numbers[0]}–§{numbers[-1]}" if numbering == "paragraph" and len(numbers) > 1
                  else f"Paragraf §{numbers[0]}" if numbering == "paragraph" and numbers else "")
    chair, secretary = document.get("chair"), document.get("secretary")
    members = {m.name: m for m in forum.members} if forum else {}

    def signer(role: str, name: Any) -> dict[str, str] | None:
        if not isinstance(name, str):
            return None
        member = members.get(name)
        description = ", ".join(x for x in (member.title if member else None,
                                            _name(organisation, member.party) if member else None) if x)
        return {"role": role, "name": _s(name), "description": _s(description)}

    signatures = [s for s in (signer("Ordförande", chair), signer("Sekreterare", secretary)) if s]
    signatures += [s for s in (signer("Justerare", a) for a in document.get("adjusters") or []) if s]
    extracted = None
    if extract is not None:
        found = [i for i in items if i["number"] == extract]
        extracted = {"label": found[0]["label"] if found else str(extract), "certify": "Rätt utdraget intygar",
                     "send_to": found[0]["send_to"] if found else []}
    return {
        "forum": _s(forum_id), "forum_name": forum.name if forum else _s(forum_id),
        "decision_phrase": forum.phrase if forum else "Beslut",
        "heading": "Protokollsutdrag" if extract is not None else TYPE_LABELS.get(document.type or "", ""),
        "date": day.isoformat() if day else None, "date_long": when, "time": time, "place": place,
        "time_and_place": time_and_place, "numbering": numbering,
        "present": _people(document.get("attendance", "present"), organisation),
        "absent": _people(document.get("attendance", "absent"), organisation),
        "others": _people(document.get("attendance", "others"), organisation, with_items=True),
        "chair": signer("Ordförande", chair), "secretary": signer("Sekreterare", secretary),
        "signatures": signatures, "adjusted": document.get("adjusted"),
        "paragraphs_label": paragraphs, "items": items,
        "index": [{"label": i["index_label"], "title": i["title"],
                   "subitems": [f"{s['label']} {s['title']}" for s in i["subitems"]]} for i in items],
        "distribution": [_s(d) for d in document.get("distribution") or []] if extract is None else [],
        "extract": extracted, "sent": document.get("sent"), "reply_by": document.get("reply_by"),
        "register_by": document.get("register_by"),
    }


def _item(item: dict[str, Any], numbering: str) -> dict[str, Any]:
    number = item["number"]
    label = f"§ {number}" if numbering == "paragraph" else f"{number})."
    return {
        "number": number, "label": label,
        "index_label": f"§{number}" if numbering == "paragraph" else f"{number}).",
        **_parts(item),
        "subitems": [{"label": f"{_s(s.get('letter'))}/", **_parts(s)}
                     for s in item.get("subitems") or [] if isinstance(s, dict)],
    }


def _parts(item: dict[str, Any]) -> dict[str, Any]:
    kind = item.get("kind")
    attachments = item.get("attachments") or []
    presenters = [p for p in item.get("presenters") or [] if isinstance(p, str)]
    deferred = item.get("deferred_to")
    return {
        "title": _s(item.get("title")),
        "kind_label": f"({kind})" if kind else "",
        "attachments_label": f"({', '.join(_s(a) for a in attachments)})" if attachments else "",
        "presenters_label": f"Föredragande: {_join_names(presenters)}" if presenters else "",
        "body": parse(item.get("body")),
        "decisions": [_decision_text(d) for d in item.get("decisions") or []],
        "proposed_decisions": [_decision_text(d) for d in item.get("proposed_decisions") or []],
        "send_to": [_s(s) for s in item.get("send_to") or []],
        "note": f"Flyttad till {deferred}" if deferred else "",
        "public": item.get("public") is not False,
    }


def _wheel(document: Document, organisation: Organisation, as_of: dt.date) -> dict[str, Any]:
    from babel.dates import get_month_names

    months = get_month_names("wide", locale="sv_SE")
    events = []
    for event in document.get("events") or []:
        if isinstance(event, dict):
            month = event.get("month") if isinstance(event.get("month"), int) else None
            events.append({"month": month, "title": _s(event.get("title")),
                           "forum": _name(organisation, event.get("forum"))})
    year = document.get("year") if isinstance(document.get("year"), int) else as_of.year
    return {"year": year, "months": [months[m].capitalize() for m in range(1, 13)], "events": events,
            "unplaced": [e for e in events if e["month"] is None]}
