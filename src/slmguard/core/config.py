"""Settings resolved once (defaults, environment, CLI flags) into a frozen object."""

from __future__ import annotations

import os
from dataclasses import dataclass, replace
from pathlib import Path

DATA_DIR_ENV = "SLMGUARD_DATA_DIR"
CACHE_DIR_ENV = "SLMGUARD_CACHE_DIR"


def _default_data_dir() -> Path | None:
    # The project's public sets live beside the checkout; users elsewhere set the env/flag.
    candidates = [Path.cwd() / ".." / "shared" / "data", Path(__file__).resolve().parents[4] / "shared" / "data"]
    for c in candidates:
        if c.is_dir():
            return c.resolve()
    return None


@dataclass(frozen=True)
class Settings:
    data_dir: Path | None
    cache_dir: Path

    @classmethod
    def resolve(cls, data_dir: str | Path | None = None, cache_dir: str | Path | None = None) -> "Settings":
        env_data = os.environ.get(DATA_DIR_ENV)
        chosen = Path(data_dir) if data_dir else Path(env_data) if env_data else _default_data_dir()
        env_cache = os.environ.get(CACHE_DIR_ENV)
        cache = Path(cache_dir) if cache_dir else Path(env_cache) if env_cache else Path.home() / ".cache" / "slmguard"
        return cls(data_dir=chosen.resolve() if chosen else None, cache_dir=cache)

    def require_data_dir(self) -> Path:
        if self.data_dir is None or not self.data_dir.is_dir():
            raise FileNotFoundError(
                f"no data folder: set {DATA_DIR_ENV} or pass --data-dir (looked for ../shared/data)"
            )
        return self.data_dir

    def with_data_dir(self, data_dir: str | Path | None) -> "Settings":
        return self if data_dir is None else replace(self, data_dir=Path(data_dir).resolve())
