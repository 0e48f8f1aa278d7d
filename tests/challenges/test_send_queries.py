"""An editor send makes the same queries whatever the rows behind it (bench.sends counts them).

A learner solves the real first challenge, sends it again (the steady case,
practice), then sends once more after 2,000 more rows of everything a send
reads: exchanges, submissions, XP awards, active days, other learners'
progress. 2,000 keeps this quick on SQLite; `make bench` counts the same on
PostgreSQL with 10,000.
"""

import pytest

from bench.sends_queries import query_counts
from challenges.loader import challenge_bank_load

pytestmark = pytest.mark.django_db


@pytest.fixture
def bank(curriculum_topics):
    challenge_bank_load()


def test_a_send_makes_the_same_queries_with_2000_more_rows(bank):
    counts = query_counts(growth=2000)
    steady_queries, grown_queries = counts["steady"][0], counts["grown"][0]
    assert steady_queries == grown_queries
