"""Figures by group of pupils: year group, form, a flag, or several at once.

A group's figures pool its enrolments the way DfE pools a school (DfE, "Pupil absence in schools
in England" methodology): sessions are summed, never percentages averaged, and the persistent
and severe absence rates are per enrolment within the group, each enrolment flagged on its own
sessions. A pupil without a value for a grouping attribute falls in the group where it is
``None``, so every enrolment is in exactly one group.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import attrs

from attendance_core.exceptions import InputError
from attendance_core.rules.statistics import AttendanceSummary

__all__ = ["GroupSummary", "group_key", "group_summaries", "value_order"]


@attrs.frozen
class GroupSummary:
    """One group's pupils and their pooled figures."""

    group: Mapping[str, str | None]
    """The attribute values that define the group, by attribute name."""
    pupils: tuple[str, ...]
    total: AttendanceSummary


def value_order(value: str | None) -> tuple[int, int, str]:
    """Groups sort as schools list them: nursery and reception before year 1, numbers by value,
    then text, and a missing value last."""
    if value is None:
        return (3, 0, "")
    early = {"N1": -3, "N2": -2, "R": -1}
    if value in early:
        return (0, early[value], value)
    if value.isdigit():
        return (1, int(value), value)
    return (2, 0, value)


def group_key(by: Sequence[str], attributes: Mapping[str, str]) -> tuple[str | None, ...]:
    """The values of the ``by`` attributes for one pupil (``None`` where it has none)."""
    return tuple(attributes.get(name) or None for name in by)


def group_summaries(
    summaries: Mapping[str, AttendanceSummary],
    pupils: Mapping[str, Mapping[str, str]],
    by: Sequence[str],
) -> list[GroupSummary]:
    """Each group of the enrolments in ``summaries`` by the attributes ``by``, pooled, in
    school order (see :func:`value_order`).

    Raises :class:`InputError` when ``by`` is empty or repeats a name, or when no pupil has an
    attribute named there (a misspelt attribute would otherwise put everyone in one group).
    """
    if not by or len(set(by)) != len(by):
        raise InputError("no or repeated grouping", field="--by", value=",".join(by))
    known = {name for attributes in pupils.values() for name in attributes}
    for name in by:
        if name not in known:
            raise InputError(
                "no pupil has this attribute",
                field="--by",
                value=name,
                expected="an attribute of the pupils file: " + (", ".join(sorted(known)) or "none"),
            )
    members: dict[tuple[str | None, ...], list[str]] = {}
    for pupil_id in summaries:
        members.setdefault(group_key(by, pupils.get(pupil_id, {})), []).append(pupil_id)
    groups = []
    for key in sorted(members, key=lambda k: tuple(value_order(v) for v in k)):
        ids = members[key]
        pooled = AttendanceSummary.pool(summaries[p] for p in ids)
        groups.append(GroupSummary(dict(zip(by, key, strict=True)), tuple(ids), pooled))
    return groups
