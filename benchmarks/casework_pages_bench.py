"""Casework pages benchmark (issue 4): the case list (filtered and searched) and the case page, against
bare Django views over the same rows, in one run, through the same test client and middleware.

(a) Baseline: two bare Django views that a developer would write first: a page of 50 cases straight
    from the ORM, and one case with its events, both rendered by a minimal template; no selectors,
    no per-case access, no clearance, no read audit, no blind-index search.
(b) Asylon: `/cases/` with filters and a name search in another script (blind index), and
    `/cases/<id>/`, as an organisation admin (every case) and as a caseworker (a quarter of them).

Server time is measured around the test client's request (in process: the whole middleware stack,
view and template, no network). Each page kind is requested `--requests` times over varied
parameters (list pages 1 to 20: a caseworker narrows a list rather than paging hundreds deep; the
list pages by OFFSET, so page 300 costs more); the script prints p50 and p95 per kind, both sides,
and the ratio of the 95th percentiles.

The data is `asylon synth --persons N` (100,000 by default), created once in the data directory and
reused by later runs (synthesising takes minutes):

    .venv/bin/python benchmarks/casework_pages_bench.py --data-dir /tmp/asylon-bench-pages
    .venv/bin/python benchmarks/casework_pages_bench.py --persons 2000 --requests 50       # a quick run
    psql -h 127.0.0.1 -U postgres -c 'CREATE DATABASE bench_pages'
    .venv/bin/python benchmarks/casework_pages_bench.py --data-dir /tmp/asylon-bench-pages-pg \\
        --database-url postgresql://postgres@127.0.0.1:5432/bench_pages
"""

from __future__ import annotations

import argparse
import gc
import os
import platform
import random
import statistics
import sys
import time
import uuid
from collections.abc import Callable
from typing import Any

from bench_environment import benchmark_environment

PAGE_SIZE = 50


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--persons", type=int, default=100_000)
    parser.add_argument("--requests", type=int, default=200, help="requests per page kind")
    parser.add_argument("--data-dir", default="", help="kept between runs (default: a new temporary directory)")
    parser.add_argument("--database-url", default="")
    arguments = parser.parse_args()

    benchmark_environment(
        data_dir=arguments.data_dir, database_url=arguments.database_url, prefix="asylon-pages-bench-"
    )
    run(persons=arguments.persons, requests=arguments.requests)


# ---------------------------------------------------------------------------------------------
# The bare views (the baseline), served by this module as the URLconf beside the project's routes


def bare_case_list(request: Any) -> Any:
    from django.http import HttpResponse
    from django.template import engines

    from asylon.cases.models import Case

    status = request.GET.get("status", "open")
    cases = Case.objects.filter(status=status).order_by("-opened_on", "reference")[:PAGE_SIZE]
    template = engines["django"].from_string(
        "<table>{% for case in cases %}<tr><td>{{ case.reference }}</td><td>{{ case.status }}</td>"
        "<td>{{ case.risk }}</td><td>{{ case.opened_on }}</td></tr>{% endfor %}</table>"
    )
    return HttpResponse(template.render({"cases": cases}, request))


def bare_case_page(request: Any, case_id: Any) -> Any:
    from django.http import HttpResponse
    from django.shortcuts import get_object_or_404
    from django.template import engines

    from asylon.cases.models import Case

    case = get_object_or_404(Case, pk=case_id)
    template = engines["django"].from_string(
        "<h1>{{ case.reference }}</h1><p>{{ case.summary }}</p><ul>{% for event in events %}"
        "<li>{{ event.year }} {{ event.event_type.code }} {{ event.description }}</li>{% endfor %}</ul>"
    )
    events = case.events.select_related("event_type").order_by("year", "month")
    return HttpResponse(template.render({"case": case, "events": events}, request))


def _urlpatterns() -> list[Any]:
    from django.urls import path

    from asylon.config.urls import urlpatterns as project

    return [
        path("bench/cases/", bare_case_list),
        path("bench/cases/<uuid:case_id>/", bare_case_page),
        *project,
    ]


# ---------------------------------------------------------------------------------------------


def prepare(persons: int) -> tuple[Any, Any, Any]:
    """The synthetic organisation (synthesised on first use), an org admin and a caseworker."""
    from django.core.management import call_command

    from asylon.accounts.models import Organisation, Role
    from asylon.accounts.services import organisation_create
    from asylon.ops.synth.access import case_access_grant
    from asylon.people.models import Person
    from tests.factories import staff

    call_command("migrate", verbosity=0)
    if not Organisation.objects.exists():
        organisation_create(actor=None, name="Benchmark organisation")
    organisation = Organisation.objects.order_by("created_at").first()
    assert organisation is not None
    have = Person.objects.filter(organisation=organisation).count()
    if have < persons:
        if have:
            raise SystemExit(f"The data directory holds {have} persons, fewer than {persons}: use a new one.")
        call_command("synth", persons=persons)
    run_tag = uuid.uuid4().hex[:8]  # a reused data directory keeps earlier runs' users
    admin = staff(organisation, Role.ORG_ADMIN, email=f"bench-admin-{run_tag}@example.org")
    caseworker = staff(organisation, Role.CASEWORKER, email=f"bench-caseworker-{run_tag}@example.org")
    case_access_grant(organisation=organisation, seed=1)
    return organisation, admin, caseworker


