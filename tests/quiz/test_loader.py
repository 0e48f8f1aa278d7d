import shutil
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from quiz.loader import CONTENT_DIR, quiz_bank_load
from quiz.models import Answer, Question, Topic
from quiz.questions import ContentError
from quiz.services import quiz_answer_submit, quiz_run_start
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


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
    assert "Quiz: " in out and "questions in 9 topics" in out
    assert "Challenges: " in out


def test_load_content_command_fails_clearly_on_a_bad_file(bank, monkeypatch):
    (bank / "auth.yaml").write_text("topic: [unclosed\n")
    monkeypatch.setattr("quiz.loader.CONTENT_DIR", bank)
    with pytest.raises(
        CommandError, match=r"Nothing was loaded\. .*auth\.yaml: line \d+: YAML syntax error"
    ):
        call_command("load_content")
    assert not Question.objects.exists()
