"""Reads of the classroom: who may see what, progress matrices and leaderboards.

Leaderboards read the maintained totals (accounts.LearnerTotals) with an
index-backed ORDER BY ... LIMIT 50, plus one COUNT for the viewer's own rank,
so the number of queries stays the same whatever the number of learners.
"""

import re
from dataclasses import dataclass, field
from datetime import datetime

from django.contrib.auth import get_user_model
from django.db.models import Count, Q
from django.utils import timezone

from accounts.models import LearnerTotals
from accounts.services import week_start
from challenges.models import ChallengeProgress, ChallengeSolve
from classroom.models import Assignment, Membership, SetItem, StudyGroup
from quiz.models import QuizRun

BOARD_SIZE = 50
QUIZ_ITEM_SHARE = 0.8  # a quiz-topic item is done with a finished run of 80% or more right

User = get_user_model()


def membership_of(user, group_id: int) -> Membership | None:
    if not user.is_authenticated:
        return None
    return Membership.objects.select_related("group").filter(user=user, group_id=group_id).first()


def groups_of(user):
    return (
        Membership.objects.filter(user=user)
        .select_related("group")
        .annotate(size=Count("group__memberships"))
        .order_by("group__name")
    )


# --- progress matrix ----------------------------------------------------------------------


@dataclass
class Cell:
    status: str = "new"  # "new", "tried" or "done"
    at: datetime | None = None
    late: bool = False
    earlier: bool = False  # solved before the learner joined or before the set was assigned
    gave_up: bool = False  # tried a challenge, then asked to see its solution

    @property
    def label(self) -> str:
        words = {"new": "Not started", "tried": "Tried", "done": "Solved"}[self.status]
        if self.status == "tried" and self.gave_up:
            words = "Gave up (saw the solution)"
        if self.earlier:
            return words + " earlier"
        return words + (" (late)" if self.late else "")


@dataclass
class MatrixRow:
    member: object
    cells: list[Cell]
    items: list = field(default_factory=list)

    @property
    def pairs(self) -> list[tuple]:
        return list(zip(self.items, self.cells, strict=True))

    @property
    def done(self) -> int:
        return sum(cell.status == "done" for cell in self.cells)

    @property
    def last_done_at(self):
        times = [cell.at for cell in self.cells if cell.status == "done" and cell.at]
        return max(times) if times else None


@dataclass
class Matrix:
    assignment: Assignment
    items: list
    rows: list[MatrixRow] = field(default_factory=list)

    def counts(self) -> list[dict]:
        """Per item: how many members solved, tried and have not started it."""
        result = []
        for index, item in enumerate(self.items):
            statuses = [row.cells[index].status for row in self.rows]
            result.append(
                {
                    "item": item,
                    "done": statuses.count("done"),
                    "tried": statuses.count("tried"),
                    "new": statuses.count("new"),
                }
            )
        return result


def natural_key(name: str) -> list:
    """Sort key that reads runs of digits as numbers, so "Learner 2" comes before "Learner 10"."""
    return [int(part) if part.isdigit() else part for part in re.split(r"(\d+)", name.casefold())]


def progress_matrix(
    assignment: Assignment, *, members_only: bool = True, sort: str = "name", only_user=None
) -> Matrix:
    """Members x items of the assignment's set, each cell solved / tried / not started (and late).

    With `only_user`, the matrix has just that learner's row (their own view of an assignment).
    """
    items = list(assignment.challenge_set.items.select_related("challenge", "quiz_topic"))
    memberships = Membership.objects.filter(group=assignment.group).select_related("user")
    if members_only:
        memberships = memberships.filter(role=Membership.Role.MEMBER)
    if only_user is not None:
        memberships = memberships.filter(user=only_user)
    progress = _Progress.of(memberships.values("user_id"), items)
    matrix = Matrix(
        assignment,
        items,
        [
            progress.row(
                m.user,
                items,
                assignment.due_at,
                since=had_assignment_since(assignment, m.joined_at),
            )
            for m in memberships
        ],
    )
    if sort == "progress":
        matrix.rows.sort(
            key=lambda row: (
                -row.done,
                row.last_done_at or timezone.now(),
                natural_key(row.member.public_name),
            )
        )
    else:
        matrix.rows.sort(key=lambda row: natural_key(row.member.public_name))
    return matrix


