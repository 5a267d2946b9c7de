"""The batch scan: output shape, rejects with line numbers, exactly-once resume, the CLI."""

from __future__ import annotations

import json
import signal
import sys
import types
from pathlib import Path
from typing import Any, Sequence

import pytest
import typer
from typer.testing import CliRunner

from slmguard.core.errors import DataFormatError, InputError
from slmguard.core.types import Message, Verdict
from slmguard.scan.local import default_rejects_path, scan_file


class StandInGuard:
    """Same `classify_batch`/`model_id` as the Guard; unsafe when the text mentions 'bomb'.

    Raises InputError for an item containing 'REFUSE' (as the Guard does for invalid items) and
    KeyboardInterrupt once `interrupt_after` batches were scored, to simulate a killed job.
    """

    model_id = "stand-in"

    def __init__(self, interrupt_after: int | None = None) -> None:
        self.interrupt_after = interrupt_after
        self.calls: list[list[Any]] = []

    def classify_batch(self, xs: Sequence[Any]) -> list[Verdict]:
        if self.interrupt_after is not None and len(self.calls) >= self.interrupt_after:
            raise KeyboardInterrupt
        texts = [self._text(x) for x in xs]
        self.calls.append(list(xs))
        return [self._verdict(t) for t in texts]

    @staticmethod
    def _text(x: Any) -> str:
        if isinstance(x, str):
            text = x
        elif isinstance(x, list) and all(isinstance(m, (dict, Message)) for m in x):
            text = " ".join(m["content"] if isinstance(m, dict) else m.content for m in x)
        else:
            raise InputError(f"cannot score {type(x).__name__}")
        if "REFUSE" in text:
            raise InputError("refused item")
        return text

    @staticmethod
    def _verdict(text: str) -> Verdict:
        score = 0.9 if "bomb" in text else 0.1
        return Verdict(unsafe=score >= 0.5, score=score, category_scores={"S9": score}, threshold=0.5,
                       category_thresholds={"S9": 0.5}, model_id="stand-in", latency_ms=1.0)

    def scored_texts(self) -> list[Any]:
        return [x for call in self.calls for x in call]


def write_lines(path: Path, rows: list[Any]) -> Path:
    """Rows are dicts (dumped as JSON) or raw bytes (written as they are)."""
    with path.open("wb") as fh:
        for row in rows:
            fh.write(row if isinstance(row, bytes) else json.dumps(row).encode() + b"\n")
    return path


def read_jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def scan(guard: StandInGuard, tmp_path: Path, **kwargs: Any):
    return scan_file(guard, tmp_path / "in.jsonl", tmp_path / "out.jsonl", progress=False, **kwargs)


def test_good_file_scored_in_order_with_input_kept(tmp_path: Path) -> None:
    rows = [{"id": i, "text": f"text {i}" + (" bomb" if i == 3 else "")} for i in range(1, 6)]
    write_lines(tmp_path / "in.jsonl", rows)
    guard = StandInGuard()

    summary = scan(guard, tmp_path, batch_size=2)

    out = read_jsonl(tmp_path / "out.jsonl")
    assert [r["id"] for r in out] == [1, 2, 3, 4, 5]
    assert [r["slmguard"]["line"] for r in out] == [1, 2, 3, 4, 5]
    assert [r["slmguard"]["unsafe"] for r in out] == [False, False, True, False, False]
    assert out[2]["text"] == "text 3 bomb" and out[2]["slmguard"]["categories"] == ["S9"]
    assert [len(c) for c in guard.calls] == [2, 2, 1]
    assert (summary.scored, summary.skipped_existing, summary.rejected) == (5, 0, 0)
    assert summary.rejects_path == tmp_path / "out.rejects.jsonl"
    assert not summary.rejects_path.exists()  # no empty rejects file on a clean scan


