"""Lesson diagrams: data in, inline SVG out. Pure Python, no Django.

Two kinds: `message` (a message's lines, each part bracketed and labelled) and
`sequence` (actors with lifelines, arrows and notes, top to bottom). This
module checks the data and builds the figure; curriculum.diagram_drawing lays
out and draws the SVG, and follows the site's light/dark theme. Each figure carries two layouts (wide, and narrow for phones, where labels
move above their lines); CSS shows one. A text version in <details> repeats
everything, so nothing is said only by the picture.
"""

import re

from curriculum.diagram_drawing import HEAD_PARTS, LAYOUTS, esc, message_svg, sequence_svg

__all__ = ["DiagramError", "diagram_html", "diagram_svg", "diagram_validate"]

PART_KINDS = ("start-line", "status-line", "headers", "empty-line", "body")
_PART_RANK = {"start-line": 0, "status-line": 0, "headers": 1, "empty-line": 2, "body": 3}
_KEYS = {
    "message": ("kind", "title", "alt", "parts"),
    "sequence": ("kind", "title", "alt", "actors", "messages"),
}
_LIMITS = {
    "title": 120,
    "alt": 600,
    "label": 120,
    "line": 200,
    "text": 120,
    "note": 160,
    "actor": 24,
}
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
_ID = re.compile(r"[A-Za-z][A-Za-z0-9_-]{0,60}")


class DiagramError(ValueError):
    """A diagram's data is wrong; `where` names the diagram, `problem` the field."""

    def __init__(self, where: str, problem: str):
        super().__init__(f"{where}: {problem}")
        self.where = where
        self.problem = problem


# --- validation -----------------------------------------------------------------


def _text(value, field: str, limit: str, *, allow_empty: bool = False) -> str:
    """Return `value` if it is one line of printable text; raise ValueError saying why not."""
    if isinstance(value, dict):  # `- Host: a` unquoted in YAML is a one-key mapping
        raise ValueError(f"{field} must be text, not a mapping: put the line in quotes")
    if not isinstance(value, str):
        raise ValueError(f"{field} must be text, not {type(value).__name__}")
    if not allow_empty and not value.strip():
        raise ValueError(f"{field} is empty")
    bad = _CONTROL.search(value)
    if bad:
        raise ValueError(
            f"{field} contains the control character U+{ord(bad.group()):04X}; "
            "write one line without it (the diagram draws each line's CRLF itself)"
        )
    if len(value) > _LIMITS[limit]:
        raise ValueError(f"{field} is {len(value)} characters long; at most {_LIMITS[limit]} fit")
    return value


def _keys(entry, field: str, required: tuple, optional: tuple = ()) -> None:
    if not isinstance(entry, dict):
        raise ValueError(f"{field} must be a mapping, not {type(entry).__name__}")
    missing = [k for k in required if k not in entry]
    if missing:
        raise ValueError(f"{field} is missing {', '.join(repr(k) for k in missing)}")
    unknown = [str(k) for k in entry if k not in required + optional]
    if unknown:
        expected = ", ".join(required + optional)
        raise ValueError(
            f"{field} has unknown key {', '.join(map(repr, unknown))}; expected {expected}"
        )


def _list(value, field: str, low: int, high: int) -> list:
    if not isinstance(value, list):
        raise ValueError(f"{field} must be a list, not {type(value).__name__}")
    if not low <= len(value) <= high:
        raise ValueError(f"{field} has {len(value)} entries; it needs {low} to {high}")
    return value


def _message_parts(parts) -> list[dict]:
    clean, rank, seen = [], -1, set()
    for i, part in enumerate(_list(parts, "parts", 1, 12)):
        field = f"parts[{i}]"
        _keys(part, field, ("part", "label", "lines"))
        kind = part["part"]
        if kind not in PART_KINDS:
            raise ValueError(f"{field}: 'part' is {kind!r}, not one of {', '.join(PART_KINDS)}")
        if i == 0 and _PART_RANK[kind] != 0:
            raise ValueError(
                f"{field}: a message starts with a start-line or status-line, not {kind}"
            )
        if (
            _PART_RANK[kind] < rank
            or (kind != "headers" and kind in seen)
            or (i and rank == 0 == _PART_RANK[kind])
        ):
            raise ValueError(
                f"{field}: {kind} cannot come here; the order is start line, headers, empty line, body"
            )
        if kind == "body" and "empty-line" not in seen:
            raise ValueError(
                f"{field}: a body needs an empty-line part before it (the empty line ends the head)"
            )
        lines = _list(part["lines"], f"{field}.lines", 1, 20)
        if kind == "empty-line" and lines != [""]:
            raise ValueError(
                f'{field}.lines: an empty-line part has exactly one line, and it is ""'
            )
        for j, line in enumerate(lines):
            _text(line, f"{field}.lines[{j}]", "line", allow_empty=kind in ("empty-line", "body"))
        label = _text(part["label"], f"{field}.label", "label")
        clean.append({"part": kind, "label": label, "lines": list(lines)})
        rank = _PART_RANK[kind]
        seen.add(kind)
    return clean


