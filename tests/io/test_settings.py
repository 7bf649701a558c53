"""sb.toml: every setting checked, and every mistake a usage error naming the file, line and key."""

import pytest

from sb_cli.errors import UsageError
from sb_cli.io.repo import Settings, load_settings


@pytest.fixture
def repo(tmp_path):
    (tmp_path / "documents").mkdir()
    (tmp_path / "documents" / "organisation.yaml").write_text("parties: []\nforums: []\n")
    return tmp_path


def settings(repo, text: str) -> Settings:
    (repo / "sb.toml").write_text(text, "utf-8")
    return load_settings(repo, repo)


def test_without_sb_toml_the_defaults_hold(repo):
    assert load_settings(repo, repo) == Settings(root=repo.resolve())


def test_settings_are_read_at_the_top_level_or_under_sb(repo):
    assert settings(repo, "notice_window_days = 30\n").notice_window_days == 30
    assert settings(repo, "[sb]\nmax_file_bytes = 1000\n").max_file_bytes == 1000


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('notice_window_days = "30"\n', "sb.toml:1: 'notice_window_days': värdet ska vara heltal, inte text"),
        ("\nnotice_window_days = -5\n", "sb.toml:2: 'notice_window_days': talet ska vara minst 0"),
        ("max_file_bytes = 1.5\n", "sb.toml:1: 'max_file_bytes': värdet ska vara heltal, inte decimaltal"),
        ("farg = 1\n", "sb.toml:1: okänd inställning 'farg'"),
        ('templates = "/etc"\n', "sb.toml:1: 'templates' = '/etc' ska vara en mapp i repositoriet"),
        ('documents = "../x"\n', "sb.toml:1: 'documents' = '../x' ska vara en mapp i repositoriet"),
        ('schemas = "."\n', "sb.toml:1: 'schemas' = '.' ska vara en mapp i repositoriet"),
        ("notice_window_days = \n", "sb.toml:1:22: sb.toml kan inte läsas: ogiltig TOML"),
    ],
)
def test_a_wrong_setting_is_a_usage_error_with_line_and_key(repo, text, message):
    with pytest.raises(UsageError) as raised:
        settings(repo, text)
    assert raised.value.message.startswith(message)
    assert raised.value.hint


def test_a_folder_that_links_out_of_the_repository_is_refused(repo, tmp_path_factory):
    outside = tmp_path_factory.mktemp("outside")
    (repo / "mallar").symlink_to(outside, target_is_directory=True)
    with pytest.raises(UsageError, match="ska vara en mapp i repositoriet"):
        settings(repo, 'templates = "mallar"\n')


def test_the_cli_says_it_in_swedish_and_exits_2(repo):
    from tests.conftest import sb

    (repo / "sb.toml").write_text('notice_window_days = "30"\n')
    result = sb("validate", "--root", repo)
    assert result.returncode == 2
    assert result.stderr.startswith("sb: fel: sb.toml:1: 'notice_window_days': värdet ska vara heltal")
    assert "Traceback" not in result.stderr
