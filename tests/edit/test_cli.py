"""`sb edit` as a user starts it: the address with its token first on stdout, 127.0.0.1 only, the
next free port when the default is taken, an unknown id refused before the server starts, and
Ctrl-C ending it with exit 130."""

from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from tests.conftest import REPO, sb

pytestmark = pytest.mark.slow


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    root = tmp_path / "repo"
    shutil.copytree(REPO / "documents", root / "documents")
    return root


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def start(repo: Path, *args: str) -> tuple[subprocess.Popen[str], str]:
    command = [sys.executable, "-m", "sb_cli", "edit", "--no-browser", "--root", str(repo), "--as-of", "2026-12-06"]
    server = subprocess.Popen(
        [*command, *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env={**os.environ}
    )
    assert server.stdout is not None
    return server, server.stdout.readline().strip()


def browser() -> urllib.request.OpenerDirector:
    """Keeps cookies, as a browser does: the token of the address comes back as one."""
    return urllib.request.build_opener(urllib.request.HTTPCookieProcessor())


def stop(server: subprocess.Popen[str]) -> int:
    server.send_signal(signal.SIGINT)
    return server.wait(timeout=20)


def test_the_first_line_is_the_address_and_ctrl_c_is_exit_130(repo: Path) -> None:
    port = free_port()
    server, address = start(repo, "--port", str(port))
    try:
        assert re.fullmatch(rf"http://127\.0\.0\.1:{port}/\?token=[A-Za-z0-9_-]{{40,}}", address)
        with browser().open(address, timeout=10) as answer:  # the token, then the cookie
            assert answer.status == 200 and "Forum och möten" in answer.read().decode()
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=10)
        assert refused.value.code == 403
    finally:
        code = stop(server)
    assert code == 130


def test_it_listens_on_127_0_0_1_only(repo: Path) -> None:
    port = free_port()
    server, _address = start(repo, "--port", str(port))
    try:
        listening = Path("/proc/net/tcp").read_text().splitlines()[1:]
        local = [line.split()[1] for line in listening if line.split()[3] == "0A"]  # 0A: LISTEN
        ours = [entry for entry in local if int(entry.split(":")[1], 16) == port]
        assert ours == ["0100007F:" + f"{port:04X}"]  # 127.0.0.1, nothing else
    finally:
        stop(server)


def test_a_taken_port_moves_on_to_the_next_free_one(repo: Path) -> None:
    with socket.socket() as taken:
        try:
            taken.bind(("127.0.0.1", 8765))
            taken.listen()
        except OSError:  # taken already, by someone else
            pass
        server, address = start(repo)
        try:
            assert address.startswith("http://127.0.0.1:") and ":8765/" not in address
        finally:
            stop(server)


def test_an_asked_port_that_is_taken_is_a_clear_error(repo: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        done = sb("edit", "--no-browser", "--root", str(repo), "--port", str(port))
    assert done.returncode == 2
    assert f"porten {port} är upptagen" in done.stderr and "Traceback" not in done.stderr


def test_an_unknown_id_is_refused_before_the_server_starts(repo: Path) -> None:
    done = sb("edit", "finns-inte", "--no-browser", "--root", str(repo), "--port", str(free_port()))
    assert done.returncode == 2
    assert "inget dokument har id 'finns-inte'" in done.stderr and done.stdout == ""


def test_with_an_id_the_address_opens_that_document(repo: Path) -> None:
    server, address = start(repo, "LSVO-2023-06-16", "--port", str(free_port()))
    try:
        assert "/dokument/LSVO-2023-06-16?token=" in address
        with browser().open(address, timeout=10) as answer:
            assert "Sammanträdesprotokoll LSVO 2023-06-16" in answer.read().decode()
    finally:
        stop(server)


def test_help_has_examples() -> None:
    done = sb("edit", "--help")
    assert done.returncode == 0 and "sb edit LSVO-2023-06-16" in done.stdout and "127.0.0.1" in done.stdout
