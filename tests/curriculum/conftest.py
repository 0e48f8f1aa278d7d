from pathlib import Path

import pytest

STAND_IN = Path(__file__).parent / "stand_in_templates"


@pytest.fixture
def try_it_template(settings):
    """Let unit pages render their try blocks whether or not the real try-it box is merged yet.

    The stand-in directory comes after the project's templates/, so the real
    curriculum/_try_it.html is used as soon as it exists.
    """
    engine = settings.TEMPLATES[0]
    settings.TEMPLATES = [{**engine, "DIRS": [*engine["DIRS"], STAND_IN]}]
