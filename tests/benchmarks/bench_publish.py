"""Benchmark: `sb publish` on a generated collection of justerade protocols and beslutade styrdokument.

    python tests/benchmarks/bench_publish.py [PROTOCOLS] [STYRDOKUMENT]      (default 1000 200)

`build_corpus` writes the collection into a git repository with one commit: the protocols are the
shipped LSVO protocol (12 paragraphs, sub-items, attendance, decisions) under new ids, spread over
nine forums and as many years as needed, numbered on without gaps per forum and year; the
styrdokument are the shipped ledningssystem and agreement under new ids, titles, versions and dates.
The newest protocol is committed as a draft and justerat in the working copy, as it is between
the adjustment and the next commit, so that its text can still change without SB040.

Three builds into the same folder, each in a fresh process with SOURCE_DATE_EPOCH set and a cache
folder of the benchmark's own (empty before the first build): the full build, a rebuild with
nothing changed, and a rebuild after one paragraph of the newest protocol changed. For each: wall
time, CPU time (user and system, summed over sb and its workers as they were last sampled), peak
memory (the largest sum of resident memory over sb and its render workers, sampled every 50 ms, and
getrusage's largest single process), what sb rendered anew, the files of the site, and the size of the cache.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
SHIPPED_PROTOCOL = REPO / "documents" / "protokoll" / "LSVO" / "2023-06-16.yaml"
SHIPPED_STYRDOKUMENT = (
    REPO / "documents" / "styrdokument" / "ledningssystem-2021.md",
    REPO / "documents" / "styrdokument" / "overenskommelse-malgrupper-2023.md",
)
# Forums of the shipped organisation.yaml whose protocols are numbered by paragraph (§), as the
# LSVO protocol is; only LSVO has members, so only its protocols are checked for quorum and names.
FORUMS = (
    "LSVO",
    "PSVO",
    "beredningsgruppen",
    "regionchefsgruppen",
    "lokal-karlskrona",
    "lokal-ronneby",
    "lokal-karlshamn",
    "lokal-solvesborg",
    "lokal-olofstrom",
)
MEETINGS_PER_YEAR = 10  # January to October, so that every meeting of the last year is before AS_OF
AS_OF = dt.date(2026, 11, 22)
EPOCH = int(dt.datetime(2026, 11, 22, tzinfo=dt.UTC).timestamp())
PROTOCOLS, STYRDOKUMENT = 1000, 200  # the default collection, for which the goals hold
GOALS = {"full": 60.0, "changed": 3.0}  # seconds, on 2 cores

_MEASURE = '''
import os, resource, subprocess, sys, time

def tree_sample(root, cpu):
    """Resident memory of a process and all its descendants (workers included), from /proc; `cpu`
    keeps the CPU ticks (user and system) each of them has used so far."""
    parents, rss, ticks = {}, {}, {}
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            with open(f"/proc/{pid}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        parents[int(pid)], rss[int(pid)] = int(fields[1]), int(fields[21]) * os.sysconf("SC_PAGE_SIZE") // 1024
        ticks[int(pid)] = (fields[19], int(fields[11]) + int(fields[12]))  # start time tells reused pids apart
    tree, grew = {root}, True
    while grew:
        more = {p for p, parent in parents.items() if parent in tree} - tree
        tree |= more
        grew = bool(more)
    for p in tree & ticks.keys():
        cpu[(p, ticks[p][0])] = ticks[p][1]
    return sum(rss.get(p, 0) for p in tree)

started = time.perf_counter()
child = subprocess.Popen(sys.argv[1:], stdout=subprocess.DEVNULL)
peak, cpu = 0, {}
while child.poll() is None:
    peak = max(peak, tree_sample(child.pid, cpu))
    time.sleep(0.05)
seconds = time.perf_counter() - started
usage = resource.getrusage(resource.RUSAGE_CHILDREN)
cpu_seconds = max(sum(cpu.values()) / os.sysconf("SC_CLK_TCK"), usage.ru_utime + usage.ru_stime)
print(child.returncode, seconds, peak, usage.ru_maxrss, cpu_seconds, file=sys.stdout)
'''


@dataclass(frozen=True)
class Corpus:
    root: Path
    protocols: list[Path]
    styrdokument: list[Path]
    open_protocol: Path  # justerat in the working copy, committed as a draft


@dataclass(frozen=True)
class Build:
    seconds: float
    cpu_seconds: float  # user and system time of sb and all its workers
    tree_mb: float  # the largest sum over sb and its workers
    process_mb: float  # the largest single process that was waited for (getrusage)
    pages: int
    files: int  # PDF and Word files, as sb counts them
    rendered: int  # documents rendered anew
    written: int  # every file of the site
    site_mb: float
    cache_mb: float  # sb's cache after the build


def protocol_text(template: str, forum: str, day: dt.date, first: int, previous: dt.date) -> str:
    """The shipped protocol as the protocol of `forum` on `day`, its paragraphs numbered from
    `first`, justerat four days after the meeting; dates in the text move with the meeting."""
    shipped = dt.date(2023, 6, 16)
    offset = first - 61

    def moved(match: re.Match[str]) -> str:
        return (day + (dt.date.fromisoformat(match.group(0)) - shipped)).isoformat()

    text = template.replace("2023-05-12", previous.isoformat())
    text = re.sub(r"\b2023-08-25\b", moved, text)
    text = re.sub(r"^id: .*$", f"id: {forum}-{day.isoformat()}", text, count=1, flags=re.M)
    text = re.sub(r"^title: .*$", f"title: Sammanträdesprotokoll {forum} {day.isoformat()}", text, count=1, flags=re.M)
    text = re.sub(r"^forum: .*$", f"forum: {forum}", text, count=1, flags=re.M)
    text = re.sub(r"^  date: 2023-06-16$", f"  date: {day.isoformat()}", text, count=1, flags=re.M)
    text = re.sub(r"^(\s*- number: )(\d+)$", lambda m: f"{m.group(1)}{int(m.group(2)) + offset}", text, flags=re.M)
    text = re.sub(r"items: \[(\d+)\]", lambda m: f"items: [{int(m.group(1)) + offset}]", text)
    # Every text its own, as in a real collection (sb parses a text it has seen once only once).
    text = re.sub(r"^(\s*)body: \|\n(\s*)", rf"\1body: |\n\2Vid mötet {forum} {day.isoformat()}: ", text, flags=re.M)
    adjusted = f"adjusted: {(day + dt.timedelta(days=4)).isoformat()}\n"
    text, found = re.subn(r"^adjusted: true\n", adjusted, text, count=1, flags=re.M)
    if not found:
        raise ValueError(f"{SHIPPED_PROTOCOL}: raden där 'adjusted' ska stå finns inte längre")
    return text


def styrdokument_text(template: str, index: int) -> str:
    """A shipped styrdokument under a new id, title and version, its header dates moved on."""
    start, end = [m.start() for m in re.finditer(r"^---$", template, flags=re.M)][:2]
    header, body = template[start:end], template[end:]
    shift = dt.timedelta(days=index * 5 % 1000)

    def moved(match: re.Match[str]) -> str:
        return f"{match.group(1)}{(dt.date.fromisoformat(match.group(2)) + shift).isoformat()}"

    header = re.sub(r"^(id: .+)$", rf"\1-{index:04d}", header, count=1, flags=re.M)
    header = re.sub(r"^(title: .+)$", rf"\1, utgåva {index}", header, count=1, flags=re.M)
    header = re.sub(r"^version: .*$", f'version: "{1 + index // 10 % 5}.{index % 10}"', header, count=1, flags=re.M)
    header = re.sub(r"^(\s*[a-z_]+: )(\d{4}-\d{2}-\d{2})\s*$", moved, header, flags=re.M)
    body = re.sub(r"^(?=[A-ZÅÄÖ])", f"(Utgåva {index}) ", body, flags=re.M)  # every paragraph its own text
    return header + body


def meetings(count: int) -> list[tuple[str, dt.date]]:
    """`count` meetings, in turn over FORUMS, MEETINGS_PER_YEAR a year per forum, the last in the
    year of AS_OF; every date differs from every other."""
    per_forum = -(-count // len(FORUMS))
    first_year = AS_OF.year - (per_forum - 1) // MEETINGS_PER_YEAR
    found = []
    for index in range(count):
        forum, turn = index % len(FORUMS), index // len(FORUMS)
        year, slot = first_year + turn // MEETINGS_PER_YEAR, turn % MEETINGS_PER_YEAR
        found.append((FORUMS[forum], dt.date(year, 1 + slot, 2 + 3 * forum)))
    return found


def git(root: Path, *args: str) -> None:
    moment = dt.datetime.fromtimestamp(EPOCH, dt.UTC).isoformat()
    env = {
        **os.environ,
        "GIT_CONFIG_GLOBAL": os.devnull,
        "GIT_CONFIG_NOSYSTEM": "1",
        "GIT_AUTHOR_NAME": "Diariet",
        "GIT_AUTHOR_EMAIL": "diariet@example.org",
        "GIT_AUTHOR_DATE": moment,
        "GIT_COMMITTER_NAME": "Diariet",
        "GIT_COMMITTER_EMAIL": "diariet@example.org",
        "GIT_COMMITTER_DATE": moment,
    }
    subprocess.run(["git", "-c", "init.defaultBranch=main", *args], cwd=root, env=env, check=True, capture_output=True)


def build_corpus(
    root: Path, protocols: int = PROTOCOLS, styrdokument: int = STYRDOKUMENT, *, commit: bool = True
) -> Corpus:
    """A collection under `root` that `sb validate --as-of 2026-11-22` passes without errors:
    organisation.yaml as shipped, `protocols` justerade protocols and `styrdokument` beslutade
    styrdokument. With `commit`, a git repository with one commit; the newest protocol is in it as a
    draft (without `adjusted`) and justerat in the working copy."""
    documents = root / "documents"
    documents.mkdir(parents=True)
    (documents / "organisation.yaml").write_bytes((REPO / "documents" / "organisation.yaml").read_bytes())
    template = SHIPPED_PROTOCOL.read_text("utf-8")
    numbers: dict[tuple[str, int], int] = {}
    previous: dict[str, dt.date] = {}
    written: list[tuple[Path, str]] = []
    for forum, day in meetings(protocols):
        first = numbers.get((forum, day.year), 1)
        numbers[(forum, day.year)] = first + 12
        earlier = previous.get(forum, day - dt.timedelta(days=28))
        previous[forum] = day
        path = documents / "protokoll" / forum / f"{day.isoformat()}.yaml"
        written.append((path, protocol_text(template, forum, day, first, earlier)))
    sources = [p.read_text("utf-8") for p in SHIPPED_STYRDOKUMENT]
    folder = documents / "styrdokument"
    made = []
    for index in range(styrdokument):
        text = styrdokument_text(sources[index % len(sources)], index)
        ident = re.search(r"^id: (.+)$", text, flags=re.M)
        assert ident is not None
        path = folder / f"{ident.group(1)}.md"
        written.append((path, text))
        made.append(path)
    for path, text in written:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, "utf-8")
    paths = [p for p, _ in written[:protocols]]
    newest = max(paths, key=lambda p: p.stem) if paths else documents / "organisation.yaml"
    if commit:
        final = newest.read_text("utf-8")
        if paths:
            newest.write_text(re.sub(r"^adjusted: .*\n", "", final, count=1, flags=re.M), "utf-8")
        git(root, "init", "-q")
        git(root, "add", "-A")
        git(root, "commit", "-q", "--no-verify", "--no-gpg-sign", "-m", "Protokoll och styrdokument")
        newest.write_text(final, "utf-8")
    return Corpus(root, paths, made, newest)


def site_files(out: Path) -> tuple[int, int]:
    """How many files a folder (the site, the cache) has, and their size in bytes."""
    sizes = [p.stat().st_size for p in out.rglob("*") if p.is_file()]
    return len(sizes), sum(sizes)


def publish(corpus: Corpus, out: Path, cache: Path) -> Build:
    command = [sys.executable, "-m", "sb_cli", "publish", "--root", str(corpus.root), "--out", str(out)]
    command += ["--as-of", AS_OF.isoformat()]
    run = subprocess.run(
        [sys.executable, "-c", _MEASURE, *command],
        capture_output=True,
        text=True,
        env={**os.environ, "SOURCE_DATE_EPOCH": str(EPOCH), "SB_CACHE_DIR": str(cache)},
    )
    fields = run.stdout.split()
    if run.returncode != 0 or len(fields) != 5 or fields[0] != "0":
        sys.exit(f"sb publish misslyckades:\n{run.stderr[-3000:]}")
    summary = re.search(r"(\d+) sidor och (\d+) PDF- och Word-filer .*\((\d+) dokument renderade", run.stderr)
    if summary is None:
        sys.exit(f"sb publish sade inte hur många sidor det blev:\n{run.stderr[-3000:]}")
    count, size = site_files(out)
    _, cached = site_files(cache)
    return Build(
        seconds=float(fields[1]),
        cpu_seconds=float(fields[4]),
        tree_mb=int(fields[2]) / 1024,
        process_mb=int(fields[3]) / 1024,
        pages=int(summary.group(1)),
        files=int(summary.group(2)),
        rendered=int(summary.group(3)),
        written=count,
        site_mb=size / 1024 / 1024,
        cache_mb=cached / 1024 / 1024,
    )


def change_one(corpus: Corpus) -> None:
    """One paragraph of the newest protocol (not yet committed as justerat) says something new."""
    path = corpus.open_protocol
    text = path.read_text("utf-8")
    changed = text.replace("Protokoll för mötet", "Protokollet för mötet", 1)
    assert changed != text
    path.write_text(changed, "utf-8")


def compare(protocols: int, styrdokument: int) -> dict[str, Build]:
    """The full build (with an empty cache), a rebuild with nothing changed and one after one
    protocol changed."""
    with tempfile.TemporaryDirectory(prefix="sb-bench-publish-") as folder:
        corpus = build_corpus(Path(folder) / "korpus", protocols, styrdokument)
        out, cache = Path(folder) / "webb", Path(folder) / "cache"
        results = {"full": publish(corpus, out, cache), "unchanged": publish(corpus, out, cache)}
        change_one(corpus)
        results["changed"] = publish(corpus, out, cache)
    return results


LABELS = {"full": "fullt bygge", "unchanged": "inget ändrat", "changed": "ett protokoll ändrat"}


def report(results: dict[str, Build], protocols: int, styrdokument: int) -> None:
    """The table of the three builds, the cost per document and the goals."""
    print(
        f"{'bygge':<20}  {'s':>7}  {'CPU s':>7}  {'MB':>6}  {'max MB':>6}  {'rend.':>5}  {'sidor':>5}  {'PDF+DOCX':>8}"
        f"  {'filer':>6}  {'webb MB':>7}  {'cache MB':>8}"
    )
    for key, r in results.items():
        print(
            f"{LABELS[key]:<20}  {r.seconds:>7.2f}  {r.cpu_seconds:>7.2f}  {r.tree_mb:>6.0f}  {r.process_mb:>6.0f}"
            f"  {r.rendered:>5}  {r.pages:>5}  {r.files:>8}  {r.written:>6}  {r.site_mb:>7.1f}  {r.cache_mb:>8.1f}"
        )
    if results["unchanged"].rendered:
        print("Obs: bygget utan ändringar renderade dokument på nytt: ändrades sb eller mallarna under mätningen?")
    full = results["full"]
    print(
        "CPU s: processortid för sb och alla dess processer (på en delad maskin mindre beroende av "
        "grannarna än väggtiden); MB: sb och dess renderingsprocesser tillsammans; max MB: den största "
        "enskilda process som väntats in (getrusage); rend.: "
        f"dokument renderade på nytt. Fullt bygge: {full.seconds / max(1, protocols + styrdokument) * 1000:.0f} ms "
        "per dokument."
    )
    print(
        f"Mål ({PROTOCOLS} protokoll, {STYRDOKUMENT} styrdokument, 2 kärnor): fullt bygge ≤ {GOALS['full']:.0f} s, "
        f"ett protokoll ändrat ≤ {GOALS['changed']:.0f} s."
    )


def main(protocols: int, styrdokument: int) -> None:
    print(f"sb publish: {protocols} protokoll, {styrdokument} styrdokument, {os.cpu_count()} kärnor\n")
    report(compare(protocols, styrdokument), protocols, styrdokument)


if __name__ == "__main__":
    sizes = [int(a) for a in sys.argv[1:3]]
    main(sizes[0] if sizes else PROTOCOLS, sizes[1] if len(sizes) > 1 else STYRDOKUMENT)
