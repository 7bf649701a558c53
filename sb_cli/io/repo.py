"""The document repository: its root, its settings (sb.toml) and where things live."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any, Literal

import msgspec

from sb_cli.core.records import swedish
from sb_cli.errors import UsageError
from sb_cli.io.loader import DEFAULT_MAX_BYTES

ORGANISATION_FILE = "organisation.yaml"


@dataclass(frozen=True, slots=True)
class Settings:
    root: Path
    documents: str = "documents"
    templates: str = "templates"
    schemas: str = "schemas"
    notice_window_days: int = 90
    max_file_bytes: int = DEFAULT_MAX_BYTES
    render_seconds: int = 60  # per document, all its formats together
    render_memory_mb: int = 1024
    reminder_days: tuple[int, ...] = (90, 30, 7)  # the calendar's reminders, days before each deadline
    # sb publish and sb calendar: who publishes (SPEC §8); nothing of any one region is built in.
    site_name: str = ""  # the site's and the calendar's name; empty: the repository folder's name
    site_description: str = ""  # one sentence under the name on every page, and the feed's subtitle
    organisation_name: str = ""  # who stands behind the site; empty: the site's name
    site_url: str | None = None  # where the site is published (the feed's links)
    accessibility_contact: str = ""  # the tillgänglighetsredogörelse's contact; without it only --draft-site
    accessibility_report_url: str | None = None  # a form or page for reporting a shortcoming
    accessibility_compliance: str | None = None  # DIGG's level: full, partial or none; None: not assessed
    accessibility_shortcomings: tuple[str, ...] = ()  # known shortcomings

    @property
    def site_title(self) -> str:
        """The site's name: sb.toml's, else the repository folder's (as sb init writes it)."""
        return self.site_name or self.root.name

    @property
    def publisher(self) -> str:
        """Who stands behind the site: sb.toml's organisation_name, else the site's name."""
        return self.organisation_name or self.site_title

    @property
    def site_host(self) -> str:
        """The site's own domain, which ends the calendar's UIDs: site_url's host, else the site's name
        made a host name ("Samverkan Kronoberg" → "samverkan-kronoberg.sb")."""
        import unicodedata
        from urllib.parse import urlparse

        host = urlparse(self.site_url or "").hostname
        if host:
            return host
        plain = unicodedata.normalize("NFKD", self.site_title).encode("ascii", "ignore").decode().lower()
        return (re.sub(r"[^a-z0-9]+", "-", plain).strip("-") or "webbplats") + ".sb"

    @property
    def organisation_path(self) -> str:
        return f"{self.documents}/{ORGANISATION_FILE}"

    def relpath(self, path: Path) -> str:
        """A file or folder given on the command line, relative to the root ("documents/…")."""
        absolute = path.resolve()
        if not absolute.exists():
            raise UsageError(f"{path} finns inte")
        if not absolute.is_relative_to(self.root):
            raise UsageError(f"{path} ligger utanför repositoriet {self.root}")
        return absolute.relative_to(self.root).as_posix()

    def schema_dir(self) -> Path:
        """The repository's own schemas, else the ones shipped with sb."""
        own = self.root / self.schemas
        return own if own.is_dir() else packaged("schemas")


def packaged(name: str) -> Path:
    """A data folder shipped with sb (inside the wheel, or beside the package in a checkout)."""
    here = Path(__file__).resolve().parent.parent
    inside = here / name
    return inside if inside.is_dir() else here.parent / name


def find_root(start: Path) -> Path:
    for folder in (start, *start.parents):
        if (folder / "sb.toml").is_file() or (folder / "documents" / ORGANISATION_FILE).is_file():
            return folder
    raise UsageError(
        f"hittar inget dokumentrepositorium från {start}",
        hint="kör sb i ett repositorium med sb.toml eller documents/organisation.yaml, eller ange --root",
    )


_WebAddress = Annotated[str, msgspec.Meta(pattern="^https?://[^\\s]+$", max_length=500)]


