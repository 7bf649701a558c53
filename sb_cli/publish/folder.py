"""The site's folder (SPEC §8): which folders `sb publish` may replace, the hidden folders a build
makes beside it, and the swap of the new site for the old.

A site may replace a folder that does not exist, an empty folder, or a site sb built (it carries the
marker file). Never the repository, a folder that holds it, a folder inside it outside its output
folders, the home folder or the file system's root: the checks of mkdocs' `site_dir` against its
`docs_dir`, made on real paths (links and `..` resolved), and with the marker instead of a list of
what a site may hold.

A build's hidden folders beside the site carry its process id. A build removes its own when it fails;
the next build removes those of a build that was killed: older than the build that runs, and not held
by a running process.
"""

from __future__ import annotations

import os
import re
import shutil
import stat
import time
from pathlib import Path

from sb_cli.errors import UsageError
from sb_cli.io.atomic import held
from sb_cli.io.repo import Settings

MARKER = ".sb-webbplats.json"  # in every site sb builds: what its PDF and Word files were made from
OUTPUT_FOLDERS = ("site", "public", "ut")  # sb's output folders inside a repository (and all below them)
_HIDDEN = ("bygge", "sök", "sökindex", "gammal")  # the build, the pages to index, the index, the old site
_OLD_SITE = "gammal"
_SOURCES = {"dokumentmappen": "documents", "mallmappen": "templates", "schemamappen": "schemas"}  # sb.toml's


def site_folder(out: Path, settings: Settings) -> Path:
    """`out` as a real path, when a site may be built there; else UsageError, naming it and why."""
    real = Path(os.path.realpath(out))
    why = _not_a_place(real, settings) or _not_replaceable(real)
    if why:
        shown = str(out) if real == Path(os.path.abspath(out)) else f"{out} ({real})"
        raise UsageError(
            f"--out {shown}: {why}",
            hint="ange en mapp som inte finns, en tom mapp eller en webbplats som sb byggt "
            f"(den har filen {MARKER}); i repositoriet bara {', '.join(f + '/' for f in OUTPUT_FOLDERS)}",
        )
    return real


def _not_a_place(real: Path, settings: Settings) -> str:
    """Why nothing may ever be built at `real` ("" when it may)."""
    root = Path(os.path.realpath(settings.root))
    home = Path(os.path.realpath(os.path.expanduser("~")))
    if real == Path(real.anchor):
        return "det är filsystemets rot"
    if real == root:
        return "det är repositoriets rot"
    if root.is_relative_to(real):
        return f"mappen innehåller repositoriet {root}"
    if real == home or home.is_relative_to(real):
        return "det är hemmappen" if real == home else f"mappen innehåller hemmappen {home}"
    if real.is_relative_to(root) and real.relative_to(root).parts[0] not in OUTPUT_FOLDERS:
        return f"mappen ligger i repositoriet {root}, utanför dess utmappar"
    for name, key in _SOURCES.items():  # sb.toml may put them in an output folder
        own = Path(os.path.realpath(root / getattr(settings, key)))
        if real == own:
            return f"det är {name} {own}"
        if own.is_relative_to(real) or real.is_relative_to(own):
            return f"mappen {'innehåller' if own.is_relative_to(real) else 'ligger i'} {name} {own}"
    return ""


def _not_replaceable(real: Path) -> str:
    """Why the folder at `real` may not be replaced ("" when it may: missing, empty, or sb's site)."""
    try:
        found = real.lstat()
    except FileNotFoundError:
        return ""
    if not stat.S_ISDIR(found.st_mode):
        return "finns och är ingen mapp"
    if is_replaceable(real):
        return ""
    return f"mappen är inte tom och är ingen webbplats som sb byggt (filen {MARKER} saknas)"


def is_replaceable(folder: Path) -> bool:
    """An empty folder, or a site sb built: its marker is a regular file, not a link."""
    try:
        marker = (folder / MARKER).lstat()
    except FileNotFoundError:
        return not any(folder.iterdir())
    return stat.S_ISREG(marker.st_mode)


def beside(out: Path, kind: str) -> Path:
    """This build's hidden folder of the given kind beside the site."""
    assert kind in _HIDDEN
    return out.parent / f".{out.name}.{kind}-{os.getpid()}"


def remove_stale(out: Path) -> None:
    """What killed builds left beside `out`: the old site put back if the site itself is missing (a
    build killed between the two renames of the swap), then every hidden folder of a build that no
    running process holds and that is older than this build."""
    pattern = re.compile(rf"\.{re.escape(out.name)}\.({'|'.join(_HIDDEN)})-(\d+)")
    this_build = time.time()  # the sweep is the build's first step: what was made before is older
    stale = []
    for entry in _entries(out.parent):
        found = pattern.fullmatch(entry.name)
        if found is None or not entry.is_dir(follow_symlinks=False):
            continue
        made = entry.stat(follow_symlinks=False).st_mtime
        if made < this_build and not held(int(found[2]), made):
            stale.append((found[1], Path(entry.path)))
    for kind, folder in sorted(stale, key=lambda pair: pair[0] != _OLD_SITE):
        if kind == _OLD_SITE and not os.path.lexists(out) and is_replaceable(folder):
            folder.rename(out)
        else:
            shutil.rmtree(folder, ignore_errors=True)


def _entries(folder: Path) -> list[os.DirEntry[str]]:
    try:
        with os.scandir(folder) as entries:
            return list(entries)
    except OSError:
        return []


def swap(staging: Path, out: Path) -> None:
    """The new site in place of the old: two renames, the old site removed after. The old one is
    checked again once it is out of the way, so a folder put at `out` since the build began is put
    back and refused rather than removed."""
    retired = beside(out, _OLD_SITE)
    if os.path.lexists(out):
        out.rename(retired)
        if retired.is_symlink() or not is_replaceable(retired):
            retired.rename(out)
            raise UsageError(f"--out {out}: mappen ändrades under bygget och är ingen webbplats som sb byggt")
    try:
        staging.rename(out)
    except BaseException:
        if os.path.lexists(retired):
            retired.rename(out)
        raise
    shutil.rmtree(retired, ignore_errors=True)


def reusable(out: Path, path: str) -> bool:
    """Whether the old site's file `path` may be taken into the new one: a regular file reached
    without a link (a link could lead anywhere, and its target would be published)."""
    here, mode = out, 0
    for part in Path(path).parts:
        here = here / part
        try:
            mode = here.lstat().st_mode
        except OSError:
            return False
        if stat.S_ISLNK(mode):
            return False
    return stat.S_ISREG(mode)


def plain_tree(folder: Path) -> bool:
    """Whether `folder` and everything in it are folders and regular files, with no link."""
    if folder.is_symlink() or not folder.is_dir():
        return False
    for here, folders, files in os.walk(folder):
        for name in (*folders, *files):
            mode = os.lstat(os.path.join(here, name)).st_mode
            if not (stat.S_ISDIR(mode) or stat.S_ISREG(mode)):
                return False
    return True
