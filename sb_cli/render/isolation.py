"""Documents rendered in child processes, under a time and a memory limit.

A repository's mallar are code that anyone with commit rights can change: a Jinja expression such as
9**(9**9) never ends, a typst loop can exhaust memory and abort the process. So every document is
rendered in a child (one per core, each taking job after job) with RLIMIT_AS and, per job, RLIMIT_CPU
set; the parent ends a child that runs past its time, and a child that dies becomes a Swedish error
naming the mall.
Interrupting the parent (Ctrl-C, SIGTERM) ends every child and removes what they were writing.
"""

from __future__ import annotations

import multiprocessing
import os
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, TypeVar

from sb_cli.errors import SbError
from sb_cli.io.atomic import remove_temporaries

if TYPE_CHECKING:
    from multiprocessing.process import BaseProcess

    from sb_cli.io.repo import Settings
    from sb_cli.render.service import Job

# Where a typst package download would go: a port on which nothing listens, so that a mall cannot
# reach the network (typst honours the proxy variables).
_NO_NETWORK = "http://127.0.0.1:9"
_GRACE_SECONDS = 2  # for the child to say that it ran out of CPU time before it is killed


_Result = TypeVar("_Result")


@dataclass(frozen=True)
class Limits:
    seconds: int = 60
    memory_mb: int = 1024

    @classmethod
    def of(cls, settings: Settings) -> Limits:
        """The limits sb.toml sets for work on input from the repository (render_seconds, render_memory_mb)."""
        return cls(seconds=settings.render_seconds, memory_mb=settings.render_memory_mb)


@dataclass
class _Worker:
    """A child and the job it is rendering (None: idle, waiting for the next)."""

    process: BaseProcess
    connection: Connection
    job: Job | None = None
    started: float = 0.0
    fmt: str = ""


def render_isolated(
    jobs: list[Job],
    templates: Path,
    timestamp: int | None,
    limits: Limits,
    progress: Callable[[Job], None] | None = None,
) -> list[Path]:
    """Every job in a child process, one child per core; a child takes job after job, so that it
    loads fonts and mallar once (each job gets its own time limit)."""
    if not jobs:  # a rebuild with nothing changed starts no process
        return []
    context = _context()
    waiting = list(jobs)
    workers: list[_Worker] = []
    written: list[Path] = []
    with _ended_on_exit(workers):
        for _ in range(min(os.cpu_count() or 1, len(jobs))):
            workers.append(_start(context, templates, timestamp, limits))
        for worker in workers:
            _give(worker, waiting)
        while busy := [worker for worker in workers if worker.job is not None]:
            ready = wait([worker.connection for worker in busy], timeout=0.1)
            for worker in busy:
                written += _attend(worker, worker.connection in ready, waiting, templates, limits, progress)
        _finish(workers)
    return written


def _finish(workers: list[_Worker]) -> None:
    for worker in workers:
        worker.connection.send(None)  # no more work: the child ends
        worker.process.join()


def _attend(
    worker: _Worker,
    ready: bool,
    waiting: list[Job],
    templates: Path,
    limits: Limits,
    progress: Callable[[Job], None] | None,
) -> list[Path]:
    """One busy child: the files of the job it finished (and it gets the next), or its end when it
    runs past its time."""
    if not ready:
        if time.monotonic() - worker.started > limits.seconds + _GRACE_SECONDS:
            raise _over_time(worker, templates, limits)
        return []
    job, done = worker.job, _receive(worker, templates)
    if done is None or job is None:
        return []
    if progress:
        progress(job)
    _give(worker, waiting)
    return done


def _give(worker: _Worker, waiting: list[Job]) -> None:
    worker.job = waiting.pop(0) if waiting else None
    if worker.job is not None:
        worker.started, worker.fmt = time.monotonic(), ""
        worker.connection.send(worker.job)


def _context(preload: tuple[str, ...] | None = None) -> Any:
    """A fork server where the platform has one: children start from a clean process that has run no
    typst (whose own threads would not survive a fork of this one); elsewhere spawn. On Linux the
    fork server and its children are told to end when this process ends, even by SIGKILL.
    `preload` names the modules the fork server imports once (by default the renderers')."""
    if "forkserver" not in multiprocessing.get_all_start_methods():
        return multiprocessing.get_context("spawn")
    os.environ[_PARENT] = str(os.getpid())  # read by the fork server when it starts
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload([__name__, *(PRELOADED if preload is None else preload)])
    return context


# Imported once by the fork server, so that a child does not import them again (about 0.3 s each);
# importing runs nothing of typst's.
PRELOADED = (
    "sb_cli.render.service",
    "sb_cli.render.pdf",
    "sb_cli.render.docx",
    "sb_cli.render.text",
    "typst",
    "pikepdf",
)


_PARENT = "SB_RENDER_PARENT"