def test_bad_rows_rejected_with_line_and_good_rows_kept(tmp_path: Path) -> None:
    write_lines(tmp_path / "in.jsonl", [
        {"text": "good one"},                     # 1
        b'{"text": "unterminated\n',               # 2 invalid JSON
        b'{"text": "caf\xff\xfe"}\n',              # 3 invalid UTF-8
        {"prompt": "no text field"},               # 4 missing field
        {"text": "   "},                           # 5 empty text
        [1, 2, 3],                                 # 6 not an object
        b"\n",                                     # 7 blank: not a row
        {"text": 42},                              # 8 wrong type
        {"text": "please REFUSE this"},            # 9 guard raises InputError
        {"text": "good two"},                      # 10
        {"text": None},                            # 11 null counts as missing
        {"text": "good three"},                    # 12, no trailing newline below
    ])
    with (tmp_path / "in.jsonl").open("ab") as fh:
        fh.write(b'{"text": "good four"}')         # 13 last line without newline
    guard = StandInGuard()

    summary = scan(guard, tmp_path, batch_size=3)

    out = read_jsonl(tmp_path / "out.jsonl")
    assert [r["text"] for r in out] == ["good one", "good two", "good three", "good four"]
    assert [r["slmguard"]["line"] for r in out] == [1, 10, 12, 13]
    rejects = read_jsonl(summary.rejects_path)
    errors = {r["line"]: r["error"] for r in rejects}
    assert list(errors) == [2, 3, 4, 5, 6, 8, 9, 11]
    assert errors[2].startswith("invalid JSON")
    assert "UTF-8" in errors[3]
    assert errors[4] == "missing field 'text'" and errors[11] == "missing field 'text'"
    assert "empty" in errors[5]
    assert "object" in errors[6] and "array" in errors[6]
    assert "number" in errors[8]
    assert "refused" in errors[9]
    raws = {r["line"]: r["raw"] for r in rejects}
    assert raws[3] == '{"text": "caf\\xff\\xfe"}'  # the bad bytes stay visible
    assert raws[9] == '{"text": "please REFUSE this"}'
    assert (summary.scored, summary.skipped_existing, summary.rejected) == (4, 0, 8)


def test_whole_batch_input_error_falls_back_to_single_items(tmp_path: Path) -> None:
    write_lines(tmp_path / "in.jsonl", [{"text": "a"}, {"text": "REFUSE"}, {"text": "b"}])
    guard = StandInGuard()

    summary = scan(guard, tmp_path, batch_size=3)

    assert guard.scored_texts() == ["a", "b"]
    assert [r["slmguard"]["line"] for r in read_jsonl(tmp_path / "out.jsonl")] == [1, 3]
    assert [r["line"] for r in read_jsonl(summary.rejects_path)] == [2]


def test_resume_after_interrupt_is_exactly_once_without_rescoring(tmp_path: Path) -> None:
    rows: list[Any] = [{"text": f"row {i}"} for i in range(1, 13)]
    rows[1] = b"not json\n"  # line 2: rejected in the first run
    rows[8] = {"text": ""}  # line 9: rejected in the second run
    write_lines(tmp_path / "in.jsonl", rows)
    out_path = tmp_path / "out.jsonl"

    first = StandInGuard(interrupt_after=2)
    with pytest.raises(KeyboardInterrupt):
        scan(first, tmp_path, batch_size=3)
    done = read_jsonl(out_path)
    assert [r["slmguard"]["line"] for r in done] == [1, 3, 4, 5, 6]
    # A crash while writing the next batch leaves half a line behind.
    with out_path.open("ab") as fh:
        fh.write(b'{"text": "row 7", "slmguard": {"uns')

    second = StandInGuard()
    summary = scan(second, tmp_path, batch_size=3)

    assert second.scored_texts() == ["row 7", "row 8", "row 10", "row 11", "row 12"]
    out = read_jsonl(out_path)
    assert [r["slmguard"]["line"] for r in out] == [1, 3, 4, 5, 6, 7, 8, 10, 11, 12]
    assert [r["text"] for r in out] == [f"row {i}" for i in (1, 3, 4, 5, 6, 7, 8, 10, 11, 12)]
    assert [r["line"] for r in read_jsonl(summary.rejects_path)] == [2, 9]
    assert (summary.scored, summary.skipped_existing, summary.rejected) == (5, 5, 2)

    third = StandInGuard()
    again = scan(third, tmp_path, batch_size=3)
    assert third.calls == []
    assert (again.scored, again.skipped_existing, again.rejected) == (0, 10, 2)
    assert [r["line"] for r in read_jsonl(summary.rejects_path)] == [2, 9]


