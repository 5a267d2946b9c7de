"""The data set registry: name, files, loader, role, license and taxonomy mapping."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable, Iterator

from slmguard.core.errors import DataFormatError, RoleError
from slmguard.core.registry import Registry
from slmguard.core.types import Example, Role
from slmguard.data.readers import ReadReport

# A loader turns the set's folder into Examples, reporting bad rows into the ReadReport.
Loader = Callable[[Path, ReadReport, bool], Iterator[Example]]


@dataclass(frozen=True)
class DatasetSpec:
    name: str
    folder: str
    files: tuple[str, ...]
    role: Role
    license: str
    description: str
    loader: Loader = field(repr=False)
    mapping: str | None = None  # key of the taxonomy mapping table for its category column


@dataclass
class LoadResult:
    spec: DatasetSpec
    examples: list[Example]
    reports: list[ReadReport]

    @property
    def skipped(self) -> list[DataFormatError]:
        return [e for r in self.reports for e in r.skipped]


DATASETS: Registry[DatasetSpec] = Registry("data set")


def dataset(name: str, *, folder: str, files: Iterable[str], role: Role, license: str, description: str,
            mapping: str | None = None) -> Callable[[Loader], Loader]:
    """Register the decorated loader as data set `name`."""

    def decorator(loader: Loader) -> Loader:
        DATASETS.add(name, DatasetSpec(name, folder, tuple(files), role, license, description, loader, mapping))
        return loader

    return decorator


def load(name: str, data_dir: Path, *, lenient: bool = False, purpose: str = "evaluation") -> LoadResult:
    """Load a registered set. `purpose='training'` refuses evaluation sets."""
    spec = DATASETS.get(name)
    if purpose == "training" and spec.role is Role.EVALUATION:
        raise RoleError(f"'{name}' is an evaluation set and may not be used for training")
    folder = Path(data_dir) / spec.folder
    for f in spec.files:
        if not (folder / f).is_file():
            raise FileNotFoundError(f"data set '{name}': missing file {folder / f}")
    report = ReadReport(path=str(folder))
    examples = list(spec.loader(folder, report, lenient))
    return LoadResult(spec, examples, [report])


def names(role: Role | None = None) -> list[str]:
    return [n for n, s in DATASETS.items() if role is None or s.role is role]