def _in_fork_server() -> None:
    """Run when the fork server imports this module: it ends with the process that started it."""
    if os.environ.get(_PARENT) == str(os.getppid()):
        _die_with_parent()


def _start(context: Any, templates: Path, timestamp: int | None, limits: Limits) -> _Worker:
    parent, child = context.Pipe()
    process = context.Process(target=_child, args=(templates, timestamp, limits, child), daemon=True)
    process.start()
    child.close()
    return _Worker(process, parent)


def _receive(worker: _Worker, templates: Path) -> list[Path] | None:
    """The next message of a child: None while it works; the job's files when it is done."""
    try:
        message = worker.connection.recv()
    except EOFError:  # it died without a word: killed by a limit, or aborted
        worker.process.join()
        raise _died(worker, templates) from None
    kind = message[0]
    if kind == "format":
        worker.fmt = message[1]
        return None
    if kind == "done":
        return [Path(p) for p in message[1]]
    worker.process.join()
    if kind == "error":
        raise SbError(message[1], hint=message[2])
    if kind == "memory":
        raise _died(worker, templates, memory=True)
    if kind == "os":
        raise OSError(message[1], message[2], message[3])
    raise RuntimeError(f"renderingen av {_ident(worker)} misslyckades: {message[1]}")


def _ident(worker: _Worker) -> str:
    return worker.job.view.id if worker.job is not None else "?"


def _mall(worker: _Worker, templates: Path) -> str:
    name = {"pdf": "mall.typ", "docx": "mall.docx"}.get(worker.fmt, "_common/dokument.html.j2")
    folder = "" if name.startswith("_common") or worker.job is None else f"{worker.job.view.kind}/"
    return f"templates/{folder}{name}"


def _died(worker: _Worker, templates: Path, *, memory: bool = False) -> SbError:
    import signal

    code = worker.process.exitcode
    if code == -getattr(signal, "SIGXCPU", 24):
        return _over_time(worker, templates, None)
    what = "mer minne än gränsen tillåter" if memory or code is None or code < 0 else "ett fel som avslutade processen"
    return SbError(
        f"mallen {_mall(worker, templates)} kunde inte rendera {_ident(worker)} ({worker.fmt}): den krävde {what}",
        hint="förenkla mallen, eller höj render_memory_mb i sb.toml om dokumentet verkligen är så stort",
    )


def _over_time(worker: _Worker, templates: Path, limits: Limits | None) -> SbError:
    within = f"inom {limits.seconds} sekunder" if limits else "inom tidsgränsen"
    return SbError(
        f"mallen {_mall(worker, templates)} kunde inte rendera {_ident(worker)} ({worker.fmt}) {within}",
        hint="förenkla mallen, eller höj render_seconds i sb.toml om dokumentet verkligen är så stort",
    )


@contextmanager
def _ended_on_exit(workers: list[_Worker]) -> Iterator[None]:
    """However the parent leaves (done, an error, Ctrl-C, SIGTERM): no child outlives it, and no
    half-written temporary file of a child is left beside an output."""
    try:
        yield
    finally:
        for worker in workers:
            if worker.process.is_alive():
                worker.process.kill()
        for worker in workers:
            worker.process.join(timeout=5)
            worker.connection.close()
            if worker.process.pid is not None and worker.job is not None:
                for _view, targets in worker.job.outputs():
                    for target in targets.values():
                        remove_temporaries(target, worker.process.pid)


def _child(templates: Path, timestamp: int | None, limits: Limits, connection: Connection) -> None:
    """Render the jobs the parent sends, one after the other, until it sends None."""
    _confine(limits)
    from sb_cli.render.pdf import keep_compilers

    keep_compilers()
    while (job := connection.recv()) is not None:
        limit_time(limits)
        if not _render(job, templates, timestamp, connection):
            return


def _render(job: Job, templates: Path, timestamp: int | None, connection: Connection) -> bool:
    """One job's files, and the message that says how it went; False when the child must end."""
    from sb_cli.io.atomic import write_atomic
    from sb_cli.render.formats import render_bytes

    try:
        written = []
        for view, targets in job.outputs():
            for fmt, target in targets.items():
                connection.send(("format", fmt))
                write_atomic(target, render_bytes(view, fmt, templates, timestamp))
                written.append(str(target))
        connection.send(("done", written))
        return True
    except Exception as error:
        connection.send(_failure(error, trace=False))
    return False


def _failure(error: Exception, *, trace: bool) -> tuple[Any, ...]:
    """How a child tells its parent what went wrong: the parent's `_receive` or `_outcome` reads it."""
    if isinstance(error, SbError):
        return ("error", error.message, error.hint)
    if isinstance(error, MemoryError):
        return ("memory",)
    if isinstance(error, OSError):
        return ("os", error.errno, error.strerror, error.filename)
    if trace:
        import traceback

        return ("crash", f"{error!r}\n{traceback.format_exc()}")
    return ("crash", repr(error))


