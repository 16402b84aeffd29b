"""Policies: every threshold, code list and method choice, with national defaults.

Read a policy that names no plugins with :meth:`Policy.from_toml`; one that turns plugins on
with :func:`attendance_core.load_policy`, which loads them and checks the keys they declare
(:class:`PolicyKey`).
"""

from attendance_core.policy._keys import DeclaredKey, PolicyKey
from attendance_core.policy._model import Band
from attendance_core.policy._policy import Policy

__all__ = ["Band", "DeclaredKey", "Policy", "PolicyKey"]
