"""The page's text panels as HTML: the escalation ladder (one row per bloc and target) and the event feed."""

from __future__ import annotations

import html
from collections.abc import Sequence
from typing import Any

from sim.enums import Rung
from sim.palette import FEED_COLORS, FEED_DEFAULT, RUNG_COLORS

__all__ = ["FEED_LENGTH", "RUNG_SHORT", "feed_html", "ladder_html"]

FEED_LENGTH = 60  # newest events shown in the feed
RUNG_SHORT = ["none", "condemn", "suspend", "sanctions", "ultimatum", "standby force", "force"]


def ladder_html(sig: Sequence[tuple[str, str, int, int, int | None]]) -> str:
    """A table: one row per bloc and target, one cell per rung; filled up to the rung held now,
    outlined up to the highest rung reached."""
    if not sig:
        return '<div style="color:#777">No bloc has responded to anything yet.</div>'
    th = '<th style="font-weight:400;font-size:11px;padding:0 2px">'
    head = "".join(f"{th}{html.escape(RUNG_SHORT[r])}</th>" for r in range(1, len(RUNG_COLORS)))
    rows = []
    for bloc, target, rung, top, closed in sig:
        cells = []
        for r in range(1, len(RUNG_COLORS)):
            fill = RUNG_COLORS[r] if r <= rung else "#ffffff"
            border = "2px solid #333" if r <= top else "1px solid #ccc"
            cells.append(f'<td style="background:{fill};border:{border};height:26px;min-width:34px"></td>')
        ended = f' <span style="color:#777">(ended week {closed})</span>' if closed is not None else ""
        rows.append(f'<tr class="liptako-rung" data-rung="{rung}"><th style="text-align:left;'
                    f'padding-right:6px;white-space:nowrap">{html.escape(bloc)} → {html.escape(target)}'
                    f'{ended}'
                    f'<br><span style="font-weight:400;font-size:12px">now: {html.escape(Rung(rung).label)}'
                    '</span></th>' + "".join(cells) + "</tr>")
    return ('<table style="border-collapse:separate;border-spacing:3px;width:100%;font-size:13px">'
            f'<tr><th></th>{head}</tr>' + "".join(rows) + '</table><div style="font-size:11px;color:#555">'
            "Filled: the rung the bloc holds now. Dark outline: the highest rung it has reached.</div>")


def feed_html(rows: Sequence[tuple[Any, ...]], limit: int = FEED_LENGTH) -> str:
    """The newest ``limit`` events, newest first, each with the clause or rule that fired."""
    items = []
    for row in reversed(rows[-limit:]):
        _week, _date, kind, _actor, _target, clause, text = row[:7]
        color = FEED_COLORS.get(kind, FEED_DEFAULT)
        items.append(
            f'<li class="liptako-event" data-kind="{html.escape(kind)}" style="border-left:4px solid {color};'
            f'padding:2px 6px;margin:0 0 5px 0;list-style:none">{html.escape(text)}'
            f'<br><code style="font-size:11px;color:#555">{html.escape(clause)}</code></li>'
        )
    if not items:
        items.append('<li style="list-style:none;color:#777">Nothing has happened yet: press STEP or ▶.</li>')
    return (f'<div style="font-size:13px;line-height:1.3"><div class="liptako-feed-count" style="color:#555">'
            f'{len(rows)} events so far (newest first)</div><ul style="padding:0;margin:4px 0 0 0">'
            + "".join(items) + "</ul></div>")