class _SettingsFile(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """What sb.toml may say (all optional)."""

    documents: str = "documents"
    templates: str = "templates"
    schemas: str = "schemas"
    notice_window_days: Annotated[int, msgspec.Meta(ge=0, le=36_500)] = 90
    max_file_bytes: Annotated[int, msgspec.Meta(ge=1, le=1 << 30)] = DEFAULT_MAX_BYTES
    render_seconds: Annotated[int, msgspec.Meta(ge=1, le=3600)] = 60
    render_memory_mb: Annotated[int, msgspec.Meta(ge=256, le=65_536)] = 1024
    reminder_days: tuple[Annotated[int, msgspec.Meta(ge=1, le=3650)], ...] = (90, 30, 7)
    site_name: Annotated[str, msgspec.Meta(min_length=1, max_length=200)] = ""
    site_description: Annotated[str, msgspec.Meta(max_length=500)] = ""
    organisation_name: Annotated[str, msgspec.Meta(min_length=1, max_length=200)] = ""
    site_url: _WebAddress | None = None
    accessibility_contact: Annotated[str, msgspec.Meta(max_length=1000)] = ""
    accessibility_report_url: _WebAddress | None = None
    accessibility_compliance: Literal["full", "partial", "none"] | None = None
    accessibility_shortcomings: tuple[Annotated[str, msgspec.Meta(min_length=1, max_length=1000)], ...] = ()


_FOLDERS = ("documents", "templates", "schemas")
MAX_REMINDERS = 5  # Google Calendar keeps no more per event


def load_settings(root: Path | None, cwd: Path) -> Settings:
    if root is not None and not root.is_dir():
        raise UsageError(f"--root {root} är ingen mapp")
    base = (root or find_root(cwd)).resolve()
    config_file = base / "sb.toml"
    if not config_file.is_file():
        return Settings(root=base)
    text, config = _read_config(config_file)
    section = config["sb"] if isinstance(config.get("sb"), dict) else config
    _check_renamed(text, section)
    read = _converted(text, section)
    _check_folders(text, base, read)
    _check_reminders(text, read.reminder_days)
    _check_compliance(text, read)
    return Settings(root=base, **msgspec.structs.asdict(read))


def _read_config(config_file: Path) -> tuple[str, dict[str, Any]]:
    """sb.toml's text and its TOML, or the Swedish reason it cannot be read."""
    try:
        text = config_file.read_text("utf-8")
        return text, tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        at = re.search(r"at line (\d+), column (\d+)", str(exc))
        where = f"sb.toml:{at.group(1)}:{at.group(2)}" if at else "sb.toml"
        raise UsageError(
            f"{where}: sb.toml kan inte läsas: ogiltig TOML",
            hint="skriv varje inställning som namn = värde, t.ex. notice_window_days = 90 "
            'eller documents = "documents"',
        ) from None
    except UnicodeDecodeError:
        raise UsageError("sb.toml kan inte läsas: filen är inte UTF-8", hint="spara sb.toml som UTF-8") from None
    except OSError as exc:
        raise UsageError(f"sb.toml kan inte läsas: {exc.strerror}") from None


def _converted(text: str, section: Any) -> _SettingsFile:
    """The settings sb.toml gives, or the line and key that are wrong."""
    try:
        return msgspec.convert(section, _SettingsFile)
    except msgspec.ValidationError as error:
        problem = swedish(error)
        hint = f"sb.toml kan ange: {', '.join(_SettingsFile.__struct_fields__)}"
        if problem.message.startswith("okänd nyckel"):
            key = problem.message.split("'")[1]
            raise UsageError(f"{_where(text, key)}: okänd inställning '{key}'", hint=hint) from None
        key = str(problem.path[0]) if problem.path else ""
        raise UsageError(f"{_where(text, key)}: '{key}': {problem.message}", hint=_HINTS.get(key, hint)) from None


_ADDRESS_HINT = 'ange en hel webbadress som börjar med https://, t.ex. "https://example.se/samverkan/"'
_NAME_HINT = "ange ett namn inom citattecken, eller ta bort raden"
_HINTS = {  # what to write, for the settings whose form the type alone does not explain
    "site_url": _ADDRESS_HINT,
    "accessibility_report_url": _ADDRESS_HINT,
    "site_name": _NAME_HINT,
    "organisation_name": _NAME_HINT,
    "accessibility_compliance": "ange full (helt förenlig), partial (delvis förenlig) eller none (inte förenlig) "
    "enligt er bedömning; utan den säger tillgänglighetsredogörelsen att webbplatsen inte är bedömd",
}


# Keys an older sb read, with what replaces them: named in the error, since the meaning changed too.
_RENAMED = {
    "accessibility_report": (
        "heter nu accessibility_report_url och ska vara en webbadress till ett formulär eller en sida "
        "för att rapportera brister",
        "flytta en e-postadress eller ett telefonnummer till accessibility_contact, och ange ett formulär som "
        'accessibility_report_url = "https://…"',
    ),
}


def _check_renamed(text: str, section: Any) -> None:
    for key, (now, hint) in _RENAMED.items():
        if isinstance(section, dict) and key in section:
            raise UsageError(f"{_where(text, key)}: '{key}' {now}", hint=hint)


def _check_compliance(text: str, read: _SettingsFile) -> None:
    """DIGG's levels and the shortcomings say the same: partial and none list them, full lists none."""
    level, shortcomings = read.accessibility_compliance, read.accessibility_shortcomings
    problem = ""
    if level in ("partial", "none") and not shortcomings:
        problem = f"'{level}' kräver att accessibility_shortcomings anger bristerna"
    elif level == "full" and shortcomings:
        problem = "'full' går inte ihop med brister i accessibility_shortcomings"
    if problem:
        raise UsageError(
            f"{_where(text, 'accessibility_compliance')}: 'accessibility_compliance': {problem}",
            hint="ange full, partial eller none enligt er bedömning, och bristerna som "
            'accessibility_shortcomings = ["…"]',
        )


def _check_folders(text: str, base: Path, read: _SettingsFile) -> None:
    """Each folder setting names a folder inside the repository, never the repository itself."""
    for key in _FOLDERS:
        folder = getattr(read, key)
        inside = not Path(folder).is_absolute() and (base / folder).resolve().is_relative_to(base)
        if not inside or (base / folder).resolve() == base:
            raise UsageError(
                f"{_where(text, key)}: '{key}' = {folder!r} ska vara en mapp i repositoriet",
                hint='ange en mapp relativt sb.toml, t.ex. "documents"; den får inte leda ut ur repositoriet',
            )


def _check_reminders(text: str, days: tuple[int, ...]) -> None:
    """What the type cannot say of reminder_days: how many, and each day once."""
    problem = ""
    if len(days) > MAX_REMINDERS:
        problem = f"högst {MAX_REMINDERS} påminnelser, inte {len(days)}"
    elif twice := sorted({day for day in days if days.count(day) > 1}):
        problem = f"{twice[0]} står mer än en gång"
    if problem:
        raise UsageError(
            f"{_where(text, 'reminder_days')}: 'reminder_days': {problem}",
            hint="ange dagarna före varje frist som en lista med olika heltal, t.ex. reminder_days = [90, 30, 7]",
        )


def _where(text: str, key: str) -> str:
    """ "sb.toml:3" — the line where a key is set."""
    for number, line in enumerate(text.splitlines(), start=1):
        if key and re.match(rf"\s*{re.escape(key)}\s*=", line):
            return f"sb.toml:{number}"
    return "sb.toml"
