"""Consultations benchmark: server time and page weight at 100,000 cases, on SQLite and PostgreSQL.

    .venv/bin/python bench/consultations.py                 # both databases, 100,000 cases
    .venv/bin/python bench/consultations.py --cases 20000 --databases sqlite

For each database it builds realistic data (cases from 40 hospitals, 20 consultants, assignments,
opinions, discussion messages and outcomes), sent at a steady rate over the years, each in the
status of its age (see REFERRALS_PER_DAY), measures the inbox, the coordinators' board, a case
page and the API list in-process (Django's test client: server time without the network), at
1,000 cases (the baseline) and at the full size, two databases built side by side and measured
in turns, request by request (so a busy machine weighs on both alike). It prints the median and the
95th percentile, the growth of the p95 from the baseline, the bytes each page is really sent
with (asked with `Accept-Encoding: gzip` through the whole middleware stack: body and headers as
they leave the platform), whether the stylesheet and scripts are under hashed names with an
immutable cache (collected as the shipped server collects them), the queries per page, and a
verdict against the targets: p95 under 150 ms, no page slower than 1.5 times its own baseline,
pages under 60 KB as sent. The exit status is non-zero when a page misses one.

PostgreSQL: fresh databases are created on 127.0.0.1:5432 (trust authentication) and dropped
afterwards; set BENCH_POSTGRES_URL to use another server.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
TARGET_P95_MS = 150.0
TARGET_PAGE_KB = 60.0
# A page may not grow slower with the history than this, against the same run's baseline.
TARGET_GROWTH = 1.5
BASELINE_CASES = 1_000
REQUESTS_PER_PAGE = 60
WARM_UP = 3  # requests per page before timing: caches and connections


# --- a child process per database and size, answering the parent's requests ------------------
def serve(cases: int) -> None:
    """Build `cases` cases, say so, then answer one request per line read: `{"page": name}` is
    timed once, `{"static": true}` reports the static files, `{"quit": true}` ends."""
    import django

    reply, sys.stdout = sys.stdout, sys.stderr  # whatever Django prints stays off the protocol
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "neurodaraja.settings")
    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection

    settings.ALLOWED_HOSTS = ["testserver", "localhost"]
    settings.SECURE_SSL_REDIRECT = False
    settings.DEBUG = False
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    call_command("migrate", verbosity=0)
    call_command("compiletranslations", verbosity=0)
    # Static files as the shipped server has them (HASHED_STATIC and STATIC_ROOT set by the parent).
    call_command("collectstatic", interactive=False, verbosity=0)

    world = _people()
    built = time.perf_counter()
    _grow_to(cases, world)
    pages = _pages(world)
    ready = {"database": connection.vendor, "cases": cases, "pages": list(pages)}
    print(
        json.dumps(ready | {"build_seconds": round(time.perf_counter() - built, 1)}), file=reply, flush=True
    )
    for line in sys.stdin:
        command = json.loads(line)
        if command.get("quit"):
            break
        answer = _static_as_sent(world) if command.get("static") else _one_request(*pages[command["page"]])
        print(json.dumps(answer), file=reply, flush=True)


def _people() -> dict:
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from accounts import actions as account_actions
    from accounts.models import Institution, Membership, Role, User
    from core.models import Country, Subspecialty

    tz, cn = Country.objects.get(code="TZ"), Country.objects.get(code="CN")
    hospitals = [
        Institution.objects.create(
            short_code=f"H{n:02d}",
            name=f"Bench Hospital {n}",
            country=tz,
            city="Mwanza",
            time_zone="Africa/Dar_es_Salaam",
        )
        for n in range(40)
    ]
    partner = Institution.objects.create(
        short_code="CNX", name="Bench Partner Hospital", country=cn, city="Jinan", time_zone="Asia/Shanghai"
    )
    neurotrauma = Subspecialty.objects.get(code="neurotrauma")

    def person(email: str, name: str, institution: Institution, role: str) -> User:
        user = User.objects.create_user(email, None, full_name=name, languages_spoken=["en", "sw", "zh-hans"])
        Membership.objects.create(user=user, institution=institution, role=role)
        return user

    consultants = []
    for n in range(20):
        consultant = person(
            f"consultant{n}@bench.test",
            f"Consultant {n}",
            partner if n % 2 else hospitals[0],
            Role.CONSULTANT,
        )
        consultant.subspecialties.set([neurotrauma])
        TOTPDevice.objects.create(user=consultant, name="bench", confirmed=True)
        consultants.append(consultant)
    referrers = [
        person(f"referrer{n}@bench.test", f"Referrer {n}", hospital, Role.REFERRER)
        for n, hospital in enumerate(hospitals)
    ]
    coordinator = person("coordinator@bench.test", "Coordinator", hospitals[1], Role.COORDINATOR)
    Membership.objects.create(user=coordinator, institution=hospitals[2], role=Role.COORDINATOR)
    Membership.objects.create(user=coordinator, institution=hospitals[3], role=Role.COORDINATOR)
    TOTPDevice.objects.create(user=coordinator, name="bench", confirmed=True)
    _token, raw = account_actions.create_api_token(referrers[1], name="bench", valid_days=None)
    return {
        "hospitals": hospitals,
        "referrers": referrers,
        "consultants": consultants,
        "coordinator": coordinator,
        "token": raw,
        "built": 0,
    }


def _grow_to(target: int, world: dict) -> None:
    """Add cases until there are `target`, with their identity, assignment, opinion, messages, outcome."""
    from django.db import connection
    from django.utils import timezone

    from core.models import DiagnosisCategory

    categories = list(DiagnosisCategory.objects.filter(specialty__code="neurosurgery"))
    rng = random.Random(target)
    now = timezone.now()
    batch = 2_000
    while world["built"] < target:
        count = min(batch, target - world["built"])
        world["in_batch"] = 0
        _add_batch(count, world, rng, categories, now)
        world["built"] += count
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            # What autovacuum does on a live database: statistics, and the visibility map that
            # lets an index answer without reading the table.
            cursor.execute("VACUUM ANALYZE")


def _fresh_code(world: dict) -> str:
    from consultations.models import new_case_code

    used = world.setdefault("codes", set())
    code = new_case_code()
    while code in used:
        code = new_case_code()
    used.add(code)
    return code


# The partnership's referral rate, all hospitals together. Cases are built backwards in time at
# this rate: the 1,000-case baseline is the last three weeks, and growing to 100,000 adds five
# years of older history before it. So the two sizes have the same recent work and differ by the
# history alone, which is what a list must not slow down with.
REFERRALS_PER_DAY = 50


def _status_at_age(age: timedelta, rng: random.Random) -> str:
    """The status of a case sent `age` ago, as a case moves through the loop: open for hours,
    answered within a day, closed with its outcome within two weeks. Of the older history, a few
    stay answered (the outcome never recorded) or open (never answered): that tail grows with
    the years, as it does in a real history. A few drafts of any age were never sent."""
    if rng.random() < 0.03:
        return "draft"
    hours = age.total_seconds() / 3600
    if hours < 6:
        return rng.choices(["open", "acknowledged"], [6, 4])[0]
    if hours < 24:
        return rng.choices(["acknowledged", "answered"], [3, 7])[0]
    if hours < 14 * 24:
        return rng.choices(["answered", "closed"], [1, 1])[0]
    return rng.choices(["closed", "answered", "open"], [977, 20, 3])[0]


def _random_case(world: dict, rng: random.Random, categories: list, now: Any) -> Any:
    """The next case back in time (see REFERRALS_PER_DAY), in the status of its age."""
    from consultations.models import Case

    n = rng.randrange(40)
    age = timedelta(
        days=(world["built"] + world.setdefault("in_batch", 0) + rng.random()) / REFERRALS_PER_DAY
    )
    world["in_batch"] += 1
    submitted = now - age
    status = _status_at_age(age, rng)
    answered_at = submitted + min(timedelta(hours=3), age / 2)
    return Case(
        code=_fresh_code(world),
        referring_institution=world["hospitals"][n],
        created_by=world["referrers"][n],
        specialty_id=categories[0].specialty_id,
        category=rng.choice(categories),
        status=status,
        urgency=rng.choice(["emergency", "urgent", "routine"]),
        age_value=rng.randrange(1, 90),
        sex=rng.choice(["female", "male"]),
        presenting_complaint="Head injury after a road traffic accident",
        history="Rider, no helmet, brief loss of consciousness, vomited twice. " * 3,
        mechanism="motorcycle",
        gcs_eye=str(rng.randrange(1, 5)),
        gcs_verbal=str(rng.randrange(1, 6)),
        gcs_motor=str(rng.randrange(1, 7)),
        question="Observe here or transfer for evacuation?",
        submitted_at=None if status == "draft" else submitted,
        deadline=None if status == "draft" else submitted + timedelta(hours=12),
        first_answered_at=answered_at if status in ("answered", "closed") else None,
    )


def _add_batch(count: int, world: dict, rng: random.Random, categories: list, now: Any) -> None:
    from django.db import transaction

    from consultations.models import Assignment, Case, Message, Opinion, Outcome, PatientIdentity

    with transaction.atomic():
        cases = [_random_case(world, rng, categories, now) for _ in range(count)]
        Case.objects.bulk_create(cases, batch_size=500)
        cases = list(Case.objects.filter(code__in=[c.code for c in cases]))
        PatientIdentity.objects.bulk_create(
            [
                PatientIdentity(case=c, full_name=f"Synthetic Patient {c.pk}", hospital_number=f"B{c.pk}")
                for c in cases
            ],
            batch_size=500,
        )
        assignments, opinions, messages, outcomes = _what_follows_sending(
            world, rng, [c for c in cases if c.status != "draft"]
        )
        Assignment.objects.bulk_create(assignments, batch_size=500)
        Opinion.objects.bulk_create(opinions, batch_size=500)
        Message.objects.bulk_create(messages, batch_size=500)
        Outcome.objects.bulk_create(outcomes, batch_size=500)


def _what_follows_sending(world: dict, rng: random.Random, sent: list) -> tuple[list, list, list, list]:
    """Each sent case's assignment, and by its status an opinion, a few messages and an outcome."""
    from django.utils import timezone

    from consultations.models import Assignment, Message, Opinion, Outcome

    assignments, opinions, messages, outcomes = [], [], [], []
    # Closing a case ends its assignments (consultations.actions.closing), so they do here too.
    answered = getattr(Assignment.Ended, "ANSWERED", Assignment.Ended.WITHDRAWN)
    now = timezone.now()
    for case in sent:
        consultant = rng.choice(world["consultants"])
        closed = case.status == "closed"
        assignments.append(
            Assignment(
                case=case,
                consultant=consultant,
                via="routing",
                deadline=case.deadline,
                acknowledged_at=case.submitted_at if case.status != "open" else None,
                ended_at=min(case.first_answered_at + timedelta(days=1), now) if closed else None,
                ended_reason=answered if closed else "",
            )
        )
        if case.status in ("answered", "closed"):
            opinions.append(
                Opinion(
                    case=case,
                    consultant=consultant,
                    impression="Small extradural haematoma.",
                    recommendation="transfer",
                    transfer_to="Bugando",
                    confidence="high",
                    advice="Hourly neurological observations; repeat CT if GCS falls.",
                )
            )
        for k in range(rng.randrange(0, 4)):
            messages.append(
                Message(
                    case=case,
                    author=case.created_by if k % 2 == 0 else consultant,
                    body="GCS now 13, pupils equal and reactive." * 2,
                )
            )
        if case.status == "closed":
            outcomes.append(
                Outcome(
                    case=case,
                    management="transferred",
                    discharge_status="home",
                    gose_discharge=rng.randrange(3, 9),
                    recorded_by=case.created_by,
                )
            )
    return assignments, opinions, messages, outcomes


