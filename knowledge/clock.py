"""The one place that knows what day it is.

Deadline answers depend on today's date; tests and demos pin it with KCN_TODAY=YYYY-MM-DD.
"""
import datetime
import os

TODAY_ENV = "KCN_TODAY"


def today() -> datetime.date:
    override = os.environ.get(TODAY_ENV, "").strip()
    if override:
        try:
            return datetime.date.fromisoformat(override)
        except ValueError:
            raise ValueError(f"{TODAY_ENV} must be a date like 2024-02-15, not {override!r}") from None
    return datetime.date.today()
