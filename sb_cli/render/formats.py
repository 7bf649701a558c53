"""The render formats, one table: what `sb render --to` offers and what each file is written by.

Every writer takes the view model, the folder of mallar and the time the file says it was made
(None: none), and gives the file's bytes. Each imports its renderer only when it runs, so that the
CLI can read the table when it starts.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from sb_cli.io.formats import Formats, OutputFormat

if TYPE_CHECKING:
    from sb_cli.render.view import View

RenderWriter = Callable[["View", Path, "int | None"], bytes]


def _docx(view: View, templates: Path, timestamp: int | None) -> bytes:
    from sb_cli.render.docx import render_docx
    from sb_cli.render.pdf import render_wheel_png

    wheel = render_wheel_png(view, templates) if view.wheel is not None else None
    return render_docx(view, templates, timestamp=timestamp, wheel_png=wheel)


def _pdf(view: View, templates: Path, timestamp: int | None) -> bytes:
    from sb_cli.render.pdf import render_pdf

    return render_pdf(view, templates, timestamp=timestamp)


def _html(view: View, templates: Path, timestamp: int | None) -> bytes:
    from sb_cli.render.pdf import render_wheel_svg
    from sb_cli.render.text import to_html

    wheel_svg = render_wheel_svg(view, templates) if view.wheel is not None else ""
    return to_html(view, templates, wheel_svg=wheel_svg).encode("utf-8")


def _md(view: View, templates: Path, timestamp: int | None) -> bytes:
    from sb_cli.render.text import to_markdown

    return to_markdown(view).encode("utf-8")


RENDER_FORMATS: Formats[RenderWriter, None] = Formats(
    OutputFormat("docx", ".docx", "Word", _docx, binary=True),
    OutputFormat("pdf", ".pdf", "PDF/A för arkivet", _pdf, binary=True),
    OutputFormat("html", ".html", "webbsida", _html),
    OutputFormat("md", ".md", "Markdown", _md),
)


def render_bytes(view: View, fmt: str, templates: Path, timestamp: int | None) -> bytes:
    """The view as a file of the format `fmt`."""
    return RENDER_FORMATS[fmt].write(view, templates, timestamp)
