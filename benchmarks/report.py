"""Write benchmarks/RESULTS.md from the harness's raw results.

    python benchmarks/report.py [benchmarks/out/results-....json ...]

Without arguments, the newest ``benchmarks/out/results-*.json``. Each data set (``sf1``,
``sf10``, ...) of a results file becomes one section of RESULTS.md, replacing the section
of an earlier run on the same data set; sections of other data sets are kept. Sections
are ordered newest first.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
RESULTS = HERE / "RESULTS.md"
OUT_DIR = HERE / "out"

#: the contenders that are not peers (run.py runs these itself)
BUILTIN = ("baseline", "kpi-engine", "kpi-engine-cached", "per-kpi", "pandas")

#: issue 6's targets for kpi-engine, relative to the hand-written baseline
TIME_TARGET = 1.15
RSS_TARGET = 1.10

HEADER = """# Benchmark results

Written by `benchmarks/report.py` from the raw results `benchmarks/run.py` saves in
`benchmarks/out/`; one section per data set, newest first. What is measured and how to
read the tables: [README.md](README.md). Every figure is of a whole process (start,
imports, reading, computing, writing the result), run fresh each time, interleaved with
the other contenders; times are medians of the timed rounds, ratios the medians of the
per-round ratios to the hand-written baseline of the same round.

