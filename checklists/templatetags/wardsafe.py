"""``{% record_token %}``: the hidden token of one rendered record form (``{% token_value %}``: the
bare value); ``|staff_name``: a colleague, family name first.

Each call gives a new UUID, so each form on a page, and each re-rendered row, has its own; the
services make one record per token (``services.item_record``), so a double tap or a retry after
a lost response does not record twice."""

from uuid import uuid4

from django import template
from django.utils.html import format_html

from checklists import names

register = template.Library()


@register.simple_tag
def record_token() -> str:
    return format_html('<input type="hidden" name="token" value="{}">', uuid4())


@register.simple_tag
def token_value() -> str:
    """A fresh token for a form that carries it in its address (one button of the round)."""
    return str(uuid4())


@register.filter
def staff_name(user) -> str:
    """Family name first: 「看護 花子」."""
    return names.staff_name(user)
