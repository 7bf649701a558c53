"""sb's outputs are the same as the reviewed goldens in tests/golden/, written by tools/golden.py before a
change: every command on the shipped corpus and on every case folder in all its formats, the renders reduced
to their text, and the publish case's site (its file list and every HTML page).

Normalised, because it differs from run to run and is no behaviour of sb: the temporary folders (<TMP>) and
the checkout's path (<REPO>); the order of the lines `sb render --all` prints, one per file as the parallel
render workers finish it (sorted); and in the site's file list the hash in Pagefind's file names (<hash>),
which follows the search index's bytes and the Pagefind release, while the pages it indexes are compared
whole. The case folders' files get SOURCE_DATE_EPOCH as their modification time, since outside git the
calendar dates a file by it and a checkout writes its own. Everything else is compared as it is: every
command runs with --as-of and SOURCE_DATE_EPOCH fixed, the publish case is a git repository with one commit
at a fixed time.

A difference is a change of behaviour. The goldens are never regenerated to make this test pass: read the
diff, and only if the new output is right, write them again with `python tools/golden.py` and review the
diff of tests/golden/ like any other change."""

import importlib.util
from pathlib import Path
from types import ModuleType

import pytest

from tests.conftest import REPO


def golden_tool() -> ModuleType:
    spec = importlib.util.spec_from_file_location("golden", REPO / "tools" / "golden.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.slow
@pytest.mark.git  # the publish case is a git repository, and the corpus's cards show its history
def test_every_output_is_the_golden_one(tmp_path: Path):
    golden = golden_tool()
    golden.produce(REPO, tmp_path)
    found = golden.differences(golden.GOLDEN, tmp_path)
    assert not found, golden.summary(found)


def test_the_goldens_are_outputs_not_failures():
    """Only the invalid case folders, and the publish case with its draft holding a personnummer, fail
    validation (exit 1); no golden holds a usage error or a crash."""
    golden = golden_tool()
    statuses = {
        path.relative_to(golden.GOLDEN).as_posix(): line
        for path in golden.GOLDEN.rglob("*.txt")
        for line in path.read_text("utf-8").splitlines()[1:2]
        if line.startswith("slutstatus: ")
    }
    assert len(statuses) > 800
    assert not {name: s for name, s in statuses.items() if s not in ("slutstatus: 0", "slutstatus: 1")}
    failing = {name for name, s in statuses.items() if s == "slutstatus: 1"}
    assert not {name for name in failing if not name.startswith(("invalid-", "publish/validate."))}
