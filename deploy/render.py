"""Fill the @...@ placeholders of a deploy/ template and print the result.

    python deploy/render.py deploy/nginx/httpschool.conf SERVER_NAME=learn.example.org ...

Every placeholder in the template must be given, and every name given must be
in the template, so a typo stops here instead of in a half-configured nginx.
"""

import re
import sys
from pathlib import Path

PLACEHOLDER = re.compile(r"@([A-Z][A-Z0-9_]*)@")


def render(template: str, values: dict[str, str]) -> str:
    """Return `template` with each @...@ placeholder replaced; raise ValueError naming what is missing or unknown."""
    wanted = set(PLACEHOLDER.findall(template))
    missing, unknown = wanted - values.keys(), values.keys() - wanted
    if missing or unknown:
        raise ValueError(
            f"missing values for {sorted(missing) or 'nothing'}; "
            f"not in the template: {sorted(unknown) or 'nothing'}"
        )
    return PLACEHOLDER.sub(lambda match: values[match.group(1)], template)


def main(argv: list[str]) -> int:
    if len(argv) < 2 or any("=" not in pair for pair in argv[2:]):
        print(__doc__, file=sys.stderr)
        return 2
    values = dict(pair.split("=", 1) for pair in argv[2:])
    try:
        sys.stdout.write(render(Path(argv[1]).read_text(), values))
    except ValueError as error:
        print(f"{argv[1]}: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