def _pages(world: dict) -> dict[str, tuple[Any, Any]]:
    """Each page measured: the client signed in as the person who reads it, and its next URL."""
    from django.test import Client
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from consultations.models import Assignment, Case

    referrer = world["referrers"][1]
    coordinator = world["coordinator"]
    consultant = world["consultants"][1]

    def signed_in(user: Any) -> Any:
        client = Client()
        client.force_login(user)
        device = TOTPDevice.objects.filter(user=user).first()
        if device is not None:
            session = client.session
            session[DEVICE_ID_SESSION_KEY] = device.persistent_id
            session.save()
        return client

    referrer_client, coordinator_client, consultant_client = (
        signed_in(u) for u in (referrer, coordinator, consultant)
    )
    api_client = Client(HTTP_AUTHORIZATION=f"Bearer {world['token']}")
    own_cases = list(
        Case.objects.filter(referring_institution=world["hospitals"][1])
        .exclude(status="draft")
        .values_list("code", flat=True)[:200]
    )
    consultant_cases = list(
        Assignment.objects.filter(consultant=consultant).values_list("case__code", flat=True)[:200]
    )
    rng = random.Random(7)
    return {
        "referrer inbox": (referrer_client, lambda: "/consultations/?box=ours"),
        "consultant inbox": (consultant_client, lambda: "/consultations/?box=awaiting"),
        "coordinator board": (coordinator_client, lambda: "/consultations/board/"),
        "case page (referrer)": (referrer_client, lambda: f"/consultations/{rng.choice(own_cases)}/"),
        "case page (consultant)": (
            consultant_client,
            lambda: f"/consultations/{rng.choice(consultant_cases)}/",
        ),
        "API case list": (api_client, lambda: "/api/v1/cases?box=ours"),
    }


