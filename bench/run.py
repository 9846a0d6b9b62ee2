"""`make bench`: national-scale data, gunicorn, locust at a fixed concurrency, one page at a time.

    .venv/bin/python -m bench.run [--users 8] [--seconds 15] [--rebuild]
                                  [--database-url URL] [--port 8765] [--workers 2]
                                  [--pages "home,manage: people"]

1. Builds the dataset (bench/data.py) in its own database, or reuses it when the builders
   have not changed since it was built.
2. Counts each page's database queries in-process (the floor must make none).
3. Serves the app with gunicorn under learninghub.settings.bench on 127.0.0.1, asks every
   page a few times (and stops if any answers other than expected), then loads each page in
   turn from a separate locust process, all at the same concurrency, and the floor again at
   the end to show whether the machine's load moved meanwhile.
4. Prints median, p95, throughput and gunicorn's CPU time per request for every page beside
   the floor (a view with no database work, served by the same stack in the same run), and
   writes it all as JSON to bench/results/<UTC time>.json.

Exit status: 0 when every page answered as expected throughout, 1 when any did not,
2 when the benchmark could not run.
"""

from __future__ import annotations

import argparse
import csv
import dataclasses
import hashlib
import json
import math
import os
import platform
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
SETTINGS = "learninghub.settings.bench"
HOST = "127.0.0.1"
FLOOR_AGAIN = "floor (again)"
DRIFT_WARNING = 0.25
OTHER_LOAD_WARNING = 15


class BenchError(RuntimeError):
    """The benchmark could not run (as opposed to a page that failed under load)."""


def default_database_url() -> str:
    var = Path(os.environ.get("VAR_DIR", ROOT / "var"))
    return f"sqlite:///{var / 'bench' / 'bench.sqlite3'}"


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    env = os.environ.get
    parser = argparse.ArgumentParser(prog="python -m bench.run", description=__doc__.split("\n")[0])
    parser.add_argument(
        "--users",
        type=int,
        default=int(env("BENCH_USERS", "8")),
        help="concurrent virtual users, the same for every page (default 8, or BENCH_USERS)",
    )
    parser.add_argument(
        "--seconds",
        type=int,
        default=int(env("BENCH_SECONDS", "15")),
        help="load time per page (default 15, or BENCH_SECONDS)",
    )
    parser.add_argument(
        "--rebuild",
        action="store_true",
        default=env("BENCH_REBUILD", "") not in ("", "0"),
        help="build the dataset again even if the stored one is current",
    )
    parser.add_argument(
        "--database-url",
        default=env("BENCH_DATABASE_URL") or default_database_url(),
        help="the bench database, never the app's own (default BENCH_DATABASE_URL or "
        "var/bench/bench.sqlite3); postgres:// URLs work too",
    )
    parser.add_argument("--port", type=int, default=int(env("BENCH_PORT", "8765")))
    parser.add_argument(
        "--workers", type=int, default=int(env("BENCH_WORKERS", "2")), help="gunicorn workers"
    )
    parser.add_argument(
        "--pages", default="", help="comma-separated page names to run (default: all)"
    )
    args = parser.parse_args(argv)
    if args.users < 1 or args.seconds < 1 or args.workers < 1:
        parser.error("--users, --seconds and --workers must be at least 1")
    return args


def log(message: str = "") -> None:
    print(message, flush=True)


def redact(url: str) -> str:
    parts = urlsplit(url)
    if parts.password:
        netloc = parts.netloc.replace(f":{parts.password}@", ":***@")
        return urlunsplit(parts._replace(netloc=netloc))
    return url


# Dataset ----------------------------------------------------------------------------------


def marker_path(database: dict) -> Path:
    if database["ENGINE"] == "django.db.backends.sqlite3":
        return Path(f"{database['NAME']}.dataset.json")
    from django.conf import settings

    digest = hashlib.sha256(settings.BENCH_DATABASE_URL.encode()).hexdigest()[:12]
    var = Path(os.environ.get("VAR_DIR", ROOT / "var"))
    return var / "bench" / f"dataset-{digest}.json"


