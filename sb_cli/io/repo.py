"""The document repository: its root, its settings (sb.toml) and where things live."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

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


def load_settings(root: Path | None, cwd: Path) -> Settings:
    if root is not None and not root.is_dir():
        raise UsageError(f"--root {root} är ingen mapp")
    base = (root or find_root(cwd)).resolve()
    config_file = base / "sb.toml"
    if not config_file.is_file():
        return Settings(root=base)
    try:
        config: dict[str, Any] = tomllib.loads(config_file.read_text("utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise UsageError(f"sb.toml kan inte läsas: {exc}") from None
    known = {"documents", "templates", "schemas", "notice_window_days", "max_file_bytes"}
    section = config.get("sb", config)
    unknown = sorted(set(section) - known - {"sb"})
    if unknown:
        raise UsageError(f"sb.toml: okända inställningar: {', '.join(unknown)}")
    values = {k: v for k, v in section.items() if k in known}
    return Settings(root=base, **values)
