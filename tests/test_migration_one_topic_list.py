"""The move to one topic list keeps every learner's work.

The database is taken back to the last schema with two topic models
(quiz.Topic, challenges.ChallengeTopic), filled with a learner's answers,
runs, practice queue, challenge progress, submissions, solves, XP, badges and
an instructor's set, then migrated forward. Everything must still be there,
each row pointing at the curriculum topic with its old slug.
"""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

BEFORE = [
    ("accounts", "0003_totals_listed"),
    ("quiz", "0001_initial"),
    ("challenges", "0003_recordedexchange_bounds"),
    ("classroom", "0001_initial"),
    ("curriculum", None),
]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state([t for t in targets if t[1] is not None]).apps


def _latest():
    executor = MigrationExecutor(connection)
    return executor.loader.graph.leaf_nodes()


def _fill_old_schema(apps) -> dict:
    user = apps.get_model("accounts", "User").objects.create(
        username="ada", sandbox_key="kmigrationtest"
    )
    quiz_topic = apps.get_model("quiz", "Topic")
    methods = quiz_topic.objects.create(slug="methods", title="Methods", summary="S", order=2)
    quiz_only = quiz_topic.objects.create(slug="auth", title="Auth", summary="S", order=9)
    challenge_topic = apps.get_model("challenges", "ChallengeTopic")
    # Created in another order, so the two tables' primary keys disagree.
    challenge_only = challenge_topic.objects.create(
        slug="protocol", title="Wire", summary="S", order=7
    )
    challenge_methods = challenge_topic.objects.create(
        slug="methods", title="Methods", summary="S", order=2
    )
    question = apps.get_model("quiz", "Question").objects.create(
        slug="methods-put",
        topic=methods,
        type="single",
        difficulty=1,
        prompt="P",
        explanation="E",
        reference="RFC 9110 §9.3.4",
        data={"options": []},
    )
    auth_question = apps.get_model("quiz", "Question").objects.create(
        slug="auth-401",
        topic=quiz_only,
        type="single",
        difficulty=1,
        prompt="P",
        explanation="E",
        reference="RFC 9110 §15.5.2",
        data={"options": []},
    )
    run = apps.get_model("quiz", "QuizRun").objects.create(
        user=user, kind="topic", topic=methods, question_ids=[question.pk, auth_question.pk]
    )
    apps.get_model("quiz", "Answer").objects.create(
        run=run, question=question, user=user, position=0, given=0, correct=True, fraction=1.0
    )
    apps.get_model("quiz", "QuestionProgress").objects.create(
        user=user,
        question=auth_question,
        last_correct=False,
        times_answered=1,
        in_practice=True,
        box=1,
        due_at=timezone.now(),
    )
    challenge_model = apps.get_model("challenges", "Challenge")
    challenge = challenge_model.objects.create(
        slug="methods-put-book",
        topic=challenge_methods,
        title="Put",
        difficulty=1,
        points=20,
        brief="B",
        solution=["PUT / HTTP/1.1\r\n\r\n"],
        steps=[{"name": "s", "checks": []}],
    )
    wire = challenge_model.objects.create(
        slug="protocol-chunked",
        topic=challenge_only,
        title="Chunks",
        difficulty=2,
        points=30,
        brief="B",
        solution=["GET / HTTP/1.1\r\n\r\n"],
        steps=[{"name": "s", "checks": []}],
    )
    apps.get_model("challenges", "ChallengeProgress").objects.create(
        user=user, challenge=challenge, status="solved", attempts=3
    )
    apps.get_model("challenges", "ChallengeSolve").objects.create(
        user=user, challenge=challenge, points=20
    )
    apps.get_model("challenges", "Submission").objects.create(
        user=user,
        challenge=wire,
        step=0,
        source="editor",
        raw_request=b"GET / HTTP/1.1\r\n\r\n",
        results=[{"check": "x", "passed": False, "message": "m"}],
        passed=False,
    )
    apps.get_model("accounts", "XpAward").objects.create(
        user=user, source="challenge:methods-put-book", points=20
    )
    apps.get_model("accounts", "BadgeAward").objects.create(user=user, badge="first-solve")
    challenge_set = apps.get_model("classroom", "ChallengeSet").objects.create(
        title="Week 1", author=user
    )
    item = apps.get_model("classroom", "SetItem")
    item.objects.create(challenge_set=challenge_set, position=0, quiz_topic=quiz_only)
    item.objects.create(challenge_set=challenge_set, position=1, challenge=wire)
    return {"user": user.pk}


@pytest.mark.django_db(transaction=True)
def test_learners_keep_answers_submissions_xp_and_badges_across_the_move():
    old_apps = _migrate(BEFORE)
    ids = _fill_old_schema(old_apps)

    new_apps = _migrate(_latest())

    def model(label):
        return new_apps.get_model(*label.split("."))

    topics = model("curriculum.Topic").objects
    assert set(topics.values_list("slug", flat=True)) == {"methods", "auth", "protocol"}
    question = model("quiz.Question").objects.get(slug="methods-put")
    assert topics.get(pk=question.topic_id).slug == "methods"
    assert (
        topics.get(pk=model("quiz.Question").objects.get(slug="auth-401").topic_id).slug == "auth"
    )
    run = model("quiz.QuizRun").objects.get(user_id=ids["user"])
    assert topics.get(pk=run.topic_id).slug == "methods"
    assert model("quiz.Answer").objects.filter(user_id=ids["user"], correct=True).count() == 1
    progress = model("quiz.QuestionProgress").objects.get(user_id=ids["user"])
    assert (progress.in_practice, progress.box) == (True, 1)
    challenge = model("challenges.Challenge").objects.get(slug="methods-put-book")
    assert topics.get(pk=challenge.topic_id).slug == "methods"
    wire = model("challenges.Challenge").objects.get(slug="protocol-chunked")
    assert topics.get(pk=wire.topic_id).slug == "protocol"
    assert model("challenges.ChallengeSolve").objects.filter(user_id=ids["user"]).count() == 1
    assert model("challenges.ChallengeProgress").objects.get(user_id=ids["user"]).status == "solved"
    assert model("challenges.Submission").objects.filter(user_id=ids["user"]).count() == 1
    assert model("accounts.XpAward").objects.get(user_id=ids["user"]).points == 20
    assert model("accounts.BadgeAward").objects.get(user_id=ids["user"]).badge == "first-solve"
    items = model("classroom.SetItem").objects.order_by("position")
    assert topics.get(pk=items[0].quiz_topic_id).slug == "auth"
    assert items[1].challenge_id == wire.pk
    tables = connection.introspection.table_names()
    assert "quiz_topic" not in tables and "challenges_challengetopic" not in tables