def _one_request(client: Any, url: Any) -> dict:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    address = url()
    with CaptureQueriesContext(connection) as captured:
        start = time.perf_counter()
        response = client.get(address, HTTP_ACCEPT_ENCODING="gzip, deflate, br")
        elapsed = (time.perf_counter() - start) * 1000
    assert response.status_code == 200, (address, response.status_code)
    return {"ms": elapsed, "bytes": _bytes_sent(response), "queries": len(captured)}


def _figures(name: str, answers: list[dict]) -> dict:
    times = sorted(a["ms"] for a in answers)
    return {
        "page": name,
        "median_ms": round(statistics.median(times), 1),
        "p95_ms": round(times[int(len(times) * 0.95) - 1], 1),
        "kb_sent": round(max(a["bytes"] for a in answers) / 1024, 1),
        "queries": max(a["queries"] for a in answers),
    }


def _bytes_sent(response: Any) -> int:
    """What leaves the platform for this answer: the body as encoded, and the header lines."""
    body = b"".join(response.streaming_content) if response.streaming else response.content
    head = f"HTTP/1.1 {response.status_code} {response.reason_phrase}\r\n" + "".join(
        f"{name}: {value}\r\n" for name, value in response.items()
    )
    return len(body) + len(head.encode()) + 2


def _static_as_sent(world: dict) -> dict:
    """The stylesheet and scripts a page links to: hashed names? cached for a year, immutable?
    And their size as sent, paid once per browser when they are."""
    import re

    from django.test import Client

    client = Client()
    client.force_login(world["referrers"][1])
    page = client.get("/consultations/?box=ours").content.decode()
    links = re.findall(r'<link rel="stylesheet" href="([^"]+)"', page) + re.findall(
        r'<script[^>]* src="([^"]+)"', page
    )
    files, cached = [], True
    for url in links:
        answer = client.get(url, HTTP_ACCEPT_ENCODING="gzip, deflate, br")
        control = answer.get("Cache-Control", "")
        age = re.search(r"max-age=(\d+)", control)
        forever = age is not None and int(age.group(1)) >= 365 * 24 * 3600 and "immutable" in control
        hashed = bool(re.search(r"\.[0-9a-f]{12}\.\w+$", url))
        cached &= forever and hashed and answer.status_code == 200
        files.append({"url": url, "bytes_sent": _bytes_sent(answer), "cache_control": control})
    return {"files": files, "cached": cached}


