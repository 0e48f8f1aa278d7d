"""Queries per main page do not grow with the rows behind it.

Each page is requested as a logged-in member of a group (home as a visitor)
with 10 rows of every kind it lists, then again with 2,000: learners in the
group and on the boards, the viewer's XP awards, attempts and quiz runs
(bench.pages.grow_rows). 2,000 keeps this test quick on SQLite; `make bench`
counts the same pages on PostgreSQL with 10,000 more rows.
"""

import io

import pytest
from django.core.management import call_command

from bench.pages import grow_rows, page_queries, viewer_pages
from tests.factories import UserFactory, group_with

pytestmark = pytest.mark.django_db

MAIN_PAGES = {
    "home",
    "dashboard",
    "quiz index",
    "quiz question",
    "challenge index",
    "challenge",
    "sandbox reference",
    "group page",
    "leaderboard",
    "learning path",
    "unit page",
}


def test_queries_per_main_page_are_the_same_with_10_and_2000_rows():
    call_command("load_content", stdout=io.StringIO())  # the banks and the path, as the bench
    learner = UserFactory()
    group = group_with(members=[learner])
    pages = viewer_pages(learner)
    assert {name.split(" (")[0] for name in pages} == MAIN_PAGES

    grow_rows(learner=learner, group=group, count=10)
    small = page_queries(pages, learner)
    grow_rows(learner=learner, group=group, count=1_990)
    large = page_queries(pages, learner)

    grew = {name: (small[name], large[name]) for name in small if large[name] != small[name]}
    assert not grew, f"queries (10 rows, 2,000 rows) grew on: {grew}"
    assert all(count > 0 for name, count in small.items() if name != "home (visitor)")
