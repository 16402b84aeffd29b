"""Policies: every threshold, code list and method choice, with national defaults.

Read one with :meth:`Policy.from_toml`; plugins declare their own keys (:class:`PolicyKey`)
through the ``attendance_core_policy_keys`` hook.
"""

from attendance_core.policy._keys import DeclaredKey, PolicyKey, declared_keys
from attendance_core.policy._model import Band, Policy

__all__ = ["Band", "DeclaredKey", "Policy", "PolicyKey", "declared_keys"]
