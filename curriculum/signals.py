"""Signals the curriculum sends, so other rooms can react without curriculum importing them."""

from django.dispatch import Signal

# Sent exactly once per learner and unit, when the unit first counts as complete.
# Arguments: sender=Unit, user=<User>, unit=<Unit>, via="path" | "placement".
unit_completed = Signal()