Targets (issue 6): kpi-engine's process time at most {time}x the baseline's, its peak
memory at most {rss}x, and faster than every peer.
""".format(time=TIME_TARGET, rss=RSS_TARGET)

#: Everything from this line to the end of RESULTS.md is written by hand (analysis, the
#: Spark reference, figures measured apart) and kept as it is when sections are rewritten.
NOTES = "<!-- notes: written by hand, kept by report.py -->"

_SECTION = re.compile(r"<!-- section (?P<label>\S+) (?P<stamp>\S+) -->\n.*?<!-- end section (?P=label) -->\n",
                      re.DOTALL)


def _f(value, digits=3, suffix="") -> str:
    return "–" if value is None else f"{value:.{digits}f}{suffix}"


def _mib(kib) -> str:
    return "–" if kib is None else f"{kib / 1024:.0f}"


def _match(entry: dict) -> str:
    status = entry["status"]
    if status.startswith("not installed"):
        return status
    summary = entry.get("summary") or {}
    if status == "failed" and not summary.get("rounds_ok"):
        return "**failed** (every run)"
    checked, matching = summary.get("runs_checked", 0), summary.get("runs_matching", 0)
    if checked == 0:
        text = "unchecked"
    elif matching == checked:
        text = "yes"
    else:
        text = f"**no** ({checked - matching} of {checked} runs differ)"
    if status == "failed":
        text += ", **some runs failed**"
    return text


def _shape_table(shape: str, result: dict, compile_: dict | None) -> list[str]:
    lines = [
        "| contender | median time (s) | ratio to baseline | min–max (s) | peak RSS (MiB) | RSS ratio | values match |",
        "|---|---:|---:|---:|---:|---:|---|",
    ]
    notes = []
    for name, entry in result["contenders"].items():
        summary = entry.get("summary")
        if not summary:
            lines.append(f"| {entry['label']} | – | – | – | – | – | {_match(entry)} |")
            continue
        span = "–" if summary["min_seconds"] is None else f"{_f(summary['min_seconds'])}–{_f(summary['max_seconds'])}"
        ratio = "1.00x" if name == "baseline" else _f(summary["median_ratio"], 2, "x")
        rss_ratio = "1.00x" if name == "baseline" else _f(summary["median_rss_ratio"], 2, "x")
        label = f"**{entry['label']}**" if name == "kpi-engine" else entry["label"]
        lines.append(
            f"| {label} | {_f(summary['median_seconds'])} | {ratio} | {span} | "
            f"{_mib(summary['median_maxrss_kib'])} | {rss_ratio} | {_match(entry)} |"
        )
        for run in [entry.get("warmup") or {}, *entry["runs"]]:
            when = f"round {run['round']}" if "round" in run else "warm-up"
            if run.get("error"):
                notes.append(f"- {entry['label']}, {when}: failed: `{run['error'].splitlines()[0]}`")
            if run.get("problems"):
                shown = "; ".join(run["problems"][:3])
                notes.append(f"- {entry['label']}, {when}: {run.get('problem_count', len(run['problems']))} "
                             f"differences, e.g. {shown}")
    lines.append("")
    if result.get("reference_rows") is not None:
        keys = "KPI x month" + (" x slice" if shape != "month" else "")
        lines.append(f"- Reference: {result['reference_rows']} non-null values ({keys}).")
    if compile_:
        cold, warm = compile_["cold"], compile_["warm"]
        lines.append(
            f"- kpi-engine compile time (load the shipped catalog + plan + compile to SQL, in-process): "
            f"first call in a fresh process {cold['total_ms']:.1f} ms (load {cold['load_ms']:.1f}, "
            f"plan + compile {cold['plan_compile_ms']:.1f}; median of {compile_['processes']} process"
            f"{'es' if compile_['processes'] != 1 else ''}); "
            f"warm {warm['total_ms']:.1f} ms (median of {compile_['rounds']} after a warm-up)."
        )
    verdict = _targets(result)
    if verdict:
        lines.append(f"- {verdict}")
    if notes:
        lines += ["", "Failures and differences (every one recorded):", "", *notes[:40]]
        if len(notes) > 40:
            lines.append(f"- ... and {len(notes) - 40} more in the raw results")
    return lines


def _targets(result: dict) -> str | None:
    contenders = result["contenders"]
    engine = contenders.get("kpi-engine", {}).get("summary")
    if not engine or engine.get("median_ratio") is None:
        return None
    ratio, rss = engine["median_ratio"], engine["median_rss_ratio"]
    parts = [
        f"time {ratio:.2f}x (target ≤ {TIME_TARGET}x: {'met' if ratio <= TIME_TARGET else '**not met**'})",
        f"peak RSS {rss:.2f}x (target ≤ {RSS_TARGET}x: {'met' if rss <= RSS_TARGET else '**not met**'})",
    ]
    peers = []
    for name, entry in contenders.items():
        if name in BUILTIN:
            continue
        summary = entry.get("summary")
        if not summary or summary.get("median_seconds") is None:
            peers.append(f"{entry['label']}: {entry['status']}")
            continue
        faster = engine["median_seconds"] < summary["median_seconds"]
        peers.append(f"{entry['label']} {summary['median_seconds'] / engine['median_seconds']:.2f}x slower"
                     if faster else f"{entry['label']} **not slower** "
                     f"({summary['median_seconds']:.3f} s vs {engine['median_seconds']:.3f} s)")
    if peers:
        parts.append("peers: " + "; ".join(peers))
    cached = contenders.get("kpi-engine-cached", {}).get("summary")
    if cached and cached.get("median_ratio") is not None:
        parts.append(f"with the disk cache (a repeated run) time {cached['median_ratio']:.2f}x, "
                     f"peak RSS {cached['median_rss_ratio']:.2f}x")
    return "Targets for kpi-engine: " + ", ".join(parts) + "."


def _title(dataset: dict) -> str:
    rows = dataset.get("rows") or {}
    counts = ", ".join(f"{n:,} {table}" for table, n in rows.items())
    return f"{dataset['label']}" + (f" ({counts})" if counts else "")


def section(results: dict, dataset: dict) -> str:
    machine, versions = results["machine"], results["versions"]
    date = results.get("finished") or results["started"]
    lines = [
        f"## {_title(dataset)}",
        "",
        f"- Date: {date} (UTC); {results['rounds']} timed rounds after one warm-up round; "
        f"command `{results['command']}`",
        f"- Machine: {machine.get('cpu', '?')}, {machine.get('cores')} cores, {machine.get('ram_gib')} GiB RAM, "
        f"{machine.get('os', '?')}, Linux {machine.get('kernel')}; load average at start "
        + "/".join(f"{x:.2f}" for x in machine.get("load_average_at_start", ())),
        "- Versions: " + ", ".join(f"{k} {v}" for k, v in versions.items()),
    ]
    if results.get("peers"):
        lines.append("- Peers: " + "; ".join(f"{k}: {v}" for k, v in results["peers"].items()))
    manifest = dataset.get("manifest")
    if manifest:
        shown = {k: manifest[k] for k in ("generator", "seed", "sf") if k in manifest}
        lines.append(f"- Data: `{dataset['path']}`" + (f", {json.dumps(shown)}" if shown else ""))
    else:
        lines.append(f"- Data: `{dataset['path']}`")
    for shape, result in dataset["shapes"].items():
        lines += ["", f"### {shape}", ""]
        lines += _shape_table(shape, result, results.get("compile", {}).get(shape))
    return "\n".join(lines) + "\n"


def update(*json_paths: Path, target: Path = RESULTS) -> Path:
    existing = target.read_text() if target.exists() else ""
    generated, marker, hand_written = existing.partition(NOTES)
    notes = marker + hand_written
    sections = {m["label"]: (m["stamp"], m.group(0)) for m in _SECTION.finditer(generated)}
    for path in json_paths:
        results = json.loads(Path(path).read_text())
        stamp = (results.get("finished") or results["started"]).replace(" ", "T")
        for dataset in results["datasets"]:
            if not dataset["shapes"]:
                continue
            label = dataset["label"]
            body = section(results, dataset)
            sections[label] = (stamp, f"<!-- section {label} {stamp} -->\n{body}<!-- end section {label} -->\n")
    ordered = sorted(sections.values(), key=lambda item: item[0], reverse=True)
    target.write_text(HEADER + "".join("\n" + text for _, text in ordered) + ("\n" + notes if notes else ""))
    return target


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("results", type=Path, nargs="*", help="raw results (default: the newest in benchmarks/out)")
    parser.add_argument("--output", type=Path, default=RESULTS)
    args = parser.parse_args(argv)
    paths = args.results
    if not paths:
        found = sorted(OUT_DIR.glob("results-*.json"))
        if not found:
            parser.error(f"no results in {OUT_DIR}: run benchmarks/run.py first")
        paths = [found[-1]]
    print(update(*paths, target=args.output))
    return 0


if __name__ == "__main__":
    sys.exit(main())