def own_progress(assignments, user) -> dict[int, MatrixRow]:
    """For each assignment, the learner's own row of its matrix (by assignment id),
    in five queries however many assignments there are."""
    set_ids = {assignment.challenge_set_id for assignment in assignments}
    items_by_set: dict[int, list] = {set_id: [] for set_id in set_ids}
    for item in SetItem.objects.filter(challenge_set_id__in=set_ids).select_related(
        "challenge", "quiz_topic"
    ):
        items_by_set[item.challenge_set_id].append(item)
    everything = [item for items in items_by_set.values() for item in items]
    progress = _Progress.of([user.pk], everything)
    joined = dict(
        Membership.objects.filter(
            user=user, group_id__in={assignment.group_id for assignment in assignments}
        ).values_list("group_id", "joined_at")
    )
    return {
        assignment.pk: progress.row(
            user,
            items_by_set[assignment.challenge_set_id],
            assignment.due_at,
            since=had_assignment_since(assignment, joined.get(assignment.group_id)),
        )
        for assignment in assignments
    }


def had_assignment_since(assignment: Assignment, joined_at) -> datetime:
    """Work solved before this moment was done before the learner had the assignment."""
    return max(assignment.created_at, joined_at) if joined_at else assignment.created_at


@dataclass
class _Progress:
    """What some learners did on some set items: the challenges they tried and
    solved, and their topic quiz runs, read in at most three queries."""

    challenges: dict[tuple[int, int], Cell]  # (user id, challenge id)
    topics: dict[tuple[int, int], Cell]  # (user id, quiz topic id)

    @classmethod
    def of(cls, user_ids, items) -> "_Progress":
        """`user_ids`: a list, or a query of user ids."""
        challenge_ids = {item.challenge_id for item in items if item.challenge_id}
        topic_ids = {item.quiz_topic_id for item in items if item.quiz_topic_id}
        challenges: dict[tuple[int, int], Cell] = {}
        topics: dict[tuple[int, int], Cell] = {}
        if challenge_ids:
            for user_id, challenge_id, gave_up in ChallengeProgress.objects.filter(
                user_id__in=user_ids, challenge_id__in=challenge_ids
            ).values_list("user_id", "challenge_id", "gave_up"):
                challenges[(user_id, challenge_id)] = Cell("tried", gave_up=gave_up)
            for user_id, challenge_id, solved_at in ChallengeSolve.objects.filter(
                user_id__in=user_ids, challenge_id__in=challenge_ids
            ).values_list("user_id", "challenge_id", "solved_at"):
                challenges[(user_id, challenge_id)] = Cell("done", solved_at)
        if topic_ids:
            runs = QuizRun.objects.filter(
                user_id__in=user_ids, kind=QuizRun.Kind.TOPIC, topic_id__in=topic_ids
            ).annotate(right=Count("answers", filter=Q(answers__correct=True)))
            # The first run that passed makes the item done; any other run, tried.
            for run in runs.order_by("finished_at").only(
                "user_id", "topic_id", "question_ids", "finished_at"
            ):
                key = (run.user_id, run.topic_id)
                passed = run.finished_at and run.right >= QUIZ_ITEM_SHARE * len(run.question_ids)
                if passed and topics.get(key, Cell()).status != "done":
                    topics[key] = Cell("done", run.finished_at)
                else:
                    topics.setdefault(key, Cell("tried"))
        return cls(challenges, topics)

    def row(self, member, items, due_at, since=None) -> MatrixRow:
        """The member's cells for `items`, marked late when solved after `due_at`,
        and earlier when solved before `since` (they joined, or the set was assigned)."""
        cells = []
        for item in items:
            if item.challenge_id:
                known = self.challenges.get((member.pk, item.challenge_id))
            else:
                known = self.topics.get((member.pk, item.quiz_topic_id))
            cell = Cell(known.status, known.at, gave_up=known.gave_up) if known else Cell()
            solved_at = cell.at if cell.status == "done" else None
            cell.late = bool(due_at and solved_at and solved_at > due_at)
            cell.earlier = bool(since and solved_at and solved_at < since)
            cells.append(cell)
        return MatrixRow(member, cells, items)


