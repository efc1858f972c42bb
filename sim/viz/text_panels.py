"""The page's text panels as HTML: the escalation ladder (one row per bloc and target) and its glossary of
the rungs and of the lesson's actors. The event feed is :mod:`sim.viz.feed`."""

from __future__ import annotations

import html
from collections.abc import Sequence

from sim.enums import Rung
from sim.palette import RUNG_COLORS

__all__ = ["ACTOR_NOTES", "RUNG_NOTES", "RUNG_SHORT", "glossary_html", "ladder_html"]

RUNG_SHORT = ["none", "condemn", "suspend", "sanctions", "ultimatum", "standby force", "force"]
# What each rung means, for the glossary (rung 1..6).
RUNG_NOTES = [
    "",
    "The bloc publicly condemns the coup or the refusal to hand over power.",
    "The target is suspended from the bloc's meetings and decisions.",
    "Economic sanctions: borders closed, trade and payments frozen.",
    "A deadline: restore constitutional order or face force.",
    "Members pledge troops and the bloc activates its standby force.",
    "The force enters the target's territory: a military intervention.",
]
# One line on each actor the shipped lessons have (others get their kind and size).
ACTOR_NOTES = {
    "ecowas": "Economic Community of West African States: 15 states (fewer after the Sahel states leave); "
              "its 2001 Protocol lets it sanction and, in the end, use force against a coup.",
    "aes": "Alliance of Sahel States: Mali, Burkina Faso and Niger, bound by the Liptako-Gourma Charter "
           "(16 Sep 2023) to defend one another.",
    "au": "African Union: suspends members after a coup; it does not send forces in these lessons.",
    "g5_sahel": "G5 Sahel: Mauritania, Mali, Burkina Faso, Niger, Chad, with a joint force against armed "
                "groups; it dissolves as members leave.",
    "france": "France: troops (Operation Barkhane) present with the host's consent.",
    "russia": "Russia (Wagner, later Africa Corps): troops sent to governments that ask for them.",
    "usa": "The United States: a drone base and troops in Niger, with Niger's consent.",
    "minusma": "MINUSMA: the UN peacekeeping mission in Mali, ended by the Security Council in 2023.",
    "jnim": "JNIM: the al-Qaeda-linked armed group active across the central Sahel.",
    "is_sahel": "Islamic State Sahel Province: the other jihadist armed group of the region.",
    "csp": "CSP-DPA (later FLA): the Tuareg-led rebel coalition of northern Mali.",
}


def ladder_html(sig: Sequence[tuple[str, str, int, int, int | None]]) -> str:
    """One block per bloc and target: its name, then one cell per rung (labelled), filled up to the rung
    held now and outlined up to the highest rung reached. Fixed-width cells: never wider than the card."""
    if not sig:
        return '<div style="color:#555">No bloc has responded to anything yet.</div>'
    n = len(RUNG_COLORS) - 1
    head = "".join(f'<th style="font-weight:400;font-size:13px;padding:0 1px;overflow-wrap:anywhere;'
                   f'line-height:1.1">{html.escape(RUNG_SHORT[r])}</th>' for r in range(1, n + 1))
    rows = []
    for bloc, target, rung, top, closed in sig:
        cells = []
        for r in range(1, n + 1):
            fill = RUNG_COLORS[r] if r <= rung else "#ffffff"
            border = "3px solid #222" if r <= top else "1px solid #bbb"
            cells.append(f'<td style="background:{fill};border:{border};height:24px"></td>')
        ended = f' <span style="color:#555">(ended week {closed})</span>' if closed is not None else ""
        rows.append(f'<tr><th colspan="{n}" style="text-align:left;padding-top:6px">{html.escape(bloc)} → '
                    f'{html.escape(target)}{ended} <span style="font-weight:400">— now: '
                    f'{html.escape(Rung(rung).label)}</span></th></tr>'
                    f'<tr class="liptako-rung" data-rung="{rung}">' + "".join(cells) + "</tr>")
    return ('<table style="border-collapse:separate;border-spacing:3px;width:100%;table-layout:fixed;'
            f'font-size:15px"><tr>{head}</tr>' + "".join(rows) + '</table><div style="font-size:13px;'
            'color:#444">Filled: the rung the bloc holds now. Thick outline: the highest rung it has reached.'
            "</div>")


def glossary_html(actors: Sequence[tuple[str, str, str]]) -> str:
    """The glossary, folded (one click opens it): the rungs in order, then the lesson's actors as
    (id, name, kind) with a line on each."""
    rungs = "".join(
        f'<li><span style="display:inline-block;width:14px;height:14px;background:{RUNG_COLORS[r]};'
        f'border:1px solid #333;margin-right:6px;vertical-align:-2px"></span><b>{html.escape(RUNG_SHORT[r])}'
        f"</b> ({html.escape(Rung(r).label)}): {html.escape(RUNG_NOTES[r])}</li>"
        for r in range(1, len(RUNG_COLORS)))
    people = "".join(
        f"<li><b>{html.escape(name)}</b>: {html.escape(ACTOR_NOTES.get(aid, kind))}</li>"
        for aid, name, kind in actors)
    return ('<details class="liptako-glossary"><summary style="cursor:pointer;color:#0b5394;font-size:15px">'
            'Glossary: the rungs and the actors</summary><div style="font-size:14px;line-height:1.35">'
            f'<b>The ladder</b>, from least to most: <ol style="margin:2px 0 6px 20px;padding:0;list-style:none">'
            f'{rungs}</ol><b>The actors</b><ul style="margin:2px 0 0 18px;padding:0">{people}</ul></div>'
            "</details>")
