import shutil
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from curriculum.models import Topic
from quiz.loader import CONTENT_DIR, quiz_bank_load
from quiz.models import Answer, Question
from quiz.questions import ContentError
from quiz.services import quiz_answer_submit, quiz_run_start
from tests.factories import UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("curriculum_topics")]


@pytest.fixture
def bank(tmp_path) -> Path:
    """A copy of the real question bank to change."""
    directory = tmp_path / "content"
    shutil.copytree(CONTENT_DIR, directory)
    return directory


def test_the_real_bank_loads_and_reloads_idempotently():
    first = quiz_bank_load()
    assert first.questions >= 150 and first.topics >= 9
    again = quiz_bank_load()
    assert (again.created, again.updated, again.deactivated) == (0, first.questions, 0)
    assert Question.objects.filter(is_active=True).count() == first.questions


def test_reload_keeps_learners_answers(bank):
    quiz_bank_load(bank)
    user = UserFactory()
    topic = Topic.objects.get(slug="methods")
    run = quiz_run_start(user=user, kind="topic", topic=topic)
    quiz_answer_submit(run=run, position=0, answer=0)
    quiz_bank_load(bank)
    assert Answer.objects.filter(user=user).count() == 1


def test_a_broken_file_changes_nothing(bank):
    quiz_bank_load(bank)
    before = list(Question.objects.values_list("slug", "prompt"))
    text = (bank / "methods.yaml").read_text()
    (bank / "methods.yaml").write_text(text.replace("type: single", "type: essay", 1))
    with pytest.raises(
        ContentError, match=r"methods\.yaml: question #\d+ \([a-z0-9-]+\): unknown type 'essay'"
    ):
        quiz_bank_load(bank)
    assert list(Question.objects.values_list("slug", "prompt")) == before


def test_load_content_command_reports_counts(capsys):
    call_command("load_content")
    out = capsys.readouterr().out
    assert "Quiz: " in out and "questions in 12 topics" in out
    assert "Challenges: " in out


def test_load_content_command_fails_clearly_on_a_bad_file(bank, monkeypatch):
    (bank / "auth.yaml").write_text("topic: [unclosed\n")
    monkeypatch.setattr("quiz.loader.CONTENT_DIR", bank)
    with pytest.raises(
        CommandError, match=r"Nothing was loaded\. .*auth\.yaml: line \d+: YAML syntax error"
    ):
        call_command("load_content")
    assert not Question.objects.exists()


SAFE_GET_WHY = "why: GET only asks to retrieve a representation, so it is safe"


def test_a_changed_why_updates_the_question_in_place_and_keeps_answers(bank):
    quiz_bank_load(bank)
    question = Question.objects.get(slug="methods-safe-ones")
    Question.objects.exclude(pk=question.pk).update(is_active=False)  # a run of this one alone
    run = quiz_run_start(user=UserFactory(), kind="topic", topic=question.topic)
    quiz_answer_submit(run=run, position=0, answer=[0, 1])
    methods = bank / "methods.yaml"
    assert SAFE_GET_WHY in methods.read_text()
    methods.write_text(methods.read_text().replace(SAFE_GET_WHY, "why: GET only reads"))

    summary = quiz_bank_load(bank)

    assert (summary.created, summary.deactivated) == (0, 0)
    reloaded = Question.objects.get(slug="methods-safe-ones")
    assert reloaded.pk == question.pk
    assert reloaded.data["options"][0]["why"] == "GET only reads"
    assert reloaded.data["options"][0]["text"] == "GET"
    assert Answer.objects.get(question=reloaded).given == [0, 1]


def test_a_bad_why_names_its_option_and_changes_nothing(bank):
    quiz_bank_load(bank)
    before = list(Question.objects.values_list("slug", "data"))
    methods = bank / "methods.yaml"
    methods.write_text(methods.read_text().replace(SAFE_GET_WHY, "why: ''"))

    with pytest.raises(
        ContentError,
        match=r"methods\.yaml: question #\d+ \(methods-safe-ones\), option 1: why must be a non-empty",
    ):
        quiz_bank_load(bank)
    assert list(Question.objects.values_list("slug", "data")) == before
