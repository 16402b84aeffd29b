"""Arbitrary data shaped like parsed TOML, for properties of the checked loaders."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from hypothesis import strategies as st

__all__ = ["toml_like"]


def toml_like(
    keys: Sequence[str], leaves: st.SearchStrategy[Any]
) -> st.SearchStrategy[dict[str, Any]]:
    """Tables of the loader's own ``keys`` holding ``leaves``, arrays and tables, nested a few
    levels: mostly wrong, sometimes nearly right, which is where a loader's checks are thin."""
    names = st.sampled_from(tuple(keys))
    values = st.recursive(
        leaves,
        lambda inner: st.lists(inner, max_size=3) | st.dictionaries(names, inner, max_size=4),
        max_leaves=15,
    )
    return st.dictionaries(names, values, max_size=6)
