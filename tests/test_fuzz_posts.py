"""Hostile input on every form post (hypothesis): long strings, control characters, Japanese,
numbers of every size where text is expected and text where numbers are, lists where one
value is expected, missing fields, random files, and the IDs of another ward's objects.

Whatever comes in, no response is a server error (the test client raises the view's
exception), a redirect never leaves the site, and a post that did not succeed wrote nothing:
every row of the app's tables is the same after it as before. Success is a redirect (or, for
the export and htmx fragments, a 200) with no error message and no form error; only then may
the tables change.

Each endpoint first gets a sweep (hypothesis's explicit examples): every field spoiled in turn
with what broke WardSafe before (NUL, an ID beyond 64 bits, nothing) while the others stay
plausible, so that the spoiled value reaches the services; then random examples. The
endpoints come from tests/url_catalogue.py, their fields from tests/form_posts.py: a new URL
that takes a post needs its fields there.
Each example runs in a savepoint that is rolled back, so every example meets the same data;
hypothesis is derandomized, so CI sees the same examples on every run.
"""

import os
import traceback
from collections import Counter
from urllib.parse import urlsplit

import pytest
from django.apps import apps
from django.db import transaction
from django.test import Client, override_settings
from django.urls import reverse
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from checklists import services

from . import url_catalogue as catalogue
from .form_posts import ENDPOINTS, HTMX, QUERIES, Endpoint, Field, endpoint_targets, post_data, succeeded
from .url_catalogue import World, build_world

pytestmark = pytest.mark.django_db

# Random examples per endpoint, on top of the sweep; WARDSAFE_FUZZ_EXAMPLES=500 for a deep run by hand.
EXAMPLES = int(os.environ.get("WARDSAFE_FUZZ_EXAMPLES", "12"))
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,  # the same examples on every run: CI cannot flake
    database=None,  # no .hypothesis/ folder in the work tree
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
        HealthCheck.filter_too_much,
    ],
)
SNAPSHOT_APPS = {"checklists", "auth", "django_tasks_database"}


# --- the checks ---------------------------------------------------------------------------------


def _tables():
    return [
        model
        for model in apps.get_models(include_auto_created=True)
        if model._meta.app_label in SNAPSHOT_APPS and model._meta.model_name != "permission"
    ]


def snapshot(tables) -> dict:
    return {model._meta.db_table: list(model._base_manager.order_by("pk").values_list()) for model in tables}


def sweep(endpoint: Endpoint, fields: dict[str, Field], targets: list[dict]) -> list[dict]:
    """The explicit examples: plausible values; nothing; each field spoiled in turn (per mode);
    the other targets; the htmx branch."""
    own = targets[0]
    base = {name: spec.plausible[0] for name, spec in fields.items()}
    requests = [{"kwargs": own, "data": {}}]
    for mode in endpoint.modes:
        requests.append({"kwargs": own, "data": base | mode})
        requests += [
            {"kwargs": own, "data": base | mode | {name: spoiler}}
            for name, spec in fields.items()
            if name not in mode
            for spoiler in spec.spoilers
        ]
    requests += [{"kwargs": target, "data": base} for target in targets[1:]]
    requests = [request | {"htmx": False} for request in requests]
    return requests + [{"kwargs": own, "data": base, "htmx": True}] * endpoint.htmx


def fuzz(name: str, endpoint: Endpoint, world: World, tables, tally: Counter) -> None:
    """The sweep, then random examples; raises on the first failing (shrunk) example."""
    fields = endpoint.fields(world)
    targets = endpoint_targets(name, endpoint, world)
    requests = st.fixed_dictionaries(
        {
            "kwargs": st.sampled_from(targets),
            "data": st.fixed_dictionaries({key: spec.strategy() for key, spec in fields.items()}),
            "htmx": st.booleans() if endpoint.htmx else st.just(False),
        }
    )

    def post(request):
        tally["examples"] += 1
        with transaction.atomic():
            client = Client()
            if endpoint.role != "anonymous":
                client.force_login(world.users[endpoint.role])
            before = snapshot(tables)
            url = reverse(name, kwargs=request["kwargs"] or None)
            send = client.get if endpoint.method == "get" else client.post
            response = send(url, post_data(request["data"]), **(HTMX if request["htmx"] else {}))
            after = snapshot(tables)
            transaction.set_rollback(True)
        assert response.status_code < 500, response.status_code
        target = urlsplit(response.get("Location", ""))
        assert not target.scheme and target.netloc in ("", "testserver"), response["Location"]  # no open redirect
        if succeeded(response, endpoint, request["htmx"]):
            tally["succeeded"] += 1
        else:
            changed = [table for table in before if before[table] != after[table]]
            if endpoint.audited:  # an audit row of the attempt is the only write a failure may make
                changed = [table for table in changed if table != "checklists_auditevent"]
            assert changed == [], f"{response.status_code} without success, yet changed: {changed}"

    for request in sweep(endpoint, fields, targets):
        post = example(request=request)(post)
    FUZZ(given(request=requests)(post))()


def test_every_post_endpoint_has_fuzz_fields():
    assert set(ENDPOINTS) == set(catalogue.post_endpoints()), "a new form post needs its fields in ENDPOINTS"
    assert set(QUERIES) <= set(catalogue.EXPECTATIONS)


def run(endpoints: dict[str, Endpoint], capsys, what: str) -> None:
    world = build_world()
    with transaction.atomic():
        world.export = services.template_export(template=world.template, by=world.users["admin"])
        transaction.set_rollback(True)
    tables = _tables()
    tally, failures = Counter(), {}
    for name, endpoint in endpoints.items():
        try:
            fuzz(name, endpoint, world, tables, tally)
        except Exception as error:  # keep going: report every endpoint that fails
            failures[name] = "".join(traceback.format_exception(error))[-4000:]
    with capsys.disabled():
        print(
            f"\nfuzz: {tally['examples']} examples over {len(endpoints)} {what}"
            f" ({tally['succeeded']} succeeded and may write; the others wrote nothing)"
        )
    assert failures == {}, "\n\n".join(f"{name}: {text}" for name, text in failures.items())


@override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"])  # logins in ms, not 0.3 s
def test_hostile_posts_never_answer_500_nor_write_half(capsys):
    run(ENDPOINTS, capsys, "form posts")


def test_hostile_query_strings_never_answer_500_nor_write(capsys):
    run(QUERIES, capsys, "pages that read a query string")
