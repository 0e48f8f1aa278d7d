"""The badges a learner can earn, with the rule for each in plain words.

Definitions live here; the rule for each badge is checked by the room that
owns the event (quiz answers in quiz.services, requests in
challenges.submissions, groups in classroom.services, XP and streaks in
accounts.services), which calls accounts.services.badge_award().

Some badges come from content this app cannot import: one per unit of the
path, say. The app that owns that content registers a *badge family* at
ready(): a function returning its badges, in the order they are shown.
Families come after the fixed list everywhere badges are listed.
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Badge:
    slug: str
    name: str
    symbol: str
    rule: str


BADGES = [
    Badge("first-answer", "First answer", "✎", "Answer your first quiz question."),
    Badge("first-solve", "First solve", "★", "Solve your first challenge."),
    Badge("perfect-run", "Perfect run", "✦", "Get all ten questions of a quiz run right."),
    Badge("quiz-century", "Century", "Ⅽ", "Answer 100 different quiz questions right."),
    Badge(
        "topic-master",
        "Topic master",
        "♛",
        "Answer every question of a quiz topic right at your latest try.",
    ),
    Badge("method-actor", "Method actor", "⚙", "Solve every challenge in the Methods topic."),
    Badge("first-304", "Not modified", "↺", "Get a 304 Not Modified from the sandbox."),
    Badge(
        "conditional",
        "Conditional thinker",
        "⁇",
        "Send a conditional request (If-None-Match, If-Modified-Since or If-Match).",
    ),
    Badge(
        "fixer",
        "Fixer",
        "⚒",
        "Fix 10 broken requests: pass a step whose previous attempt the server rejected.",
    ),
    Badge(
        "terminal",
        "Terminal user",
        "⌨",
        "Reach your sandbox over TCP with curl, netcat or any client.",
    ),
    Badge("streak-7", "Seven-day streak", "☀", "Learn on seven days in a row."),
    Badge("xp-1000", "Thousand", "Ⅿ", "Earn 1,000 XP."),
    Badge("team-player", "Team player", "☺", "Join a study group."),
]
BADGES_BY_SLUG = {badge.slug: badge for badge in BADGES}


@dataclass(frozen=True)
class BadgeFamily:
    """`badges()` lists the family's badges; `notes(user)` may say how some were earned."""

    badges: Callable[[], Sequence[Badge]]
    notes: Callable[[object], dict[str, str]] | None = None


_families: dict[str, BadgeFamily] = {}


def badge_family_register(
    name: str,
    badges: Callable[[], Sequence[Badge]],
    notes: Callable[[object], dict[str, str]] | None = None,
) -> None:
    """Add (or replace, on a second ready()) the family `name`; `badges()` is called on each use.

    Keep `badges()` cheap (memoised per content version): every page that
    names a badge may call it. Its slugs must not repeat a fixed badge's.
    `notes(user)` (badge slug -> a few words such as "by the placement check")
    is asked only when the learner holds one of the family's badges.
    """
    _families[name] = BadgeFamily(badges, notes)


def badge_families() -> list[BadgeFamily]:
    return list(_families.values())


def badges_all() -> list[Badge]:
    """Every badge: the fixed list, then each family's in registration order."""
    return [*BADGES, *(badge for family in _families.values() for badge in family.badges())]


def badge_get(slug: str) -> Badge | None:
    """The badge called `slug`, fixed or from a family; None if there is none (any more)."""
    if slug in BADGES_BY_SLUG:
        return BADGES_BY_SLUG[slug]
    for family in _families.values():
        for badge in family.badges():
            if badge.slug == slug:
                return badge
    return None
