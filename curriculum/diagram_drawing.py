"""Drawing for curriculum.diagrams: validated diagram data in, one <svg> string out.

Fonts are not measured here, so layout estimates widths from text length,
generously (monospace is 0.6 em per character; the sans estimate is wide enough
for DejaVu Sans, the widest common fallback), wraps long text, and grows the
viewBox to hold whatever it drew: nothing is clipped. The site's CSP allows no
inline styles, so colours are classes (static/css/site.css, "diagrams"), with
currentColor presentation attributes so the drawing still reads without CSS.
"""

import html
import textwrap

HEAD_PARTS = ("start-line", "status-line", "headers", "empty-line")  # lines that end in CRLF

PAD = 14
MONO_EM, SANS_EM = 0.6, 0.62
# Wrap widths in characters; `width` is the drawing's target width (a lesson column, a phone).
# Narrow labels and messages wrap to the room the phone leaves, so they have no fixed width.
LAYOUTS = {
    "wide": {
        "raw": 52,
        "label": 30,
        "msg": 40,
        "note": 30,
        "actor": 16,
        "actor_size": 14,
        "width": 720,
    },
    "narrow": {
        "raw": 34,
        "note": 24,
        "actor": 8,
        "actor_size": 12,
        "width": 360,
    },
}


def esc(text: str) -> str:
    return html.escape(text, quote=True)


def _wrap(text: str, chars: int) -> list[str]:
    return textwrap.wrap(text, max(chars, 8), break_long_words=True, break_on_hyphens=False) or [""]


def _chunks(line: str, chars: int) -> list[str]:
    """Hard-split a raw line (its spaces matter, so no word wrap)."""
    return [line[i : i + chars] for i in range(0, len(line), chars)] or [""]


class _Canvas:
    """Collects SVG elements and the box that holds them all; text is drawn over every shape."""

    def __init__(self):
        self.shapes: list[str] = []
        self.texts: list[str] = []
        self.x0, self.y0, self.x1, self.y1 = PAD, PAD, PAD, PAD

    def grow(self, x0, y0, x1, y1):
        self.x0, self.y0 = min(self.x0, x0), min(self.y0, y0)
        self.x1, self.y1 = max(self.x1, x1), max(self.y1, y1)

    def rect(self, cls, x, y, w, h, fill="none", stroke="currentColor"):
        self.grow(x, y, x + w, y + h)
        self.shapes.append(
            f'<rect class="{cls}" x="{x:.1f}" y="{y:.1f}" width="{w:.1f}" height="{h:.1f}" rx="4" fill="{fill}" stroke="{stroke}"/>'
        )

    def path(self, cls, d, extra=""):
        self.shapes.append(
            f'<path class="{cls}" d="{d}" fill="none" stroke="currentColor"{extra}/>'
        )

    def text(self, cls, x, y, lines, size, em, anchor="start", line_h=None):
        """Draw lines of text whose first baseline is at y; return the height used."""
        line_h = line_h or size * 1.35
        width = max(len(t) for t in lines) * size * em
        left = {"start": x, "middle": x - width / 2, "end": x - width}[anchor]
        self.grow(left, y - size, left + width, y + (len(lines) - 1) * line_h + size * 0.3)
        spans = "".join(
            f'<tspan x="{x:.1f}" dy="{0 if i == 0 else line_h:.1f}">{esc(t)}</tspan>'
            for i, t in enumerate(lines)
        )
        anchor_attr = "" if anchor == "start" else f' text-anchor="{anchor}"'
        if cls == "dg-raw":  # a raw line's spaces are bytes: two must not collapse into one
            anchor_attr += ' xml:space="preserve"'
        self.texts.append(
            f'<text class="{cls}" x="{x:.1f}" y="{y:.1f}" font-size="{size}" fill="currentColor"{anchor_attr}>{spans}</text>'
        )
        return len(lines) * line_h

    def svg(self, data, prefix, layout, defs=""):
        x0, y0 = self.x0 - PAD, self.y0 - PAD
        w, h = self.x1 + PAD - x0, self.y1 + PAD - y0
        return (
            f'<svg xmlns="http://www.w3.org/2000/svg" class="dg dg-{layout} dg-{data["kind"]}" '
            f'viewBox="{x0:.0f} {y0:.0f} {w:.0f} {h:.0f}" width="{w:.0f}" height="{h:.0f}" '
            f'role="img" aria-labelledby="{prefix}-title {prefix}-desc">'
            f'<title id="{prefix}-title">{esc(data["title"])}</title><desc id="{prefix}-desc">{esc(data["alt"])}</desc>'
            f"{defs}{''.join(self.shapes)}{''.join(self.texts)}</svg>"
        )


RAW, LINE_H, LABEL = 14, 22, 14


