"""Who may open the checklist editor: checklist admins and superusers. A nurse's post to any
editor page, with plausible fields, is refused and changes nothing. (Every role's answer on
every editor URL, leaders and anonymous users included, is in the access matrix:
test_access_matrix.py.)"""

import pytest
from django.contrib.auth import get_user_model
from django.urls import URLResolver, reverse

from checklists import services
from checklists.models import AuditEvent, ChecklistTemplate, RiskFactor, Scale, ScaleQuestion, ShiftPattern
from checklists.urls import urlpatterns

pytestmark = pytest.mark.django_db


def _routes(patterns, prefix=""):
    """(full route, name, view) of every pattern, through the include()s."""
    for pattern in patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            yield from _routes(pattern.url_patterns, route)
        else:
            yield route, pattern.name, pattern.callback


# URL name → route of every view of the editor's modules (checklists/views/editor_*.py).
EDITOR_ROUTES = {
    name: route for route, name, view in _routes(urlpatterns) if view.__module__.startswith("checklists.views.editor_")
}


@pytest.fixture
def editor_urls(content, checklist_admin, ward):
    """Every editor URL, with real objects behind the ones that take a pk."""
    fall = ChecklistTemplate.objects.get(code="fall")
    draft = services.template_draft_create(template=fall, by=checklist_admin)
    pks = {
        "editor/templates/": fall.pk,
        "editor/versions/": draft.pk,
        "editor/items/": draft.items.first().pk,
        "editor/risk-factors/": RiskFactor.objects.first().pk,
        "editor/shifts/": ShiftPattern.objects.first().pk,
        "editor/wards/": ward.pk,
        "editor/scales/": Scale.objects.get(code="morse-fall-scale").pk,
    }
    question = ScaleQuestion.objects.filter(version__scale__code="morse-fall-scale").first()
    found = {}
    for name, route in EDITOR_ROUTES.items():
        args = [pk for prefix, pk in pks.items() if route.startswith(prefix)] if "<int:pk>" in route else []
        args = args[:1] + ([ward.pk] if "<int:ward_pk>" in route else [])  # a ward's setting of a scale
        args += [question.pk] if "<int:question_pk>" in route else []  # a question of the scale
        found[name] = reverse(f"checklists:{name}", args=args)
    return found


def test_the_editor_has_the_pages_the_issue_asks_for():
    names = set(EDITOR_ROUTES)
    assert {
        "template_list",
        "template_create",
        "template_detail",
        "template_draft_create",
        "template_triggers",
        "item_add",
        "item_edit",
        "item_remove",
        "item_move",
        "version_publish",
        "template_diff",
        "template_patients",
        "version_preview",
        "template_history",
        "template_export",
        "template_import",
        "risk_factor_list",
        "shift_list",
        "shift_pattern_create",
        "shift_pattern_change",
        "ward_shift_pattern_set",
    } <= names
    assert all(route.startswith("editor/") for route in EDITOR_ROUTES.values())


def test_a_nurse_gets_403_on_every_editor_page_and_changes_nothing(client, nurse, editor_urls):
    client.force_login(nurse)
    events = AuditEvent.objects.count()
    for name, url in editor_urls.items():
        assert client.get(url).status_code == 403, name
        assert client.post(url, {"revision": 1, "direction": "up", "change_note": "x"}).status_code == 403, name
    assert AuditEvent.objects.count() == events


def test_a_superuser_opens_the_editor(client, editor_urls):
    superuser = get_user_model().objects.create_superuser("root", password="x-secret-123")
    client.force_login(superuser)
    assert client.get(editor_urls["template_list"]).status_code == 200
    assert client.get(editor_urls["version_detail"]).status_code == 200


def test_only_admins_see_the_editor_link(client, nurse, checklist_admin, content):
    client.force_login(nurse)
    assert 'data-testid="editor-link"' not in client.get(reverse("checklists:home"), follow=True).content.decode()
    client.force_login(checklist_admin)
    page = client.get(reverse("checklists:home"), follow=True).content.decode()
    assert 'data-testid="editor-link"' in page
    assert reverse("checklists:template_list") in page
