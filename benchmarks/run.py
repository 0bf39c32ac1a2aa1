"""The benchmark harness: every contender, in fresh processes, interleaved, checked.

    python benchmarks/run.py --data benchmarks/data/sf1 [--data DIR ...] [--rounds 5]
        [--shapes month,month_channel,month_segment] [--contenders baseline,kpi-engine,...]

Run it with the dev virtualenv's Python (/work/main/.venv): the built-in contenders run
with the same interpreter. For each data folder (``commerce.duckdb`` plus one
``<table>.parquet`` per table) and each shape:

1. one untimed warm-up round, every contender once (the OS file cache, ``.pyc`` files);
   the baseline's warm-up result is the reference every later result is checked against;
2. ``--rounds`` timed rounds; each runs every contender once, in an order rotated by
   one each round, each in a fresh process: the whole process is timed, wall-clock
   (``perf_counter`` around its spawn and reaping), and its peak RSS read from
   ``os.wait4``'s rusage (``ru_maxrss``, KiB), by a small launcher process (see
   :data:`LAUNCHER`: a child forked from the harness itself would inherit its RSS);
3. after each run (warm-up included), the contender's canonical result is compared with
   the reference to 1e-9 (``common.differences``); a mismatch is recorded and reported.

Contenders: ``baseline`` (hand-written SQL, always run: it is the reference),
``kpi-engine`` (the ``kpi run`` CLI; its output is converted to the canonical file after
the process ended, untimed), ``kpi-engine-cached`` (the same with ``--cache-dir``: the catalog and
the compiled statement come from disk, as for a dashboard run again, and the process
neither parses nor plans nor imports sqlglot), ``per-kpi`` (one query per KPI), ``pandas``, and every peer
found as ``benchmarks/peers/<name>/run.py`` with a virtualenv ``benchmarks/.venvs/<name>``
(a peer missing either is recorded as not installed). kpi-engine's compile time is
measured apart, in-process (``engine_runner.py --compile-only``).

Raw results go to ``benchmarks/out/results-<UTC timestamp>.json`` (rewritten after each
shape, so an interrupted run keeps what it measured), then ``report.py`` updates
``benchmarks/RESULTS.md`` (``--no-report`` to skip).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shlex
import statistics
import subprocess
import sys
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

import common  # noqa: E402
import engine_runner  # noqa: E402
import report  # noqa: E402
from shapes import SHAPES  # noqa: E402

PEERS_DIR = HERE / "peers"
VENVS_DIR = HERE / ".venvs"
OUT_DIR = HERE / "out"
CACHE_DIR = OUT_DIR / "kpi-cache"  # kpi-engine-cached's --cache-dir
#: peers the issue names, by folder name -> display name; others found in peers/ are run too
EXPECTED_PEERS = {"bsl": "boring-semantic-layer", "metricflow": "MetricFlow", "sidemantic": "sidemantic"}


# -- contenders -----------------------------------------------------------------------------


@dataclass
class Contender:
    name: str
    label: str
    #: (data folder, shape, output file) -> argv; the output is the canonical file unless ``convert``
    argv: Callable[[Path, str, Path], list[str]]
    cwd: Path = ROOT
    #: (raw output, shape, canonical file): turns the process's own output into the canonical file
    convert: Callable[[Path, str, Path], None] | None = None
    missing: str | None = None  # why it cannot run ("not installed: ...")
    version: str | None = None


def _script(name: str) -> Callable[[Path, str, Path], list[str]]:
    script = str(HERE / name)
    return lambda data, shape, out: [sys.executable, script, "--data", str(data), "--shape", shape, "--out", str(out)]


def _peer(name: str) -> Contender:
    python = VENVS_DIR / name / "bin" / "python"
    script = PEERS_DIR / name / "run.py"
    label = EXPECTED_PEERS.get(name, name)
    contender = Contender(
        name, label,
        lambda data, shape, out: [str(python), str(script), "--data", str(data), "--shape", shape, "--out", str(out)],
    )
    if not script.exists():
        contender.missing = f"not installed (no {script.relative_to(ROOT)})"
    elif not python.exists():
        contender.missing = f"not installed (no virtualenv {python.parent.parent.relative_to(ROOT)})"
    return contender


def contenders(selected: list[str] | None) -> list[Contender]:
    found = [
        Contender("baseline", "hand-written SQL", _script("baseline.py")),
        Contender("kpi-engine", "kpi-engine (kpi run)", engine_runner.command, cwd=engine_runner.CWD,
                  convert=engine_runner.to_canonical),
        # the same command with the on-disk cache: a dashboard run again (the warm-up fills it)
        Contender("kpi-engine-cached", "kpi-engine (kpi run, disk cache)",
                  lambda data, shape, out: [*engine_runner.command(data, shape, out), "--cache-dir", str(CACHE_DIR)],
                  cwd=engine_runner.CWD, convert=engine_runner.to_canonical),
        Contender("per-kpi", "one query per KPI", _script("per_kpi.py")),
        Contender("pandas", "pandas", _script("pandas_runner.py")),
    ]
    peer_names = dict.fromkeys(EXPECTED_PEERS)
    if PEERS_DIR.is_dir():
        peer_names.update(dict.fromkeys(sorted(p.name for p in PEERS_DIR.iterdir() if (p / "run.py").exists())))
    found += [_peer(name) for name in peer_names]
    if not selected:
        return found
    by_name = {c.name: c for c in found}
    unknown = [n for n in selected if n not in by_name]
    if unknown:
        raise SystemExit(f"unknown contender(s): {', '.join(unknown)} (known: {', '.join(by_name)})")
    names = ["baseline", *(n for n in selected if n != "baseline")]  # the reference always runs
    return [by_name[n] for n in names]


def peer_version(contender: Contender) -> str:
    if contender.missing:
        return contender.missing
    python = VENVS_DIR / contender.name / "bin" / "python"
    try:
        done = subprocess.run([str(python), str(PEERS_DIR / contender.name / "run.py"), "--version"],
                              cwd=ROOT, capture_output=True, text=True, timeout=300)
        if done.returncode == 0 and done.stdout.strip():
            return done.stdout.strip().splitlines()[-1]
    except subprocess.TimeoutExpired:
        pass
    done = subprocess.run([str(python), "-m", "pip", "list", "--format", "freeze"], capture_output=True, text=True)
    wanted = contender.name.replace("_", "-").lower()
    lines = [ln for ln in done.stdout.splitlines() if wanted in ln.lower() or contender.label.lower() in ln.lower()]
    return ", ".join(lines) or "unknown version"


# -- running one process --------------------------------------------------------------------


@dataclass
class Outcome:
    seconds: float
    maxrss_kib: int
    exit_code: int
    log_tail: str = ""
    timed_out: bool = False
    extra: dict = field(default_factory=dict)


#: Starts one contender and reports its wall-clock time and rusage. It runs as its own small
#: process (``python -S``, no imports beyond the built-ins, ~8 MiB) because Linux keeps the
#: high-water RSS of the memory a process had before ``exec`` in its ``ru_maxrss``: a child
#: forked from the harness (which has pyarrow loaded) would report at least the harness's own
#: RSS. Timing starts just before the spawn and stops when the child is reaped.
LAUNCHER = r"""
import json, os, signal, sys, time
report, cwd, log, timeout = sys.argv[1], sys.argv[2], sys.argv[3], float(sys.argv[4])
argv = sys.argv[5:]
os.chdir(cwd)
fd = os.open(log, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
null = os.open(os.devnull, os.O_RDONLY)
actions = [(os.POSIX_SPAWN_DUP2, null, 0), (os.POSIX_SPAWN_DUP2, fd, 1), (os.POSIX_SPAWN_DUP2, fd, 2)]
killed = []
start = time.perf_counter()
pid = os.posix_spawn(argv[0], argv, os.environ, file_actions=actions)
def kill(*_):
    killed.append(1)
    os.kill(pid, signal.SIGKILL)
signal.signal(signal.SIGALRM, kill)
signal.setitimer(signal.ITIMER_REAL, timeout)
_, status, usage = os.wait4(pid, 0)
seconds = time.perf_counter() - start
signal.setitimer(signal.ITIMER_REAL, 0)
with open(report, "w") as out:
    json.dump({"seconds": seconds, "maxrss_kib": usage.ru_maxrss, "exit_code": os.waitstatus_to_exitcode(status),
               "user_s": usage.ru_utime, "system_s": usage.ru_stime, "timed_out": bool(killed)}, out)
"""


#: The contenders' environment. Bytecode writing is switched back on: an installed package
#: has its ``.pyc`` files (pip compiles them), and the warm-up round writes them for the
#: editable checkout; with ``PYTHONDONTWRITEBYTECODE`` set (some shells and CI images set
#: it), every run would recompile each pure-Python module from source, ~90 ms for
#: kpi-engine's.
CHILD_ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def timed(argv: list[str], cwd: Path, log: Path, timeout: float) -> Outcome:
    """Run ``argv`` to completion (through :data:`LAUNCHER`): wall-clock seconds and peak RSS."""
    report = log.with_suffix(".rusage.json")
    report.unlink(missing_ok=True)
    subprocess.run([sys.executable, "-S", "-c", LAUNCHER, str(report), str(cwd), str(log), str(timeout), *argv],
                   check=True, stdin=subprocess.DEVNULL, env=CHILD_ENV)
    measured = json.loads(report.read_text())
    tail = ""
    if measured["exit_code"] != 0:
        tail = "\n".join(log.read_text(errors="replace").splitlines()[-15:])
    return Outcome(measured["seconds"], measured["maxrss_kib"], measured["exit_code"], tail, measured["timed_out"],
                   {"user_s": measured["user_s"], "system_s": measured["system_s"]})


def run_one(contender: Contender, data: Path, shape: str, work: Path, tag: str, timeout: float,
            reference: dict | None) -> dict:
    canonical = work / f"{contender.name}-{tag}.parquet"
    raw = work / f"{contender.name}-{tag}.raw.parquet" if contender.convert else canonical
    for stale in {canonical, raw}:
        stale.unlink(missing_ok=True)
    argv = contender.argv(data, shape, raw)
    outcome = timed(argv, contender.cwd, work / f"{contender.name}-{tag}.log", timeout)
    record = {"seconds": outcome.seconds, "maxrss_kib": outcome.maxrss_kib, "exit_code": outcome.exit_code,
              **outcome.extra}
    if outcome.exit_code != 0 or not raw.exists():
        reason = "timed out" if outcome.timed_out else f"exit code {outcome.exit_code}"
        record["error"] = f"{reason}\n{outcome.log_tail}".strip() if outcome.exit_code else "no output file written"
        record["match"] = None
        return record
    try:
        if contender.convert:
            contender.convert(raw, shape, canonical)
        got = common.read(canonical)
    except Exception as error:  # an unreadable or malformed result is a mismatch, shown as such
        record["match"] = False
        record["problems"] = [f"cannot read the result: {type(error).__name__}: {error}"]
        return record
    record["rows"] = len(got)
    record["result"] = got
    if reference is None:
        record["match"] = None
    else:
        problems = common.differences(reference, got, limit=1_000_000)
        record["match"] = not problems
        if problems:
            record["problem_count"] = len(problems)
            record["problems"] = problems[:10]
    return record


# -- one data folder and shape --------------------------------------------------------------


def bench_shape(data: Path, shape: str, lineup: list[Contender], rounds: int, work: Path, timeout: float,
                say: Callable[[str], None]) -> dict:
    work.mkdir(parents=True, exist_ok=True)
    runnable = [c for c in lineup if not c.missing]
    results: dict[str, dict] = {
        c.name: {"label": c.label, "status": c.missing or "ok", "warmup": None, "runs": []} for c in lineup
    }

    reference = None
    for contender in runnable:  # warm-up: baseline first, its result is the reference
        record = run_one(contender, data, shape, work, "warmup", timeout, reference)
        if contender.name == "baseline":
            reference = record.pop("result", None)
            record["match"] = True if reference is not None else None
            if reference is None:
                say("  the baseline failed: results cannot be checked")
        record.pop("result", None)
        results[contender.name]["warmup"] = record
        say(_line(shape, "warm-up", contender, record))

    for index in range(rounds):
        shift = index % len(runnable)
        order = runnable[shift:] + runnable[:shift]
        this_round = {}
        for position, contender in enumerate(order):
            record = run_one(contender, data, shape, work, f"r{index + 1}", timeout, reference)
            record.pop("result", None)
            record.update(round=index + 1, position=position)
            this_round[contender.name] = record
            say(_line(shape, f"round {index + 1}", contender, record))
        base = this_round.get("baseline")
        for name, record in this_round.items():
            if base and "error" not in base and "error" not in record:
                record["ratio"] = record["seconds"] / base["seconds"]
                record["rss_ratio"] = record["maxrss_kib"] / base["maxrss_kib"]
            results[name]["runs"].append(record)

    for name, entry in results.items():
        if entry["status"] != "ok":
            continue
        runs = entry["runs"]
        every = [entry["warmup"], *runs]
        good = [r for r in runs if "error" not in r]
        if any("error" in r for r in every):
            entry["status"] = "failed"
        entry["summary"] = _summary(good, every)
    return {"contenders": results, "reference_rows": len(reference) if reference is not None else None}


def _summary(good: list[dict], every: list[dict]) -> dict:
    def median(key):
        values = [r[key] for r in good if key in r]
        return statistics.median(values) if values else None

    seconds = [r["seconds"] for r in good]
    checked = [r for r in every if r.get("match") is not None]
    return {
        "rounds_ok": len(good),
        "median_seconds": median("seconds"),
        "min_seconds": min(seconds) if seconds else None,
        "max_seconds": max(seconds) if seconds else None,
        "median_ratio": median("ratio"),
        "median_maxrss_kib": median("maxrss_kib"),
        "median_rss_ratio": median("rss_ratio"),
        "runs_checked": len(checked),
        "runs_matching": sum(1 for r in checked if r["match"]),
    }


def _line(shape: str, when: str, contender: Contender, record: dict) -> str:
    if "error" in record:
        verdict = "FAILED: " + record["error"].splitlines()[0]
    else:
        verdict = {True: "values match", False: "MISMATCH", None: "unchecked"}[record["match"]]
    return (f"  {shape:<13} {when:<9} {contender.name:<12} {record['seconds']:8.3f} s "
            f"{record['maxrss_kib'] / 1024:8.1f} MiB  {verdict}")


# -- compile time ---------------------------------------------------------------------------


def compile_time(shapes: list[str], processes: int, rounds: int, say: Callable[[str], None]) -> dict:
    """kpi-engine's load + plan + compile per shape: cold (first call, median over fresh
    processes) and warm (in-process medians of ``rounds`` after a warm-up)."""
    results = {}
    for shape in shapes:
        samples = []
        for _ in range(processes):
            done = subprocess.run(
                [sys.executable, str(HERE / "engine_runner.py"), "--compile-only", "--shape", shape,
                 "--rounds", str(rounds)],
                cwd=ROOT, capture_output=True, text=True, check=True, env=CHILD_ENV,
            )
            samples.append(json.loads(done.stdout))
        entry = {"processes": processes, "rounds": rounds, "samples": samples}
        for phase in ("cold", "warm"):
            entry[phase] = {key: statistics.median(s[phase][key] for s in samples)
                            for key in ("load_ms", "plan_compile_ms", "total_ms")}
        results[shape] = entry
        say(f"  compile {shape:<13} cold {entry['cold']['total_ms']:7.1f} ms "
            f"(load {entry['cold']['load_ms']:.1f} + plan/compile {entry['cold']['plan_compile_ms']:.1f}), "
            f"warm {entry['warm']['total_ms']:6.1f} ms")
    return results


# -- environment ----------------------------------------------------------------------------


def machine() -> dict:
    info = {"cores": os.cpu_count(), "kernel": platform.release(), "architecture": platform.machine()}
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                info["cpu"] = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                info["ram_gib"] = round(int(line.split()[1]) / 1024**2, 1)
    except OSError:
        pass
    try:
        release = dict(
            line.split("=", 1) for line in Path("/etc/os-release").read_text().splitlines() if "=" in line
        )
        info["os"] = release.get("PRETTY_NAME", "").strip('"')
    except OSError:
        info["os"] = platform.platform()
    info["load_average_at_start"] = os.getloadavg()
    return info


def versions() -> dict:
    from importlib.metadata import PackageNotFoundError, version

    found = {"python": platform.python_version()}
    for package in ("kpi-engine", "kpi-commerce", "duckdb", "pyarrow", "pandas", "numpy", "sqlglot"):
        try:
            found[package] = version(package)
        except PackageNotFoundError:
            found[package] = "not installed"
    try:
        commit = subprocess.run(["git", "rev-parse", "HEAD"], cwd=ROOT, capture_output=True, text=True).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], cwd=ROOT,
                               capture_output=True, text=True).stdout.strip()
        found["kpi-engine commit"] = (commit[:12] or "unknown") + (" (with uncommitted changes)" if dirty else "")
    except OSError:
        pass
    return found


def data_info(data: Path) -> dict:
    import pyarrow.parquet as pq

    info: dict = {"path": str(data), "label": data.resolve().name if data.name in ("", ".") else data.name}
    manifest = data / "manifest.json"
    if manifest.exists():
        try:
            info["manifest"] = json.loads(manifest.read_text())
        except ValueError:
            pass
    rows = {}
    for table in ("sessions", "orders"):
        path = data / f"{table}.parquet"
        if path.exists():
            rows[table] = pq.ParquetFile(path).metadata.num_rows
    info["rows"] = rows
    return info


# -- main -----------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, action="append", required=True,
                        help="data folder: commerce.duckdb and <table>.parquet files (repeatable)")
    parser.add_argument("--rounds", type=int, default=5, help="timed rounds (default 5)")
    parser.add_argument("--shapes", default=",".join(SHAPES), help="comma-separated (default: all three)")
    parser.add_argument("--contenders", default="",
                        help=f"comma-separated (default: all: {', '.join(report.BUILTIN)} and the peers)")
    parser.add_argument("--timeout", type=float, default=3600, help="seconds before a run is killed")
    parser.add_argument("--compile-processes", type=int, default=5,
                        help="fresh processes measuring kpi-engine's compile time, per shape (0: skip)")
    parser.add_argument("--out-dir", type=Path, default=OUT_DIR)
    parser.add_argument("--no-report", action="store_true", help="do not update RESULTS.md")
    args = parser.parse_args(argv)

    shapes = [s for s in args.shapes.split(",") if s]
    unknown = [s for s in shapes if s not in SHAPES]
    if unknown:
        parser.error(f"unknown shape(s): {', '.join(unknown)}")
    if args.rounds < 1:
        parser.error("--rounds must be at least 1")
    for data in args.data:
        if not (data / "commerce.duckdb").exists():
            parser.error(f"{data}: no commerce.duckdb")
    lineup = contenders([c for c in args.contenders.split(",") if c])

    def say(text: str) -> None:
        print(text, file=sys.stderr, flush=True)

    stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    args.out_dir.mkdir(parents=True, exist_ok=True)
    json_path = args.out_dir / f"results-{stamp}.json"
    peers = {c.name: peer_version(c) for c in lineup if c.name not in report.BUILTIN}
    results = {
        "started": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "command": shlex.join([Path(sys.executable).name, *sys.argv]),
        "rounds": args.rounds,
        "machine": machine(),
        "versions": versions(),
        "peers": peers,
        "contenders": {c.name: c.label for c in lineup},
        "compile": {},
        "datasets": [],
    }
    for name, text in peers.items():
        say(f"peer {name}: {text}")

    def save() -> None:
        results["finished"] = datetime.now(timezone.utc).isoformat(timespec="seconds")
        json_path.write_text(json.dumps(results, indent=2, default=str) + "\n")

    if args.compile_processes > 0 and any(c.name == "kpi-engine" for c in lineup):
        say("kpi-engine compile time")
        results["compile"] = compile_time(shapes, args.compile_processes, 20, say)
        save()

    for data in args.data:
        info = data_info(data)
        entry = {**info, "shapes": {}}
        results["datasets"].append(entry)
        say(f"data {info['label']}: {info['rows']}")
        for shape in shapes:
            work = args.out_dir / f"work-{stamp}" / info["label"] / shape
            entry["shapes"][shape] = bench_shape(data.resolve(), shape, lineup, args.rounds, work, args.timeout, say)
            save()
    save()
    say(f"raw results: {json_path}")

    if not args.no_report:
        written = report.update(json_path)
        say(f"report: {written}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
