"""The page's event feed in plain language.

The model's log (``World.log.rows``) is written for the record: each text starts with "Week N, date:",
names clauses and fields by their ids (``liptako_gourma.art6``, ``domestic_constraint``) and ends with the
scenario's source notes ("(FACTS §2 [DPOST]); 0.8 is an assumption"). For a class the page shows:

- one sentence, with the date in words ("2 August 2023");
- the clause or rule as a short readable tag ("ECOWAS 2001 Protocol, Art. 45 — qualified majority");
- the numbers behind the decision (votes, chances, troops) and the source note one click away, in a
  ``<details>`` element, never in the sentence itself.

Nothing here changes the model's log: the feed is a reading of it (the CSV export uses the same reading).
"""

from __future__ import annotations

import datetime as dt
import html
import re
from collections.abc import Mapping, Sequence
from typing import Any

__all__ = ["FEED_LENGTH", "FeedEntry", "clause_tag", "feed_entries", "feed_html", "plain_sentence"]

FEED_LENGTH = 60  # newest events shown in the feed

# Short names of the treaties the shipped scenarios use; others fall back to the treaty's own name.
TREATY_SHORT = {
    "ecowas_democracy": "ECOWAS 2001 Protocol",
    "ecowas_defence": "ECOWAS 1981 Defence Protocol",
    "ecowas_treaty": "ECOWAS Revised Treaty",
    "au_lome": "AU Lomé Declaration",
    "g5_convention": "G5 Sahel Convention",
    "liptako_gourma": "Liptako-Gourma Charter",
}
# The model's rules (the part of a clause id after "rule:"), as a class would say them.
RULES = {
    "qualified_majority": "qualified majority",
    "consensus": "consensus",
    "simple_majority": "simple majority",
    "unanimity": "unanimity",
    "presence": "foreign forces need the host's consent",
    "membership": "leaving a bloc",
    "combat": "the course of the war",
    "accord": "strain on a peace accord",
    "min_members": "too few members left",
    "coup": "coup risk",
    "fatigue": "fatigue",
}
# Field names that the model's texts may name, in words.
FIELDS = {
    "domestic_constraint": "domestic constraint on war",
    "military_capacity": "military strength",
    "regime": "regime",
}
_LEAD = re.compile(r"^Week \d+, \d{4}-\d{2}-\d{2}: ")
_ID = re.compile(r"\b([a-z][a-z0-9]*(?:_[a-z0-9]+)+)(?:\.([a-z][a-z0-9_]*))?\b")
_SENTENCE_END = re.compile(r"(?<![A-Z][a-z])(?<!\b[A-Z])(?<=[a-z0-9)%'])\.\s+(?=[A-Z\"'])")
_SOURCE = re.compile(r"\s*\((?:[^()]*\bFACTS\b[^()]*|[^()]*\[[A-Z0-9, ]+\][^()]*)\)")
_PAREN = re.compile(r"\s*\((?!\d{4}\))([^()]*\d[^()]*)\)")
_TRIGGERED = re.compile(r"^.*? is (triggered|set off) by ")
# Details that a parenthesis of the sentence already gives in words.
_COVERED = {"yes", "no", "abstain", "probability", "threat", "grievance", "fatigue", "attacker_loss",
            "defender_loss", "losses"}


def date_text(d: dt.date | str) -> str:
    """A date in words: 2 August 2023."""
    if isinstance(d, str):
        d = dt.date.fromisoformat(d[:10])
    return f"{d.day} {d.strftime('%B %Y')}"


def _article(article: str) -> str:
    """'Art. 45 (2001) / 1999 Protocol' -> 'Art. 45'."""
    return re.split(r"\s*[(/]", article, maxsplit=1)[0].strip() or article


