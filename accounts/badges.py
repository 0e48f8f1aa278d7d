"""The badges a learner can earn, with the rule for each in plain words.

Definitions live here; the rule for each badge is checked by the room that
owns the event (quiz answers in quiz.services, requests in
challenges.submissions, groups in classroom.services, XP and streaks in
accounts.services), which calls accounts.services.badge_award().
"""

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