def _crlf(canvas: _Canvas, x: float, y: float) -> None:
    """A drawn CR LF tag: no common font has the control-picture glyphs (U+240D, U+240A)."""
    canvas.rect("dg-crlf", x, y - 12, 38, 16, fill="none", stroke="currentColor")
    canvas.text("dg-crlf-text", x + 19, y, ["CR LF"], 10, MONO_EM, anchor="middle")


def _raw_rows(part: dict, chars: int) -> list[tuple[str, bool, bool]]:
    """(text, is a continuation, ends the line) for each drawn row of a part."""
    rows = []
    for line in part["lines"]:
        pieces = _chunks(line, chars)
        rows += [(p, i > 0, i == len(pieces) - 1) for i, p in enumerate(pieces)]
    return rows


def _draw_rows(canvas: _Canvas, part: dict, rows, x: float, y: float) -> None:
    """Draw one part's raw rows from y, each head line ending in its CR LF tag."""
    cw = RAW * MONO_EM
    for n, (row, continued, ends) in enumerate(rows):
        base = y + n * LINE_H + 15
        lead = 2 if continued else 0
        if continued:
            canvas.text("dg-wrap", x, base, ["↪"], RAW, MONO_EM)
        canvas.text("dg-raw", x + lead * cw, base, [row], RAW, MONO_EM)
        if ends and part["part"] in HEAD_PARTS:
            _crlf(canvas, x + (lead + len(row)) * cw + (8 if row else 0), base)


def message_svg(data: dict, prefix: str, layout: str) -> str:
    conf, canvas = LAYOUTS[layout], _Canvas()
    cw = RAW * MONO_EM
    rows = [_raw_rows(p, conf["raw"]) for p in data["parts"]]
    raw_w = max(len(r) + 2 for part in rows for r, _, _ in part) * cw + 46
    narrow = layout == "narrow"
    # Labels take the room the lines leave: above them on a phone, beside them (up to 44) when wide.
    room = conf["width"] - 2 * PAD - (20 if narrow else raw_w + 48)
    label_chars = int(max(raw_w if narrow else 0, room) / (LABEL * SANS_EM))
    if not narrow:
        label_chars = min(44, max(conf["label"], label_chars))
    x_raw = PAD + (24 if narrow else 10)
    y = PAD
    for part, part_rows in zip(data["parts"], rows, strict=True):
        label = _wrap(part["label"], label_chars)
        label_h = len(label) * LABEL * 1.35
        if narrow:
            canvas.text("dg-label", PAD, y + LABEL, label, LABEL, SANS_EM)
            y += label_h + 4
        band_h = len(part_rows) * LINE_H + 4
        block_h = band_h if narrow else max(band_h, label_h + 4)
        canvas.rect(f"dg-band dg-part-{part['part']}", x_raw - 8, y, raw_w, band_h, stroke="none")
        _draw_rows(canvas, part, part_rows, x_raw, y + 2)
        top, bottom = y + 3, y + band_h - 3
        if narrow:
            bx = PAD + 6
            canvas.path("dg-bracket", f"M{bx + 6:.1f} {top:.1f}H{bx:.1f}V{bottom:.1f}H{bx + 6:.1f}")
        else:
            bx, mid = x_raw - 8 + raw_w + 8, y + band_h / 2
            canvas.path(
                "dg-bracket",
                f"M{bx:.1f} {top:.1f}H{bx + 7:.1f}V{bottom:.1f}H{bx:.1f}M{bx + 7:.1f} {mid:.1f}H{bx + 14:.1f}",
            )
            # Centred on its bracket, or from the band's top when taller, so it never meets the next label.
            canvas.text(
                "dg-label",
                bx + 20,
                y + max(0, (band_h - label_h) / 2) + LABEL,
                label,
                LABEL,
                SANS_EM,
            )
        y += block_h + (14 if narrow else 10)
    return canvas.svg(data, prefix, layout)


MSG, NOTE = 13, 13


def _actor_boxes(actors: list[str], conf: dict) -> tuple[list[list[str]], list[float]]:
    names = [_wrap(a, conf["actor"]) for a in actors]
    size = conf["actor_size"]
    widths = [max(4 * size, max(map(len, n)) * size * SANS_EM + 1.5 * size) for n in names]
    return names, widths


def _label_gaps(actors, gaps, steps, chars: int) -> list[float]:
    """Widen gaps until each label, wrapped at `chars`, fits between its two lifelines."""
    index = {a: i for i, a in enumerate(actors)}
    arrows = sorted(
        (s for s in steps if "text" in s), key=lambda s: abs(index[s["from"]] - index[s["to"]])
    )
    gaps = list(gaps)
    for s in arrows:  # shortest spans first, so a long one only widens what is still too narrow
        i, j = sorted((index[s["from"]], index[s["to"]]))
        need = max(map(len, _wrap(s["text"], chars))) * MSG * MONO_EM + 30
        have = sum(gaps[i:j])
        if have < need:
            gaps[i:j] = [g + (need - have) / (j - i) for g in gaps[i:j]]
    return gaps


