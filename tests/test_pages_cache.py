"""The content cache: a `load_content` bump shows new text everywhere, and no learner sees another's data.

Every test here runs with the cache backend on (local memory by default,
Redis when REDIS_URL is set), through real requests to the test client.
"""

import io
import shutil

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.urls import reverse

from accounts.content_version import VERSION_KEY, content_version, content_version_bump
from accounts.templatetags.markup import markdown_filter
from challenges.loader import CONTENT_DIR as CHALLENGE_CONTENT
from challenges.loader import challenge_bank_load
from challenges.models import Challenge, ChallengeProgress
from challenges.selectors import active_challenges
from challenges.submissions import challenge_submit
from curriculum.loader import CONTENT_DIR as CURRICULUM_CONTENT
from curriculum.loader import curriculum_topics_load
from curriculum.models import Topic
from quiz.loader import CONTENT_DIR as QUIZ_CONTENT
from quiz.loader import quiz_bank_load
from quiz.models import Question
from quiz.selectors import quiz_topics
from quiz.services import quiz_answer_submit, quiz_run_start
from tests.factories import UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("curriculum_topics")]

TOPICS_FILE = CURRICULUM_CONTENT / "topics.yaml"
FIRST_BRIEF = "Every request opens with a **request line**"
NEW_BRIEF = "A brand-new brief, loaded while the site was running"


@pytest.fixture
def banks(tmp_path, django_capture_on_commit_callbacks):
    """Both banks loaded, and copies of their directories to edit and reload.

    The loaders bump the version once their transaction commits; a test's
    transaction never commits, so the callbacks are run by hand here.
    """
    quiz_dir, challenge_dir = tmp_path / "quiz", tmp_path / "challenges"
    shutil.copytree(QUIZ_CONTENT, quiz_dir)
    shutil.copytree(CHALLENGE_CONTENT, challenge_dir)
    with django_capture_on_commit_callbacks(execute=True):
        quiz_bank_load(quiz_dir)
        challenge_bank_load(challenge_dir)
    return quiz_dir, challenge_dir


def _edit(path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} is no longer in {path}; pick another line to edit"
    path.write_text(text.replace(old, new), encoding="utf-8")


def _reload(directory, loader, capture) -> None:
    with capture(execute=True) as callbacks:
        loader(directory)
    assert callbacks, "the loader registered no content-version bump"


@pytest.fixture
def learner(client):
    user = UserFactory()
    client.force_login(user)
    return user


def test_a_reload_shows_the_new_brief_and_title_on_the_next_request(
    client, learner, banks, django_capture_on_commit_callbacks
):
    _, challenge_dir = banks
    page = reverse("challenges:detail", args=["anatomy-first-request"])
    assert "<strong>request line</strong>" in client.get(page).content.decode()
    assert "Your first request" in client.get(reverse("challenges:index")).content.decode()

    _edit(challenge_dir / "anatomy.yaml", FIRST_BRIEF, NEW_BRIEF)
    _edit(challenge_dir / "anatomy.yaml", "title: Your first request", "title: Hello, bookshop")
    _reload(challenge_dir, challenge_bank_load, django_capture_on_commit_callbacks)

    body = client.get(page).content.decode()
    assert NEW_BRIEF in body and "<strong>request line</strong>" not in body
    index = client.get(reverse("challenges:index")).content.decode()
    assert "Hello, bookshop" in index and "Your first request" not in index


def test_a_reload_shows_the_new_prompt_and_topic_list(
    client, learner, banks, django_capture_on_commit_callbacks
):
    quiz_dir, _ = banks
    run = quiz_run_start(user=learner, kind="topic", topic=Topic.objects.get(slug="anatomy"))
    question = Question.objects.get(pk=run.question_ids[0])
    old_line = question.prompt.strip().splitlines()[0]
    page = reverse("quiz:run", args=[run.pk])
    assert client.get(page).status_code == 200

    # The topic spans several files (anatomy.yaml, anatomy-more.yaml, ...): edit the question's own.
    [home] = [path for path in quiz_dir.glob("anatomy*.yaml") if old_line in path.read_text()]
    _edit(home, old_line, "A prompt rewritten between two page views.")
    _reload(quiz_dir, quiz_bank_load, django_capture_on_commit_callbacks)
    topics = quiz_dir.parent / "topics.yaml"
    shutil.copy(TOPICS_FILE, topics)
    _edit(topics, "title: Message anatomy", "title: Parts of a message")
    _reload(topics, curriculum_topics_load, django_capture_on_commit_callbacks)

    assert "A prompt rewritten between two page views." in client.get(page).content.decode()
    index = client.get(reverse("quiz:index")).content.decode()
    assert "Parts of a message" in index and "Message anatomy" not in index


def test_the_load_content_command_bumps_the_version(django_capture_on_commit_callbacks):
    before = content_version()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("load_content", stdout=io.StringIO())
    assert content_version() > before


def test_within_one_version_the_catalogue_is_not_queried_again(banks, django_assert_num_queries):
    first, topics = active_challenges(), quiz_topics()
    with django_assert_num_queries(0):
        assert active_challenges() is first
        assert quiz_topics() is topics
    assert len(first) == Challenge.objects.filter(is_active=True).count()


def test_a_bump_from_another_process_is_seen_through_the_shared_cache(banks):
    """Another process bumps by writing the shared number; this one must rebuild, not serve its copy."""
    first = active_challenges()
    Challenge.objects.filter(slug="anatomy-first-request").update(title="Changed elsewhere")
    assert active_challenges() is first  # same version: the copy is served
    cache.incr(VERSION_KEY)
    titles = [challenge.title for challenge in active_challenges()]
    assert "Changed elsewhere" in titles