def dataset_is_current(database: dict, marker: Path, builders: dict[str, int]) -> bool:
    if not marker.exists():
        return False
    if database["ENGINE"] == "django.db.backends.sqlite3" and not Path(database["NAME"]).exists():
        return False
    try:
        stored = json.loads(marker.read_text())
    except ValueError:
        return False
    return stored.get("builders") == builders


def prepare_dataset(rebuild: bool) -> dict:
    from django.core.management import call_command
    from django.db import connection, connections

    from bench import data
    from learninghub.core.audit.verify import verify_chain

    database = connection.settings_dict
    marker = marker_path(database)
    builders = data.builder_versions()
    if not rebuild and dataset_is_current(database, marker, builders):
        call_command("migrate", interactive=False, verbosity=0)  # new migrations, if any
        call_command("clearsessions")  # earlier runs' sessions, once expired
        stored = json.loads(marker.read_text())
        log(f"Reusing the dataset built {stored['built_at']} ({marker.name}; --rebuild to redo)")
        return {"reused": True, **stored}

    log("Building the dataset (a few minutes the first time; later runs reuse it)")
    started = time.perf_counter()
    marker.unlink(missing_ok=True)
    if database["ENGINE"] == "django.db.backends.sqlite3":
        connections.close_all()
        for suffix in ("", "-wal", "-shm", "-journal"):
            Path(f"{database['NAME']}{suffix}").unlink(missing_ok=True)
        call_command("migrate", interactive=False, verbosity=0)
    else:
        call_command("migrate", interactive=False, verbosity=0)
        call_command("flush", interactive=False, verbosity=0)
    migrated = time.perf_counter()
    log(f"  migrated in {migrated - started:.1f}s")
    timings = data.build_all(log=log)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")  # what autovacuum would soon do on a real host
    chain = verify_chain()
    if not chain.ok:
        raise BenchError(f"The generated audit chain does not verify: {chain.problems[0]}")
    log(f"  audit chain verified ({chain.checked} events)")
    info = {
        "builders": builders,
        "built_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "build_seconds": round(time.perf_counter() - started, 1),
        "migrate_seconds": round(migrated - started, 1),
        "builder_seconds": timings,
    }
    marker.write_text(json.dumps(info, indent=2))
    log(f"Built the dataset in {info['build_seconds']:.0f}s")
    return {"reused": False, **info}


def make_sessions(role: str, count: int) -> list[str]:
    """Signed-in, two-factor-verified sessions for the role's bench account, made directly."""
    from importlib import import_module

    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from bench import data
    from learninghub.core.middleware import SESSION_SEEN, SESSION_STARTED

    user = data.bench_user(role)
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if data.needs_two_factor(role) and device is None:
        raise BenchError(f"The bench account for {role} has no confirmed authenticator")
    store = import_module(settings.SESSION_ENGINE).SessionStore
    keys = []
    for _ in range(count):
        # Made just before the page runs: the idle timeout is 30 minutes.
        now = time.time()
        session = store()
        session[SESSION_KEY] = user._meta.pk.value_to_string(user)
        session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        if device is not None:
            session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session[SESSION_STARTED] = now
        session[SESSION_SEEN] = now
        session.save()
        keys.append(session.session_key)
    return keys


def count_queries(page, path: str) -> int:
    """Database queries for one request to the page, made in this process (for the table)."""
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(HTTP_HOST=HOST)
    if page.needs_auth:
        client.cookies[settings.SESSION_COOKIE_NAME] = make_sessions(page.as_role, 1)[0]
    client.get(path)  # the first request may fill caches
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    if response.status_code != page.status:
        raise BenchError(f"{page.name} ({path}) answered {response.status_code}, not {page.status}")
    return len(queries.captured_queries)


