"""What the path needs to know about challenges, supplied by the challenges app.

Curriculum sits below challenges and may not import it, yet a unit's steps
include solving challenges. Two ways were open: copy every solve into a JSON
list on UnitProgress, or ask challenges when needed. Asking wins: the
ChallengeSolve table stays the one record of a solve (a solve made before the
path existed still counts, nothing can drift apart, no migration), and
challenges registers its lookup in ChallengesConfig.ready(). Challenges still
tells curriculum about a new solve (curriculum.services.unit_progress_note_solve),
because that is the moment a unit may become complete.

Until a lookup is registered (curriculum alone, in a bare test), challenges are
unknown: untitled and unsolved.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class ChallengeFact:
    title: str
    solved: bool


ChallengeLookup = Callable[[object, list[str]], dict[str, ChallengeFact]]
_lookups: list[ChallengeLookup] = []


def challenge_lookup_register(lookup: ChallengeLookup) -> None:
    """Set the function `lookup(user, slugs) -> {slug: ChallengeFact}` (the last one wins)."""
    _lookups[:] = [lookup]


def challenge_facts(user, slugs: Iterable[str]) -> dict[str, ChallengeFact]:
    """Title and solved state of each slug for `user` (anonymous: nothing solved)."""
    slugs = list(slugs)
    known = _lookups[0](user, slugs) if _lookups else {}
    return {slug: known.get(slug) or ChallengeFact(title=slug, solved=False) for slug in slugs}
