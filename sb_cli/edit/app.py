"""`sb edit`: the secretary's desk, an ASGI application (Starlette) over one repository.

Every page is server-rendered HTML (Jinja, autoescaped, StrictUndefined) and every action is a
plain form post; htmx, when the browser runs it, swaps the same forms in place. Paths come only
from document ids. The work is done by the same functions as the command line: `drafting` for new
documents and justering, `validation` for the findings, `render.service` for the previews.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import hmac
import tempfile
from functools import partial
from pathlib import Path
from typing import Any
from urllib.parse import quote

from jinja2 import ChoiceLoader, Environment, FileSystemLoader, PackageLoader, StrictUndefined, select_autoescape
from starlette.applications import Starlette
from starlette.datastructures import FormData
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from sb_cli import drafting
from sb_cli.core import words
from sb_cli.core.doctypes import TYPES
from sb_cli.core.meetings import name_key
from sb_cli.core.model import Severity
from sb_cli.core.organisation import resolve_forum
from sb_cli.edit import forms, views
from sb_cli.edit.changes import compared_with, comparison
from sb_cli.edit.guard import ASGIApp, Guard, Receive, Scope, Send, csrf_token
from sb_cli.edit.schemaform import Schemas, field_id, from_fields
from sb_cli.edit.workspace import Conflict, Opened, Workspace
from sb_cli.errors import SbError
from sb_cli.io.loader import parse_bytes
from sb_cli.io.repo import packaged

HERE = Path(__file__).parent
TITLES = {
    "home.html.j2": "Forum och möten",
    "loading.html.j2": "Forum och möten",
    "coordinator.html.j2": "Bevakning",
    "new_kallelse.html.j2": "Ny kallelse",
    "new_styrdokument.html.j2": "Nytt styrdokument",
    "git.html.j2": "Spara i git",
}
FORMATS = {"pdf": "application/pdf", "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document"}


class Desk:
    """The routes over one workspace."""

    def __init__(self, workspace: Workspace, token: str) -> None:
        self.workspace = workspace
        self.csrf = csrf_token(token)
        self.schemas = Schemas(workspace.settings.schema_dir())
        self.pages = Environment(
            # the shipped document macros too (never the repository's own: its templates are code)
            loader=ChoiceLoader(
                [PackageLoader("sb_cli.edit", "templates"), FileSystemLoader(packaged("templates") / "_common")]
            ),
            autoescape=select_autoescape(default=True),
            undefined=StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
        )
        self.pages.filters["field_id"] = field_id
        self.pages.filters["tal"] = partial(words.number, space="\u00a0")  # 1 200, never broken

    # --- helpers ---------------------------------------------------------------------------------

    def page(self, template: str, *, status: int = 200, **data: Any) -> HTMLResponse:
        data.setdefault("title", TITLES.get(template, "sb edit"))
        html = self.pages.get_template(template).render(csrf=self.csrf, as_of=self.workspace.as_of, **data)
        return HTMLResponse(html, status_code=status)

    async def posted(self, request: Request) -> FormData:
        form = await request.form()
        if not hmac.compare_digest(str(form.get("_csrf", "")).encode(), self.csrf.encode()):
            raise HTTPException(403, "Formuläret saknar en giltig CSRF-nyckel: ladda om sidan och försök igen.")
        return form

    def context(self, opened: Opened) -> forms.Context:
        organisation = self.workspace.loaded().corpus.organisation
        forum_id = opened.data.get("forum")
        forum = organisation.forums.get(forum_id) if isinstance(forum_id, str) else None
        meeting = opened.data.get("meeting")
        day = _day(meeting.get("date")) if isinstance(meeting, dict) else None
        return forms.Context(organisation, forum, day, name_key(str(opened.data.get("secretary", ""))))

    def document_page(
        self,
        opened: Opened,
        data: dict[str, Any],
        *,
        status: int = 200,
        message: str = "",
        saved: bool = False,
        previews: bool = False,
    ) -> HTMLResponse:
        context = self.context(opened)
        findings = self.workspace.findings_of(opened.relpath)
        source = opened.source
        body_line = source.body_line if source.body is not None else None
        placed = views.placed(findings, source.positions, self.schemas, opened.doc_type, body_line)
        present = [forms.person_name(p) for p in (data.get("attendance") or {}).get("present") or []]
        return self.page(
            "document.html.j2",
            status=status,
            opened=opened,
            title=str(data.get("title") or opened.relpath),
            form=_previewed(forms.tree(data, self.schemas, opened.doc_type, context), previews),
            placed=placed,
            by_field={p.field: p for p in placed if p.field},
            errors=sum(1 for p in placed if p.finding.severity is Severity.ERROR),
            quorum=forms.quorum_of(present, context),
            attendees=forms.attendees(data),
            message=message,
            saved=saved,
            entry=TYPES.get(opened.doc_type),
            compared_with=compared_with(self.workspace, opened.document),
        )

    # --- pages -----------------------------------------------------------------------------------

    async def home(self, request: Request) -> Response:
        if not await _loaded_soon(self.workspace):
            done, total = self.workspace.progress
            return self.page("loading.html.j2", done=done, total=total)
        loaded = self.workspace.loaded()
        page = self.page(
            "home.html.j2",
            forums=views.forums(loaded.corpus, self.workspace.as_of),
            styrdokument=sorted(loaded.corpus.styrdokument(), key=lambda d: d.record.title),
            types=self.workspace.types(),
            problems=loaded.problems,
        )
        self.workspace.check_in_background()  # the findings, ready when a document is opened
        return page

    async def coordinator(self, request: Request) -> Response:
        corpus = self.workspace.loaded().corpus
        window = self.workspace.settings.notice_window_days
        rows: dict[str, Any] = views.coordinator(corpus, self.workspace.as_of, window)
        return self.page("coordinator.html.j2", window=window, **rows)

    async def document(self, request: Request) -> Response:
        opened = self.workspace.open(request.path_params["ident"])
        return self.document_page(opened, opened.data)

    async def save(self, request: Request) -> Response:
        form = await self.posted(request)
        opened = self.workspace.open(request.path_params["ident"])
        if opened.locked:
            return self.document_page(opened, opened.data, status=409, message=opened.locked)
        data = self.read_form(opened, form)
        action = str(form.get("_action", "spara"))
        if action == "visa-text":
            return self.document_page(opened, data, previews=True)
        if action != "spara":
            return self.document_page(opened, forms.act(data, action, self.schemas, opened.doc_type))
        try:
            conflict = self.workspace.save(opened, str(form.get("_version", "")), data)
        except SbError as error:
            return self.document_page(opened, data, status=422, message=error.message)
        if conflict is not None:
            return self.conflict_page(opened, conflict)
        saved = self.workspace.open(opened.data.get("id", request.path_params["ident"]))
        return self.document_page(saved, saved.data, saved=True)

    def read_form(self, opened: Opened, form: FormData) -> dict[str, Any]:
        fields = [(key, str(value)) for key, value in form.multi_items() if isinstance(value, str)]
        data = from_fields([(k, v) for k, v in fields if k != forms.ROSTER_FIELD], self.schemas, opened.doc_type)
        data = {"type": opened.doc_type, **data} if "type" in opened.data else data
        data = _in_order(data, opened.data)
        if forms.ROSTER_FIELD in form or "_närvaro_visad" in form:
            ticked = [str(v) for v in form.getlist(forms.ROSTER_FIELD)]
            data = forms.with_roster(data, ticked, self.context(opened), opened.data)
        result: dict[str, Any] = forms.without_att(data)
        return result

    async def quorum(self, request: Request) -> Response:
        form = await self.posted(request)
        opened = self.workspace.open(request.path_params["ident"])
        ticked = [str(v) for v in form.getlist(forms.ROSTER_FIELD)]
        return self.page("quorum.html.j2", quorum=forms.quorum_of(ticked, self.context(opened)))

    async def new_kallelse(self, request: Request) -> Response:
        organisation = self.workspace.loaded().corpus.organisation
        forums = organisation.forums
        if request.method == "GET":  # ?forum= takes the id, any name or alias, as --forum does
            named = resolve_forum(organisation, request.query_params.get("forum", ""))
            return self.page("new_kallelse.html.j2", forums=forums, chosen=named.id if named else "", message="")
        form = await self.posted(request)
        loaded = self.workspace.loaded()
        try:
            forum = drafting.forum_of(loaded, str(form.get("forum", "")) or None)
            day = _day(str(form.get("date", "")))
            if day is None:
                raise SbError("ange mötets datum")
            target, text, _late = drafting.kallelse_file(
                loaded, forum, day, self.workspace.documents,
                start=str(form.get("start", "")).strip() or None, place=str(form.get("place", "")).strip() or None,
            )  # fmt: skip
            relpath = self.workspace.create(target, text)
        except SbError as error:
            return self.page(
                "new_kallelse.html.j2",
                status=422,
                forums=forums,
                chosen=str(form.get("forum", "")),
                message=error.message,
            )
        return self.to_document(relpath)

    def to_document(self, relpath: str) -> Response:
        """To the page of the document just written (its id as the file gives it)."""
        source = parse_bytes(relpath, (self.workspace.settings.root / relpath).read_bytes()).source
        return _to((source.id if source else None) or "")

    async def sent(self, request: Request) -> Response:
        await self.posted(request)
        opened = self.workspace.open(request.path_params["ident"])
        data = dict(opened.data)
        data["sent"] = self.workspace.as_of.isoformat()
        return self._saved_or_conflict(opened, data)

    def _saved_or_conflict(self, opened: Opened, data: dict[str, Any], *, unlock: bool = False) -> Response:
        """A button's change saved, then to the document's page; or why not."""
        try:
            conflict = self.workspace.save(opened, opened.version, data, unlock=unlock)
        except SbError as error:
            return self.document_page(opened, opened.data, status=422, message=error.message)
        if conflict is not None:
            return self.conflict_page(opened, conflict)
        return _to(str(opened.data.get("id", "")))

    def conflict_page(self, opened: Opened, conflict: Conflict) -> HTMLResponse:
        return self.page("conflict.html.j2", status=409, opened=opened, conflict=conflict, title=opened.relpath)

    async def protocol(self, request: Request) -> Response:
        await self.posted(request)
        loaded = self.workspace.loaded()
        opened = self.workspace.open(request.path_params["ident"])
        try:
            kallelse = drafting.kallelse_at(loaded, opened.relpath)
            target, text = drafting.protocol_file(loaded, kallelse, self.workspace.documents)
            relpath = self.workspace.create(target, text)
        except SbError as error:  # Refused too: the findings that stop it are on the page
            return self.document_page(opened, opened.data, status=422, message=error.message)
        return self.to_document(relpath)

    async def adjust(self, request: Request) -> Response:
        form = await self.posted(request)
        opened = self.workspace.open(request.path_params["ident"])
        day = _day(str(form.get("date", "")))
        if day is None:
            return self.document_page(opened, opened.data, status=422, message="ange justeringsdatumet")
        try:
            drafting.adjust(self.workspace.settings, opened.relpath, day, self.workspace.as_of)
        except SbError as error:  # Refused too: the findings that stop it are on the page
            return self.document_page(opened, opened.data, status=422, message=error.message)
        return _to(str(opened.data.get("id", "")))

    async def new_styrdokument(self, request: Request) -> Response:
        organisation = self.workspace.loaded().corpus.organisation
        choices: dict[str, Any] = {"types": self.workspace.types(), "organisation": organisation}
        if request.method == "GET":
            return self.page("new_styrdokument.html.j2", message="", values={}, **choices)
        form = await self.posted(request)
        values = {key: str(form.get(key, "")).strip() for key in ("type", "id", "title", "owner")}
        try:
            if values["type"] not in dict(self.workspace.types()):
                raise SbError("välj en dokumenttyp")
            if not values["id"] or not values["title"] or not values["owner"]:
                raise SbError("id, dokumentnamn och dokumentägare behövs")
            target, text = drafting.styrdokument_file(
                self.workspace.loaded(), values["type"], values["id"], values["title"], values["owner"],
                self.workspace.documents, self.workspace.as_of, force=False,
            )  # fmt: skip
            self.workspace.create(target, text)
        except SbError as error:
            return self.page("new_styrdokument.html.j2", status=422, message=error.message, values=values, **choices)
        return _to(values["id"])

    async def new_version(self, request: Request) -> Response:
        await self.posted(request)
        opened = self.workspace.open(request.path_params["ident"])
        return self._saved_or_conflict(opened, drafting.next_version(opened.data), unlock=True)

    async def changes(self, request: Request) -> Response:
        """A styrdokument draft compared with its last decided version: what goes to the meeting."""
        opened = self.workspace.open(request.path_params["ident"])
        version = compared_with(self.workspace, opened.document)
        if opened.document is None or version is None:
            raise HTTPException(404, "Det finns ingen beslutad version att jämföra med.")
        try:
            view = comparison(self.workspace, opened.document)
        except SbError as error:
            return self.document_page(opened, opened.data, status=422, message=error.message)
        title = f"Ändringarna mot version {version}"
        return self.page("changes.html.j2", title=title, opened=opened, view=view)

    async def git_page(self, request: Request) -> Response:
        """The changed files with their findings, and "Spara i git"."""
        from sb_cli.io import gitsave

        message, pushed, form = "", None, None
        if request.method == "POST":
            form = await self.posted(request)
            chosen = [str(v) for v in form.getlist("fil")]
            try:
                if not chosen:
                    raise SbError("välj minst en fil att spara")
                commit = gitsave.commit(
                    self.workspace.settings.root, chosen, str(form.get("meddelande", "")),
                    documents=self.workspace.settings.documents,
                )  # fmt: skip
                pushed = gitsave.push(self.workspace.settings.root)
                message = f"Sparat i git som {commit[:10]}."
            except SbError as error:
                message = error.message
        try:
            changed = gitsave.changes(self.workspace.settings.root, self.workspace.settings.documents)
        except SbError as error:
            return self.page("git.html.j2", status=422, changes=[], message=error.message, pushed=None, findings={})
        findings = {c.path: self.workspace.findings_of(c.path) for c in changed}
        status = 422 if form is not None and pushed is None else 200
        return self.page(
            "git.html.j2", status=status, changes=changed, message=message, pushed=pushed, findings=findings
        )

    async def preview(self, request: Request) -> Response:
        from sb_cli.render.service import render

        opened = self.workspace.open(request.path_params["ident"])
        kind = request.path_params["format"]
        public = request.query_params.get("offentlig") == "1"
        excerpt = request.query_params.get("utdrag", "")
        extract = int(excerpt) if excerpt.isdigit() and len(excerpt) < 8 else None
        if kind not in FORMATS or opened.document is None:
            raise HTTPException(404, "Förhandsgranskningen finns inte: dokumentet har fel som först måste rättas.")
        loaded = self.workspace.loaded()
        with tempfile.TemporaryDirectory(prefix="sb-edit-") as folder:
            try:
                written = render(
                    self.workspace.settings, loaded.corpus, [opened.document], as_of=self.workspace.as_of,
                    formats=(kind,), out=Path(folder), public=public, extract=extract, force=True,
                )  # fmt: skip
            except SbError as error:
                return self.document_page(opened, opened.data, status=422, message=error.message)
            data = written[0].read_bytes()
            name = written[0].name
        disposition = "inline" if kind == "pdf" else "attachment"
        return Response(
            data, media_type=FORMATS[kind], headers={"content-disposition": f'{disposition}; filename="{name}"'}
        )


def _to(ident: str) -> RedirectResponse:
    """To a document's page (after a post: 303, so a reload does not post again)."""
    return RedirectResponse(f"/dokument/{quote(ident, safe='')}", status_code=303)


