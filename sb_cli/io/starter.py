"""A new document repository (`sb init`) and the packaged schemas (`sb schemas`), as files.

`lay_out` never overwrites: a file that exists is left as it is and reported so.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from sb_cli.io.atomic import check_inside, create_atomic, write_atomic
from sb_cli.io.repo import packaged

SB_TOML = """\
# sb:s inställningar för detta repositorium. Allt är valfritt; värdena nedan är standardvärdena.
documents = "documents"       # dokumenten och organisation.yaml
templates = "templates"       # egna mallfiler som ersätter de levererade, fil för fil
schemas = "schemas"           # JSON Schema för redigeraren (sb schemas --out schemas skriver dem på nytt)
notice_window_days = 90       # bevakningsfönster för uppsägning och avtalsslut (SB012)
reminder_days = [90, 30, 7]   # sb calendar: påminnelser så många dagar före varje frist

# Webbplatsen (sb publish) och kalendern: vem som ger ut dem. Standard för site_name är mappens namn.
site_name = NAME
# site_description = "Protokoll och styrdokument för samverkan i …"   # en mening under namnet på varje sida
# organisation_name = "…"                 # vem som står bakom webbplatsen (standard: site_name)
# site_url = "https://example.se/samverkan/"   # där webbplatsen ligger: flödets länkar

# Tillgänglighetsredogörelsen (lagen om tillgänglighet till digital offentlig service). Utan
# accessibility_contact bygger sb publish bara ett utkast, med --draft-site.
# accessibility_contact = "e-post och telefon till den som svarar för webbplatsen"
# accessibility_report_url = "https://example.se/rapportera-brist"   # ett formulär för att rapportera brister
# accessibility_compliance = "partial"    # er bedömning, DIGG:s nivåer: full, partial eller none (utan: inte bedömd)
# accessibility_shortcomings = ["kända brister, en per post"]
"""

ORGANISATION = """\
# yaml-language-server: $schema=../schemas/organisation.schema.json
# Samverkans parter och forum. Byt exemplen nedan mot era egna; varje dokument hänvisar hit med id.
parties:
  # En part är en region eller kommun som ingår i samverkan (kind: region eller kommun).
  - id: regionen               # kort id, a–z, siffror och bindestreck
    name: Regionen             # namnet som det skrivs i dokumenten
    kind: region
forums:
  # Ett forum sammanträder, kallar och protokollför. members är ledamöterna med sin part.
  - id: styrgrupp
    name: Styrgruppen
    level: strategisk          # strategisk, taktisk eller operativ
    decision_phrase: Styrgruppen beslutar
    numbering: paragraph       # paragraph: §1, §2 …; list: 1). 2). …
    agenda_notice_days: 7      # kallelsen ska skickas så många dagar före mötet (SB022)
    members: []
"""

PRE_COMMIT = """\
# pre-commit: sb validate före varje commit (pre-commit install), på alla dokument.
repos:
  - repo: local
    hooks:
      - id: sb-validate
        name: sb validate
        entry: sb validate
        language: system
        pass_filenames: false
        always_run: true
"""

GITIGNORE = """\
# Det sb render och sb publish skriver (ut/, site/) och testverktygens filer.
ut/
site/
*.sarif
sb-junit.xml
"""

WORKFLOW = """\
# Kontrollera dokumenten i varje pull request: fynd som anteckningar, och som larm i code scanning.
name: dokument
on: [pull_request]
jobs:
  validate:
    runs-on: ubuntu-latest
    permissions: {contents: read, security-events: write}
    steps:
      - uses: actions/checkout@v4
        with: {fetch-depth: 0}          # SB040 behöver historiken
      - uses: actions/setup-python@v5
        with: {python-version: "3.12"}
      - run: pip install "sb @ git+https://github.com/samverkan-blekinge/sb@vVERSION"
      - run: sb validate --format github --changed-since origin/${{ github.base_ref }}
      - run: sb validate --format sarif > sb.sarif
        if: always()
      - uses: github/codeql-action/upload-sarif@v3
        if: always()
        with: {sarif_file: sb.sarif}
"""


@dataclass(frozen=True)
class Written:
    path: Path
    new: bool  # False: it was there already and is left as it is


def schema_files() -> list[Path]:
    return sorted(packaged("schemas").glob("*.schema.json"))


def write_schemas(folder: Path) -> list[Written]:
    """The packaged schemas into `folder`, replacing older copies (they are sb's, not the user's).
    Nothing is written when any of them would go through a link out of `folder`."""
    schemas = schema_files()
    for schema in schemas:
        check_inside(folder, folder / schema.name)
    written = []
    for schema in schemas:
        target = folder / schema.name
        new = not target.exists()
        write_atomic(target, schema.read_bytes(), within=folder)
        written.append(Written(target, new))
    return written


def lay_out(root: Path, version: str) -> list[Written]:
    """sb.toml, documents/organisation.yaml, schemas/, .pre-commit-config.yaml, .gitignore and a CI
    workflow, each only where no such file is. Nothing is written when any of them would go through
    a link out of `root`."""
    name = json.dumps(root.resolve().name, ensure_ascii=False)  # a JSON string is a TOML basic string
    files = {
        "sb.toml": SB_TOML.replace("NAME", name, 1),
        "documents/organisation.yaml": ORGANISATION,
        ".pre-commit-config.yaml": PRE_COMMIT,
        ".gitignore": GITIGNORE,
        ".github/workflows/sb.yml": WORKFLOW.replace("VERSION", version),
    }
    files.update({f"schemas/{s.name}": s.read_text("utf-8") for s in schema_files()})
    for relative in files:
        check_inside(root, (root / relative).parent)  # a file that is there, link or not, is left as it is
    written = []
    for relative, text in files.items():
        target = root / relative
        try:
            create_atomic(target, text.encode("utf-8"), within=root)
        except FileExistsError:
            written.append(Written(target, False))
        else:
            written.append(Written(target, True))
    return written
