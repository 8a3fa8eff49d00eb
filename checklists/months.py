"""Calendar months in ward time, as the quality figures count them: the first day of a month,
months added, the months of a period, and a month's bounds as aware datetimes."""

from datetime import date, datetime, time

from django.utils import timezone


def add_months(day: date, months: int) -> date:
    """The first day of the month ``months`` after the month of ``day`` (before, if negative)."""
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def months_between(start: date, end: date) -> int:
    return (end.year - start.year) * 12 + end.month - start.month


def month_starts(start: date, end: date) -> list[date]:
    """The first day of each month from ``start`` up to (not including) ``end``."""
    return [add_months(start, n) for n in range(months_between(start, end))]


def day_start(day: date) -> datetime:
    """Midnight at the start of ``day`` in ward time, aware."""
    return timezone.make_aware(datetime.combine(day, time.min))
