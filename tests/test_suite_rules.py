"""The test suite's own rules: its markers are registered and strict, the tests that drive a browser
or run git carry theirs, no test sleeps a guessed while and then asserts, and the årshjul of the core
tests is written by one builder."""

import ast
import tomllib
from collections.abc import Iterator
from pathlib import Path

from tests.conftest import REPO

TESTS = REPO / "tests"
MODULES = sorted(
    path for path in TESTS.rglob("*.py") if "node_modules" not in path.parts and "benchmarks" not in path.parts
)


def tree(path: Path) -> ast.Module:
    return ast.parse(path.read_text("utf-8"), str(path))


def shown(path: Path) -> str:
    return path.relative_to(REPO).as_posix()


def marks(node: ast.AST) -> set[str]:
    """The names of the `pytest.mark.NAME` expressions inside a node."""
    return {
        found.attr
        for found in ast.walk(node)
        if isinstance(found, ast.Attribute)
        and isinstance(found.value, ast.Attribute)
        and found.value.attr == "mark"
        and isinstance(found.value.value, ast.Name)
        and found.value.value.id == "pytest"
    }


def module_marks(module: ast.Module) -> set[str]:
    """The marks of `pytestmark = …` at module level."""
    return {
        name
        for statement in module.body
        if isinstance(statement, ast.Assign) and any(getattr(t, "id", "") == "pytestmark" for t in statement.targets)
        for name in marks(statement.value)
    }


def test_the_markers_are_registered_an_unknown_one_is_an_error_and_the_readme_gives_the_inner_loop():
    options = tomllib.loads((REPO / "pyproject.toml").read_text("utf-8"))["tool"]["pytest"]["ini_options"]
    registered = {line.split(":")[0].strip() for line in options["markers"]}
    assert {"slow", "browser", "git"} <= registered
    assert "--strict-markers" in options["addopts"].split()
    assert 'pytest -m "not slow and not browser"' in (REPO / "README.md").read_text("utf-8")


def drives_a_browser(module: ast.Module) -> bool:
    return any(
        isinstance(node, ast.ImportFrom | ast.Import)
        and any(
            name.split(".")[0] == "playwright"
            for name in [getattr(node, "module", "") or ""] + [a.name for a in node.names]
        )
        for node in ast.walk(module)
    )


def runs_git(module: ast.Module) -> bool:
    """A command list that begins with "git" (["git", …] or GIT = ["git", …])."""
    return any(
        isinstance(node, ast.List)
        and node.elts
        and isinstance(node.elts[0], ast.Constant)
        and node.elts[0].value == "git"
        for node in ast.walk(module)
    )


def test_a_module_that_drives_a_browser_is_marked_browser():
    unmarked = [
        shown(path)
        for path in MODULES
        if path.name.startswith("test_")
        and drives_a_browser(module := tree(path))
        and "browser" not in module_marks(module)
    ]
    assert unmarked == [], "pytestmark = pytest.mark.browser saknas"


def test_a_module_that_runs_git_marks_its_tests_git():
    unmarked = [
        shown(path)
        for path in MODULES
        if path.name.startswith("test_") and runs_git(module := tree(path)) and "git" not in marks(module)
    ]
    assert unmarked == [], "de kör git men inget test där är märkt pytest.mark.git"


def blocks(node: ast.AST, in_loop: bool = False) -> Iterator[tuple[list[ast.stmt], bool]]:
    """Every list of statements under a node, and whether it is the body of a loop."""
    for field in ("body", "orelse", "finalbody", "handlers"):
        statements = getattr(node, field, None)
        if isinstance(statements, list) and statements and isinstance(statements[0], ast.stmt | ast.excepthandler):
            own = isinstance(node, ast.For | ast.While | ast.AsyncFor) and field == "body"
            loop = own or (in_loop and not isinstance(node, ast.FunctionDef))
            yield statements, loop
            for statement in statements:
                yield from blocks(statement, loop)


def is_sleep(statement: ast.stmt) -> bool:
    call = statement.value if isinstance(statement, ast.Expr) else None
    return (
        isinstance(call, ast.Call)
        and isinstance(call.func, ast.Attribute)
        and call.func.attr == "sleep"
        and getattr(call.func.value, "id", "") == "time"
    )


def sleeps_then_asserts(module: ast.Module) -> list[int]:
    """The lines of a `time.sleep` outside a polling loop with an assert after it in its block."""
    found = []
    for statements, in_loop in blocks(module):
        if in_loop:
            continue
        for index, statement in enumerate(statements):
            later = statements[index + 1 :]
            if is_sleep(statement) and any(isinstance(n, ast.Assert) for s in later for n in ast.walk(s)):
                found.append(statement.lineno)
    return found


def test_no_test_sleeps_and_then_asserts():
    found = {shown(path): lines for path in MODULES if (lines := sleeps_then_asserts(tree(path)))}
    assert found == {}, "vänta på en händelse i stället (tests.conftest.wait_until)"


def test_the_rule_finds_a_sleep_then_an_assert_and_lets_a_polling_loop_pass():
    found = ast.parse("def t(p):\n    p.start()\n    time.sleep(0.5)\n    p.stop()\n    assert p.done\n")
    polling = ast.parse("def t(p):\n    while not p.done:\n        time.sleep(0.05)\n    assert p.done\n")
    assert (sleeps_then_asserts(found), sleeps_then_asserts(polling)) == ([3], [])


def test_one_builder_writes_the_arshjul_of_the_core_tests():
    others = [path for path in MODULES if path != Path(__file__)]
    writers = [shown(path) for path in others if "type: arshjul" in path.read_text("utf-8")]
    assert writers == ["tests/builders.py"]