def _sequence_steps(actors, messages) -> tuple[list[str], list[dict]]:
    names = [_text(a, f"actors[{i}]", "actor") for i, a in enumerate(_list(actors, "actors", 2, 5))]
    if len(set(names)) != len(names):
        twice = next(n for n in names if names.count(n) > 1)
        raise ValueError(f"actors names {twice!r} twice; each actor needs its own name")
    known = ", ".join(names)
    steps = []
    for i, step in enumerate(_list(messages, "messages", 1, 30)):
        field = f"messages[{i}]"
        is_note = isinstance(step, dict) and "note" in step
        _keys(step, field, ("note", "over") if is_note else ("from", "to", "text"))
        for key in ("over",) if is_note else ("from", "to"):
            if step[key] not in names:
                raise ValueError(
                    f"{field}: {key!r} names {step[key]!r}, not one of the actors {known}"
                )
        if is_note:
            steps.append(
                {"note": _text(step["note"], f"{field}.note", "note"), "over": step["over"]}
            )
            continue
        if step["from"] == step["to"]:
            raise ValueError(
                f"{field}: 'from' and 'to' are both {step['from']!r}; use a note for what one actor does alone"
            )
        steps.append(
            {
                "from": step["from"],
                "to": step["to"],
                "text": _text(step["text"], f"{field}.text", "text"),
            }
        )
    return names, steps


def diagram_validate(data, where: str) -> dict:
    """Return a clean copy of one diagram's data; raise DiagramError(where, problem) if it is wrong.

    Indexes in messages are 0-based, like the YAML list they point into.
    """
    try:
        if not isinstance(data, dict):
            raise ValueError(f"a diagram must be a mapping, not {type(data).__name__}")
        kind = data.get("kind")
        if kind not in _KEYS:
            raise ValueError(f"'kind' is {kind!r}, not one of {', '.join(_KEYS)}")
        _keys(data, "the diagram", _KEYS[kind])
        clean = {
            "kind": kind,
            "title": _text(data["title"], "title", "title"),
            "alt": _text(data["alt"], "alt", "alt"),
        }
        if kind == "message":
            clean["parts"] = _message_parts(data["parts"])
        else:
            clean["actors"], clean["messages"] = _sequence_steps(data["actors"], data["messages"])
        return clean
    except ValueError as error:
        raise DiagramError(where, str(error)) from None


def diagram_svg(data, id_prefix: str, layout: str = "wide") -> str:
    """Return one diagram as an inline <svg>; every id in it starts with `id_prefix`.

    `layout` is "wide" (labels beside their lines) or "narrow" (for phones).
    Raises DiagramError for bad data, ValueError for a bad prefix or layout.
    """
    if not _ID.fullmatch(id_prefix or ""):
        raise ValueError(f"id_prefix {id_prefix!r} must be a letter then letters, digits, - or _")
    if layout not in LAYOUTS:
        raise ValueError(f"layout {layout!r} is not one of {', '.join(LAYOUTS)}")
    data = diagram_validate(data, id_prefix)
    draw = message_svg if data["kind"] == "message" else sequence_svg
    return draw(data, id_prefix, layout)


def _text_version(data: dict) -> str:
    items = []
    if data["kind"] == "message":
        crlf = ' <span class="dg-crlf-tag">CRLF</span>'
        for part in data["parts"]:
            ends = crlf if part["part"] in HEAD_PARTS else ""
            shown = [
                f"<code>{esc(line)}</code>{ends}" if line else f"(empty){ends}"
                for line in part["lines"]
            ]
            items.append(f"<li>{esc(part['label'])}: {'<br>'.join(shown)}</li>")
    else:
        for step in data["messages"]:
            if "note" in step:
                items.append(f"<li>Note at {esc(step['over'])}: {esc(step['note'])}</li>")
            else:
                items.append(
                    f"<li>{esc(step['from'])} to {esc(step['to'])}: <code>{esc(step['text'])}</code></li>"
                )
    return f"<p>{esc(data['alt'])}</p><ol>{''.join(items)}</ol>"


def diagram_html(data, id_prefix: str) -> str:
    """Return a <figure> with a visible title, both layouts, and a text version in <details>."""
    svgs = "".join(diagram_svg(data, f"{id_prefix}-{layout[0]}", layout) for layout in LAYOUTS)
    data = diagram_validate(data, id_prefix)
    return (
        f'<figure class="diagram diagram-{data["kind"]}"><figcaption>{esc(data["title"])}</figcaption>'
        f'<div class="diagram-art">{svgs}</div>'
        f'<details class="diagram-text"><summary>Text version</summary>{_text_version(data)}</details></figure>'
    )
