"""Mutation testing of the core (rules, terms, personnummer, refs, reports, årshjul) and the reporters.

    python tools/mutation.py            # installs mutmut if needed, runs it, prints the score
    python tools/mutation.py --report   # only the score and the survivors of the last run

What is mutated and which tests run are set under [tool.mutmut] in pyproject.toml. mutmut keeps its
work in mutants/ and starts where it stopped. A mutant counts as killed when a test failed or timed
out; "no tests" counts as survived. The score is killed / (all mutants that were checked).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from collections import defaultdict
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
MUTMUT = "mutmut>=3.8,<3.9"
KILLED = {1, 3, 36, -24, 24, 152, 255}  # a failing test, pytest's internal error, or a timeout
NOT_CHECKED = {None, 2, 34}  # not run yet, interrupted, skipped


def ensure_mutmut() -> None:
    try:
        import mutmut  # noqa: F401
    except ImportError:
        subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", MUTMUT], check=True)


def run(children: int) -> None:
    mutmut = Path(sys.executable).parent / "mutmut"
    subprocess.run([str(mutmut), "run", "--max-children", str(children)], cwd=REPO, check=False)


def results() -> dict[str, dict[str, int | None]]:
    """Per mutated module: mutant name -> exit code, from mutmut's files in mutants/."""
    found: dict[str, dict[str, int | None]] = {}
    for meta in sorted((REPO / "mutants").rglob("*.py.meta")):
        data = json.loads(meta.read_text("utf-8"))
        module = meta.relative_to(REPO / "mutants").as_posix().removesuffix(".meta")
        found[module] = data.get("exit_code_by_key", {})
    return found


def report(found: dict[str, dict[str, int | None]]) -> float:
    totals: defaultdict[str, int] = defaultdict(int)
    survivors: list[str] = []
    print(f"{'modul':<36} {'mutanter':>8} {'dödade':>7} {'kvar':>5} {'andel':>7}")
    for module, codes in found.items():
        checked = {name: code for name, code in codes.items() if code not in NOT_CHECKED}
        killed = sum(1 for code in checked.values() if code in KILLED)
        survivors += sorted(name for name, code in checked.items() if code not in KILLED)
        totals["checked"] += len(checked)
        totals["killed"] += killed
        share = killed / len(checked) if checked else 1.0
        print(f"{module:<36} {len(checked):>8} {killed:>7} {len(checked) - killed:>5} {share:>7.1%}")
    score = totals["killed"] / totals["checked"] if totals["checked"] else 0.0
    left = totals["checked"] - totals["killed"]
    print(f"{'totalt':<36} {totals['checked']:>8} {totals['killed']:>7} {left:>5} {score:>7.1%}")
    if survivors:
        print("\nkvarlevande mutanter (mutmut show NAMN visar ändringen):")
        for name in survivors:
            print(f"  {name}")
    return score


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--report", action="store_true", help="bara resultatet av den senaste körningen")
    parser.add_argument("--children", type=int, default=os.cpu_count() or 1, help="parallella processer")
    arguments = parser.parse_args()
    if not arguments.report:
        ensure_mutmut()
        run(arguments.children)
    report(results())


if __name__ == "__main__":
    main()
