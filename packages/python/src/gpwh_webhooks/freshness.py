"""The replay window: a validly signed body whose `time` is old may be a
capture sent again. Times are read as gpwh's Rust core reads them (RFC 3339
as its section 5.6 writes it) and compared in whole nanoseconds, so that a
body one nanosecond past the window is refused in every language."""

import re
import time as _time
from datetime import datetime, timedelta, timezone
from functools import lru_cache
from typing import Optional, Union

# A clock a little ahead of ours is not an attack.
CLOCK_SKEW_NS = 60 * 10**9
NS = 10**9

# YYYY-MM-DDTHH:MM:SS, an optional fraction of 1 to 9 digits, then Z or
# +hh:mm/-hh:mm (T and Z in either case). No space for T, no comma, no
# offset without its colon, no leap second, no bracketed zone: jiff, which
# gpwh reads times with, takes those, and gpwh refuses them before it does.
_TIME = re.compile(
    r"([0-9]{4}-[0-9]{2}-[0-9]{2})[Tt]([0-9]{2}):([0-9]{2}):([0-9]{2})(?:\.([0-9]{1,9}))?"
    r"(?:[Zz]|([+-])([0-9]{2}):([0-9]{2}))\Z"
)
# The form GamePush writes (2024-04-26T11:34:23.415923998Z), read first.
_COMMON = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(?:\.[0-9]{1,9})?Z\Z")
_HOURS = {f"{n:02d}": n for n in range(24)}
_SIXTY = {f"{n:02d}": n for n in range(60)}
_DAYS_IN_MONTH = (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)
_EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)
_MICROSECOND = timedelta(microseconds=1)

Clock = Union[datetime, float, int, None]
Window = Union[timedelta, float, int, None]


def parse_time_ns(text: str) -> Optional[int]:
    """Nanoseconds since the Unix epoch of an RFC 3339 time, or None when
    it is not one."""
    if _COMMON.match(text) is not None:
        days = _days_of(text[:10])
        hours = _HOURS.get(text[11:13])
        minutes = _SIXTY.get(text[14:16])
        seconds = _SIXTY.get(text[17:19])
        if days is None or hours is None or minutes is None or seconds is None:
            return None
        fraction = text[20:-1]
        whole = days * 86400 + hours * 3600 + minutes * 60 + seconds
        return whole * NS + (int(fraction.ljust(9, "0")) if fraction else 0)
    match = _TIME.match(text)
    if match is None:
        return None
    date, hour, minute, second, fraction, sign, offset_hours, offset_minutes = match.groups()
    days = _days_of(date)
    if days is None or hour > "23" or minute > "59" or second > "59":
        return None
    offset = 0
    if sign:
        if offset_hours > "23" or offset_minutes > "59":
            return None
        offset = (int(offset_hours) * 3600 + int(offset_minutes) * 60) * (-1 if sign == "-" else 1)
    whole = days * 86400 + int(hour) * 3600 + int(minute) * 60 + int(second) - offset
    return whole * NS + (int(fraction.ljust(9, "0")) if fraction else 0)


@lru_cache(maxsize=64)
def _days_of(date: str) -> Optional[int]:
    """Days since 1970-01-01 of a YYYY-MM-DD date, or None when there is no
    such day (bodies of one day share it: kept for the next)."""
    year, month, day = int(date[:4]), int(date[5:7]), int(date[8:])
    leap = month == 2 and year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)
    if not 1 <= month <= 12 or not 1 <= day <= _DAYS_IN_MONTH[month - 1] + leap:
        return None
    return _days_from_civil(year, month, day)


def _days_from_civil(year: int, month: int, day: int) -> int:
    """Days from 1970-01-01 to a date of the proleptic Gregorian calendar."""
    year -= month <= 2
    era = year // 400
    year_of_era = year - era * 400
    day_of_year = (153 * (month + (-3 if month > 2 else 9)) + 2) // 5 + day - 1
    day_of_era = year_of_era * 365 + year_of_era // 4 - year_of_era // 100 + day_of_year
    return era * 146097 + day_of_era - 719468


def now_ns(now: Clock) -> int:
    """`now` (an aware datetime, or seconds since the epoch; None: the
    system clock) in nanoseconds since the epoch."""
    if now is None:
        return _time.time_ns()
    if isinstance(now, datetime):
        if now.utcoffset() is None:
            raise ValueError("now is a naive datetime: give one with a timezone, "
                             "such as datetime.now(timezone.utc)")
        return (now - _EPOCH) // _MICROSECOND * 1000
    if isinstance(now, bool) or not isinstance(now, (int, float)):
        raise TypeError(f"now must be a datetime or seconds since the epoch, not {type(now).__name__}")
    return now * NS if isinstance(now, int) else round(now * NS)


def window_ns(max_age: Window) -> Optional[int]:
    """`max_age` (a timedelta, or seconds; None: no window) in nanoseconds."""
    if max_age is None:
        return None
    if type(max_age) is int and max_age >= 0:
        return max_age * NS
    if isinstance(max_age, timedelta):
        ns = (max_age.days * 86400 + max_age.seconds) * NS + max_age.microseconds * 1000
    elif isinstance(max_age, bool) or not isinstance(max_age, (int, float)):
        raise TypeError(f"max_age must be seconds, a timedelta or None, not {type(max_age).__name__}")
    elif isinstance(max_age, float) and max_age != max_age or max_age in (float("inf"), float("-inf")):
        raise ValueError("max_age must be a finite number of seconds (None: no window)")
    else:
        ns = max_age * NS if isinstance(max_age, int) else round(max_age * NS)
    if ns < 0:
        raise ValueError("max_age must not be negative")
    return ns