# --- leaderboards -------------------------------------------------------------------------


@dataclass(frozen=True)
class BoardRow:
    rank: int
    name: str
    points: int
    is_viewer: bool


@dataclass(frozen=True)
class Board:
    rows: list[BoardRow]
    viewer_rank: int | None
    viewer_points: int | None
    viewer_hidden: bool = False


def _board(totals, period: str, viewer, *, anonymise_opt_outs: bool) -> Board:
    points, reached = (
        ("week_xp", "week_reached_at") if period == "week" else ("xp", "xp_reached_at")
    )
    if period == "week":
        totals = totals.filter(week_start=week_start(timezone.now()), week_xp__gt=0)
    else:
        totals = totals.filter(xp__gt=0)
    # Plain tuples of the five columns shown: fifty model pairs cost more than the query.
    top = totals.order_by(f"-{points}", reached, "user_id").values_list(
        "user_id", points, "user__display_name", "user__username", "user__show_on_leaderboards"
    )[:BOARD_SIZE]
    viewer_id = viewer.pk if viewer.is_authenticated else None
    rows = []
    for rank, (user_id, score, display_name, username, listed) in enumerate(top, start=1):
        visible = listed or user_id == viewer_id or not anonymise_opt_outs
        rows.append(
            BoardRow(
                rank,
                (display_name or username) if visible else "Anonymous learner",
                score,
                user_id == viewer_id,
            )
        )
    mine = totals.filter(user_id=viewer_id).first() if viewer_id else None
    if mine is None:
        return Board(rows, None, None)
    # Two index range counts instead of one OR, which no index can serve.
    higher = totals.filter(**{f"{points}__gt": getattr(mine, points)}).count()
    tied_earlier = totals.filter(
        **{points: getattr(mine, points), f"{reached}__lt": getattr(mine, reached)}
    ).count()
    return Board(rows, higher + tied_earlier + 1, getattr(mine, points))


def global_board(viewer, period: str = "all") -> Board:
    """Everyone who opted in; a viewer who opted out is told they are hidden."""
    board = _board(
        LearnerTotals.objects.filter(listed=True),
        period,
        viewer,
        anonymise_opt_outs=False,
    )
    if viewer.is_authenticated and not viewer.show_on_leaderboards:
        return Board(board.rows, None, None, viewer_hidden=True)
    return board


def group_board(group: StudyGroup, viewer, period: str = "all") -> Board:
    """The group's members; those who opted out show as "Anonymous learner" to others."""
    totals = LearnerTotals.objects.filter(user__memberships__group=group)
    return _board(totals, period, viewer, anonymise_opt_outs=True)


def assignment_board(assignment: Assignment, viewer) -> list[BoardRow]:
    """Members by items done in the assignment, ties to whoever finished their last one first."""
    matrix = progress_matrix(assignment, sort="progress")
    rows = []
    for rank, row in enumerate((r for r in matrix.rows if r.done), start=1):
        visible = row.member.show_on_leaderboards or row.member.pk == getattr(viewer, "pk", None)
        rows.append(
            BoardRow(
                rank,
                row.member.public_name if visible else "Anonymous learner",
                row.done,
                row.member.pk == getattr(viewer, "pk", None),
            )
        )
    return rows[:BOARD_SIZE]


def assignments_for(user, *, due_soon_only: bool = False):
    """Assignments of the groups the learner is a member of, soonest due first."""
    assignments = Assignment.objects.filter(
        group__memberships__user=user, group__memberships__role=Membership.Role.MEMBER
    ).select_related("group", "challenge_set")
    if due_soon_only:
        assignments = assignments.filter(due_at__gte=timezone.now())
    return assignments.order_by("due_at", "pk")
