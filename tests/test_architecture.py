"""The package layout's rules, checked on the source: dependencies point one way (the layers in
pyproject.toml's [tool.importlinter], from cli down to core), and the server imports no training,
alignment, attack or evaluation code, lazily or not."""

from __future__ import annotations

import os
from pathlib import Path

from importlinter.cli import lint_imports

ROOT = Path(__file__).resolve().parents[1]


def test_import_contracts_are_kept(capsys):
    cwd = os.getcwd()
    os.chdir(ROOT)  # the contracts live in the repository's pyproject.toml
    try:
        code = lint_imports(no_cache=True, no_logo=True)
    finally:
        os.chdir(cwd)
    assert code == 0, capsys.readouterr().out
