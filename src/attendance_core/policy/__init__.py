"""Policies: every threshold, code list and method choice, with national defaults."""

from attendance_core.policy._model import Band, Policy

__all__ = ["Band", "Policy"]
