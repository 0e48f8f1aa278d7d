from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.models import BadgeAward
from accounts.services import xp_award
from challenges.submissions import challenge_submit
from classroom.models import Assignment, ChallengeSet, Membership
from classroom.selectors import assignment_board, global_board, group_board, progress_matrix
from classroom.services import (
    ClassroomError,
    ClassroomPermissionError,
    assignment_create,
    group_join,
    group_leave,
    join_code_regenerate,
    member_remove,
    member_set_role,
    set_save,
)
from quiz.questions import correct_answer
from quiz.services import quiz_answer_submit, quiz_run_start
from tests.factories import ChallengeFactory, QuestionFactory, TopicFactory, UserFactory, group_with

pytestmark = pytest.mark.django_db

GET_BOOK = b"GET /books/1 HTTP/1.1\r\nHost: sandbox.localhost\r\n\r\n"


def test_join_with_code_is_case_insensitive_once_and_earns_a_badge():
    group, learner = group_with(), UserFactory()
    joined, new = group_join(user=learner, join_code=f" {group.join_code.lower()} ")
    assert joined == group and new
    assert group_join(user=learner, join_code=group.join_code) == (group, False)
    assert BadgeAward.objects.filter(user=learner, badge="team-player").exists()


def test_regenerated_code_invalidates_the_old_one():
    owner = UserFactory()
    group = group_with(owner)
    old = group.join_code
    new = join_code_regenerate(actor=owner, group=group)
    assert new != old
    with pytest.raises(ClassroomError, match="No group has that join code"):
        group_join(user=UserFactory(), join_code=old)
    assert group_join(user=UserFactory(), join_code=new)[1]


def test_only_owner_and_instructors_regenerate_codes():
    member = UserFactory()
    group = group_with(members=[member])
    with pytest.raises(ClassroomPermissionError):
        join_code_regenerate(actor=member, group=group)


def test_owner_removes_members_and_promotes_co_instructors():
    owner, member, other = UserFactory(), UserFactory(), UserFactory()
    group = group_with(owner, members=[member, other])
    assert (
        member_set_role(actor=owner, group=group, user=member, instructor=True).role == "instructor"
    )
    with pytest.raises(ClassroomPermissionError):
        member_remove(actor=member, group=group, user=other)  # co-instructors cannot remove
    member_remove(actor=owner, group=group, user=other)
    assert not Membership.objects.filter(group=group, user=other).exists()
    with pytest.raises(ClassroomError, match="owner cannot be removed"):
        member_remove(actor=owner, group=group, user=owner)


def test_members_leave_but_the_owner_cannot():
    owner, member = UserFactory(), UserFactory()
    group = group_with(owner, members=[member])
    group_leave(user=member, group=group)
    with pytest.raises(ClassroomError, match="owner cannot leave"):
        group_leave(user=owner, group=group)


def test_set_items_are_validated_and_kept_in_order():
    challenge, topic = ChallengeFactory(slug="fetch"), TopicFactory(slug="methods")
    QuestionFactory(topic=topic)
    author = UserFactory()
    saved = set_save(
        author=author, title="Mine", description="", items=["quiz:methods", "challenge:fetch"]
    )
    assert [item.label for item in saved.items.all()] == [f"Quiz: {topic.title}", challenge.title]
    with pytest.raises(ClassroomError, match="no challenge or quiz topic called 'challenge:nope'"):
        set_save(author=author, title="Bad", description="", items=["challenge:nope"])
    with pytest.raises(ClassroomPermissionError):
        set_save(
            author=UserFactory(),
            title="Stolen",
            description="",
            items=["challenge:fetch"],
            challenge_set=saved,
        )
    assert ChallengeSet.objects.count() == 1


def _assignment(group, items, due_at=None):
    challenge_set = set_save(author=group.owner, title="Set", description="", items=items)
    return assignment_create(
        actor=group.owner, group=group, challenge_set=challenge_set, due_at=due_at
    )


def test_matrix_marks_solved_tried_not_started_and_late():
    solver, trier, idle = (
        UserFactory(display_name="A"),
        UserFactory(display_name="B"),
        UserFactory(display_name="C"),
    )
    group = group_with(members=[solver, trier, idle])
    challenge = ChallengeFactory(slug="fetch")
    assignment = _assignment(group, ["challenge:fetch"], due_at=timezone.now() + timedelta(days=1))
    challenge_submit(user=solver, challenge=challenge, data=GET_BOOK)
    challenge_submit(user=trier, challenge=challenge, data=b"GET /nope HTTP/1.1\r\nHost: x\r\n\r\n")
    matrix = progress_matrix(assignment)
    assert [(row.member.display_name, row.cells[0].status) for row in matrix.rows] == [
        ("A", "done"),
        ("B", "tried"),
        ("C", "new"),
    ]
    assert matrix.counts()[0] == {"item": matrix.items[0], "done": 1, "tried": 1, "new": 1}
    Assignment.objects.filter(pk=assignment.pk).update(due_at=timezone.now() - timedelta(days=1))
    assignment.refresh_from_db()
    assert progress_matrix(assignment).rows[0].cells[0].late is True