# Serving ------------------------------------------------------------------------------------


def port_in_use(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.settimeout(0.5)
        return sock.connect_ex((HOST, port)) == 0


def start_gunicorn(args, env: dict, log_file: Path) -> subprocess.Popen:
    if port_in_use(args.port):
        raise BenchError(f"Port {args.port} on {HOST} is in use: pass --port")
    log_file.parent.mkdir(parents=True, exist_ok=True)
    log_file.write_text("")
    command = [
        sys.executable,
        "-m",
        "gunicorn",
        "learninghub.wsgi:application",
        "--workers",
        str(args.workers),
        "--threads",
        "1",
        "--bind",
        f"{HOST}:{args.port}",
        "--no-control-socket",
        "--timeout",
        "60",
        "--graceful-timeout",
        "5",
        "--log-level",
        "warning",
        "--error-logfile",
        str(log_file),
    ]
    log(f"Serving with: gunicorn --workers {args.workers} --threads 1 --bind {HOST}:{args.port}")
    return subprocess.Popen(command, cwd=ROOT, env=env, stdin=subprocess.DEVNULL)


def stop(process: subprocess.Popen | None) -> None:
    if process is None or process.poll() is not None:
        return
    process.terminate()
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=5)


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


_opener = urllib.request.build_opener(_NoRedirect)


def fetch(url: str, cookie: str | None = None, timeout: float = 30) -> tuple[int, bytes, dict]:
    request = urllib.request.Request(url, headers={"Cookie": cookie} if cookie else {})
    try:
        with _opener.open(request, timeout=timeout) as response:
            return response.status, response.read(), dict(response.headers)
    except urllib.error.HTTPError as error:
        return error.code, error.read(), dict(error.headers or {})


def wait_until_healthy(base: str, server: subprocess.Popen, log_file: Path) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise BenchError(f"gunicorn exited with {server.returncode}:\n{tail(log_file)}")
        try:
            status, _body, _headers = fetch(f"{base}/healthz", timeout=2)
            if status == 200:
                return
        except OSError:
            pass
        time.sleep(0.25)
    raise BenchError(f"gunicorn did not answer /healthz within 60s:\n{tail(log_file)}")


def tail(path: Path, lines: int = 30) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return ""


# Load -----------------------------------------------------------------------------------


def machine_cpu() -> tuple[float, float, float]:
    """Wall time, CPU time busy on the whole machine, and CPU time of our finished children."""
    import resource

    import psutil

    t = psutil.cpu_times()
    busy = t.user + t.nice + t.system + t.irq + t.softirq + getattr(t, "steal", 0.0)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.monotonic(), busy, children.ru_utime + children.ru_stime


def worker_cpu_seconds(server: subprocess.Popen) -> dict[int, float]:
    """CPU time (user + system) used so far by each gunicorn worker."""
    import psutil

    used = {}
    for worker in psutil.Process(server.pid).children():
        try:
            times = worker.cpu_times()
        except psutil.Error:
            continue
        used[worker.pid] = times.user + times.system
    return used