def clause_tag(clause: str, treaties: Mapping[str, Any]) -> str:
    """A clause or rule id of the log as a short readable tag.

    ``treaties`` maps treaty ids to their specs (``name``, ``clauses[id].article``), as in
    ``Scenario.treaties``. ``ecowas_democracy.art45/rule:qualified_majority`` becomes "ECOWAS 2001 Protocol,
    Art. 45 — qualified majority"; ``event:...`` "scheduled event (history)"; ``rule:presence`` "Model rule —
    foreign forces need the host's consent".
    """
    parts = [p for p in clause.split("/") if p]
    tags: list[str] = []
    for part in parts:
        if part.startswith("rule:"):
            rule = part[5:]
            tags.append(RULES.get(rule, rule.replace("_", " ")))
        elif part.startswith("event:"):
            tags.append("scheduled event (history)")
        elif part.startswith("declaration:"):
            tags.append("declaration")
        elif part.startswith("bloc:"):
            tags.append("founding of a bloc")
        elif "." in part:
            tid, cid = part.split(".", 1)
            spec = treaties.get(tid)
            name = TREATY_SHORT.get(tid) or (getattr(spec, "name", None) or tid.replace("_", " "))
            cl = getattr(spec, "clauses", {}).get(cid) if spec is not None else None
            art = _article(getattr(cl, "article", "") or "") or cid.replace("_", " ")
            tags.append(f"{name}, {art}")
        else:
            tags.append(part.replace("_", " "))
    if not tags:
        return ""
    if len(tags) > 1 and not parts[0].startswith("rule:"):
        return f"{tags[0]} — {', '.join(tags[1:])}"
    return ("Model rule — " if parts[0].startswith("rule:") else "") + ", ".join(tags)


def _readable_ids(text: str, treaties: Mapping[str, Any]) -> str:
    """Clause ids (``liptako_gourma.art6``) and field names (``domestic_constraint``) in a text, in words."""
    def sub(m: re.Match[str]) -> str:
        word, sub_id = m.group(1), m.group(2)
        if sub_id and (word in treaties or word in TREATY_SHORT):
            return clause_tag(f"{word}.{sub_id}", treaties)
        if word in FIELDS:
            return FIELDS[word] + (f".{sub_id}" if sub_id else "")
        return m.group(0).replace("_", " ")
    return _ID.sub(sub, text)


def _grammar(text: str) -> str:
    """Small fixes of the model's generated English."""
    text = re.sub(r"takes effect in 0 weeks", "takes effect at once", text)
    text = re.sub(r"in 1 weeks", "in 1 week", text)
    text = re.sub(r"(?<![Tt]he )United States's", "the United States'", text)
    text = re.sub(r"(?<![Tt]he )(?<!^)United States", "the United States", text)
    text = re.sub(r"^United States", "The United States", text)
    text = re.sub(r"(\w+): domestic constraint on war changes from", r"\1's domestic constraint on war changes from",
                  text)
    return text


def plain_sentence(text: str, treaties: Mapping[str, Any]) -> tuple[str, list[str], str]:
    """(one sentence, the numbers taken out of it, the rest of the text as a source note)."""
    body = _LEAD.sub("", text).strip()
    pieces = _SENTENCE_END.split(body, maxsplit=1)
    first = pieces[0].rstrip(".")
    rest = pieces[1] if len(pieces) > 1 else ""
    numbers = [m.group(1) for m in _PAREN.finditer(first)]
    first = _PAREN.sub("", first)
    first = re.sub(r"\s*;\s*$", "", first).strip()
    first = _grammar(_readable_ids(first, treaties))
    note = _grammar(_readable_ids(rest, treaties)).strip()
    return first + ".", [_readable_ids(n, treaties) for n in numbers], note


_DETAIL_LABELS = {
    "yes": "votes for", "no": "votes against", "abstain": "abstentions", "p_win": "chance of winning a war",
    "probability": "chance the model gave it", "grievance": "grievance", "threat": "threat",
    "fatigue": "fatigue", "troops": "troops", "weeks": "weeks", "attack_force": "attacking force",
    "attacker_loss": "attacker's losses", "defender_loss": "defender's losses", "losses": "fighters lost",
    "bindingness": "how binding (0-1)", "perceived_defence": "defenders the bloc expects",
    "pledged_force": "troops pledged", "persons": "persons", "old": "before", "new": "after",
    "attacks": "attacks", "deaths": "deaths", "notice_weeks": "notice (weeks)", "sanctions": "sanctions' weight",
}
_PERCENT = {"p_win", "probability", "attacker_loss", "defender_loss"}


