"""Which misconceptions a graded step reveals.

A challenge check may carry `misconception: <slug>` (validated by
content_schema): failing that check reveals it. A check that failed only
because the server could not read the request at all ("Not checked: ...")
judged nothing, so it reveals nothing either. Nor does a submission of the
challenge's starter as it stands: many starters hold the very mistake the
challenge is about, and sending one unchanged shows what the starter
believes, not what the learner does.
"""

from challenges.sandbox.grading import NOT_CHECKED, CheckResult

__all__ = ["linked_misconceptions", "revealed_by_results"]


def linked_misconceptions(steps: list[dict]) -> list[str]:
    """Every misconception a challenge's checks can reveal, once each, in file order."""
    slugs = (spec.get("misconception") for step in steps for spec in step["checks"])
    return list(dict.fromkeys(slug for slug in slugs if slug))


def revealed_by_results(
    checks: list[dict], results: list, *, sent: bytes | str = b"", starter: str = ""
) -> list[str]:
    """The misconceptions that one step's results reveal, once each, in check order.

    `checks` are the step's check specs; `results` the grader's CheckResults for
    them, or their stored form ({check, passed, message}), in the same order.
    Given the bytes `sent` and the challenge's `starter`, a submission that is
    the starter unchanged (whatever its line endings) reveals nothing.
    """
    if starter.strip() and _text(sent) == _text(starter):
        return []
    revealed = []
    for spec, result in zip(checks, results, strict=False):
        passed, message = _outcome(result)
        if not passed and not message.startswith(NOT_CHECKED) and spec.get("misconception"):
            revealed.append(spec["misconception"])
    return list(dict.fromkeys(revealed))


def _text(request: bytes | str) -> str:
    """A request's text with LF line ends and no trailing whitespace, for comparison."""
    if isinstance(request, bytes):
        request = request.decode("utf-8", errors="replace")
    return request.replace("\r\n", "\n").rstrip()


def _outcome(result) -> tuple[bool, str]:
    if isinstance(result, CheckResult):
        return result.passed, result.message
    return bool(result.get("passed")), str(result.get("message", ""))
