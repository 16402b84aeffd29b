"""One resolver for local and vendor codes: the policy's mapping, then plugins, then the law.

Schools' MIS registers carry sub-codes (``I01``, ``X03``) that roll up to statutory codes. The
policy file's ``[codes] local_codes`` is asked first (the school's own, most specific word),
then each plugin implementing ``attendance_core_map_code`` in pluggy's call order, then the
built-in lookup of statutory codes. The resolver records who decided each non-statutory code,
so a summary or report can say "I01 was read as I, decided by plugin mis-subcodes".
"""

from __future__ import annotations

from collections.abc import Mapping

import attrs
import pluggy

from attendance_core.codes import AttendanceCode, CodeSet
from attendance_core.exceptions import InputError
from attendance_core.plugins import BUILTIN, decide_code
from attendance_core.policy import Policy

__all__ = ["CodeMapping", "CodeResolver", "code_resolver"]


@attrs.frozen
class CodeMapping:
    """How one written code was read: the statutory code, in which code set, decided by whom."""

    written: str
    code: str
    code_set: str
    decided_by: str
    """``"policy"`` (or ``"policy <file>"``) for ``local_codes``, else the plugin's name."""


class CodeResolver:
    """``resolve(code, code_set) -> AttendanceCode`` for ``read_marks_csv(..., resolve=...)``.

    Each distinct ``(code, code set)`` is decided once and remembered, so a whole register
    costs one decision per distinct code. Build one with :func:`code_resolver`.
    """

    def __init__(
        self,
        local_codes: Mapping[str, str],
        manager: pluggy.PluginManager,
        policy_name: str = "policy",
    ) -> None:
        self._local = dict(local_codes)
        self._manager = manager
        self._policy_name = policy_name
        self._decided: dict[tuple[str, str], tuple[AttendanceCode, str]] = {}

    def __call__(self, code: str, code_set: CodeSet) -> AttendanceCode:
        """The statutory code ``code`` stands for on a mark read with ``code_set``.

        Raises:
            UnknownCodeError: nobody maps the code (with the nearest valid codes).
            InputError: the policy maps it onto a code not in ``code_set``.
            PluginError: a plugin maps it onto a code not in ``code_set``.
        """
        written = code.strip()
        key = (written, code_set.id)
        found = self._decided.get(key)
        if found is None:
            found = self._decide(written, code_set)
            self._decided[key] = found
        return found[0]

    def _decide(self, written: str, code_set: CodeSet) -> tuple[AttendanceCode, str]:
        if written in self._local:
            target = self._local[written]
            if target not in code_set:
                raise InputError(
                    f"the policy maps {written!r} onto {target!r}, which is not in {code_set.id!r}",
                    file=self._policy_name,
                    field="codes.local_codes",
                    value=written,
                )
            return code_set[target], self._policy_name
        return decide_code(self._manager, written, code_set)

    @property
    def mappings(self) -> tuple[CodeMapping, ...]:
        """Every code decided so far by the policy or a plugin (statutory codes left out)."""
        return tuple(
            CodeMapping(written, code.code, set_id, by)
            for (written, set_id), (code, by) in self._decided.items()
            if by != BUILTIN
        )

    def provenance(self) -> dict[str, tuple[str, str]]:
        """Written code to ``(statutory code, decided_by)`` for every non-statutory code."""
        return {m.written: (m.code, m.decided_by) for m in self.mappings}


def code_resolver(policy: Policy, plugin_manager: pluggy.PluginManager) -> CodeResolver:
    """The resolver for ``policy``'s local codes and the plugins of ``plugin_manager``."""
    name = f"policy {policy.source}" if policy.source else "policy"
    return CodeResolver(policy.codes.local_codes, plugin_manager, name)
