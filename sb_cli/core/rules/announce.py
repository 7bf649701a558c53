"""SB028: the justering of a nämnd's protocol posted on the notice board in time (kommunallagen 8 kap.)."""

from __future__ import annotations

from collections.abc import Iterator

from sb_cli.core.announce import late_posting
from sb_cli.core.model import Corpus, Finding, Severity
from sb_cli.core.rules.base import Context, Rule, Scope


def check_posting(corpus: Corpus, context: Context) -> Iterator[Finding]:
    for document in corpus.protocols():
        record = document.record
        late = late_posting(record, corpus.organisation.forums.get(record.forum), context.as_of)
        if late is not None:
            message, key = late
            yield SB028.at(
                document,
                message,
                key,
                hint="anslå justeringen med sb announce PROTOKOLL --date DATUM och publicera webbplatsen",
            )


SB028 = Rule(
    "SB028",
    Severity.WARNING,
    "Justeringen anslogs inte i tid",
    "Ett justerat protokoll från ett forum med announce: true (en nämnd) har inget anslag (announced) "
    "fast det gått mer än två dagar sedan justeringen, eller anslogs senare än andra dagen efter "
    "justeringen eller före den. Ett protokoll justerat på en okänd dag (adjusted: true) kontrolleras inte.",
    "Anslå justeringen med sb announce och publicera webbplatsen; ett sent anslag gör att "
    "överklagandetiden börjar löpa först då.",
    Scope.DOCUMENT,
    check_posting,
)
