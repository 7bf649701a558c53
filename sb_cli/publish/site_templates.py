"""The site's pages from templates/site/, which a repository may change, made in a child process under
the render workers' limits (render_seconds per page, render_memory_mb).

A template is code: a macro that calls itself without end, loops nested over `range(100000)` or a
huge power would otherwise end sb with an internal error or run until the machine has no memory
left. Here each such template ends in a Swedish error naming it, before anything of the site is
written, so the old site stays as it was.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sb_cli.errors import SbError
from sb_cli.render.isolation import PRELOADED, Limits, OverLimit, run_limited

if TYPE_CHECKING:
    import jinja2

FOLDERS = ("site", "_common")  # where a page's template and the macros it imports are found
# The fork server starts once per process and serves the render workers that publish starts next:
# it imports what they need as well.
_PRELOAD = (*PRELOADED, "jinja2", "jinja2.sandbox", __name__)
# The largest power a template may compute: 2**1000000 takes milliseconds, 9**(9**9) hours.
_MAX_POWER_BITS = 1_000_000


@dataclass(frozen=True)
class Page:
    """One page to make: its path in the site, its template in templates/site/ and its plain data."""

    path: str
    template: str
    data: Any
    root: str  # "../" for each folder the page lies in


def render_pages(templates: Path, site: dict[str, Any], pages: list[Page], limits: Limits) -> dict[str, str]:
    """Each page's HTML by its path, made in one child: each page gets the whole `limits.seconds` of
    CPU time, and the child as a whole the memory limit."""
    if not pages:  # every page came from the cache: no process is started
        return {}
    import multiprocessing

    current = multiprocessing.RawValue("i", 0)  # the page the child is making, for when it is ended
    clock = Limits(seconds=limits.seconds * len(pages), memory_mb=limits.memory_mb)
    try:
        made: dict[str, str] = run_limited(
            _render_all, (templates, site, pages, limits, current), clock, preload=_PRELOAD
        )
    except OverLimit as over:
        raise _over_limit(pages[current.value], over.reason, limits) from None
    return made


def site_environment(templates: Path) -> jinja2.Environment:
    """The sandbox the site's templates run in: they see only the data given to them."""
    import jinja2
    from jinja2.sandbox import SandboxedEnvironment

    class _Sandbox(SandboxedEnvironment):
        intercepted_binops = frozenset({"**"})

        def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
            if operator == "**":
                return _power(left, right)
            return super().call_binop(context, operator, left, right)

    return _Sandbox(
        loader=jinja2.FileSystemLoader([str(templates / folder) for folder in FOLDERS]),
        undefined=jinja2.StrictUndefined,
        autoescape=True,
    )


def _power(base: Any, exponent: Any) -> Any:
    """`base ** exponent`, refused when it is an integer too large to compute in reasonable time."""
    from jinja2.exceptions import SecurityError

    if isinstance(base, int) and isinstance(exponent, int) and exponent > 0 and abs(base) > 1:
        if exponent * abs(base).bit_length() > _MAX_POWER_BITS:
            raise SecurityError(f"talet {base} ** {exponent} blir för stort")
    return base**exponent


def _render_all(
    templates: Path, site: dict[str, Any], pages: list[Page], limits: Limits, current: Any
) -> dict[str, str]:
    """In the child: every page, each under its own CPU time limit."""
    from sb_cli.render.isolation import limit_time

    env = site_environment(templates)
    made: dict[str, str] = {}
    for index, page in enumerate(pages):
        current.value = index
        limit_time(limits)
        made[page.path] = _render(env, templates, site, page)
    return made


def _render(env: jinja2.Environment, templates: Path, site: dict[str, Any], page: Page) -> str:
    import jinja2

    try:
        return env.get_template(page.template).render(page=page.data, site=site, root=page.root)
    except RecursionError:
        raise SbError(
            f"sidmallen {_culprit(templates, page)} kunde inte rendera {page.path}: "
            "den anropar sig själv utan slut (för djup rekursion)",
            hint="ett makro som anropar sig självt måste sluta någon gång; förenkla mallen",
        ) from None
    except MemoryError:
        raise _over_limit(page, "memory", None) from None
    except jinja2.TemplateError as exc:
        raise SbError(f"sidmallen templates/site/{page.template} kunde inte renderas: {exc}") from None
    except (ArithmeticError, LookupError, TypeError, ValueError) as exc:
        # The pages' data is plain (dicts, lists, text): what fails on it is the template's own code.
        raise SbError(
            f"sidmallen {_culprit(templates, page)} kunde inte rendera {page.path}: {type(exc).__name__}: {exc}",
            hint="rätta mallen",
        ) from None


def _culprit(templates: Path, page: Page) -> str:
    """The page's template, and the innermost template file the error came from where it is another
    (a macro in an imported file)."""
    import sys
    import traceback

    named = f"templates/site/{page.template}"
    error = sys.exc_info()[1]
    if error is None:
        return named
    inner = None
    for frame in traceback.extract_tb(error.__traceback__):
        path = Path(frame.filename)
        if path.is_relative_to(templates) and path.suffix == ".j2":
            inner = f"templates/{path.relative_to(templates).as_posix()}"
    return named if inner in (None, named) else f"{named} (i {inner})"


def _over_limit(page: Page, reason: str, limits: Limits | None) -> SbError:
    """As the render workers say it: the template, the page, and which limit it went past."""
    if reason == "time":
        within = f"inom {limits.seconds} sekunder" if limits else "inom tidsgränsen"
        return SbError(
            f"sidmallen templates/site/{page.template} kunde inte rendera {page.path} {within}",
            hint="förenkla mallen, eller höj render_seconds i sb.toml om sidan verkligen är så stor",
        )
    what = "mer minne än gränsen tillåter" if reason == "memory" else "ett fel som avslutade processen"
    return SbError(
        f"sidmallen templates/site/{page.template} kunde inte rendera {page.path}: den krävde {what}",
        hint="förenkla mallen, eller höj render_memory_mb i sb.toml om sidan verkligen är så stor",
    )