def _number(key: str, value: Any, names: Mapping[str, str]) -> str | None:
    label = _DETAIL_LABELS.get(key)
    if label is None:
        return None
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        if key in _PERCENT:
            pct = 100 * float(value)
            return f"{label}: {pct:.1f}%" if pct < 10 else f"{label}: {pct:.0f}%"
        v = float(value)
        return f"{label}: {v:,.0f}" if abs(v) >= 10 or v == int(v) else f"{label}: {v:.2f}"
    if isinstance(value, str) and key in ("old", "new"):
        return f"{label}: {value.replace('_', ' ')}"
    return None


class FeedEntry:
    """One event as the class reads it."""

    __slots__ = ("date", "kind", "note", "numbers", "sentence", "tag", "week")

    def __init__(self, week: int, date: str, kind: str, sentence: str, tag: str, numbers: list[str],
                 note: str) -> None:
        self.week, self.date, self.kind, self.sentence = week, date, kind, sentence
        self.tag, self.numbers, self.note = tag, numbers, note


def feed_entries(rows: Sequence[Any], treaties: Mapping[str, Any], names: Mapping[str, str] | None = None
                 ) -> list[FeedEntry]:
    """Every log row as a :class:`FeedEntry`, oldest first."""
    names = names or {}
    out = []
    for row in rows:
        week, date, kind, _actor, _target, clause, text = row[:7]
        details = row[7] if len(row) > 7 and isinstance(row[7], dict) else {}
        sentence, numbers, note = plain_sentence(str(text), treaties)
        tag = clause_tag(str(clause), treaties)
        if tag and "." in str(clause):  # "Art. 45 (2001) / 1999 Protocol of ECOWAS is triggered by ..."
            short = tag.split(" — ")[0].replace("\\", "")
            sentence = _TRIGGERED.sub(rf"{short} is \1 by ", sentence)
        covered = _COVERED if numbers else set()
        for k, val in details.items():
            if k in covered:
                continue
            if k == "attackers" and isinstance(val, dict):
                numbers.append("troops sent: " + ", ".join(f"{names.get(s, s)} {float(t):,.0f}"
                                                            for s, t in val.items()))
                continue
            n = _number(str(k), val, names)
            if n is not None:
                numbers.append(n)
        out.append(FeedEntry(int(week), date_text(str(date)), str(getattr(kind, "value", kind)), sentence,
                             tag, list(dict.fromkeys(numbers)), note))
    return out


def feed_html(entries: Sequence[FeedEntry], colors: Mapping[str, str], default: str,
              limit: int = FEED_LENGTH) -> str:
    """The newest ``limit`` entries, newest first: date, sentence, tag, and a click for the numbers."""
    items = []
    for e in reversed(entries[-limit:]):
        color = colors.get(e.kind, default)
        more = ""
        if e.numbers or e.note:
            inner = "".join(f"<li>{html.escape(n)}</li>" for n in e.numbers)
            src = (f'<div class="liptako-source"><b>Source note:</b> {html.escape(e.note)}</div>'
                   if e.note else "")
            more = (f'<details class="liptako-numbers"><summary style="cursor:pointer;color:#0b5394">'
                    f'numbers{" and sources" if e.note else ""}</summary><ul style="margin:2px 0 2px 18px;'
                    f'padding:0">{inner}</ul>{src}</details>')
        tag = (f'<span class="liptako-tag" style="display:inline-block;background:#f0f0f0;border-radius:4px;'
               f'padding:0 5px;font-size:13px;color:#333">{html.escape(e.tag)}</span>' if e.tag else "")
        items.append(
            f'<li class="liptako-event" data-kind="{html.escape(e.kind)}" style="border-left:5px solid {color};'
            f'padding:3px 8px;margin:0 0 7px 0;list-style:none;overflow-wrap:anywhere">'
            f'<span style="color:#555;font-size:13px">{html.escape(e.date)}</span> '
            f'<span class="liptako-sentence">{html.escape(e.sentence)}</span><br>{tag}{more}</li>')
    if not items:
        items.append('<li style="list-style:none;color:#555">Nothing has happened yet: press STEP or PLAY.</li>')
    return (f'<div style="font-size:15px;line-height:1.35"><div class="liptako-feed-count" style="color:#555;'
            f'font-size:13px">{len(entries)} events so far (newest first)</div>'
            f'<ul style="padding:0;margin:4px 0 0 0">' + "".join(items) + "</ul></div>")
