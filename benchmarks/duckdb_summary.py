"""The benchmark's yardstick: DfE's per-pupil figures from a marks CSV, as one DuckDB query.

Hand-written, as an analyst would: the England 2024 code categories spelt out, counts per
pupil with ``FILTER``, rates and the persistent and severe absence flags in SQL, printed as
JSON like ``attendance-core summary --format json``. Run as a subprocess by
``bench_summary.py`` so that it pays interpreter start-up and imports just as the CLI does.

Usage: ``python benchmarks/duckdb_summary.py FILE.csv``
"""

from __future__ import annotations

import json
import sys

import duckdb

QUERY = r"""
WITH counts AS (
    SELECT
        pupil_id,
        count(*) FILTER (WHERE code IN ('/', '\', 'L')) AS present_sessions,
        count(*) FILTER (WHERE code IN ('K', 'V', 'P', 'W', 'B')) AS approved_educational_activity,
        count(*) FILTER (
            WHERE code IN ('C1', 'M', 'J1', 'S', 'C2', 'C', 'T', 'R', 'I', 'E')
        ) AS authorised_absence,
        count(*) FILTER (WHERE code IN ('G', 'N', 'O', 'U')) AS unauthorised_absence,
        count(*) FILTER (WHERE code IN ('L', 'U')) AS late_sessions,
        histogram(code) AS sessions_by_code
    FROM read_csv(?, header = true, all_varchar = true)
    GROUP BY pupil_id
),
totals AS (
    SELECT
        *,
        present_sessions + approved_educational_activity AS overall_attendance,
        authorised_absence + unauthorised_absence AS overall_absence,
        present_sessions + approved_educational_activity
            + authorised_absence + unauthorised_absence AS possible_sessions
    FROM counts
)
SELECT
    pupil_id,
    possible_sessions,
    present_sessions,
    approved_educational_activity,
    overall_attendance,
    authorised_absence,
    unauthorised_absence,
    overall_absence,
    late_sessions,
    sessions_by_code,
    overall_attendance / nullif(possible_sessions, 0) AS attendance_rate,
    overall_absence / nullif(possible_sessions, 0) AS overall_absence_rate,
    authorised_absence / nullif(possible_sessions, 0) AS authorised_absence_rate,
    unauthorised_absence / nullif(possible_sessions, 0) AS unauthorised_absence_rate,
    possible_sessions > 0 AND overall_absence * 100 >= possible_sessions * 10
        AS persistent_absence,
    possible_sessions > 0 AND overall_absence * 100 >= possible_sessions * 50
        AS severe_absence
FROM totals
ORDER BY pupil_id
"""


def main(path: str) -> None:
    cursor = duckdb.connect().execute(QUERY, [path])
    names = [column[0] for column in cursor.description or ()]
    pupils = [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
    sys.stdout.write(json.dumps({"pupils": pupils}) + "\n")


if __name__ == "__main__":
    main(sys.argv[1])
