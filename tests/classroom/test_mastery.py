"""One mastery view per topic on the dashboard: quiz and challenges counted together."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from challenges.models import ChallengeProgress
from classroom.mastery import topic_mastery
from curriculum.models import Unit
from quiz.models import QuestionProgress, QuizRun
from tests.factories import ChallengeFactory, QuestionFactory, TopicFactory, UserFactory

pytestmark = pytest.mark.django_db
DASHBOARD = reverse("dashboard")


@pytest.fixture
def catalogue():
    """Methods: 4 questions, 2 challenges. Caching: 2 questions only. Headers: 1 challenge only."""
    methods = TopicFactory(slug="methods", title="Methods", order=2)
    caching = TopicFactory(slug="caching", title="Caching", order=6)
    headers = TopicFactory(slug="headers", title="Headers", order=4)
    TopicFactory(slug="protocol", title="Wire protocol", order=12)  # nothing in it: hidden
    questions = [QuestionFactory(topic=methods) for _ in range(4)]
    questions += [QuestionFactory(topic=caching) for _ in range(2)]
    QuestionFactory(topic=methods, is_active=False)
    challenges = [ChallengeFactory(topic=methods), ChallengeFactory(topic=methods)]
    challenges.append(ChallengeFactory(topic=headers))
    ChallengeFactory(topic=headers, is_active=False)
    Unit.objects.create(slug="methods", number=2, title="Methods", summary="…", topic=methods)
    return {"questions": questions, "challenges": challenges, "topics": (methods, caching, headers)}


def solve(user, challenge):
    ChallengeProgress.objects.create(
        user=user, challenge=challenge, status=ChallengeProgress.Status.SOLVED
    )


def test_each_topic_counts_mastered_questions_and_solved_challenges_together(catalogue):
    learner = UserFactory()
    q = catalogue["questions"]
    for question, right in ((q[0], True), (q[1], True), (q[2], False), (q[4], True)):
        QuestionProgress.objects.create(user=learner, question=question, last_correct=right)
    solve(learner, catalogue["challenges"][0])
    ChallengeProgress.objects.create(user=learner, challenge=catalogue["challenges"][1])
    rows = {row.topic.slug: row for row in topic_mastery(learner)}
    methods = rows["methods"]
    assert (methods.questions_mastered, methods.questions_total) == (2, 4)
    assert (methods.challenges_solved, methods.challenges_total) == (1, 2)
    assert methods.percent == 50  # (2 + 1) / (4 + 2)
    assert (rows["caching"].percent, rows["caching"].challenges_total) == (50, 0)
    assert (rows["headers"].percent, rows["headers"].questions_total) == (0, 0)
    assert [unit.slug for unit in methods.units] == ["methods"] and rows["caching"].units == ()


def test_topics_follow_the_curriculum_order_and_empty_ones_are_hidden(catalogue):
    assert [row.topic.slug for row in topic_mastery(UserFactory())] == [
        "methods",
        "headers",
        "caching",
    ]


def test_another_learners_progress_does_not_show(catalogue):
    other, learner = UserFactory(), UserFactory()
    solve(other, catalogue["challenges"][2])
    QuestionProgress.objects.create(
        user=other, question=catalogue["questions"][0], last_correct=True
    )
    assert all(row.done == 0 for row in topic_mastery(learner))


def test_the_dashboard_shows_one_row_per_topic_with_text_bar_and_links(client, catalogue):
    learner = UserFactory()
    solve(learner, catalogue["challenges"][0])
    QuizRun.objects.create(
        user=learner, kind=QuizRun.Kind.TOPIC, topic=catalogue["topics"][0], question_ids=[]
    )
    client.force_login(learner)
    body = re.sub(r"\s+", " ", client.get(DASHBOARD).content.decode())
    section = body[
        body.index('class="mastery-view"') : body.index('aria-labelledby="badges-heading"')
    ]
    assert section.count('class="mastery-row"') == 3
    assert "Wire protocol" not in section
    assert (
        '<progress max="100" value="17" aria-labelledby="mastery-methods" '
        'aria-describedby="mastery-methods-detail">17%</progress>'
    ) in section
    assert "Quiz: 0 of 4 questions mastered" in section
    assert "Challenges: 1 of 2 solved" in section
    assert "Taught in Unit 2: Methods" in section
    assert 'name="topic" value="methods" class="button">Resume quiz' in section
    assert 'href="/challenges/#topic-methods"' in section
    # Caching has no challenges and Headers no questions: no link to what is not there.
    assert 'href="/challenges/#topic-caching"' not in section
    assert 'value="headers"' not in section and "Quiz: 0 of 2 questions mastered" in section


def test_with_nothing_loaded_the_dashboard_says_so(client):
    client.force_login(UserFactory())
    assert "No questions or challenges are loaded yet." in client.get(DASHBOARD).content.decode()


def test_the_dashboard_reads_mastery_in_the_same_queries_for_any_number_of_topics(client):
    learner = UserFactory()
    client.force_login(learner)

    def add_topic(n: int) -> None:
        topic = TopicFactory(slug=f"extra-{n}", order=100 + n)
        question = QuestionFactory(topic=topic)
        QuestionProgress.objects.create(user=learner, question=question, last_correct=True)
        solve(learner, ChallengeFactory(topic=topic))
        Unit.objects.create(slug=f"extra-{n}", number=n, title="Extra", summary="…", topic=topic)

    def queries() -> int:
        from accounts.content_version import content_version_bump
        from accounts.learner_version import learner_version_bump

        content_version_bump()  # new content: the catalogue memos are built afresh each time
        learner_version_bump(learner.pk)  # and the header's entry too, so both counts are cold
        with CaptureQueriesContext(connection) as captured:
            assert client.get(DASHBOARD).status_code == 200
        return len(captured)

    add_topic(1)
    with_one = queries()
    for n in range(2, 7):
        add_topic(n)
    assert queries() == with_one
