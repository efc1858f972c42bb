"""The event log: typed records, one table."""

from __future__ import annotations

import datetime as dt

from sim.enums import LogKind
from sim.events import EVENT_COLUMNS, EventLog, LogRecord


def test_records_are_typed_and_the_table_keeps_plain_strings():
    log = EventLog()
    log.add(3, dt.date(2023, 8, 2), LogKind.RUNG_UP, "ecowas", "NER", "c", "text", rung=5, p=0.123456)
    r = log.rows[0]
    assert isinstance(r, LogRecord) and r.kind is LogKind.RUNG_UP and r.details == {"rung": 5, "p": 0.1235}
    df = log.frame()
    assert list(df.columns) == EVENT_COLUMNS and len(log) == 1
    assert type(df["kind"][0]) is str and df["kind"][0] == "rung_up"
    assert df["details"][0] == '{"p":0.1235,"rung":5}'
