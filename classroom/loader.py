"""Load the ready-made challenge sets (classroom/content/sets.yaml), validated, by stable slug."""

from pathlib import Path

import yaml
from django.db import transaction

from classroom.models import ChallengeSet
from classroom.services import ClassroomError, set_save

SETS_FILE = Path(__file__).resolve().parent / "content" / "sets.yaml"


class SetContentError(Exception):
    pass


def ready_made_sets_load(path: Path | None = None) -> int:
    """Create or update each ready-made set; return how many there are. A bad entry changes nothing."""
    path = path or SETS_FILE
    try:
        entries = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as error:
        raise SetContentError(f"{path}: YAML syntax error: {error}") from error
    if not isinstance(entries, list):
        raise SetContentError(f"{path}: must be a list of sets")
    with transaction.atomic():
        for number, entry in enumerate(entries, start=1):
            where = f"{path.name}: set #{number} ({entry.get('slug') if isinstance(entry, dict) else '?'})"
            if not isinstance(entry, dict) or set(entry) != {
                "slug",
                "title",
                "description",
                "items",
            }:
                raise SetContentError(f"{where}: needs exactly slug, title, description and items")
            existing = ChallengeSet.objects.filter(slug=entry["slug"]).first()
            try:
                set_save(
                    author=None,
                    challenge_set=existing,
                    slug=entry["slug"],
                    title=entry["title"],
                    description=entry["description"],
                    items=entry["items"],
                )
            except ClassroomError as error:
                raise SetContentError(f"{where}: {error}") from error
    return len(entries)