def run_locust(
    args, base: str, page, path: str, sessions: list[str], workdir: Path, server
) -> dict:
    from django.conf import settings

    slug = "".join(c if c.isalnum() else "-" for c in page.name)
    prefix = workdir / slug
    samples = workdir / f"{slug}.samples.json"
    env = {
        **os.environ,
        "BENCH_PAGE_NAME": page.name,
        "BENCH_PAGE_PATH": path,
        "BENCH_EXPECT_STATUS": str(page.status),
        "BENCH_COOKIE_NAME": settings.SESSION_COOKIE_NAME,
        "BENCH_SESSIONS": ",".join(sessions),
        "BENCH_SAMPLES_FILE": str(samples),
    }
    command = [
        sys.executable,
        "-m",
        "locust",
        "-f",
        str(ROOT / "bench" / "locustfile.py"),
        "--headless",
        "--users",
        str(args.users),
        "--spawn-rate",
        str(args.users),
        "--run-time",
        f"{args.seconds}s",
        "--host",
        base,
        "--only-summary",
        "--reset-stats",
        "--csv",
        str(prefix),
        "--loglevel",
        "WARNING",
        "--exit-code-on-error",
        "0",
    ]
    machine_before = machine_cpu()
    cpu_before = worker_cpu_seconds(server)
    try:
        done = subprocess.run(
            command,
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=args.seconds + 90,
            check=False,
        )
    except subprocess.TimeoutExpired as exc:
        raise BenchError(f"locust did not finish {page.name} in time") from exc
    if done.returncode != 0 or not samples.exists():
        raise BenchError(
            f"locust failed on {page.name} (exit {done.returncode}):\n"
            f"{done.stdout[-2000:]}\n{done.stderr[-2000:]}"
        )
    cpu_after = worker_cpu_seconds(server)
    machine_after = machine_cpu()
    measured = json.loads(samples.read_text())
    # Server CPU per request: unlike latency, hardly moved by whatever else the machine runs.
    cpu_ms = other_load = None
    if set(cpu_after) == set(cpu_before):
        server_used = sum(cpu_after[pid] - cpu_before[pid] for pid in cpu_after)
        if measured["requests_total"]:
            cpu_ms = round(1000 * server_used / measured["requests_total"], 2)
        # What the rest of the machine used meanwhile (not gunicorn, not locust), as a share
        # of all its CPUs: the contention the latency figures suffered.
        wall, busy, ours = (
            after - before for after, before in zip(machine_after, machine_before, strict=True)
        )
        other = max(0.0, busy - server_used - ours)
        other_load = round(100 * other / (wall * (os.cpu_count() or 1)), 1)
    times = sorted(measured["times_ms"])
    ok = measured["statuses"].get(str(page.status), 0)
    result = {
        "page": page.name,
        "path": path,
        "as_role": page.as_role,
        "requests": len(times),
        "failures": len(times) - ok,
        "statuses": measured["statuses"],
        "errors": measured["errors"],
        "seconds": round(measured["seconds"], 2),
        "median_ms": round(statistics.median(times), 2) if times else None,
        "p95_ms": round(percentile(times, 95), 2) if times else None,
        "mean_ms": round(statistics.fmean(times), 2) if times else None,
        "max_ms": round(times[-1], 2) if times else None,
        "rps": round(len(times) / measured["seconds"], 1) if measured["seconds"] else None,
        "server_cpu_ms": cpu_ms,
        "other_load_percent": other_load,
        "locust_csv": read_locust_csv(Path(f"{prefix}_stats.csv"), page.name),
    }
    failures_csv = Path(f"{prefix}_failures.csv")
    if failures_csv.exists():
        with failures_csv.open(newline="") as handle:
            result["failure_messages"] = [
                f"{row['Occurrences']} × {row['Error']}" for row in csv.DictReader(handle)
            ][:5]
    if result["failures"] == 0 and result["locust_csv"].get("failures"):
        result["failures"] = result["locust_csv"]["failures"]
    if not times:
        result["failures"] = max(result["failures"], 1)
        result["errors"].append("no request completed in the measuring window")
    return result


def percentile(ordered: list[float], pct: float) -> float:
    """Nearest-rank percentile of an already sorted list."""
    return ordered[max(0, math.ceil(pct / 100 * len(ordered)) - 1)]


def read_locust_csv(path: Path, name: str) -> dict:
    """Locust's own summary (response times rounded to whole milliseconds), kept for reference."""
    if not path.exists():
        return {}
    with path.open(newline="") as handle:
        for row in csv.DictReader(handle):
            if row["Name"] == name:
                return {
                    "requests": int(row["Request Count"]),
                    "failures": int(row["Failure Count"]),
                    "median_ms": float(row["Median Response Time"]),
                    "p95_ms": float(row["95%"]),
                    "rps": float(row["Requests/s"]),
                }
    return {}