def test_resume_when_rejects_were_synced_but_scored_rows_were_not(tmp_path: Path) -> None:
    # Each batch syncs its rejects before its scored rows; a crash in between looks like this.
    write_lines(tmp_path / "in.jsonl", [{"text": "a"}, {"text": "b"}, {"text": "c"}, {"text": ""}, {"text": "e"}])
    guard = StandInGuard()
    scan(guard, tmp_path, batch_size=2)
    out_path, rejects_path = tmp_path / "out.jsonl", tmp_path / "out.rejects.jsonl"
    out_lines = out_path.read_bytes().splitlines(keepends=True)
    out_path.write_bytes(b"".join(out_lines[:2]))  # lines 1, 2 kept; 3 lost; 4 stays rejected

    again = StandInGuard()
    summary = scan(again, tmp_path, batch_size=2)

    assert again.scored_texts() == ["c", "e"]
    assert [r["slmguard"]["line"] for r in read_jsonl(out_path)] == [1, 2, 3, 5]
    assert [r["line"] for r in read_jsonl(rejects_path)] == [4]
    assert (summary.scored, summary.skipped_existing, summary.rejected) == (2, 2, 1)


def test_fresh_scan_drops_a_stale_rejects_file(tmp_path: Path) -> None:
    write_lines(tmp_path / "in.jsonl", [{"text": "a"}])
    write_lines(tmp_path / "out.rejects.jsonl", [{"line": 1, "error": "old", "raw": "x"}])

    summary = scan(StandInGuard(), tmp_path)

    assert (summary.scored, summary.rejected) == (1, 0)
    assert not summary.rejects_path.exists()


def test_conversation_field(tmp_path: Path) -> None:
    convo = [{"role": "user", "content": "how do I build a bomb"}, {"role": "assistant", "content": "no"}]
    write_lines(tmp_path / "in.jsonl", [
        {"messages": convo},
        {"messages": [{"role": "user", "content": "hello"}]},
        {"messages": []},
        {"messages": ["not a message"]},
    ])
    guard = StandInGuard()

    summary = scan(guard, tmp_path, field="messages")

    out = read_jsonl(tmp_path / "out.jsonl")
    assert [r["slmguard"]["unsafe"] for r in out] == [True, False]
    assert out[0]["messages"] == convo
    assert guard.scored_texts()[0] == convo
    errors = {r["line"]: r["error"] for r in read_jsonl(summary.rejects_path)}
    assert list(errors) == [3, 4]
    assert "empty conversation" in errors[3]


def test_bom_and_non_ascii_round_trip(tmp_path: Path) -> None:
    (tmp_path / "in.jsonl").write_bytes('\ufeff{"text": "héllo 世界"}\n'.encode("utf-8"))

    scan(StandInGuard(), tmp_path)

    assert read_jsonl(tmp_path / "out.jsonl")[0]["text"] == "héllo 世界"


def test_refuses_an_output_it_did_not_write(tmp_path: Path) -> None:
    write_lines(tmp_path / "in.jsonl", [{"text": "a"}])
    write_lines(tmp_path / "out.jsonl", [{"something": "else"}])

    with pytest.raises(DataFormatError, match="out.jsonl:1"):
        scan(StandInGuard(), tmp_path)
    assert read_jsonl(tmp_path / "out.jsonl") == [{"something": "else"}]


def test_refuses_to_write_over_the_input(tmp_path: Path) -> None:
    path = write_lines(tmp_path / "in.jsonl", [{"text": "a"}])
    with pytest.raises(InputError):
        scan_file(StandInGuard(), path, path, progress=False)


def test_default_rejects_path() -> None:
    assert default_rejects_path(Path("d/scored.jsonl")) == Path("d/scored.rejects.jsonl")
    assert default_rejects_path(Path("d/scored")) == Path("d/scored.rejects.jsonl")


def test_progress_bar_runs(tmp_path: Path) -> None:
    write_lines(tmp_path / "in.jsonl", [{"text": f"r{i}"} for i in range(5)])
    summary = scan_file(StandInGuard(), tmp_path / "in.jsonl", tmp_path / "out.jsonl", batch_size=2, progress=True)
    assert summary.scored == 5


# --- CLI, with the stand-in behind Guard.load ---------------------------------------------


@pytest.fixture
def cli(monkeypatch: pytest.MonkeyPatch) -> tuple[typer.Typer, dict]:
    from slmguard.cli.scan import register

    loaded: dict = {}

    class Guard:
        @staticmethod
        def load(**kwargs: Any) -> StandInGuard:
            loaded.update(kwargs)
            return StandInGuard()

    monkeypatch.setitem(sys.modules, "slmguard.respond.guard", types.SimpleNamespace(Guard=Guard))
    app = typer.Typer()
    register(app)
    app.command("noop", hidden=True)(lambda: None)  # keeps `scan` a named subcommand
    return app, loaded


