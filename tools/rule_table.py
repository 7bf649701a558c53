"""Print the README's rule table from the rule registry; the tests check that the README holds it.

python tools/rule_table.py
"""

from __future__ import annotations

import sys

from sb_cli.core.rules import RULES

SEVERITIES = {"error": "fel", "warning": "varning", "info": "info"}


def table() -> str:
    rows = ["| kod | allvar | regel |", "| --- | --- | --- |"]
    for rule in RULES:
        text = f"**{rule.title}.** {rule.description} *Gör så här:* {rule.help}"
        rows.append(f'| <a name="{rule.code.lower()}"></a>{rule.code} | {SEVERITIES[rule.severity.value]} | {text} |')
    return "\n".join(rows) + "\n"


if __name__ == "__main__":
    sys.stdout.write(table())
