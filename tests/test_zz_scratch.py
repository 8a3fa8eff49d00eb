import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from checklists import services
pytestmark = pytest.mark.django_db

def test_dump(nurse, fall_checklist, frozen_clock):
    items = list(fall_checklist.version.items.order_by("position"))
    with CaptureQueriesContext(connection) as q:
        services.rest_record_done(entries=[(fall_checklist, items[0], 0)], by=nurse)
    for i, x in enumerate(q.captured_queries):
        print(i, x["sql"][:300])