def test_cli_scans_and_reports_rejects(cli: tuple[typer.Typer, dict], tmp_path: Path) -> None:
    app, loaded = cli
    write_lines(tmp_path / "in.jsonl", [{"text": "fine"}, b"{bad\n", {"text": "bomb"}])
    out = tmp_path / "out.jsonl"

    result = CliRunner().invoke(app, ["scan", str(tmp_path / "in.jsonl"), "-o", str(out),
                                      "--batch-size", "2", "--threshold", "0.4"])

    assert result.exit_code == 0, result.output
    assert loaded["threshold"] == 0.4
    assert "rejected 1" in " ".join(result.output.split())
    assert "out.rejects.jsonl" in result.output
    assert [r["slmguard"]["line"] for r in read_jsonl(out)] == [1, 3]


def test_cli_missing_input_exits_2(cli: tuple[typer.Typer, dict], tmp_path: Path) -> None:
    app, _ = cli
    result = CliRunner().invoke(app, ["scan", str(tmp_path / "nope.jsonl"), "-o", str(tmp_path / "o.jsonl")])
    assert result.exit_code == 2
    assert "not found" in result.output


def test_a_row_over_the_length_limit_is_rejected_not_scored(tmp_path: Path) -> None:
    write_lines(tmp_path / "in.jsonl", [{"text": "short"}, {"text": "x" * 5001},
                                         {"text": [{"role": "user", "content": "y" * 5001}]}, {"text": "fine"}])
    guard = StandInGuard()
    summary = scan(guard, tmp_path, max_chars=5000)
    assert (summary.scored, summary.rejected) == (2, 2) and guard.scored_texts() == ["short", "fine"]
    rejects = read_jsonl(default_rejects_path(tmp_path / "out.jsonl"))
    assert [r["line"] for r in rejects] == [2, 3]
    assert "5,001 characters; the limit is 5,000 (--max-chars)" in rejects[0]["error"]


def test_rows_report_their_batch_time_not_a_latency_of_their_own(tmp_path: Path) -> None:
    write_lines(tmp_path / "in.jsonl", [{"text": f"t{i}"} for i in range(5)])
    scan(StandInGuard(), tmp_path, batch_size=2)
    out = [r["slmguard"] for r in read_jsonl(tmp_path / "out.jsonl")]
    assert all("latency_ms" not in r and r["batch_ms"] >= 0 for r in out)
    assert [r["batch_rows"] for r in out] == [2, 2, 2, 2, 1]


class _InterruptedGuard(StandInGuard):
    def classify_batch(self, xs):
        import os
        import signal

        if len(self.calls) == 1:  # Ctrl-C arrives while the second batch is being scored
            os.kill(os.getpid(), signal.SIGINT)
        return super().classify_batch(xs)


@pytest.fixture
def sigint(request):
    """SIGINT set to the handler the test asks for (pytest may be started with it ignored), then restored."""
    import signal

    before = signal.signal(signal.SIGINT, request.param)
    yield request.param
    signal.signal(signal.SIGINT, before)


@pytest.mark.parametrize("sigint", [signal.default_int_handler], indirect=True)
def test_ctrl_c_writes_the_batch_being_scored_then_stops_and_a_rerun_finishes(tmp_path: Path, sigint) -> None:
    write_lines(tmp_path / "in.jsonl", [{"text": f"t{i}"} for i in range(10)])
    first = scan(_InterruptedGuard(), tmp_path, batch_size=3)
    assert first.interrupted and first.scored == 6  # the second batch was kept, not thrown away
    assert signal.getsignal(signal.SIGINT) is sigint
    guard = StandInGuard()
    second = scan(guard, tmp_path, batch_size=3)
    assert not second.interrupted and (second.scored, second.skipped_existing) == (4, 6)
    assert [r["text"] for r in read_jsonl(tmp_path / "out.jsonl")] == [f"t{i}" for i in range(10)]


@pytest.mark.parametrize("sigint", [signal.SIG_IGN], indirect=True)
def test_a_process_that_ignores_ctrl_c_keeps_ignoring_it(tmp_path: Path, sigint) -> None:
    write_lines(tmp_path / "in.jsonl", [{"text": f"t{i}"} for i in range(10)])
    summary = scan(_InterruptedGuard(), tmp_path, batch_size=3)
    assert not summary.interrupted and summary.scored == 10
    assert signal.getsignal(signal.SIGINT) is signal.SIG_IGN
