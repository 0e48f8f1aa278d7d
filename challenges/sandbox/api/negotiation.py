"""Proactive content negotiation with Accept (RFC 9110 §12.5.1).

Each offered type takes the weight of the most specific media range that
matches it (type/subtype beats type/* beats */*); the heaviest offer wins and
ties go to the server's order of preference. Media-range parameters other
than q are ignored: the sandbox offers no variants that differ by them.
"""

import re
from functools import lru_cache
from typing import NamedTuple

QVALUE = re.compile(r"0(\.[0-9]{0,3})?|1(\.0{0,3})?")
MEDIA_RANGE = re.compile(r"([!#$%&'*+.^_`|~0-9A-Za-z-]+)/([!#$%&'*+.^_`|~0-9A-Za-z-]+)")


class MediaRange(NamedTuple):
    type: str
    subtype: str
    weight: float

    def specificity(self, offered: str) -> int | None:
        """2 for an exact match, 1 for type/*, 0 for */*, None if no match."""
        offered_type, _, offered_subtype = offered.partition("/")
        if self.type == "*" and self.subtype == "*":
            return 0
        if self.type == offered_type and self.subtype == "*":
            return 1
        if self.type == offered_type and self.subtype == offered_subtype:
            return 2
        return None


def parse_accept(value: str) -> list[MediaRange]:
    """The valid media ranges in an Accept value; invalid ones are skipped."""
    ranges = []
    for element in value.split(","):
        media, *parameters = [part.strip() for part in element.split(";")]
        match = MEDIA_RANGE.fullmatch(media)
        if not match or (match.group(1) == "*" and match.group(2) != "*"):
            continue
        weight = 1.0
        for parameter in parameters:
            name, _, raw = parameter.partition("=")
            if name.strip().lower() == "q":
                weight = float(raw.strip()) if QVALUE.fullmatch(raw.strip()) else -1.0
        if weight >= 0:
            ranges.append(MediaRange(match.group(1).lower(), match.group(2).lower(), weight))
    return ranges


def choose_media_type(accept: str | None, offered: list[str]) -> str | None:
    """The offered type to send, or None when the client accepts none (406).
    A request without Accept accepts anything."""
    if accept is None:
        return offered[0]
    return _choose(accept, tuple(offered))


# Clients send a handful of distinct Accept values (each browser and tool its
# own, over and over), so a server works each answer out once.
@lru_cache(maxsize=512)
def _choose(accept: str, offered: tuple[str, ...]) -> str | None:
    if not accept.strip():
        return offered[0]
    ranges = parse_accept(accept)
    best, best_weight = None, 0.0
    for candidate in offered:
        # The weight of the most specific range that matches (the heavier of equals).
        closest = None
        for media_range in ranges:
            specificity = media_range.specificity(candidate)
            if specificity is not None and (
                closest is None or (specificity, media_range.weight) > closest
            ):
                closest = (specificity, media_range.weight)
        if closest is not None and closest[1] > best_weight:
            best, best_weight = candidate, closest[1]
    return best
