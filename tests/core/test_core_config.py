"""Settings: explicit argument, then environment, then the default folder."""

from pathlib import Path

import pytest

from slmguard.core.config import CACHE_DIR_ENV, DATA_DIR_ENV, Settings


@pytest.fixture
def clean_env(monkeypatch):
    monkeypatch.delenv(DATA_DIR_ENV, raising=False)
    monkeypatch.delenv(CACHE_DIR_ENV, raising=False)
    return monkeypatch


def test_environment_variable_sets_the_data_dir(clean_env, tmp_path):
    clean_env.setenv(DATA_DIR_ENV, str(tmp_path / "from_env"))
    assert Settings.resolve().data_dir == (tmp_path / "from_env").resolve()


def test_explicit_argument_beats_the_environment(clean_env, tmp_path):
    clean_env.setenv(DATA_DIR_ENV, str(tmp_path / "from_env"))
    settings = Settings.resolve(data_dir=tmp_path / "explicit")
    assert settings.data_dir == (tmp_path / "explicit").resolve()
    assert Settings.resolve(data_dir=str(tmp_path / "as_text")).data_dir == (tmp_path / "as_text").resolve()


def test_data_dir_is_absolute(clean_env, tmp_path):
    clean_env.chdir(tmp_path)
    assert Settings.resolve(data_dir="relative").data_dir == tmp_path.resolve() / "relative"


def test_cache_dir_environment_and_argument(clean_env, tmp_path):
    assert Settings.resolve().cache_dir == Path.home() / ".cache" / "slmguard"
    clean_env.setenv(CACHE_DIR_ENV, str(tmp_path / "cache_env"))
    assert Settings.resolve().cache_dir == tmp_path / "cache_env"
    assert Settings.resolve(cache_dir=tmp_path / "cache_arg").cache_dir == tmp_path / "cache_arg"


def test_with_data_dir_and_require_data_dir(clean_env, tmp_path):
    settings = Settings(data_dir=None, cache_dir=tmp_path)
    with pytest.raises(FileNotFoundError, match=DATA_DIR_ENV):
        settings.require_data_dir()
    assert settings.with_data_dir(None) is settings
    moved = settings.with_data_dir(tmp_path)
    assert moved.require_data_dir() == tmp_path.resolve()
    assert settings.data_dir is None  # frozen: the original is unchanged
    with pytest.raises(FileNotFoundError):
        settings.with_data_dir(tmp_path / "missing").require_data_dir()


def test_settings_are_frozen(tmp_path):
    settings = Settings(data_dir=tmp_path, cache_dir=tmp_path)
    with pytest.raises(AttributeError):
        settings.data_dir = None