# --- the parent: the baseline and the full size side by side, then the report ----------------
class Child:
    """One database of one size, built and served by a child process (its own Django)."""

    def __init__(self, database: str, cases: int) -> None:
        env = dict(os.environ, DEBUG="false", SECRET_KEY="bench-only-secret", DEMO_MODE="false")
        self.folder = tempfile.mkdtemp(prefix="nd-bench-")
        env.update(HASHED_STATIC="true", STATIC_ROOT=str(Path(self.folder) / "static"))
        self.drop: Any = None
        if database == "sqlite":
            env["SQLITE_PATH"] = str(Path(self.folder) / "bench.sqlite3")
            env.pop("DATABASE_URL", None)
        else:
            server = os.environ.get("BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432")
            name = f"nd_bench_{os.getpid()}_{cases}"
            _postgres(server, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            _postgres(server, f'CREATE DATABASE "{name}"')
            env["DATABASE_URL"] = f"{server}/{name}"
            self.drop = lambda: _postgres(server, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        self.errors = open(Path(self.folder) / "stderr.log", "w+")  # noqa: SIM115 (closed in close())
        self.process = subprocess.Popen(
            [sys.executable, __file__, "--child", "--cases", str(cases)],
            env=env,
            cwd=ROOT,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self.errors,
            text=True,
        )

    def read(self) -> dict:
        line = self.process.stdout.readline() if self.process.stdout else ""
        if not line:
            self.errors.seek(0)
            sys.stderr.write(self.errors.read()[-4000:])
            raise RuntimeError("a benchmark child stopped (its error is above)")
        return json.loads(line)

    def ask(self, command: dict) -> dict:
        assert self.process.stdin is not None
        self.process.stdin.write(json.dumps(command) + "\n")
        self.process.stdin.flush()
        return self.read()

    def close(self) -> None:
        if self.process.poll() is None and self.process.stdin:
            self.process.stdin.write(json.dumps({"quit": True}) + "\n")
            self.process.stdin.close()
            self.process.wait(timeout=60)
        self.errors.close()
        if self.drop:
            self.drop()
        shutil.rmtree(self.folder, ignore_errors=True)


def run_database(database: str, cases: int) -> dict:
    """Both sizes are built at once, then measured in turns, request by request: the baseline and
    the full size meet the same machine at the same moments, so a busy neighbour slows both and
    the growth ratio measures the history, not the noise."""
    sizes = sorted({min(BASELINE_CASES, cases), cases})
    children = [Child(database, size) for size in sizes]
    try:
        ready = [child.read() for child in children]
        answers: list[dict[str, list[dict]]] = [{page: [] for page in r["pages"]} for r in ready]
        for turn in range(WARM_UP + REQUESTS_PER_PAGE):
            for page in ready[0]["pages"]:
                for child, collected in zip(children, answers, strict=True):
                    answer = child.ask({"page": page})
                    if turn >= WARM_UP:
                        collected[page].append(answer)
        static = children[-1].ask({"static": True})
    finally:
        for child in children:
            child.close()
    return {
        "database": ready[0]["database"],
        "sizes": [
            {
                "cases": r["cases"],
                "build_seconds": r["build_seconds"],
                "pages": [_figures(page, collected[page]) for page in r["pages"]],
            }
            for r, collected in zip(ready, answers, strict=True)
        ],
        "static": static,
    }


def _postgres(server: str, statement: str) -> None:
    import psycopg

    with psycopg.connect(f"{server}/postgres", autocommit=True) as connection:
        connection.execute(statement)


def report(results: list[dict]) -> bool:
    ok = True
    for result in results:
        baseline, full = result["sizes"][0], result["sizes"][-1]
        print(
            f"\n{result['database']}: {full['cases']:,} cases (built in {full['build_seconds']} s); "
            f"baseline {baseline['cases']:,} cases in the same run"
        )
        print(
            f"  {'page':24} {'median ms':>10} {'p95 ms':>8} {'baseline p95':>13} {'growth':>7} "
            f"{'KB sent':>8} {'queries':>8}  verdict"
        )
        for page, base in zip(full["pages"], baseline["pages"], strict=True):
            growth = page["p95_ms"] / base["p95_ms"] if base["p95_ms"] else float("inf")
            misses = [
                why
                for why, missed in [
                    ("slow", page["p95_ms"] >= TARGET_P95_MS),
                    ("grows", growth > TARGET_GROWTH),
                    ("heavy", page["kb_sent"] >= TARGET_PAGE_KB),
                ]
                if missed
            ]
            ok &= not misses
            print(
                f"  {page['page']:24} {page['median_ms']:>10} {page['p95_ms']:>8} {base['p95_ms']:>13} "
                f"{growth:>6.2f}x {page['kb_sent']:>8} {page['queries']:>8}  "
                f"{'ok' if not misses else 'MISSES TARGET (' + ', '.join(misses) + ')'}"
            )
        static = result["static"]
        sent = sum(f["bytes_sent"] for f in static["files"]) / 1024
        print(
            f"  static files: {len(static['files'])}, {sent:.1f} KB as sent on a first visit; "
            + (
                "hashed names, cached for a year (immutable): not asked for again"
                if static["cached"]
                else "NOT cached for long: asked for again on every page"
            )
        )
        ok &= static["cached"]
    print(
        f"\nTargets: p95 < {TARGET_P95_MS:.0f} ms, at most {TARGET_GROWTH} x the baseline's p95, "
        f"< {TARGET_PAGE_KB:.0f} KB per page as sent, static files cached."
    )
    print("Verdict:", "all pages meet the targets." if ok else "some pages miss the targets (see above).")
    return ok


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--databases", default="sqlite,postgresql")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        serve(args.cases)
        return 0
    results = []
    for database in [d.strip() for d in args.databases.split(",") if d.strip()]:
        print(f"Building {args.cases:,} cases on {database}…", flush=True)
        results.append(run_database("sqlite" if database == "sqlite" else "postgresql", args.cases))
    return 0 if report(results) else 1


if __name__ == "__main__":
    sys.exit(main())