def search_terms(organisation: Any, count: int) -> list[str]:
    """Names of synthetic persons as a user would type them: Cyrillic, or a Latin transliteration."""
    from asylon.people.models import Person
    from asylon.people.names.schemes import transliterate

    rng = random.Random(4)
    ids = list(Person.objects.filter(organisation=organisation).values_list("pk", flat=True)[:5000])
    terms = []
    for person in Person.objects.filter(pk__in=rng.sample(ids, min(count, len(ids)))):
        name = f"{person.given_name} {person.family_name}"
        scheme = rng.choice(["belarusian_passport", "russian_icao", "ukrainian_passport", ""])
        terms.append(transliterate(name, scheme) if scheme else name)
    return terms


def cases_of_member(user: Any, count: int, rng: random.Random) -> list[str]:
    """A sample of the cases the user is a member of."""
    from asylon.cases.models import Case

    ids = [str(pk) for pk in Case.objects.filter(memberships__user=user).values_list("pk", flat=True)]
    return rng.sample(ids, min(count, len(ids)))


def timed(client: Any, paths: list[str], check: Callable[[Any], None]) -> list[float]:
    """Milliseconds per request, after one untimed warm-up request."""
    client.get(paths[0])
    times = []
    for path in paths:
        started = time.perf_counter()
        response = client.get(path)
        times.append((time.perf_counter() - started) * 1000)
        check(response)
    return times


def ok(response: Any) -> None:
    assert response.status_code == 200, (response.status_code, response.get("Location"))


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def run(*, persons: int, requests: int) -> None:
    import django

    django.setup()
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import override_settings, setup_test_environment

    from asylon.cases.models import Case, CaseStatus
    from asylon.common.sealed_search import seal_search
    from asylon.vocab.models import Term
    from tests.factories import sign_in

    setup_test_environment()
    organisation, admin, caseworker = prepare(persons)
    # As the WSGI entry point does (asylon/config/wsgi.py): what start-up left is frozen, so full
    # garbage collections during requests do not walk it (both sides benefit alike).
    gc.collect()
    gc.freeze()
    rng = random.Random(7)
    case_ids = list(Case.objects.filter(organisation=organisation).values_list("pk", flat=True))
    sample = [str(case_id) for case_id in rng.sample(case_ids, min(requests, len(case_ids)))]
    names = search_terms(organisation, requests)
    references = list(Case.objects.filter(pk__in=sample[:20]).values_list("reference", flat=True))
    statuses = [CaseStatus.OPEN, CaseStatus.DORMANT, CaseStatus.CLOSED]

    filtered = [f"/cases/?status={rng.choice(statuses)}&page={rng.randint(1, 20)}" for _ in range(requests)]
    filtered += [f"/cases/?status=open&country=BY&sort=-opened&page={rng.randint(1, 20)}" for _ in range(requests // 4)]
    filtered += [f"/cases/?deadline=7&sort=deadline&page={rng.randint(1, 3)}" for _ in range(requests // 4)]
    event_types = list(
        Term.objects.filter(vocabulary__code="event_type", parent__isnull=False).values_list("code", flat=True)
    )
    decision_types = list(Term.objects.filter(vocabulary__code="decision_type").values_list("code", flat=True))
    filtered += [f"/cases/?event_type={rng.choice(event_types)}" for _ in range(requests // 4)]
    filtered += [f"/cases/?decision_type={rng.choice(decision_types)}&status=open" for _ in range(requests // 4)]

    # Searches travel sealed (asylon/common/sealed_search.py): each user gets their own tokens.
    def searched(user: Any) -> list[str]:
        return [
            f"/cases/?search={seal_search(user_id=user.pk, scope='cases', terms={'q': q})}" for q in names + references
        ]

    bare_list = [f"/bench/cases/?status={rng.choice(statuses)}" for _ in range(requests)]

    results: list[tuple[str, str, list[float]]] = []
    this_module = sys.modules[__name__]
    this_module.urlpatterns = _urlpatterns()  # type: ignore[attr-defined]
    with override_settings(ROOT_URLCONF=__name__):
        for label, user in [("org admin", admin), ("caseworker", caseworker)]:
            client = sign_in(Client(), user)
            visible = sample if user == admin else cases_of_member(user, requests, rng)
            results.append((f"bare list ({label})", "baseline", timed(client, bare_list, ok)))
            results.append((f"case list, filtered ({label})", "asylon", timed(client, filtered, ok)))
            results.append((f"case list, name search ({label})", "asylon", timed(client, searched(user), ok)))
            results.append(
                (f"bare case page ({label})", "baseline", timed(client, [f"/bench/cases/{c}/" for c in visible], ok))
            )
            results.append((f"case page ({label})", "asylon", timed(client, [f"/cases/{c}/" for c in visible], ok)))

    vendor = connection.vendor
    load = ", ".join(f"{value:.2f}" for value in os.getloadavg())
    print(f"\nCasework pages, {persons:,} persons, {vendor}, {platform.python_version()}, {os.cpu_count()} cores")
    print(f"load average at the end: {load}")
    print(f"{'page':45} {'side':9} {'n':>5} {'p50 ms':>8} {'p95 ms':>8}")
    for label, side, times in results:
        print(f"{label:45} {side:9} {len(times):5} {statistics.median(times):8.1f} {percentile(times, 0.95):8.1f}")
    baseline = {label.split("(")[1]: times for label, side, times in results if label.startswith("bare list")}
    bare_page = {label.split("(")[1]: times for label, side, times in results if label.startswith("bare case page")}
    print("\nratio of 95th percentiles, Asylon / bare view:")
    for label, side, times in results:
        if side != "asylon":
            continue
        who = label.split("(")[1]
        base = bare_page[who] if label.startswith("case page") else baseline[who]
        print(f"  {label:45} {percentile(times, 0.95) / percentile(base, 0.95):6.1f}x")
    print(f"(data directory: {settings.DATA_DIR})")


if __name__ == "__main__":
    main()
