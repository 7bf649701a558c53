"""Benchmark: the personnummer reader (SB030 and the publish leak check), now against a git revision.

    python tests/benchmarks/bench_personnummer.py [REV]      (default HEAD)

Prints, for the working tree and for REV's core/personnummer.py and core/rules/privacy.py:
- recall and false alarms over the generated test sets of tests/core/test_personnummer_recall.py;
- the time `find` takes over the repository's documents (each text as many times as to make 1 MB), and
  over 1 MB of adversarial text for the reading, as a ratio to a plain scan of the same text.
"""

from __future__ import annotations

import importlib.util
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from types import ModuleType

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))

from sb_cli.core import personnummer  # noqa: E402
from sb_cli.core.rules import privacy  # noqa: E402
from tests.core import test_personnummer_recall as recall  # noqa: E402

MEGABYTE = 1_000_000
ADVERSARIAL = {
    "soft hyphens between digits": "8\u00ad1\u00ad1\u00ad2\u00ad",
    "entities between digits": "81&shy;12&#45;",
    "percent-encoded digits": "%38%31%31%32-",
    "space runs after six digits": "811218" + " " * 200 + "x",
    "dashes and spaces after six digits": "811218 - \n - x ",
    "six digits, again and again": "811218 ",
    "a protocol's text": "Beslut: 2026-01-16 § 12, kl. 13.00–15.00, 1 250 000 kr. ",
}


def revision_modules(revision: str) -> tuple[ModuleType, ModuleType]:
    """REV's personnummer and privacy modules, the rule bound to REV's reader."""
    folder = Path(tempfile.mkdtemp())
    loaded = []
    for name, path in (("personnummer", "sb_cli/core/personnummer.py"), ("privacy", "sb_cli/core/rules/privacy.py")):
        text = subprocess.run(["git", "show", f"{revision}:{path}"], cwd=REPO, capture_output=True, text=True).stdout
        (folder / f"{name}.py").write_text(text, "utf-8")
        spec = importlib.util.spec_from_file_location(f"_{revision}_{name}", folder / f"{name}.py")
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        sys.modules[spec.name] = module  # dataclasses look their module up
        if name == "privacy":  # its `from sb_cli.core import personnummer` must give REV's reader
            import sb_cli.core

            current, sb_cli.core.personnummer = sb_cli.core.personnummer, loaded[0]  # type: ignore[attr-defined]
            try:
                spec.loader.exec_module(module)
            finally:
                sb_cli.core.personnummer = current  # type: ignore[attr-defined]
        else:
            spec.loader.exec_module(module)
        loaded.append(module)
    return loaded[0], loaded[1]


def documents() -> Iterator[str]:
    for path in sorted((REPO / "documents").rglob("*")):
        if path.suffix in (".yaml", ".md"):
            yield path.read_text("utf-8")


def seconds(run: Callable[[], object], repeat: int = 3) -> float:
    best = float("inf")
    for _ in range(repeat):
        started = time.perf_counter()
        run()
        best = min(best, time.perf_counter() - started)
    return best


def timings(reader: ModuleType) -> dict[str, float]:
    def find(text: str) -> list[object]:
        if hasattr(reader, "_readings"):  # what it keeps of the last texts must not make a rerun free
            reader._readings.cache_clear()
        return list(reader.find(text))

    texts = list(documents())
    times = max(1, MEGABYTE // sum(map(len, texts)))
    out = {"documents (s/MB)": seconds(lambda: [find(text) for text in texts * times])}
    for name, piece in ADVERSARIAL.items():
        text = piece * (MEGABYTE // len(piece))
        out[name] = seconds(lambda: find(text)) / seconds(lambda: text.count("\0"))  # noqa: B023
    return out


def figures(reader: ModuleType, rule: ModuleType) -> dict[str, str]:
    forms = recall.measure_forms(rule.check, reader.find)
    look_alikes = recall.measure_look_alikes(rule.check, reader.find)
    randomly = recall.measure(rule.check)
    return {
        "recall, forms × places": f"{forms['found']}/{forms['placed']}",
        "false alarms, look-alikes × places": f"{len(look_alikes['false_alarms'])}/{look_alikes['placed']}",
        "recall, random": f"{randomly['found']}/{randomly['positives']}",
        "false alarms, random": f"{randomly['false_alarms']}/{randomly['negatives']}",
    }


def main(revision: str) -> None:
    old_reader, old_rule = revision_modules(revision)
    rows = {**figures(old_reader, old_rule), **{k: f"{v:.3g}" for k, v in timings(old_reader).items()}}
    now = {**figures(personnummer, privacy), **{k: f"{v:.3g}" for k, v in timings(personnummer).items()}}
    print(f"{'':<40}  {revision:>12}  {'now':>12}")
    for key, before in rows.items():
        print(f"{key:<40}  {before:>12}  {now[key]:>12}")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "HEAD")
