"""The secretary's whole cycle, as a user runs it: new kallelse, new protocol from it, fill it in,
validate, render, adjust — once for LSVO (§ numbering) and once for a samverkansgrupp (list numbering)."""

import datetime as dt
import json
import shutil
import subprocess

import pytest
import yaml

from tests.conftest import REPO, sb

pytestmark = [pytest.mark.git, pytest.mark.slow]


def git(root, *args):
    subprocess.run(["git", *args], cwd=root, check=True, capture_output=True)


@pytest.fixture
def repo(tmp_path):
    shutil.copytree(REPO / "documents", tmp_path / "documents")
    git(tmp_path, "init", "-q", "-b", "main")
    git(tmp_path, "config", "user.email", "sekreterare@example.se")
    git(tmp_path, "config", "user.name", "Sekreterare")
    git(tmp_path, "add", "-A")
    git(tmp_path, "commit", "-q", "-m", "start")
    return tmp_path


def ok(result):
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout.strip()


def fill_in(path, *, absent):
    """What the secretary does by hand: mark the absent, write the decisions."""
    data = yaml.safe_load(path.read_text("utf-8"))
    present = data["attendance"]["present"]
    for name in absent:
        present.remove(name)
    data["attendance"]["absent"] = list(absent)
    for item in data["items"]:
        if "B" in str(item.get("kind", "")):
            item["decisions"] = [f"godkänna {item['title'].lower()}"]
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), "utf-8")


def numbers(path):
    return [i["number"] for i in yaml.safe_load(path.read_text("utf-8"))["items"]]


def cycle(repo, forum, day, absent=()):
    kallelse = repo / ok(sb("new", "kallelse", "--forum", forum, "--date", day, cwd=repo))
    kallelse_data = yaml.safe_load(kallelse.read_text("utf-8"))
    protocol = repo / ok(sb("new", "protokoll", "--from", kallelse, cwd=repo))
    assert numbers(protocol) == numbers(kallelse)
    fill_in(protocol, absent=absent)
    report = json.loads(sb("validate", "--format", "json", "--as-of", day, protocol, cwd=repo).stdout)
    assert report["summary"]["error"] == 0, report["findings"]
    ok(sb("render", "protocol", protocol, "--to", "md", "--out", "ut", cwd=repo))
    assert (repo / "ut" / f"{forum}-{day}.md").exists()
    ok(sb("adjust", protocol, "--date", day, "--as-of", day, cwd=repo))
    assert yaml.safe_load(protocol.read_text("utf-8"))["adjusted"] == dt.date.fromisoformat(day)
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", f"{forum} {day} justerat")
    return kallelse_data, protocol


def test_lsvo_cycle_numbers_run_on_within_a_year_and_restart_in_a_new_one(repo):
    kallelse, first = cycle(repo, "LSVO", "2026-12-04", absent=["Yvonne Strandh"])
    assert "sent" not in kallelse and kallelse["register_by"] == dt.date(2026, 11, 20)
    titles = [i["title"] for i in kallelse["items"]]
    assert titles[:2] == ["Godkännande av dagordning", "Föregående sammanträdesprotokoll"]
    assert titles[-2:] == ["Återkoppling", "Övriga frågor"]
    assert numbers(first) == [1, 2, 3, 4, 5]
    protocol = yaml.safe_load(first.read_text("utf-8"))
    assert protocol["chair"] == "Bodil Sundlöf" and protocol["secretary"] == "Mats Wennstig"
    _, second = cycle(repo, "LSVO", "2026-12-18")
    assert numbers(second)[0] == 6
    _, next_year = cycle(repo, "LSVO", "2027-01-15")
    assert numbers(next_year)[0] == 1
    # From now on SB040 guards the justerat protocol.
    first.write_text(first.read_text("utf-8").replace("godkänna", "avslå"), "utf-8")
    report = json.loads(sb("validate", "--format", "json", "--as-of", "2027-01-20", cwd=repo).stdout)
    assert "SB040" in {f["code"] for f in report["findings"]}


def test_samverkansgrupp_cycle_with_list_numbering(repo):
    kallelse, first = cycle(repo, "att-aldras", "2026-12-07")
    assert [i["title"] for i in kallelse["items"]][0] == "Godkännande av dagordningen"
    assert numbers(first) == [1, 2, 3, 4, 5]
    _, second = cycle(repo, "att-aldras", "2026-12-21")
    assert numbers(second)[0] == 1  # list numbering starts at 1 every meeting
    assert "1)." in (repo / "ut" / "att-aldras-2026-12-21.md").read_text("utf-8")


def test_deferred_items_and_due_decisions_are_pulled_into_the_next_kallelse(repo):
    kallelse = repo / ok(sb("new", "kallelse", "--forum", "LSVO", "--date", "2023-08-25", cwd=repo))
    items = yaml.safe_load(kallelse.read_text("utf-8"))["items"]
    pulled = {i["follows_up"] for i in items if "follows_up" in i}
    assert "LSVO-2023-06-16 §71a" in pulled and "LSVO-2023-06-16 §72a" in pulled
    assert "LSVO-2023-06-16 §66" in pulled  # its decision was due 2023-08-25
    assert items[0]["number"] == 73  # § numbers run on from § 72 on 2023-06-16


def test_new_never_overwrites_without_force_and_keeps_comments_on_adjust(repo):
    path = ok(sb("new", "kallelse", "--forum", "LSVO", "--date", "2026-12-04", cwd=repo))
    again = sb("new", "kallelse", "--forum", "LSVO", "--date", "2026-12-04", cwd=repo)
    assert again.returncode == 2 and "finns redan" in again.stderr
    ok(sb("new", "kallelse", "--forum", "LSVO", "--date", "2026-12-04", "--force", cwd=repo))
    protocol = repo / ok(sb("new", "protokoll", "--from", path, cwd=repo))
    fill_in(protocol, absent=[])
    text = "# Sekreterarens anteckning: kontrollerat mot ljudupptagningen.\n" + protocol.read_text("utf-8")
    protocol.write_text(text, "utf-8")
    ok(sb("adjust", protocol, "--date", "2026-12-08", "--as-of", "2026-12-08", cwd=repo))
    after = protocol.read_text("utf-8")
    assert after.startswith("# Sekreterarens anteckning")
    assert list(yaml.safe_load(after))[:3] == ["id", "type", "title"]


def test_adjust_refuses_a_protocol_with_errors(repo):
    path = ok(sb("new", "kallelse", "--forum", "LSVO", "--date", "2026-12-04", cwd=repo))
    protocol = repo / ok(sb("new", "protokoll", "--from", path, cwd=repo))
    before = protocol.read_bytes()
    result = sb("adjust", protocol, "--date", "2026-12-08", "--as-of", "2026-12-08", cwd=repo)
    assert result.returncode == 1 and "SB025" in result.stdout
    assert protocol.read_bytes() == before


def test_new_styrdokument_headers_validate(repo):
    for kind, ident in (("rutin", "rutin-ny"), ("agreement", "avtal-nytt"), ("uppdragsbeskrivning", "uppdrag-nytt")):
        path = ok(sb("new", kind, "--id", ident, "--title", f"Ny {kind}", "--owner", "LSVO", cwd=repo))
        report = json.loads(sb("validate", "--format", "json", path, cwd=repo).stdout)
        assert report["summary"]["error"] == 0, report["findings"]
