"""tests/update_golden.py says what a golden rewrite changes, so a model change is never accepted unseen."""

from __future__ import annotations

from tests.update_golden import describe_changes

OLD = "run_id,intervention,max_escalation\n0,True,6\n1,False,3\n2,False,2\n"


def test_equal_tables_report_nothing() -> None:
    assert describe_changes(OLD, OLD) == []
    assert describe_changes(None, OLD) == ["new file"]


def test_changed_values_are_named_by_column_and_run() -> None:
    new = "run_id,intervention,max_escalation\n0,True,6\n1,True,4\n2,False,5\n"
    assert describe_changes(OLD, new) == [
        "intervention: 1 of 3 runs changed (run 1: False -> True)",
        "max_escalation: 2 of 3 runs changed (run 1: 3 -> 4, run 2: 2 -> 5)"]
    assert describe_changes(OLD, new, shown=1)[1] == "max_escalation: 2 of 3 runs changed (run 1: 3 -> 4, ...)"


def test_columns_and_rows_added_or_removed() -> None:
    new = "run_id,intervention,events\n0,True,9\n1,False,9\n"
    assert describe_changes(OLD, new) == ["columns: removed ['max_escalation'], added ['events']", "rows: 3 -> 2"]
    assert describe_changes(OLD, OLD.replace("6\n", "6.0\n")) == ["formatting only (same values)"]
