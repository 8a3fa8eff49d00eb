"""``{% record_token %}``: the hidden token of one rendered record form.

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
