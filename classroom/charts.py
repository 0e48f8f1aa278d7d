"""A bar chart of XP per day as inline SVG: no chart library, no script, readable without colour."""

from django.utils.html import escape


def bar_chart(days: list[tuple], width: int = 600, height: int = 120) -> str:
    """Return an <svg> with one bar per (date, points); each bar has a <title> for its figure."""
    peak = max((points for _, points in days), default=0) or 1
    slot = width / max(len(days), 1)
    bars = []
    for index, (day, points) in enumerate(days):
        bar_height = round((height - 20) * points / peak)
        x = round(index * slot + 2, 1)
        y = height - 16 - bar_height
        label = f"{day:%a %d %b}: {points} XP"
        bars.append(
            f'<rect x="{x}" y="{y}" width="{round(slot - 4, 1)}" height="{max(bar_height, 1)}" class="bar">'
            f"<title>{escape(label)}</title></rect>"
        )
    first, last = days[0][0], days[-1][0]
    return (
        f'<svg viewBox="0 0 {width} {height}" class="chart" role="img" aria-label="XP per day from {first:%d %b} to {last:%d %b}">'
        + "".join(bars)
        + f'<text x="0" y="{height - 2}" class="axis">{first:%d %b}</text>'
        + f'<text x="{width}" y="{height - 2}" class="axis" text-anchor="end">{last:%d %b}</text></svg>'
    )
