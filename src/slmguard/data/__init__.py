"""Data set registry and loaders into one Example schema."""

from slmguard.data import sets as _sets  # noqa: F401  (registers every data set)
from slmguard.data.registry import DATASETS, DatasetSpec, LoadResult, load, names

__all__ = ["DATASETS", "DatasetSpec", "LoadResult", "load", "names"]
