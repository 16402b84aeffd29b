"""Policies: every threshold, code list and method choice, with national defaults.

Read one with :meth:`Policy.from_toml`; plugins declare their own keys (:class:`PolicyKey`)
through the ``attendance_core_policy_keys`` hook.
"""

from attendance_core.policy._keys import DeclaredKey, PolicyKey, declared_keys
from attendance_core.policy._model import Band, Policy
from attendance_core.policy._resolve import CodeMapping, CodeResolver, code_resolver

__all__ = [
    "Band",
    "CodeMapping",
    "CodeResolver",
    "DeclaredKey",
    "Policy",
    "PolicyKey",
    "code_resolver",
    "declared_keys",
]
