"""Hypothesis profiles for the sandbox's property tests.

HYPOTHESIS_PROFILE=quick (the default) runs about 200 examples per property;
HYPOTHESIS_PROFILE=ci runs 2,500 per property, and 10,000 for each of the
core ones (random bytes, mutated requests, pipelined streams, TCP reads
split at random points: see `core_property` in support.py). Neither writes
an example database into the work tree.
"""

import os

from hypothesis import HealthCheck, settings

settings.register_profile(
    "quick",
    max_examples=200,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.register_profile(
    "ci",
    max_examples=2500,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "quick"))
