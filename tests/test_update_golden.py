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


def test_missing_text_on_both_sides_is_no_change() -> None:
    old = "run_id,outcome\n0,won\n1,\n2,\n"
    assert describe_changes(old, old.replace("0,won", "0,lost")) == [
        "outcome: 1 of 3 runs changed (run 0: won -> lost)"]
    assert describe_changes(old, old.replace("1,\n", "1,won\n")) == ["outcome: 1 of 3 runs changed (run 1: nan -> won)"]


def test_columns_and_rows_added_or_removed() -> None:
    new = "run_id,intervention,events\n0,True,9\n1,False,9\n"
    assert describe_changes(OLD, new) == ["columns: removed ['max_escalation'], added ['events']", "rows: 3 -> 2"]
    assert describe_changes(OLD, OLD.replace("6\n", "6.0\n")) == ["formatting only (same values)"]


def test_the_update_command_prints_what_changed_and_rewrites_only_that(tmp_path, monkeypatch, capsys) -> None:
    # `make golden` (python -m tests.update_golden) on a golden directory of its own holding the model's
    # gambia_2017 table with one value changed by hand: it names the file, the column, the run and old -> new,
    # and puts back the model's value; run again, it says "unchanged" and leaves the file as it is
    import tests.update_golden as U

    (tmp_path / "scenarios").symlink_to(U.ROOT / "scenarios")
    golden = tmp_path / "tests" / "golden"
    golden.mkdir(parents=True)
    committed = U.to_csv(U.golden_frame("gambia_2017"))  # the model as it is now (not the committed file)
    lines = committed.splitlines(keepends=True)
    header = lines[0].rstrip("\n").split(",")
    col = header.index("sanction_weeks")
    row = lines[2].rstrip("\n").split(",")  # run 1
    old = row[col]
    row[col] = str(int(old) + 100)
    (golden / "gambia_2017_outcomes.csv").write_text("".join([*lines[:2], ",".join(row) + "\n", *lines[3:]]))
    monkeypatch.setattr(U, "ROOT", tmp_path)
    monkeypatch.setattr(U, "GOLDEN", golden)
    monkeypatch.setattr(U, "CASES", {"gambia_2017": U.CASES["gambia_2017"]})
    U.main()
    out = capsys.readouterr().out.splitlines()
    assert out == ["tests/golden/gambia_2017_outcomes.csv: rewritten",
                   f"  sanction_weeks: 1 of 12 runs changed (run 1: {int(old) + 100} -> {old})"]
    assert (golden / "gambia_2017_outcomes.csv").read_text() == committed  # the model's values back
    stamp = (golden / "gambia_2017_outcomes.csv").stat().st_mtime_ns
    U.main()
    assert capsys.readouterr().out.splitlines() == ["tests/golden/gambia_2017_outcomes.csv: unchanged"]
    assert (golden / "gambia_2017_outcomes.csv").stat().st_mtime_ns == stamp
