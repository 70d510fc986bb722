"""Training benchmark: server time of the logbook's pages at 500,000 entries, on SQLite and PostgreSQL.

    .venv/bin/python bench/training.py                       # both databases, 500,000 entries
    .venv/bin/python bench/training.py --entries 20000 --databases sqlite

For each database it builds 50 programmes (five stages each, requirements for every procedure
group), 100 supervisors and 500 trainees (ten per programme, two named supervisors each), and
logbook entries logged at a steady rate and built backwards in time (see ENTRIES_PER_DAY), each
in the status of its age and at the autonomy of the trainee's year at the time. It measures, in
process through Django's test client (the real views, middleware and templates, signed in as the
reader), a trainee's progress page with its charts, the supervisor's validation queue, the
trainee's logbook list and the autonomy chart, at 5,000 entries (the baseline: the same people,
the last three weeks) and at the full size (the same weeks and years of history before them).
Both sizes are built side by side and measured in turns, request by request, so a busy machine
slows both alike. It prints p50, p95 and the slowest request, the queries per page at both sizes
and the kilobytes sent (gzip, headers included), and a verdict: p95 under 200 ms at both sizes,
and the same number of queries at both sizes (a page whose queries grow with the entries loops
over them). The exit status is non-zero when a page misses either.

PostgreSQL: fresh databases (`bench_training_<pid>_<entries>`) are created on 127.0.0.1:5432
(trust authentication) and dropped afterwards; set BENCH_POSTGRES_URL to use another server.
Run it from a checkout nobody is editing: the children import the code as they run.
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
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
TARGET_P95_MS = 200.0
BASELINE_ENTRIES = 5_000
REQUESTS_PER_PAGE = 60
WARM_UP = 3  # requests per page before timing: caches and connections

PROGRAMMES = 50
TRAINEES_PER_PROGRAMME = 10  # 500 trainees
SUPERVISORS_PER_PROGRAMME = 2  # 100 supervisors, each named on the programme's ten trainees
HOSPITALS = 25
# All trainees together, half an operation a day each: the 5,000-entry baseline is the last 20
# days, and 500,000 entries add five and a half years of history before them (1,000 a trainee).
ENTRIES_PER_DAY = PROGRAMMES * TRAINEES_PER_PROGRAMME / 2
MEASURED_PEOPLE = 10  # trainees and supervisors the requests are shared among


# --- a child process per database and size, answering the parent's requests ------------------
def serve(entries: int) -> None:
    """Build `entries` entries, say so, then answer one request per line read: `{"page": name}`
    is timed once, `{"quit": true}` ends."""
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

    built = time.perf_counter()
    world = _people()
    _grow_to(entries, world)
    pages = _pages(world)
    ready = {"database": connection.vendor, "entries": entries, "pages": list(pages)}
    print(
        json.dumps(ready | {"build_seconds": round(time.perf_counter() - built, 1)}), file=reply, flush=True
    )
    for line in sys.stdin:
        command = json.loads(line)
        if command.get("quit"):
            break
        print(json.dumps(_one_request(*pages[command["page"]])), file=reply, flush=True)


def _people() -> dict:
    from django.utils import timezone

    from accounts.models import Institution, Membership, Role, User
    from core.models import Country
    from training.models import Competency, Enrolment, ProcedureGroup, Programme, Requirement, Stage

    tz, cn = Country.objects.get(code="TZ"), Country.objects.get(code="CN")
    hospitals = [
        Institution.objects.create(
            short_code=f"T{n:02d}",
            name=f"Bench Teaching Hospital {n}",
            country=tz,
            city="Dar es Salaam",
            time_zone="Africa/Dar_es_Salaam",
        )
        for n in range(HOSPITALS)
    ]
    abroad = Institution.objects.create(
        short_code="CNT", name="Bench Host Hospital", country=cn, city="Jinan", time_zone="Asia/Shanghai"
    )
    groups = list(ProcedureGroup.objects.all())

    def person(email: str, name: str, institution: Institution, role: str) -> User:
        user = User.objects.create_user(email, None, full_name=name, languages_spoken=["en", "sw"])
        Membership.objects.create(user=user, institution=institution, role=role)
        return user

    # A coordinator per hospital: the programme directors of its two programmes.
    coordinators = [
        person(f"coordinator{n}@bench.test", f"Coordinator {n}", hospital, Role.COORDINATOR)
        for n, hospital in enumerate(hospitals)
    ]
    enrolments: list[Enrolment] = []
    programmes: list[Programme] = []
    supervisors_of: dict[int, list[User]] = {}
    today = timezone.localdate()
    for p in range(PROGRAMMES):
        hospital = hospitals[p % HOSPITALS]
        programme = Programme.objects.create(
            code=f"bench-{p:02d}",
            name_en=f"Bench programme {p}",
            name_sw=f"Programu ya majaribio {p}",
            name_zh_hans=f"测试项目 {p}",
            institution=hospital,
        )
        programmes.append(programme)
        stages = Stage.objects.bulk_create(
            [
                Stage(
                    programme=programme,
                    position=year,
                    name_en=f"Year {year + 1}",
                    name_sw=f"Mwaka wa {year + 1}",
                    name_zh_hans=f"第{year + 1}年",
                    allowed_codes=list(_CODES_BY_YEAR[min(year, 3)][0]),
                )
                for year in range(5)
            ]
        )
        Requirement.objects.bulk_create(
            [
                Requirement(programme=programme, group=group, level=level, minimum=minimum)
                for group in groups
                for level, minimum in (("S-TU", 20), ("P", 10))
            ]
        )
        Competency.objects.bulk_create(
            [
                Competency(
                    programme=programme,
                    code=f"epa-{k}",
                    name_en=f"EPA {k}",
                    name_sw=f"EPA {k}",
                    name_zh_hans=f"EPA {k}",
                )
                for k in range(3)
            ]
        )
        supervisors = [
            person(f"supervisor{p}-{k}@bench.test", f"Supervisor {p}-{k}", hospital, Role.SUPERVISOR)
            for k in range(SUPERVISORS_PER_PROGRAMME)
        ]
        for t in range(TRAINEES_PER_PROGRAMME):
            trainee = person(f"trainee{p}-{t}@bench.test", f"Trainee {p}-{t}", hospital, Role.TRAINEE)
            enrolment = Enrolment.objects.create(
                trainee=trainee,
                programme=programme,
                stage=stages[t % 5],
                institution=hospital,
                started_on=today - timedelta(days=6 * 365),
            )
            enrolment.supervisors.set(supervisors)
            enrolments.append(enrolment)
            supervisors_of[enrolment.pk] = supervisors
    return {
        "enrolments": enrolments,
        "programmes": programmes,
        "coordinators": coordinators,
        "supervisors_of": supervisors_of,
        "abroad": abroad,
        "built": 0,
    }


# The supervision codes at each year of training (the autonomy the entries show rising with the
# years), and their weights.
_CODES_BY_YEAR = [
    (("O", "A", "S-TS"), (4, 4, 2)),
    (("O", "A", "S-TS", "S-TU", "P"), (1, 3, 4, 2, 1)),
    (("A", "S-TS", "S-TU", "P", "T"), (1, 3, 4, 2, 1)),
    (("A", "S-TS", "S-TU", "P", "T"), (1, 1, 3, 4, 2)),
]


def _status_at_age(age: timedelta, rng: random.Random) -> str:
    """The status of an entry logged `age` ago: waiting for a few days, mostly decided within
    three weeks; of the older history a tenth was never validated (DOMAIN.md: most trainees have
    few entries validated), a tail that grows with the years as it does in a real logbook."""
    days = age.total_seconds() / 86400
    if days < 3:
        return rng.choices(["pending", "queried"], [19, 1])[0]
    if days < 21:
        return rng.choices(["pending", "confirmed", "queried", "rejected"], [40, 50, 7, 3])[0]
    return rng.choices(["confirmed", "pending", "rejected", "queried"], [85, 10, 3, 2])[0]


def _grow_to(target: int, world: dict) -> None:
    """Add entries until there are `target`, each with its procedures."""
    from django.db import connection, transaction
    from django.utils import timezone

    from training.models import LogbookEntry, Procedure

    # The entries carry the time they were logged, in the past: bulk_create would stamp them all
    # with now (auto_now_add). This process only builds benchmark data.
    LogbookEntry._meta.get_field("created_at").auto_now_add = False
    procedures = list(Procedure.objects.select_related("group"))
    through = LogbookEntry.procedures.through
    rng = random.Random(target)
    now = timezone.now()
    batch = 5_000
    while world["built"] < target:
        count = min(batch, target - world["built"])
        with transaction.atomic():
            made = [_random_entry(world, world["built"] + k, rng, now) for k in range(count)]
            LogbookEntry.objects.bulk_create([entry for entry, _n in made], batch_size=1_000)
            links = []
            for entry, n in made:
                first = rng.choice(procedures)
                links.append(through(logbookentry_id=entry.pk, procedure_id=first.pk))
                if n == 2:
                    second = rng.choice([p for p in procedures if p.pk != first.pk])
                    links.append(through(logbookentry_id=entry.pk, procedure_id=second.pk))
            through.objects.bulk_create(links, batch_size=1_000)
        world["built"] += count
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # What autovacuum does on a live database: statistics, and the visibility map that
            # lets an index answer without reading the table.
            cursor.execute("VACUUM ANALYZE")


def _random_entry(world: dict, k: int, rng: random.Random, now: datetime) -> tuple[Any, int]:
    """The k-th entry back in time (see ENTRIES_PER_DAY), the trainees taking turns."""
    from training.models import LogbookEntry

    enrolment = world["enrolments"][k % len(world["enrolments"])]
    age = timedelta(days=(k + rng.random()) / ENTRIES_PER_DAY)
    logged_at = now - age
    status = _status_at_age(age, rng)
    # The year of training the trainee was in then: the enrolment's stage, less the years back.
    year = max(0, enrolment.stage.position - int(age.days / 365))
    codes, weights = _CODES_BY_YEAR[min(year, 3)]
    decided = status in ("confirmed", "rejected")
    waited = min(timedelta(days=rng.uniform(0.2, 20)), age)
    entry = LogbookEntry(
        enrolment=enrolment,
        trainee_id=enrolment.trainee_id,
        performed_on=(logged_at - timedelta(hours=rng.randrange(0, 48))).date(),
        institution=world["abroad"] if rng.random() < 0.05 else enrolment.institution,
        urgency=rng.choice(["elective", "urgent", "emergency"]),
        age_band=rng.choice(["0-1", "1-15", "16-39", "40-64", "65+"]),
        sex=rng.choice(["female", "male"]),
        diagnosis="Synthetic benchmark entry: obstructive hydrocephalus",
        supervision=rng.choices(codes, weights)[0],
        supervisor=rng.choice(world["supervisors_of"][enrolment.pk]),
        return_to_theatre=rng.random() < 0.04,
        infection=rng.random() < 0.03,
        death=rng.random() < 0.01,
        reflection="Synthetic: positioning took long; next time plan the burr hole first." if k % 3 else "",
        status=status,
        created_at=logged_at,
        validated_at=logged_at + waited if decided else None,
        time_to_validation=waited if decided else None,
    )
    return entry, 2 if rng.random() < 0.1 else 1


def _address(name: str, pk: int) -> str | None:
    """A page's address, where the logbook has that page (the autonomy chart, the trainees side
    by side): measured when it exists."""
    from django.urls import NoReverseMatch, reverse

    try:
        return reverse(name, args=[pk])
    except NoReverseMatch:
        return None


def _pages(world: dict) -> dict[str, tuple[Any, Any]]:
    """Each page measured: the clients of the people who read it, and its next URL."""
    from django.test import Client
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    def signed_in(user: Any) -> Any:
        client = Client()
        client.force_login(user)
        if user.requires_two_factor:
            device, _ = TOTPDevice.objects.get_or_create(
                user=user, name="bench", defaults={"confirmed": True}
            )
            session = client.session
            session[DEVICE_ID_SESSION_KEY] = device.persistent_id
            session.save()
        return client

    # Trainees and supervisors of different programmes (the people are the same at every size).
    chosen = world["enrolments"][:: len(world["enrolments"]) // MEASURED_PEOPLE][:MEASURED_PEOPLE]
    trainees = [(signed_in(e.trainee), e.pk) for e in chosen]
    supervisors = [signed_in(world["supervisors_of"][e.pk][0]) for e in chosen]
    rng = random.Random(7)

    def trainee_page(url: Any) -> tuple[Any, Any]:
        picked: list[Any] = []

        def client() -> Any:
            picked[:] = [rng.choice(trainees)]
            return picked[0][0]

        return client, lambda: url(picked[0][1])

    pages = {
        "progress (trainee)": trainee_page(lambda e: f"/training/enrolments/{e}/progress/"),
        "validation queue": (lambda: rng.choice(supervisors), lambda: "/training/queue/"),
        "logbook list (trainee)": trainee_page(lambda e: "/training/"),
    }
    if _address("training:autonomy", chosen[0].pk) is not None:
        pages["autonomy chart"] = trainee_page(lambda e: _address("training:autonomy", e))
    if _address("training:trainees", chosen[0].programme_id) is not None:
        # Each chosen trainee's programme, read by its coordinator (ten trainees side by side).
        directors = [
            (
                signed_in(world["coordinators"][world["programmes"].index(e.programme) % HOSPITALS]),
                e.programme_id,
            )
            for e in chosen
        ]
        read: list[Any] = []

        def director() -> Any:
            read[:] = [rng.choice(directors)]
            return read[0][0]

        pages["trainees side by side"] = (director, lambda: _address("training:trainees", read[0][1]))
    return pages


def _one_request(client: Any, url: Any) -> dict:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    reader = client()
    address = url()
    with CaptureQueriesContext(connection) as captured:
        start = time.perf_counter()
        response = reader.get(address, HTTP_ACCEPT_ENCODING="gzip, deflate, br")
        elapsed = (time.perf_counter() - start) * 1000
    assert response.status_code == 200, (address, response.status_code)
    return {"ms": elapsed, "bytes": _bytes_sent(response), "queries": len(captured)}


def _bytes_sent(response: Any) -> int:
    """What leaves the platform for this answer: the body as encoded, and the header lines."""
    body = b"".join(response.streaming_content) if response.streaming else response.content
    head = f"HTTP/1.1 {response.status_code} {response.reason_phrase}\r\n" + "".join(
        f"{name}: {value}\r\n" for name, value in response.items()
    )
    return len(body) + len(head.encode()) + 2


def _figures(name: str, answers: list[dict]) -> dict:
    times = sorted(a["ms"] for a in answers)
    queries = sorted({a["queries"] for a in answers})
    return {
        "page": name,
        "p50_ms": round(statistics.median(times), 1),
        "p95_ms": round(times[max(0, int(len(times) * 0.95) - 1)], 1),
        "max_ms": round(times[-1], 1),
        "kb_sent": round(max(a["bytes"] for a in answers) / 1024, 1),
        "queries": queries,
    }


# --- the parent: the baseline and the full size side by side, then the report ----------------
class Child:
    """One database of one size, built and served by a child process (its own Django)."""

    def __init__(self, database: str, entries: int) -> None:
        env = dict(os.environ, DEBUG="false", SECRET_KEY="bench-only-secret", DEMO_MODE="false")
        self.folder = tempfile.mkdtemp(prefix="nd-bench-training-")
        env.update(HASHED_STATIC="true", STATIC_ROOT=str(Path(self.folder) / "static"))
        self.drop: Any = None
        if database == "sqlite":
            env["SQLITE_PATH"] = str(Path(self.folder) / "bench.sqlite3")
            env.pop("DATABASE_URL", None)
        else:
            server = os.environ.get("BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432")
            name = f"bench_training_{os.getpid()}_{entries}"
            _postgres(server, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            _postgres(server, f'CREATE DATABASE "{name}"')
            env["DATABASE_URL"] = f"{server}/{name}"
            self.drop = lambda: _postgres(server, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        self.errors = open(Path(self.folder) / "stderr.log", "w+")  # noqa: SIM115 (closed in close())
        self.process = subprocess.Popen(  # noqa: S603 (this same script, as a child)
            [sys.executable, __file__, "--child", "--entries", str(entries)],
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


def run_database(database: str, entries: int, baseline: int, requests: int) -> dict:
    """Both sizes are built at once, then measured in turns, request by request: the baseline and
    the full size meet the same machine at the same moments, so a busy neighbour slows both."""
    sizes = sorted({min(baseline, entries), entries})
    children = [Child(database, size) for size in sizes]
    try:
        ready = [child.read() for child in children]
        answers: list[dict[str, list[dict]]] = [{page: [] for page in r["pages"]} for r in ready]
        for turn in range(WARM_UP + requests):
            for page in ready[0]["pages"]:
                for child, collected in zip(children, answers, strict=True):
                    answer = child.ask({"page": page})
                    if turn >= WARM_UP:
                        collected[page].append(answer)
    finally:
        for child in children:
            child.close()
    return {
        "database": ready[0]["database"],
        "sizes": [
            {
                "entries": r["entries"],
                "build_seconds": r["build_seconds"],
                "pages": [_figures(page, collected[page]) for page in r["pages"]],
            }
            for r, collected in zip(ready, answers, strict=True)
        ],
    }


def _postgres(server: str, statement: str) -> None:
    import psycopg

    with psycopg.connect(f"{server}/postgres", autocommit=True) as connection:
        connection.execute(statement)


def _counted(queries: list[int]) -> str:
    return str(queries[0]) if len(queries) == 1 else f"{queries[0]}-{queries[-1]}"


def report(results: list[dict]) -> bool:
    ok = True
    for result in results:
        baseline, full = result["sizes"][0], result["sizes"][-1]
        print(
            f"\n{result['database']}: {full['entries']:,} entries (built in {full['build_seconds']} s); "
            f"baseline {baseline['entries']:,} entries in the same run"
        )
        print(
            f"  {'page':24} {'p50 ms':>7} {'p95 ms':>7} {'max ms':>7} | {'base p50':>8} {'base p95':>8} "
            f"{'base max':>8} | {'queries':>7} {'base q':>6} {'KB sent':>7}  verdict"
        )
        for page, base in zip(full["pages"], baseline["pages"], strict=True):
            misses = [
                why
                for why, missed in [
                    ("slow", page["p95_ms"] >= TARGET_P95_MS or base["p95_ms"] >= TARGET_P95_MS),
                    ("queries grow with the entries", page["queries"] != base["queries"]),
                ]
                if missed
            ]
            ok &= not misses
            print(
                f"  {page['page']:24} {page['p50_ms']:>7} {page['p95_ms']:>7} {page['max_ms']:>7} | "
                f"{base['p50_ms']:>8} {base['p95_ms']:>8} {base['max_ms']:>8} | "
                f"{_counted(page['queries']):>7} {_counted(base['queries']):>6} {page['kb_sent']:>7}  "
                f"{'ok' if not misses else 'MISSES TARGET (' + ', '.join(misses) + ')'}"
            )
        if "autonomy chart" not in [p["page"] for p in full["pages"]]:
            print("  (no autonomy chart page of its own: its charts are measured with the progress page)")
    print(f"\nTargets: p95 < {TARGET_P95_MS:.0f} ms at both sizes; the same number of queries at both sizes.")
    print("Verdict:", "all pages meet the targets." if ok else "some pages miss the targets (see above).")
    return ok


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=500_000)
    parser.add_argument("--baseline", type=int, default=BASELINE_ENTRIES)
    parser.add_argument("--requests", type=int, default=REQUESTS_PER_PAGE, help="timed requests per page")
    parser.add_argument("--databases", default="sqlite,postgresql")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        serve(args.entries)
        return 0
    started = time.perf_counter()
    results = []
    for database in [d.strip() for d in args.databases.split(",") if d.strip()]:
        print(f"Building {args.entries:,} entries (and {args.baseline:,}) on {database}…", flush=True)
        results.append(
            run_database(
                "sqlite" if database == "sqlite" else "postgresql", args.entries, args.baseline, args.requests
            )
        )
    ok = report(results)
    print(f"The benchmark took {time.perf_counter() - started:.0f} s.")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
