"""Levels from total XP.

Level n starts at 50·n·(n−1) XP: 0, 100, 300, 600, 1,000, 1,500, ... Each
level asks for 100 XP more than the one before, so early levels come quickly
and later ones mark real work.
"""

import math
from dataclasses import dataclass


def level_threshold(level: int) -> int:
    """The XP at which `level` starts (level 1 starts at 0)."""
    return 50 * level * (level - 1)


def level_for(xp: int) -> int:
    """The level a learner with `xp` XP is at."""
    level = int((1 + math.sqrt(1 + 8 * max(xp, 0) / 100)) / 2)
    while level_threshold(level + 1) <= xp:  # guard against float rounding
        level += 1
    while level > 1 and level_threshold(level) > xp:
        level -= 1
    return level


@dataclass(frozen=True)
class LevelProgress:
    level: int
    xp: int
    start: int
    next_start: int

    @property
    def to_next(self) -> int:
        return self.next_start - self.xp

    @property
    def percent(self) -> int:
        return round(100 * (self.xp - self.start) / (self.next_start - self.start))


def level_progress(xp: int) -> LevelProgress:
    level = level_for(xp)
    return LevelProgress(level, xp, level_threshold(level), level_threshold(level + 1))
