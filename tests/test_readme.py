"""The README says what the code does: its rule table is the registry's, and each rule has an anchor."""

import json
import re

from sb_cli.core.rules import RULES
from sb_cli.core.rules.schema import PATTERNS
from tests.conftest import REPO
from tools.rule_table import table

README = (REPO / "README.md").read_text("utf-8")


def test_the_rule_table_is_the_registry():
    start = README.index("<!-- regeltabell")
    block = README[README.index("\n", start) + 1 : README.index("<!-- /regeltabell -->")]
    assert block == table()
    for rule in RULES:
        assert f'<a name="{rule.code.lower()}"></a>{rule.code} |' in block


def test_every_schema_pattern_is_said_in_words():
    patterns = set()
    for path in (REPO / "schemas").glob("*.schema.json"):
        patterns |= set(re.findall(r'"pattern": ("(?:[^"\\]|\\.)*")', path.read_text("utf-8")))
    assert {json.loads(p) for p in patterns} <= set(PATTERNS)