def test_quiz_topic_item_is_done_with_a_run_of_eight_in_ten():
    learner = UserFactory()
    group = group_with(members=[learner])
    topic = TopicFactory(slug="methods")
    questions = [QuestionFactory(topic=topic) for _ in range(10)]
    assignment = _assignment(group, ["quiz:methods"])
    run = quiz_run_start(user=learner, kind="topic", topic=topic)
    by_pk = {q.pk: q for q in questions}
    for position, question_id in enumerate(run.question_ids):
        answer = correct_answer(by_pk[question_id].data) if position < 8 else 2
        quiz_answer_submit(run=run, position=position, answer=answer)
    assert progress_matrix(assignment).rows[0].cells[0].status == "done"


def test_global_board_orders_by_xp_then_who_got_there_first_and_hides_opt_outs():
    first, second, third, hidden = (
        UserFactory(display_name=n) for n in ("First", "Second", "Third", "Hidden")
    )
    hidden.show_on_leaderboards = False
    hidden.save()
    now = timezone.now()
    xp_award(user=second, source="quiz:a", points=20, at=now - timedelta(minutes=1))
    xp_award(user=first, source="quiz:a", points=20, at=now - timedelta(minutes=5))
    xp_award(user=third, source="quiz:a", points=10, at=now)
    xp_award(user=hidden, source="quiz:a", points=99, at=now)
    board = global_board(third)
    assert [row.name for row in board.rows] == ["First", "Second", "Third"]
    assert (board.viewer_rank, board.viewer_points) == (3, 10)
    assert global_board(hidden).viewer_hidden is True


def test_group_board_shows_opt_outs_as_anonymous_to_others():
    shy, other = (
        UserFactory(display_name="Shy", show_on_leaderboards=False),
        UserFactory(display_name="Other"),
    )
    group = group_with(members=[shy, other])
    xp_award(user=shy, source="quiz:a", points=50)
    xp_award(user=other, source="quiz:a", points=10)
    assert [row.name for row in group_board(group, other).rows] == ["Anonymous learner", "Other"]
    assert group_board(group, shy).rows[0].name == "Shy"


def test_weekly_board_counts_only_this_week():
    old, recent = UserFactory(display_name="Old"), UserFactory(display_name="Recent")
    xp_award(user=old, source="quiz:a", points=100, at=timezone.now() - timedelta(days=8))
    xp_award(user=recent, source="quiz:a", points=5)
    assert [row.name for row in global_board(recent, "week").rows] == ["Recent"]


def test_assignment_board_ranks_by_items_done():
    fast, slow = UserFactory(display_name="Fast"), UserFactory(display_name="Slow")
    group = group_with(members=[fast, slow])
    one, two = ChallengeFactory(slug="one"), ChallengeFactory(slug="two")
    assignment = _assignment(group, ["challenge:one", "challenge:two"])
    for challenge in (one, two):
        challenge_submit(user=fast, challenge=challenge, data=GET_BOOK)
    challenge_submit(user=slow, challenge=one, data=GET_BOOK)
    assert [(row.name, row.points) for row in assignment_board(assignment, fast)] == [
        ("Fast", 2),
        ("Slow", 1),
    ]


def test_assigning_the_same_set_twice_is_refused():
    group = group_with()
    ChallengeFactory(slug="x")
    assignment = _assignment(group, ["challenge:x"])
    with pytest.raises(ClassroomError, match="already assigned"):
        assignment_create(actor=group.owner, group=group, challenge_set=assignment.challenge_set)


def test_opting_out_in_the_profile_takes_the_learner_off_global_boards(client):
    from django.urls import reverse

    learner = UserFactory(display_name="Quiet")
    xp_award(user=learner, source="quiz:a", points=5)
    client.force_login(learner)
    client.post(
        reverse("accounts:profile"),
        {"display_name": "Quiet", "time_zone": "UTC", "show_on_leaderboards": ""},
    )
    assert global_board(UserFactory()).rows == []
    client.post(
        reverse("accounts:profile"),
        {"display_name": "Quiet", "time_zone": "UTC", "show_on_leaderboards": "on"},
    )
    assert [row.name for row in global_board(UserFactory()).rows] == ["Quiet"]
