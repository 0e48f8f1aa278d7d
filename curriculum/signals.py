"""Signals the path sends, so rooms above curriculum can react without curriculum importing them.

`unit_completed(sender=Unit, user=..., unit=..., via="path"|"placement")` is sent
exactly once per learner and unit, inside the transaction that set the unit's
`completed_at` (curriculum.services._unit_complete), so a receiver's writes
(a badge, say) commit or roll back with the completion itself.
"""

from django.dispatch import Signal

unit_completed = Signal()
