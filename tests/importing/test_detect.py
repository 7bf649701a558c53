"""Which recogniser a source goes to when --type is not given."""

from __future__ import annotations

import pytest

from sb_cli.importing.detect import meeting_type
from sb_cli.importing.source import Block, Source
from tests.importing.conftest import seed_file
from tests.importing.test_kallelse_import import LIST_KALLELSE, PARAGRAPH_KALLELSE, SB_PDF_TEXT


def source(text: str) -> Source:
    return Source("test.txt", "txt", tuple(Block(line) for line in text.splitlines()))


@pytest.mark.parametrize(
    ("prefix", "expected"), [("003", "protokoll"), ("002", "protokoll"), ("001", None), ("000", None), ("004", None)]
)
def test_the_seeds_read_as_what_they_are(prefix: str, expected: str | None) -> None:
    assert meeting_type(source(seed_file(prefix).read_text("utf-8"))) == expected


@pytest.mark.parametrize("text", [PARAGRAPH_KALLELSE, LIST_KALLELSE, SB_PDF_TEXT])
def test_a_kallelse_reads_as_a_kallelse(text: str) -> None:
    assert meeting_type(source(text)) == "kallelse"


def test_a_kallelse_heading_over_decisions_is_a_protocol() -> None:
    text = "Dagordning\n§ 1 Budget\n§ 2 Val\nLSVO beslutar\natt godkänna budgeten\n"
    assert meeting_type(source(text)) == "protokoll"


def test_prose_with_one_numbered_line_is_neither() -> None:
    assert meeting_type(source("Rutin för avvikelser\n1) Syfte\nRutinen gäller alla.\n")) is None