def _previewed(form: forms.Group, wanted: bool) -> forms.Group:
    return forms.with_previews(form) if wanted else form


def _day(value: object) -> dt.date | None:
    try:
        return dt.date.fromisoformat(str(value)) if value else None
    except ValueError:
        return None


def _in_order(data: dict[str, Any], before: dict[str, Any]) -> dict[str, Any]:
    """The keys in the order the file had them, new keys after."""
    ordered = {key: data[key] for key in before if key in data}
    ordered.update((key, value) for key, value in data.items() if key not in ordered)
    return ordered


async def _refused(request: Request, exc: Exception) -> Response:
    status = exc.status_code if isinstance(exc, HTTPException) else 500
    detail = exc.detail if isinstance(exc, HTTPException) else "Ett internt fel i sb."
    body = (
        '<!doctype html><html lang="sv"><meta charset="utf-8"><title>Fel</title>'
        f'<main><h1>Det gick inte</h1><p>{_escape(detail)}</p><p><a href="/">Till startsidan</a></p></main></html>'
    )
    return HTMLResponse(body, status_code=status)


async def _not_found(request: Request, exc: Exception) -> Response:
    message = exc.message if isinstance(exc, SbError) else str(exc)
    return await _refused(request, HTTPException(404, message))


def _escape(text: str) -> str:
    from markupsafe import escape

    return str(escape(text))


