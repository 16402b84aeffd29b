"""Shared test set-up: no installed plugin may change a core test's answer."""

from __future__ import annotations

import pytest

from attendance_core.plugins import AUTOLOAD_ENV


@pytest.fixture(autouse=True)
def _no_entrypoint_plugins(monkeypatch: pytest.MonkeyPatch) -> None:
    """Core tests see only the built-in plugin; plugin tests delete this variable themselves."""
    monkeypatch.setenv(AUTOLOAD_ENV, "1")
