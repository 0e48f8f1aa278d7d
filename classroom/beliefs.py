"""'What you may believe': the learner's likely misconceptions, each with its evidence.

Evidence comes from three rooms (quiz answers, challenge checks, recorded
requests), always the learner's own rows. A misconception ranks by how much
evidence there is, then by how recent the latest piece is. Each comes with
what practises it: a belief quiz run when questions link it, and the
challenges whose checks link it when fewer than MIN_QUESTIONS questions do.
"""

import re
from collections import Counter, defaultdict
from dataclasses import dataclass
from typing import NamedTuple

from accounts.content_version import ContentMemo
from accounts.models import User
from challenges.belief_evidence import check_evidence, request_evidence
from challenges.misconception_links import linked_misconceptions as challenge_links
from challenges.models import Challenge
from curriculum.evidence import Evidence
from curriculum.models import Misconception
from quiz.belief_evidence import answer_evidence
from quiz.misconception_links import linked_misconceptions as question_links
from quiz.models import Question

SHOWN = 5
MIN_QUESTIONS = 3
EVIDENCE_SHOWN = 10
RFC_REFERENCE = re.compile(r"RFC (?P<rfc>[0-9]+) §(?P<section>[0-9A-Z][0-9.]*)")


@dataclass(frozen=True)
class Belief:
    misconception: Misconception
    evidence: list[Evidence]  # newest first, at most EVIDENCE_SHOWN
    count: int
    questions: int  # active questions that practise it
    challenges: list["LinkedChallenge"]  # linked challenges, listed when questions are few

    @property
    def can_practise(self) -> bool:
        return self.questions > 0

    @property
    def reference_url(self) -> str:
        """The RFC section on rfc-editor.org (references are validated as 'RFC 9110 §9.2.2')."""
        match = RFC_REFERENCE.fullmatch(self.misconception.reference)
        if not match:
            return ""
        section = match["section"]
        anchor = f"appendix-{section}" if section[0].isalpha() else f"section-{section}"
        return f"https://www.rfc-editor.org/rfc/rfc{match['rfc']}#{anchor}"


def beliefs_for(user: User, limit: int = SHOWN) -> list[Belief]:
    """Up to `limit` misconceptions the learner's own work reveals, most evidence first."""
    vocabulary = _active_misconceptions()
    if not vocabulary or not user.is_authenticated:
        return []
    entries = [{"slug": m.slug, "diagnostics": m.diagnostics} for m in vocabulary.values()]
    found = defaultdict(list)
    for item in answer_evidence(user) + check_evidence(user) + request_evidence(user, entries):
        if item.misconception in vocabulary:
            found[item.misconception].append(item)
    ranked = sorted(
        found.items(), key=lambda pair: (len(pair[1]), max(e.at for e in pair[1])), reverse=True
    )[:limit]
    if not ranked:
        return []
    questions, challenges = _practice_links({slug for slug, _ in ranked})
    return [
        Belief(
            misconception=vocabulary[slug],
            evidence=sorted(items, key=lambda e: e.at, reverse=True)[:EVIDENCE_SHOWN],
            count=len(items),
            questions=questions[slug],
            challenges=challenges[slug] if questions[slug] < MIN_QUESTIONS else [],
        )
        for slug, items in ranked
    ]


class LinkedChallenge(NamedTuple):
    slug: str
    title: str


_links = ContentMemo(max_entries=4)  # the practice links and the vocabulary


def _active_misconceptions() -> dict[str, Misconception]:
    """Every active misconception by slug, once per content version (shared: read only)."""
    return _links.get_or_build(
        "vocabulary", lambda: {m.slug: m for m in Misconception.objects.filter(is_active=True)}
    )


def _practice_links(slugs: set[str]) -> tuple[Counter, dict[str, list[LinkedChallenge]]]:
    """How many active questions practise each slug, and which active challenges do."""
    questions, challenges = _links.get_or_build("all", _all_practice_links)
    return (
        Counter({slug: questions[slug] for slug in slugs if slug in questions}),
        {slug: challenges.get(slug, []) for slug in slugs},
    )


def _all_practice_links() -> tuple[Counter, dict[str, list[LinkedChallenge]]]:
    """Built once per content version: the links are content, the same for every learner."""
    questions = Counter(
        slug
        for data in Question.objects.filter(is_active=True).values_list("data", flat=True)
        for slug in question_links(data)
    )
    challenges = defaultdict(list)
    for slug, title, steps in Challenge.objects.filter(is_active=True).values_list(
        "slug", "title", "steps"
    ):
        for linked in challenge_links(steps):
            challenges[linked].append(LinkedChallenge(slug, title))
    return questions, dict(challenges)