# Report -----------------------------------------------------------------------------------


def machine_info() -> dict:
    cpu_model = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu_model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    try:
        usable = len(os.sched_getaffinity(0))
    except AttributeError:
        usable = os.cpu_count()
    return {
        "cpus": os.cpu_count(),
        "cpus_usable": usable,
        "cpu_model": cpu_model,
        "platform": platform.platform(),
        "python": platform.python_version(),
        "load_average_at_start": [round(x, 2) for x in os.getloadavg()],
    }


def software_info() -> dict:
    from importlib.metadata import version

    import django
    from django.db import connection

    info = {
        "django": django.get_version(),
        "gunicorn": version("gunicorn"),
        "locust": version("locust"),
        "database": connection.vendor,
    }
    if connection.vendor == "sqlite":
        import sqlite3

        info["sqlite"] = sqlite3.sqlite_version
    git = ["git", "-C", str(ROOT)]
    try:
        info["commit"] = subprocess.run(
            [*git, "rev-parse", "HEAD"], capture_output=True, text=True, check=True
        ).stdout.strip()
        dirty = subprocess.run(
            [*git, "status", "--porcelain", "--untracked-files=no"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        info["uncommitted_changes"] = bool(dirty)
    except (OSError, subprocess.CalledProcessError):
        pass
    return info


def drift_warnings(results: list[dict], floor_name: str) -> list[str]:
    warnings = []
    by_name = {r["page"]: r for r in results}
    first, again = by_name.get(floor_name), by_name.get(FLOOR_AGAIN)
    if first and again and first["median_ms"] and again["median_ms"]:
        change = again["median_ms"] / first["median_ms"] - 1
        if abs(change) > DRIFT_WARNING:
            warnings.append(
                f"the floor's median moved {change:+.0%} between the start and the end of the "
                "run: the machine's other load changed; trust the CPU columns over latency"
            )
    loaded = [r for r in results if (r["other_load_percent"] or 0) > OTHER_LOAD_WARNING]
    if loaded:
        worst = max(loaded, key=lambda r: r["other_load_percent"])
        warnings.append(
            f"other processes used more than {OTHER_LOAD_WARNING}% of the CPUs while "
            f"{len(loaded)} page(s) ran (up to {worst['other_load_percent']}% during "
            f"{worst['page']}): their latency suffered; the CPU columns much less"
        )
    return warnings


def ratio(value, floor) -> str:
    if value is None or not floor:
        return "-"
    return f"{value / floor:.2f}"


def print_report(report: dict) -> None:
    results = report["results"]
    floor = next((r for r in results if r["page"] == report["floor"]), None)
    layout = next((r for r in results if r["page"] == report.get("layout_floor")), None) or {}
    params = report["parameters"]
    machine = report["machine"]
    counts = report["dataset"]["counts"]
    log()
    log(
        f"Benchmark: {params['users']} concurrent users, {params['seconds']}s per page, "
        f"gunicorn {params['workers']} workers × 1 thread, {report['software']['database']}, "
        f"{machine['cpus_usable']} CPUs ({machine['cpu_model'] or 'unknown model'}), "
        f"load average at start {machine['load_average_at_start'][0]}"
    )
    log(
        "Dataset: "
        + ", ".join(f"{count:,} {name.replace('_', ' ')}" for name, count in counts.items())
        + f"; signed-in pages as the business unit of "
        f"{report['context'].get('partnership_short_name')} "
        f"({report['context'].get('partnership_members')} members)"
    )
    log()
    width = max(len(r["page"]) for r in results) if results else 10
    columns = (
        f"{'page':<{width}}  {'median ms':>9}  {'p95 ms':>8}  {'req/s':>7}  {'CPU ms':>7}  "
        f"{'median÷floor':>12}  {'req/s÷floor':>11}  {'CPU÷floor':>9}  {'CPU÷layout':>10}  "
        f"{'queries':>7}  "
        f"{'other load':>10}  {'failures':>8}"
    )
    log(columns)
    log("-" * len(columns))
    base = floor or {}
    for r in results:
        line = (
            f"{r['page']:<{width}}  {fmt(r['median_ms']):>9}  {fmt(r['p95_ms']):>8}  "
            f"{fmt(r['rps'], 1):>7}  {fmt(r['server_cpu_ms']):>7}  "
            f"{ratio(r['median_ms'], base.get('median_ms')):>12}  "
            f"{ratio(r['rps'], base.get('rps')):>11}  "
            f"{ratio(r['server_cpu_ms'], base.get('server_cpu_ms')):>9}  "
            f"{ratio(r['server_cpu_ms'], layout.get('server_cpu_ms')):>10}  "
            f"{r['queries']:>7}  {pct(r['other_load_percent']):>10}  {r['failures']:>8}"
        )
        log(line + ("   << FAILED" if r["failures"] else ""))
    log("-" * len(columns))
    log(
        "÷floor: the page's figure over the floor's (the same stack answering without the "
        "database); ÷layout: over the layout floor's (the signed-in layout, no page content).\n"
        "CPU ms: gunicorn's CPU time per request, which other work on the machine "
        "barely moves, unlike latency.\nother load: CPU share used meanwhile by processes "
        "other than gunicorn and locust."
    )
    for warning in report["warnings"]:
        log(f"warning: {warning}")
    for note in report["skipped"]:
        log(f"skipped: {note}")
    log()


def pct(value) -> str:
    return "-" if value is None else f"{value:.0f}%"


def fmt(value, digits: int = 2) -> str:
    return "-" if value is None else f"{value:.{digits}f}"


# Main -------------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    os.environ["DJANGO_SETTINGS_MODULE"] = SETTINGS
    os.environ["BENCH_DATABASE_URL"] = args.database_url
    sys.path.insert(0, str(ROOT))
    started = time.perf_counter()
    started_at = datetime.now(UTC)

    import django

    django.setup()

    from django.conf import settings
    from django.db import connections
    from django.urls import Resolver404, resolve

    from bench import data, scenarios

    if args.database_url != settings.BENCH_DATABASE_URL:
        raise BenchError("The bench settings did not take the bench database URL")
    default = settings.DATABASES["default"]
    log(f"Bench database: {redact(args.database_url)}")
    app_database = (Path(settings.VAR_DIR) / "db.sqlite3").resolve()
    if default["ENGINE"] == "django.db.backends.sqlite3" and (
        Path(default["NAME"]).resolve() == app_database
    ):
        raise BenchError("Refusing to use the app's own database for the benchmark")

    machine = machine_info()
    dataset = prepare_dataset(args.rebuild)
    dataset["counts"] = data.dataset_counts()
    context = data.run_context()

    wanted = {name.strip() for name in args.pages.split(",") if name.strip()}
    unknown = wanted - {p.name for p in scenarios.PAGES}
    if unknown:
        raise BenchError(f"No such bench pages: {', '.join(sorted(unknown))}")
    pages, skipped = [], []
    for page in scenarios.PAGES:
        if wanted and page.name not in wanted and page.name not in scenarios.FLOORS:
            continue
        path = page.url_path(context)
        try:
            resolve(path.split("?", 1)[0])
        except Resolver404:
            if page.optional:
                skipped.append(f"{page.name} ({path}): the URL does not resolve yet")
                continue
            raise BenchError(f"{page.name}: {path} does not resolve") from None
        pages.append((page, path))
    queries = {page.name: count_queries(page, path) for page, path in pages}
    if queries.get(scenarios.FLOOR):
        raise BenchError(f"The floor made {queries[scenarios.FLOOR]} queries: it must make none")
    connections.close_all()

    base = f"http://{HOST}:{args.port}"
    server_env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": SETTINGS,
        "BENCH_DATABASE_URL": args.database_url,
    }
    gunicorn_log = (
        Path(default["NAME"]).parent / "gunicorn.log"
        if (default["ENGINE"] == "django.db.backends.sqlite3")
        else ROOT / "var" / "bench" / "gunicorn.log"
    )
    results = []
    server = None
    try:
        server = start_gunicorn(args, server_env, gunicorn_log)
        wait_until_healthy(base, server, gunicorn_log)

        # Every page once (twice per worker, to warm each one) before any load: an error
        # page under load would be a meaningless number.
        log("Checking every page answers as expected")
        for page, path in pages:
            cookie = None
            if page.needs_auth:
                key = make_sessions(page.as_role, 1)[0]
                connections.close_all()
                cookie = f"{settings.SESSION_COOKIE_NAME}={key}"
            for _ in range(2 * args.workers):
                status, body, headers = fetch(base + path, cookie)
                if status != page.status:
                    where = headers.get("Location", "")
                    raise BenchError(
                        f"{page.name} ({path}) answered {status} {where}, not {page.status}:\n"
                        f"{body[:500].decode(errors='replace')}\n{tail(gunicorn_log)}"
                    )

        # The floor again at the end: if it moved, the machine's load changed during the run.
        floor_page, floor_path = next(p for p in pages if p[0].name == scenarios.FLOOR)
        runs = [*pages, (dataclasses.replace(floor_page, name=FLOOR_AGAIN), floor_path)]
        queries[FLOOR_AGAIN] = queries[floor_page.name]
        with tempfile.TemporaryDirectory(prefix="bench-") as workdir:
            for page, path in runs:
                sessions = []
                if page.needs_auth:
                    sessions = make_sessions(page.as_role, args.users)
                    connections.close_all()
                log(f"Loading {page.name} ({path}) for {args.seconds}s")
                result = run_locust(args, base, page, path, sessions, Path(workdir), server)
                result["queries"] = queries[page.name]
                results.append(result)
                if result["failures"]:
                    log(
                        f"  !! {result['failures']} of {result['requests']} requests failed: "
                        f"{result['statuses']} {result.get('failure_messages') or result['errors']}"
                    )
                if server.poll() is not None:
                    raise BenchError(f"gunicorn stopped during the run:\n{tail(gunicorn_log)}")
    finally:
        stop(server)

    machine["load_average_at_end"] = [round(x, 2) for x in os.getloadavg()]
    failed = [r["page"] for r in results if r["failures"]]
    warnings = drift_warnings(results, scenarios.FLOOR)
    report = {
        "started_at": started_at.isoformat(timespec="seconds"),
        "total_seconds": round(time.perf_counter() - started, 1),
        "ok": not failed,
        "failed_pages": failed,
        "parameters": {
            "users": args.users,
            "seconds": args.seconds,
            "workers": args.workers,
            "threads": 1,
            "port": args.port,
            "database_url": redact(args.database_url),
            "rebuild": args.rebuild,
            "pages": sorted(wanted),
        },
        "machine": machine,
        "software": software_info(),
        "dataset": dataset,
        "context": context,
        "floor": scenarios.FLOOR,
        "layout_floor": scenarios.LAYOUT_FLOOR,
        "results": results,
        "skipped": skipped,
        "warnings": warnings,
    }
    print_report(report)
    RESULTS.mkdir(parents=True, exist_ok=True)
    out = RESULTS / f"{started_at:%Y%m%dT%H%M%SZ}.json"
    out.write_text(json.dumps(report, indent=2, default=str))
    log(f"Results: {out.relative_to(ROOT)}  (whole run {report['total_seconds']:.0f}s)")
    if failed:
        log(f"BENCH FAILED: {', '.join(failed)} answered errors under load")
        return 1
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except BenchError as error:
        print(f"\nBENCH FAILED: {error}", file=sys.stderr, flush=True)
        sys.exit(2)