def _confine(limits: Limits) -> None:
    """What every child that runs a repository's mall or reads a file from outside starts with: it
    ends with its parent, stays under the memory limit, reaches no network, and says nothing on the
    terminal (it reports through its pipe; an allocation that fails in typst or pdfium would print
    a Rust or C backtrace)."""
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent decides; it ends the child
    _die_with_parent()
    _limit_memory(limits)
    for variable in ("HTTPS_PROXY", "HTTP_PROXY", "ALL_PROXY", "https_proxy", "http_proxy", "all_proxy"):
        os.environ[variable] = _NO_NETWORK
    os.environ.pop("NO_PROXY", None)
    os.environ.pop("no_proxy", None)
    quiet = os.open(os.devnull, os.O_WRONLY)
    os.dup2(quiet, 2)
    os.close(quiet)


def _die_with_parent() -> None:
    """On Linux, end this child when the process that started it ends, however it ends (even by
    SIGKILL, when no cleanup of the parent's can run)."""
    import ctypes
    import signal
    import sys

    if not sys.platform.startswith("linux"):
        return
    parent = os.getppid()
    try:
        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        return
    if os.getppid() != parent:  # the parent ended before the request took effect
        os._exit(1)


def _limit_memory(limits: Limits) -> None:
    try:
        import resource
    except ImportError:  # Windows: no resource limits; the parent's time limit still holds
        return
    memory = limits.memory_mb * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))


def limit_time(limits: Limits) -> None:
    """The next job's CPU time: the kernel ends the child (SIGXCPU) when it uses more than
    `limits.seconds` from now. Only the soft limit moves, as an unprivileged process may raise it
    again up to the hard limit for the next job."""
    try:
        import resource
    except ImportError:
        return
    usage = resource.getrusage(resource.RUSAGE_SELF)
    used = int(usage.ru_utime + usage.ru_stime) + 1
    _soft, hard = resource.getrlimit(resource.RLIMIT_CPU)
    soft = used + limits.seconds
    if hard != resource.RLIM_INFINITY:
        soft = min(soft, hard)
    resource.setrlimit(resource.RLIMIT_CPU, (soft, hard))


# --- one call in a child, for work on input from outside (sb import) ------------------------------


class OverLimit(Exception):
    """A child run by `run_limited` went past its time (`"time"`) or memory (`"memory"`) limit, or
    ended without a word for another reason (`"died"`); the caller names what it was doing."""

    def __init__(self, reason: Literal["time", "memory", "died"]) -> None:
        super().__init__(reason)
        self.reason = reason


def run_limited(
    function: Callable[..., _Result], arguments: tuple[Any, ...], limits: Limits, *, preload: tuple[str, ...]
) -> _Result:
    """`function(*arguments)` in a child process with the render workers' limits (RLIMIT_AS, RLIMIT_CPU
    and the parent's clock): its result, or the `SbError` or `OSError` it raised, or `OverLimit`.
    `function` must be a module-level function, and its arguments and result picklable."""
    context = _context(preload)
    parent, child = context.Pipe(duplex=False)
    process = context.Process(target=_limited_child, args=(function, arguments, limits, child), daemon=True)
    try:
        process.start()
        child.close()
        if not parent.poll(limits.seconds + _GRACE_SECONDS):
            raise OverLimit("time")
        try:
            message = parent.recv()
        except EOFError:  # it died without a word: killed by a limit, or aborted
            process.join()
            raise OverLimit(_reason(process.exitcode)) from None
    finally:
        if process.is_alive():
            process.kill()
        process.join(timeout=5)
        parent.close()
    result: _Result = _outcome(message)
    return result


def _reason(code: int | None) -> Literal["time", "memory", "died"]:
    """As the render workers read a child's end: SIGXCPU is time; any other signal (an allocation
    that failed and aborted) is memory."""
    import signal

    if code == -getattr(signal, "SIGXCPU", 24):
        return "time"
    return "memory" if code is None or code < 0 else "died"


def _outcome(message: tuple[Any, ...]) -> Any:
    kind = message[0]
    if kind == "done":
        return message[1]
    if kind == "error":
        raise SbError(message[1], hint=message[2])
    if kind == "memory":
        raise OverLimit("memory")
    if kind == "os":
        raise OSError(message[1], message[2], message[3])
    raise RuntimeError(f"en barnprocess misslyckades: {message[1]}")


def _limited_child(
    function: Callable[..., Any], arguments: tuple[Any, ...], limits: Limits, connection: Connection
) -> None:
    _confine(limits)
    limit_time(limits)
    try:
        connection.send(("done", function(*arguments)))
    except Exception as error:
        connection.send(_failure(error, trace=True))


_in_fork_server()
