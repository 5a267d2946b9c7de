from typer.testing import CliRunner

from slmguard.cli.main import app


def test_align_refuses_bad_weights_and_compare_folders_with_a_clear_error(tmp_path):
    runner = CliRunner()
    out = runner.invoke(app, ["align", "--weights", "1,two", "--run-dir", str(tmp_path / "run")])
    assert out.exit_code == 2 and "--weights" in out.output
    out = runner.invoke(app, ["align", "--weights", "1,0,1", "--run-dir", str(tmp_path / "run")])
    assert out.exit_code == 2 and "2 numbers" in out.output
    out = runner.invoke(app, ["align", "--compare", str(tmp_path), "--run-dir", str(tmp_path / "run")])
    # The message wraps at the terminal's width, and where depends on the temporary path's length.
    assert out.exit_code == 2 and "not an alignment run folder" in " ".join(out.output.split())
    assert not (tmp_path / "run").exists()


def test_align_help_lists_the_loop_settings():
    out = CliRunner().invoke(app, ["align", "--help"])
    assert out.exit_code == 0
    for option in ("--rounds", "--samples", "--weights", "--budget", "--model", "--compare"):
        assert option in out.output