def application(workspace: Workspace, *, token: str, port: int) -> Guard:
    desk = Desk(workspace, token)
    routes = [
        Route("/", desk.home),
        Route("/samordning", desk.coordinator),
        Route("/git", desk.git_page, methods=["GET", "POST"]),
        Route("/ny/kallelse", desk.new_kallelse, methods=["GET", "POST"]),
        Route("/ny/styrdokument", desk.new_styrdokument, methods=["GET", "POST"]),
        Route("/dokument/{ident}", desk.document),
        Route("/dokument/{ident}", desk.save, methods=["POST"]),
        Route("/dokument/{ident}/kvorum", desk.quorum, methods=["POST"]),
        Route("/dokument/{ident}/skickad", desk.sent, methods=["POST"]),
        Route("/dokument/{ident}/protokoll", desk.protocol, methods=["POST"]),
        Route("/dokument/{ident}/justera", desk.adjust, methods=["POST"]),
        Route("/dokument/{ident}/ny-version", desk.new_version, methods=["POST"]),
        Route("/dokument/{ident}/visa.{format}", desk.preview),
        Route("/dokument/{ident}/andringar", desk.changes),
        Mount("/static", StaticFiles(directory=HERE / "static"), name="static"),
    ]
    app = Starlette(routes=routes, exception_handlers={HTTPException: _refused, SbError: _not_found})
    return Guard(_refreshing(app, workspace), token=token, port=port)


PATIENCE_S = 1.5  # how long the start page waits for the documents before it shows the loading instead


async def _loaded_soon(workspace: Workspace) -> bool:
    """Whether every document is loaded, after waiting a little for a load under way (started here
    when none is): a small repository shows its page at once, a large one how the loading goes."""
    workspace.load_in_background()
    waited = 0.0
    while not workspace.is_loaded and waited < PATIENCE_S:
        await asyncio.sleep(0.05)
        waited += 0.05
    return workspace.is_loaded


def _refreshing(app: ASGIApp, workspace: Workspace) -> ASGIApp:
    """Each page looks at the files once, before it is made (the static files do not need to)."""

    async def refreshed(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and not str(scope.get("path", "")).startswith("/static/"):
            workspace.refresh()
        await app(scope, receive, send)

    return refreshed
