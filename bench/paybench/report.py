"""The report: calls per second (median of the runs), paystack-rs's ratio to each library, the
targets (met / not met), import time and peak memory — as markdown and as JSON.

``results`` is the dict ``__main__`` builds (and ``latest.json`` holds); see ``__main__.collect``.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from . import tls
from .adapters import SUBJECT

#: The libraries the targets call peers: the pure-Python SDKs and the raw-HTTP clients httpx and
#: aiohttp. "The fastest peer" (list) and "the leanest peer" (memory) are taken over all of them,
#: so a raw client that beats every SDK is the one to beat.
PEERS = ("pypaystack2", "paystackease", "paystackapi", "httpx", "aiohttp")
DASH = "\u2013"
TIMES = "\u00d7"


def rate_text(rate: float) -> str:
    if rate >= 100:
        return f"{rate:,.0f}"
    if rate >= 10:
        return f"{rate:.0f}"
    return f"{rate:.1f}"


def ratio_text(ratio: float) -> str:
    if ratio >= 10:
        return f"{ratio:,.0f}{TIMES}"
    if ratio >= 1:
        return f"{ratio:.1f}{TIMES}"
    return f"{ratio:.2f}{TIMES}"


def _median_rate(workload: dict[str, Any], lib: str) -> float | None:
    cell = workload["results"].get(lib) or {}
    return cell.get("median")


def _workload(results: dict[str, Any], key: str) -> dict[str, Any] | None:
    return next((w for w in results["workloads"] if w["key"] == key), None)


def _ratio(results: dict[str, Any], key: str, other: str) -> float | None:
    """paystack-rs's rate over ``other``'s ("wrk" for the limit) in workload ``key``."""
    workload = _workload(results, key)
    if workload is None:
        return None
    mine = _median_rate(workload, SUBJECT)
    theirs = (workload.get("wrk") or {}).get("median") if other == "wrk" else _median_rate(workload, other)
    if not mine or not theirs:
        return None
    return mine / theirs


def _target(text: str, value: float | None, goal: float, shown: str | None = None, higher: bool = True) -> dict:
    met = None if value is None else (value >= goal if higher else value <= goal)
    if shown is None:
        shown = DASH if value is None else ratio_text(value)
    return {"target": text, "value": value, "goal": goal, "shown": shown, "met": met}


#: The project's rate targets (bench/README.md): (text, workload, the other library, the least ratio).
RATE_TARGETS = (
    ("sync verify \u2265 15{x} paystackease", "verify_seq", "paystackease", 15),
    ("sync verify \u2265 0.3{x} the wrk limit (1 connection)", "verify_seq", "wrk", 0.3),
    ("async verify, concurrency 64 \u2265 5{x} paystackease", "verify_async", "paystackease", 5),
    ("async verify, concurrency 64 \u2265 3{x} aiohttp", "verify_async", "aiohttp", 3),
    ("list of 1000 as dicts \u2265 2.5{x} the fastest peer ({fastest})", "list_page", None, 2.5),
    ("bulk initiate of 1000 validated items \u2265 5{x} paystackapi", "bulk_initiate", "paystackapi", 5),
    ("sync verify on 8 threads \u2265 15{x} requests.Session", "verify_threads", "requests.Session", 15),
)


def _fastest_peer(results: dict[str, Any], key: str) -> str | None:
    workload = _workload(results, key)
    if workload is None:
        return None
    rated = [(rate, lib) for lib in PEERS if (rate := _median_rate(workload, lib))]
    return max(rated)[1] if rated else None


def targets(results: dict[str, Any]) -> list[dict[str, Any]]:
    """The targets, each judged on the ratios within this one run."""
    out = []
    for text, key, other, goal in RATE_TARGETS:
        against = other or _fastest_peer(results, key)
        ratio = _ratio(results, key, against) if against else None
        shown = None
        workload = _workload(results, key)
        if ratio is not None and workload is not None:
            mine = _median_rate(workload, SUBJECT) or 0.0
            shown = f"{ratio_text(ratio)} ({rate_text(mine)}/s; the target needs {rate_text(mine / ratio * goal)}/s"
            limit = (workload.get("wrk") or {}).get("median")
            if limit:
                shown += f", {mine / ratio * goal / limit:.0%} of the wrk limit"
            shown += ")"
        out.append(_target(text.format(x=TIMES, fastest=against or DASH), ratio, goal, shown=shown))

    imports = results.get("import_time", {})
    mine = (imports.get(SUBJECT) or {}).get("median")
    theirs = (imports.get("pypaystack2") or {}).get("median")
    share = mine / theirs if mine and theirs else None
    out.append(
        _target(
            "`import paystack_rs` ≤ 1/10 of pypaystack2's import time",
            share,
            0.1,
            shown=DASH if share is None else f"{share:.3f} ({mine * 1000:.0f} ms vs {theirs * 1000:.0f} ms)",
            higher=False,
        )
    )

    memory = results.get("memory", {})
    mine_kib = (memory.get(SUBJECT) or {}).get("median_delta_kib")
    peer_kib = {lib: (memory.get(lib) or {}).get("median_delta_kib") for lib in PEERS}
    peer_kib = {lib: kib for lib, kib in peer_kib.items() if kib is not None}
    leanest = min(peer_kib, key=lambda lib: peer_kib[lib]) if peer_kib else None
    if mine_kib is not None and leanest is not None:
        value = mine_kib / peer_kib[leanest] if peer_kib[leanest] else None
        shown = f"{mine_kib / 1024:.1f} MiB vs {peer_kib[leanest] / 1024:.1f} MiB"
    else:
        value, shown = None, DASH
    out.append(
        _target(
            f"peak memory for the 5000-transaction page ≤ the leanest peer ({leanest or DASH})",
            value,
            1.0,
            shown=shown,
            higher=False,
        )
    )
    return out


#: A cell whose fastest run beats its slowest by more than this is listed as noisy.
NOISY = 0.25


def _quiet(meta: dict[str, Any]) -> str:
    """How much else ran on the machine meanwhile (it shows in the spread between runs)."""
    other, seconds, cpus = meta.get("other_cpu_seconds"), meta.get("seconds"), meta["machine"]["cpus"]
    if other is None or not seconds:
        return ""
    share = other / (seconds * cpus)
    return (
        f"Other processes used {other:.0f} CPU-seconds during the {seconds:.0f}-second run"
        f" ({share:.0%} of the machine){'; figures may be disturbed' if share > 0.05 else ''}."
    )


def _noisy(results: dict[str, Any]) -> list[str]:
    out = []
    for w in results["workloads"]:
        cells = dict(w["results"])
        if w.get("wrk"):
            cells["wrk"] = w["wrk"]
        for lib, cell in cells.items():
            runs = cell.get("runs") or []
            if len(runs) > 1 and min(runs) > 0 and max(runs) / min(runs) > 1 + NOISY:
                out.append(f"{w['key']} / {lib} ({max(runs) / min(runs) - 1:.0%})")
    return out


def _cell(workload: dict[str, Any], lib: str) -> str:
    cell = workload["results"].get(lib)
    if cell is None or "unsupported" in cell:
        return DASH
    if "error" in cell:
        return "error"
    return rate_text(cell["median"])


def _wrk_cell(workload: dict[str, Any]) -> str:
    wrk = workload.get("wrk")
    if not wrk:
        return DASH
    if "error" in wrk:
        return "error"
    if "median" not in wrk:
        return DASH
    return f"{rate_text(wrk['median'])} ({wrk['connections']} conn{'s' if wrk['connections'] > 1 else ''})"


def _table(header: list[str], rows: list[list[str]], numeric: bool = True) -> list[str]:
    """A markdown table; the first column left-aligned, the others right-aligned when ``numeric``."""
    align = "--:" if numeric else "---"
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join(["---"] + [align] * (len(header) - 1)) + "|"]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return lines


def markdown(results: dict[str, Any]) -> str:
    meta = results["meta"]
    libs = [lib["name"] for lib in results["libraries"]]
    others = [lib for lib in libs if lib != SUBJECT]
    lines = [
        f"# paystack-rs benchmark ({meta['mode']} run, {meta['date']})",
        "",
        f"Calls per second, median of {meta['runs']} runs of {meta['duration']:g} s each (a fresh process per run,",
        "after a warm-up), every answer checked to be the expected success. Machine: "
        f"{meta['machine']['cpus']} CPUs ({meta['machine']['cpu_model']}), Python {meta['machine']['python']}, "
        f"loopback to one nginx {meta['nginx']} ({meta['nginx_workers']} workers).",
        f"paystack-rs {meta['paystack_rs']['version']} at {meta['paystack_rs']['git']}. {_quiet(meta)}",
        "",
        "## Calls per second",
        "",
    ]
    rows = [[w["title"]] + [_cell(w, lib) for lib in libs] + [_wrk_cell(w)] for w in results["workloads"]]
    lines += _table(["workload", *libs, "wrk (limit)"], rows)
    noisy = _noisy(results)
    if noisy:
        lines += ["", f"Spread between runs (fastest / slowest) over {NOISY:.0%}: " + "; ".join(noisy) + "."]
    lines += ["", "## paystack-rs \u00f7 each (higher is better for paystack-rs)", ""]
    ratio_rows = []
    for w in results["workloads"]:
        row = [w["title"]]
        for other in [*others, "wrk"]:
            ratio = _ratio(results, w["key"], other)
            row.append(DASH if ratio is None else ratio_text(ratio))
        ratio_rows.append(row)
    lines += _table(["workload", *others, "wrk (limit)"], ratio_rows)

    lines += ["", "## Targets (ratios within this run)", ""]
    for t in results["targets"]:
        verdict = {True: "met", False: "NOT met", None: "not measured"}[t["met"]]
        lines.append(f"- **{verdict}** — {t['target']}: {t['shown']}")

    lines += ["", "## Import time (the import timed inside a fresh interpreter, median)", ""]
    import_rows = []
    for lib, cell in results.get("import_time", {}).items():
        statement = f"`{cell['statement']}`"
        if "median" in cell:
            runs = ", ".join(f"{s * 1000:.0f}" for s in cell["runs"])
            import_rows.append([lib, statement, f"{cell['median'] * 1000:.0f} ms", runs])
        else:
            import_rows.append([lib, statement, "error", cell.get("error", "")])
    lines += _table(["library", "import", "median", "runs (ms)"], import_rows)

    lines += [
        "",
        "## Peak memory: fetching and decoding one 5000-transaction page (8 MB)",
        "",
        "RSS high-water mark during the call, above the RSS just before it (in a fresh process, after",
        "the import, the client and one small call), median of the runs.",
        "",
    ]
    memory_rows = []
    for lib, cell in results.get("memory", {}).items():
        if "median_delta_kib" in cell:
            memory_rows.append(
                [
                    lib,
                    f"{cell['median_delta_kib'] / 1024:.1f} MiB",
                    f"{cell['median_baseline_kib'] / 1024:.1f} MiB",
                    f"{cell['median_peak_kib'] / 1024:.1f} MiB",
                ]
            )
        else:
            memory_rows.append([lib, "error", cell.get("error", ""), ""])
    lines += _table(["library", "peak above baseline", "RSS before the call", "RSS peak"], memory_rows)

    lines += ["", "## Libraries", ""]
    lines += _table(
        ["library", "version", "kind", "pointed at the local server by"],
        [[lib["name"], lib["version"], lib["kind"], lib["how_configured"]] for lib in results["libraries"]],
        numeric=False,
    )
    unsupported = [
        f"- {lib['name']}: {w} — {reason}" for lib in results["libraries"] for w, reason in lib["unsupported"].items()
    ]
    if unsupported:
        lines += ["", f"{DASH}: the library cannot do that workload:", "", *unsupported]
    problems = [f"- {lib}: {p}" for lib, check in results.get("wire_check", {}).items() for p in check["problems"]]
    lines += ["", "## Wire check", ""]
    lines += problems or [
        "Every library sent what the workloads ask for (method, path, perPage, key, the 1000 items)"
        " to a recording server before it was timed."
    ]
    lines += _tls_section(results)
    errors = results.get("errors", [])
    if errors:
        lines += ["", "## Errors", "", *[f"- {e}" for e in errors]]
    return "\n".join(lines) + "\n"


def _refusal(refused: dict[str, str]) -> str:
    """What each call said when the test CA was not trusted: the first error's type and the reason
    it names; once when every call said the same."""
    said = {}
    for method, message in refused.items():
        reason = tls.certificate_failure(message) or message[:80]
        said[method] = f"{message.split(':', 1)[0]}: {reason}".replace("|", "/")
    if len(set(said.values())) == 1:
        return next(iter(said.values()))
    return "; ".join(f"{method}: {text}" for method, text in said.items())


def _tls_section(results: dict[str, Any]) -> list[str]:
    checks = results.get("tls_check")
    if not checks:
        return []
    info = results["meta"].get("tls") or {}
    how = {lib["name"]: lib.get("how_ca", "") for lib in results["libraries"]}
    lines = [
        "",
        "## HTTPS (the TLS workloads)",
        "",
        f"nginx serves the same routes over {info.get('protocols', 'TLS')} with a certificate from a test CA"
        f" made for the run, offering {info.get('alpn', 'h2')} by ALPN. Every client is handed one bundle,"
        f" certifi's roots plus the test CA ({info.get('bundle_certificates', '?')} certificates), through its"
        " own CA setting, and verifies the certificate; connection set-up counts as each library does it"
        " (a pooled client keeps its connections; pypaystack2 builds a client, and an SSL context, per call;"
        " paystackapi opens a connection per call). wrk, the limit, speaks HTTP/1.1 over 1 or 64 kept-alive"
        " connections and verifies nothing.",
        "",
        "Before the timed runs each library made the TLS workloads' calls to a logging port of the same"
        " nginx, trusting the test CA (what it negotiated is below), then again with its default trust"
        " store, which must refuse the server.",
        "",
    ]
    rows = []
    for lib, check in checks.items():
        refused = _refusal(check.get("refused", {}))
        rows.append([lib, how.get(lib, ""), ", ".join(check.get("protocols", [])) or DASH, refused or DASH])
    lines += _table(["library", "given the CA by", "negotiated", "refused without the test CA"], rows, numeric=False)
    return lines


def write(results: dict[str, Any], out_dir: Path) -> tuple[Path, Path]:
    out_dir.mkdir(parents=True, exist_ok=True)
    md, js = out_dir / "latest.md", out_dir / "latest.json"
    md.write_text(markdown(results), encoding="utf-8")
    js.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return md, js
