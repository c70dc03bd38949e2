"""Waiting and service statistics per day, service and counter (Decision 468's 2025 target: waiting ≤ 15 min).

Pure over ticket rows, so the page, the JSON and the CSV export agree. Waiting = called − issued (the last
call of a ticket sent to the end of the line); service = done − serving started.
"""

from __future__ import annotations

import csv
import io
import math
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime

TARGET_MIN = 15.0
FIELDS = ("day", "service", "counter", "issued", "served", "no_show", "wait_mean_min", "wait_p90_min",
          "service_mean_min", "service_p90_min", "waited_15_min_or_less_pct")


@dataclass
class Row:
    day: date
    service: str
    counter: int | None
    status: str
    issued_at: datetime
    called_at: datetime | None
    serving_at: datetime | None
    done_at: datetime | None


@dataclass
class Group:
    issued: int = 0
    served: int = 0
    no_show: int = 0
    waits: list[float] = field(default_factory=list)
    services: list[float] = field(default_factory=list)


def p90(values: list[float]) -> float | None:
    """The 90th percentile (nearest rank)."""
    if not values:
        return None
    v = sorted(values)
    return v[max(0, math.ceil(0.9 * len(v)) - 1)]


def mean(values: list[float]) -> float | None:
    return sum(values) / len(values) if values else None


def _add(g: Group, r: Row) -> None:
    g.issued += 1
    if r.status == "done":
        g.served += 1
    if r.status == "no_show":
        g.no_show += 1
    if r.called_at is not None:
        g.waits.append(max(0.0, (r.called_at - r.issued_at).total_seconds() / 60))
    if r.serving_at is not None and r.done_at is not None:
        g.services.append(max(0.0, (r.done_at - r.serving_at).total_seconds() / 60))


def summarise(rows: list[Row]) -> dict:
    """{"rows": per (day, service, counter), "days": per day (all services and counters)}."""
    groups: dict[tuple, Group] = defaultdict(Group)
    days: dict[date, Group] = defaultdict(Group)
    for r in rows:
        _add(groups[(r.day, r.service, r.counter)], r)
        _add(days[r.day], r)

    def out(g: Group) -> dict:
        r1 = (lambda x: None if x is None else round(x, 1))
        within = sum(1 for w in g.waits if w <= TARGET_MIN)
        return {"issued": g.issued, "served": g.served, "no_show": g.no_show, "wait_mean_min": r1(mean(g.waits)),
                "wait_p90_min": r1(p90(g.waits)), "service_mean_min": r1(mean(g.services)),
                "service_p90_min": r1(p90(g.services)),
                "waited_15_min_or_less_pct": r1(100 * within / len(g.waits)) if g.waits else None}

    return {
        "rows": [{"day": d.isoformat(), "service": sv, "counter": c, **out(g)}
                 for (d, sv, c), g in sorted(groups.items(), key=lambda kv: (kv[0][0], kv[0][1], kv[0][2] or 0))],
        "days": [{"day": d.isoformat(), **out(g)} for d, g in sorted(days.items())],
        "target_min": TARGET_MIN,
    }


def to_csv(summary: dict) -> str:
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=FIELDS, lineterminator="\r\n")
    w.writeheader()
    for r in summary["rows"]:
        w.writerow({k: ("" if r.get(k) is None else r.get(k)) for k in FIELDS})
    return buf.getvalue()


def nice_step(raw: float) -> float:
    """1, 2, 2.5 or 5 × a power of ten, at least ``raw``: round axis labels."""
    power = 10 ** math.floor(math.log10(raw)) if raw > 0 else 1
    for m in (1, 2, 2.5, 5, 10):
        if m * power >= raw:
            return m * power
    return 10 * power


def bars_svg(items: list[tuple[str, list[float | None]]], series: list[str], colours: list[str], title: str,
             unit: str, line: float | None = None, width: int = 720, height: int = 260) -> str:
    """A grouped bar chart as SVG (server-side: no script, no library); ``line`` draws a target."""
    from html import escape

    values = [v for _, vs in items for v in vs if v is not None] + ([line] if line else [])
    step = nice_step(max(values + [1.0]) * 1.05 / 4)
    top = step * 4
    left, bottom, plot_h = 50, 40, height - 80
    slot = (width - left - 10) / max(1, len(items))
    bw = max(4.0, slot * 0.8 / max(1, len(series)))
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" role="img" '
           f'aria-label="{escape(title)}" class="chart">', f'<text x="{left}" y="18" class="t">{escape(title)}</text>']
    base = height - bottom
    for i in range(5):
        y = base - plot_h * i / 4
        out.append(f'<line x1="{left}" x2="{width - 10}" y1="{y:.1f}" y2="{y:.1f}" stroke="#ddd"/>'
                   f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end" class="a">{step * i:g}</text>')
    for i, (label, vs) in enumerate(items):
        x0 = left + slot * i + slot * 0.1
        for j, v in enumerate(vs):
            if v is None:
                continue
            h = plot_h * v / top
            out.append(f'<rect x="{x0 + j * bw:.1f}" y="{base - h:.1f}" width="{bw - 2:.1f}" height="{h:.1f}" '
                       f'fill="{colours[j]}"><title>{escape(series[j])}: {v:g} {escape(unit)}</title></rect>')
        out.append(f'<text x="{x0 + slot * 0.4:.1f}" y="{base + 16}" text-anchor="middle" class="a">{escape(label)}</text>')
    if line:
        y = base - plot_h * line / top
        out.append(f'<line x1="{left}" x2="{width - 10}" y1="{y:.1f}" y2="{y:.1f}" stroke="#b3261e" '
                   f'stroke-dasharray="6 4"/><text x="{width - 12}" y="{y - 4:.1f}" text-anchor="end" class="a" '
                   f'fill="#b3261e">{line:g} {escape(unit)}</text>')
    for j, name in enumerate(series):
        out.append(f'<rect x="{left + 160 * j}" y="{height - 16}" width="12" height="12" fill="{colours[j]}"/>'
                   f'<text x="{left + 160 * j + 16}" y="{height - 6}" class="a">{escape(name)}</text>')
    out.append("</svg>")
    return "".join(out)
