"""``{% record_token %}``: the hidden token of one rendered record form; ``summary_for``: a
stay's assessment summary out of ``selectors.assessment_summaries`` (by admission pk), for the
board's assessment chips; ``|staff_name``: a member of staff, family name first.

Each call gives a new UUID, so each form on a page, and each re-rendered row, has its own; the
services make one record per token (``services.item_record``), so a double tap or a retry after
a lost response does not record twice."""

from uuid import uuid4

from django import template
from django.utils.html import format_html

register = template.Library()


@register.simple_tag
def record_token() -> str:
    return format_html('<input type="hidden" name="token" value="{}">', uuid4())


@register.filter
def summary_for(summaries: dict, admission_pk):
    """``summaries|summary_for:admission.pk``: that stay's summary, or None."""
    return summaries.get(admission_pk) if summaries else None


@register.filter
def staff_name(user) -> str:
    """A member of staff as Japanese wards write it: family name first (「看護 花子」), else the
    username."""
    if user is None:
        return ""
    full = f"{user.last_name} {user.first_name}".strip()
    return full or user.get_username()