def _centres(actors, widths, steps, conf, layout) -> tuple[list[float], int]:
    """x of each lifeline, and the width in characters that wide labels wrap at.

    Narrow: actors spread over the phone's width; labels run from the left lifeline.
    Wide: labels sit between their lifelines, wrapped narrower until the drawing fits.
    """
    gaps = [(widths[i] + widths[i + 1]) / 2 + 14 for i in range(len(actors) - 1)]
    chars = 0  # narrow labels wrap to the room right of their left lifeline instead
    if layout == "narrow":
        room = conf["width"] - 2 * PAD - (widths[0] + widths[-1]) / 2
        gaps = [max(g, room / len(gaps)) for g in gaps]
    else:
        chars = conf["msg"]
        edges = (widths[0] + widths[-1]) / 2 + 2 * PAD
        wide = _label_gaps(actors, gaps, steps, chars)
        while chars > 16 and sum(wide) + edges > conf["width"]:
            chars -= 4
            wide = _label_gaps(actors, gaps, steps, chars)
        gaps = wide
    xs = [PAD + widths[0] / 2]
    for g in gaps:
        xs.append(xs[-1] + g)
    return xs, chars


def _draw_actors(canvas: _Canvas, names, widths, xs, size: float) -> float:
    """Draw the actors' boxes along the top; return their height."""
    box_h = max(len(n) for n in names) * size * 1.3 + 14
    for name, w, x in zip(names, widths, xs, strict=True):
        canvas.rect("dg-actor", x - w / 2, PAD, w, box_h)
        top = PAD + (box_h - len(name) * size * 1.3) / 2  # a one-line name sits mid-box
        line_h = size * 1.3
        canvas.text("dg-actor-name", x, top + size * 1.05, name, size, SANS_EM, "middle", line_h)
    return box_h


def _draw_note(canvas: _Canvas, text: str, x: float, y: float, conf, left, right) -> float:
    """A note box centred on its lifeline, kept between the outer actors when it fits."""
    lines = _wrap(text, conf["note"])
    w = max(map(len, lines)) * NOTE * SANS_EM + 20
    x = min(max(x - w / 2, left), right - w) if w <= right - left else x - w / 2
    h = len(lines) * NOTE * 1.35 + 12
    canvas.rect("dg-note", x, y, w, h)
    canvas.text("dg-note-text", x + w / 2, y + 6 + NOTE, lines, NOTE, SANS_EM, anchor="middle")
    return h + 18


def sequence_svg(data: dict, prefix: str, layout: str) -> str:
    conf, canvas = LAYOUTS[layout], _Canvas()
    actors, steps = data["actors"], data["messages"]
    names, widths = _actor_boxes(actors, conf)
    xs, chars = _centres(actors, widths, steps, conf, layout)
    box_h = _draw_actors(canvas, names, widths, xs, conf["actor_size"])
    left, right = xs[0] - widths[0] / 2, xs[-1] + widths[-1] / 2
    at, y, marker = dict(zip(actors, xs, strict=True)), PAD + box_h + 24, f"{prefix}-arrow"
    for step in steps:
        if "note" in step:
            y += _draw_note(canvas, step["note"], at[step["over"]], y, conf, left, right)
            continue
        x1, x2 = at[step["from"]], at[step["to"]]
        lo, hi = sorted((x1, x2))
        if layout == "narrow":  # labels start at the left lifeline and may run across others
            lines = _wrap(step["text"], int((right - lo - 8) / (MSG * MONO_EM)))
            y += canvas.text("dg-msg", lo + 8, y + MSG, lines, MSG, MONO_EM) + 6
        else:
            lines = _wrap(step["text"], chars)
            y += canvas.text("dg-msg", (lo + hi) / 2, y + MSG, lines, MSG, MONO_EM, "middle") + 6
        end = x2 + (-3 if x2 > x1 else 3)  # the arrowhead's tip stops short of the lifeline
        canvas.path("dg-arrow", f"M{x1:.1f} {y:.1f}H{end:.1f}", f' marker-end="url(#{marker})"')
        y += 24
    bottom = y - 6
    canvas.grow(left, PAD, right, bottom)
    lifelines = "".join(f"M{x:.1f} {PAD + box_h:.1f}V{bottom:.1f}" for x in xs)
    canvas.shapes.insert(
        0,
        f'<path class="dg-lifeline" d="{lifelines}" fill="none" '
        'stroke="currentColor" stroke-dasharray="4 4"/>',
    )
    defs = (
        f'<defs><marker id="{marker}" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="10" markerHeight="10" '
        f'markerUnits="userSpaceOnUse" orient="auto-start-reverse">'
        f'<path class="dg-arrowhead" d="M0 0L10 5L0 10z" fill="currentColor"/></marker></defs>'
    )
    return canvas.svg(data, prefix, layout, defs)