def test_one_request_reads_the_version_once_and_the_next_request_reads_it_again():
    # The receivers of request_started and request_finished, called as Django calls them
    # (sending the signals here would also close the test's database connection).
    from accounts.content_version import _request_began, _request_ended

    _request_began()
    try:
        first = content_version()
        cache.incr(VERSION_KEY)  # another process bumps mid-request
        assert content_version() == first  # one page is built from one version
    finally:
        _request_ended()
    _request_began()
    try:
        assert content_version() == first + 1
    finally:
        _request_ended()


def test_a_lost_version_restarts_above_every_old_one():
    old = content_version_bump()
    cache.delete(VERSION_KEY)  # evicted, or the cache was flushed
    assert content_version() > old


def test_the_rendered_markdown_follows_the_text_not_only_the_version():
    assert str(markdown_filter("**one**")) == "<p><strong>one</strong></p>"
    assert str(markdown_filter("**two**")) == "<p><strong>two</strong></p>"
    assert "<script" not in str(markdown_filter("<script>alert(1)</script>"))


# --- A learner's own data is never shared -------------------------------------


def _as(client, user):
    client.force_login(user)
    return client


def test_each_learner_sees_only_their_own_attempts_and_statuses(client, banks):
    alice, bob = UserFactory(display_name="Alice Quill"), UserFactory(display_name="Bob Marsh")
    challenge = Challenge.objects.get(slug="anatomy-first-request")
    attempt = challenge_submit(
        user=alice, challenge=challenge, data=b"GET / HTTP/1.1\r\nHost: sandbox.localhost\r\n\r\n"
    )
    alices_attempt = reverse("challenges:submission", args=[attempt.submission.pk])
    page = reverse("challenges:detail", args=[challenge.slug])
    # Alice first warms every cache; Bob's page must still be Bob's, then Alice's again hers.
    assert alices_attempt in _as(client, alice).get(page).content.decode()
    bobs_page = _as(client, bob).get(page)
    assert alices_attempt not in bobs_page.content.decode()
    assert list(bobs_page.context["history"]) == []
    assert alices_attempt in _as(client, alice).get(page).content.decode()
    statuses = {}
    for viewer in (alice, bob):
        response = _as(client, viewer).get(reverse("challenges:index"))
        statuses[viewer] = {
            c.slug: status for row in response.context["topics"] for c, status in row.challenges
        }
    assert statuses[alice][challenge.slug] != ChallengeProgress.Status.NEW
    assert statuses[bob][challenge.slug] == ChallengeProgress.Status.NEW
    # The rows are cached per challenge and status: each learner's HTML shows their own.
    link = f'href="{page}"'
    for viewer, shown in ((alice, "◐ Tried"), (bob, "○ New"), (alice, "◐ Tried")):
        body = _as(client, viewer).get(reverse("challenges:index")).content.decode()
        assert shown in body[body.index(link) :].split("</tr>", 1)[0]


def test_each_learner_sees_only_their_own_dashboard(client, banks):
    alice, bob = UserFactory(display_name="Alice Quill"), UserFactory(display_name="Bob Marsh")
    run = quiz_run_start(user=alice, kind="topic", topic=Topic.objects.get(slug="anatomy"))
    question = Question.objects.get(pk=run.question_ids[0])
    quiz_answer_submit(run=run, position=0, answer=_right_answer(question))
    bodies, masteries = {}, {}
    for viewer in (alice, bob, alice):
        response = _as(client, viewer).get(reverse("dashboard"))
        bodies[viewer] = response.content.decode()
        masteries[viewer] = {
            m.topic.slug: m.questions_mastered for m in response.context["mastery"]
        }
    assert "Alice Quill" in bodies[alice] and "Bob Marsh" not in bodies[alice]
    assert "Bob Marsh" in bodies[bob] and "Alice Quill" not in bodies[bob]
    assert masteries[alice]["anatomy"] == 1
    assert masteries[bob]["anatomy"] == 0


def test_each_learner_gets_their_own_quiz_question_and_index(client, banks):
    alice, bob = UserFactory(), UserFactory()
    anatomy = Topic.objects.get(slug="anatomy")
    alice_run = quiz_run_start(user=alice, kind="topic", topic=anatomy)
    bob_run = quiz_run_start(user=bob, kind="topic", topic=anatomy)
    assert _as(client, alice).get(reverse("quiz:run", args=[alice_run.pk])).status_code == 200
    bob_client = _as(client, bob)
    assert bob_client.get(reverse("quiz:run", args=[alice_run.pk])).status_code == 404
    response = bob_client.get(reverse("quiz:run", args=[bob_run.pk]))
    assert response.context["run"] == bob_run
    unfinished = {
        m.topic.slug: m.unfinished_run
        for m in bob_client.get(reverse("quiz:index")).context["masteries"]
    }
    assert unfinished["anatomy"] == bob_run


def _right_answer(question):
    """The answer that scores full marks, in the shape quiz_answer_submit takes."""
    data = question.data
    if question.type == "single":
        return next(i for i, option in enumerate(data["options"]) if option["correct"])
    if question.type == "multi":
        return [i for i, option in enumerate(data["options"]) if option["correct"]]
    if question.type == "truefalse":
        return data["answer"]
    if question.type == "typed":
        return data["accept"][0]
    if question.type == "spot_line":
        return data["answer_line"]
    pytest.skip(f"no right answer helper for {question.type} questions")
