"""pytest fixtures for plugin authors: a fresh plugin manager with your plugin registered.

Enable it in your ``conftest.py`` (it is deliberately not registered through an entry point, so
installing attendance_core never changes anyone else's test run)::

    pytest_plugins = ["attendance_core.testing.pytest_plugin"]

Then say which plugins a test gets, either for every test by overriding the
``attendance_plugins`` fixture in your ``conftest.py``::

    @pytest.fixture
    def attendance_plugins():
        return [my_plugin]

or for one test (or module, with ``pytestmark``) with the marker
``@pytest.mark.attendance_plugins(my_plugin)``. A marker wins over the default fixture but not
over an override; an override that wants the marker too can read it from ``request``.
"""

from __future__ import annotations

from collections.abc import Sequence

import pluggy
import pytest

from attendance_core.plugins import AUTOLOAD_ENV, make_plugin_manager

__all__ = ["attendance_plugin_manager", "attendance_plugins", "pytest_configure"]

MARKER = "attendance_plugins"


def pytest_configure(config: pytest.Config) -> None:
    """Declare the marker, so that ``--strict-markers`` accepts it."""
    config.addinivalue_line(
        "markers",
        f"{MARKER}(*plugins): plugins that the attendance_plugin_manager fixture registers",
    )


@pytest.fixture
def attendance_plugins(request: pytest.FixtureRequest) -> Sequence[object]:
    """The plugins under test: the ``attendance_plugins`` marker's arguments, else none.

    Override this fixture in your ``conftest.py`` to register your plugin in every test.
    """
    marker = request.node.get_closest_marker(MARKER)
    return tuple(marker.args) if marker is not None else ()


@pytest.fixture
def attendance_plugin_manager(
    attendance_plugins: Sequence[object], monkeypatch: pytest.MonkeyPatch
) -> pluggy.PluginManager:
    """A fresh manager: the built-in plugin plus ``attendance_plugins``, and nothing installed.

    Entry-point loading is off for this manager, and ``ATTENDANCE_CORE_DISABLE_PLUGIN_AUTOLOAD``
    is set for the test, so that no other installed plugin (and no manager the library builds
    itself) changes what the test sees. A misspelt hook fails the test with a ``PluginError``.
    """
    monkeypatch.setenv(AUTOLOAD_ENV, "1")
    return make_plugin_manager(load_entrypoints=False, plugins=attendance_plugins)
