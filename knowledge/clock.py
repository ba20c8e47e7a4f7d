"""The one place that knows what day it is.

Deadline answers depend on today's date; tests and demos pin it with KCN_TODAY=YYYY-MM-DD
(knowledge/settings.py checks the value).
"""
import datetime

from knowledge import settings


def today() -> datetime.date:
    return settings.today_override() or datetime.date.today()
