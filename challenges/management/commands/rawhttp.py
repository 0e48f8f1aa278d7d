import json
import sys
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from challenges.models import RecordedExchange
from challenges.sandbox import LIMITS, fresh_state, process
from challenges.services import sandbox_send


class Command(BaseCommand):
    help = (
        "Send raw HTTP bytes, exactly as read (no line-ending conversion), to the sandbox and print "
        "the diagnostics and the raw response(s). Without --user it answers from a throw-away bookshop."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="a file with the raw request(s), or - for standard input")
        parser.add_argument(
            "--user", help="answer from this learner's own sandbox and record the exchanges"
        )
        parser.add_argument(
            "--json", action="store_true", help="print one JSON object instead of text"
        )

    def handle(self, *args, **options):
        data = self._read(options["file"])
        if options["user"]:
            user = self._user(options["user"])
            outcome, _ = sandbox_send(user=user, data=data, source=RecordedExchange.Source.CLI)
        else:
            outcome = process(data, fresh_state())
        if options["json"]:
            self.stdout.write(json.dumps(outcome_as_json(outcome), indent=2))
        else:
            self._print_text(outcome)

    def _read(self, name: str) -> bytes:
        limit = LIMITS.input_bytes
        if name == "-":
            data = sys.stdin.buffer.read(limit + 1)
        else:
            path = Path(name)
            if not path.is_file():
                raise CommandError(f"No such file: {name}")
            with path.open("rb") as handle:
                data = handle.read(limit + 1)
        return data

    def _user(self, username: str):
        try:
            return get_user_model().objects.get(username=username)
        except get_user_model().DoesNotExist:
            raise CommandError(f"No learner with username {username!r}.") from None

    def _print_text(self, outcome):
        if outcome.diagnostics:
            self.stdout.write(self.style.MIGRATE_HEADING("Diagnostics"))
            # Each root cause, then what follows from it, indented under it.
            for diagnostic in outcome.diagnostics:
                if diagnostic.caused_by is None:
                    self._print_diagnostic(diagnostic, "  ")
                    for follow_on in diagnostic.follow_ons:
                        self._print_diagnostic(follow_on, "    ↳ ")
        else:
            self.stdout.write(self.style.SUCCESS("No diagnostics: the request is well-formed."))
        for number, exchange in enumerate(outcome.exchanges, start=1):
            self.stdout.write(self.style.MIGRATE_HEADING(f"Response {number}"))
            self.stdout.write(exchange.response.raw.decode("latin-1"), ending="\n")

    def _print_diagnostic(self, diagnostic, indent: str) -> None:
        line = f"{indent}{diagnostic.line}:{diagnostic.column} {diagnostic.severity} [{diagnostic.code}] {diagnostic.message} ({diagnostic.rfc})"
        style = self.style.ERROR if diagnostic.severity == "error" else self.style.WARNING
        self.stdout.write(style(line))


DIAGNOSTIC_KEYS = ("code", "line", "column", "severity", "message", "rfc")


def _diagnostic_as_json(diagnostic) -> dict:
    document = {key: getattr(diagnostic, key) for key in DIAGNOSTIC_KEYS}
    if diagnostic.caused_by is not None:
        document["caused_by"] = diagnostic.caused_by  # the code of the root it follows from
    return document


def outcome_as_json(outcome) -> dict:
    """Return the documented JSON shape of an outcome (see README, `rawhttp --json`)."""
    return {
        "diagnostics": [_diagnostic_as_json(d) for d in outcome.diagnostics],
        "exchanges": [
            {
                "request": exchange.request.to_dict() if exchange.request else None,
                "response": {
                    **exchange.response.to_dict(),
                    "raw": exchange.response.raw.decode("latin-1"),
                },
            }
            for exchange in outcome.exchanges
        ],
    }
