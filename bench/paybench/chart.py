"""The PNG chart: one panel per workload (calls per second, log scale), import time, peak memory,
and the targets."""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

from .adapters import SUBJECT

COLOURS = {"subject": "#d9480f", "peer": "#4c6ef5", "baseline": "#adb5bd", "limit": "#212529"}


def _bars(ax: Any, labels: list[str], values: list[float], kinds: list[str], unit: str, log: bool) -> None:
    y = list(range(len(labels)))[::-1]
    ax.barh(y, values, color=[COLOURS[k] for k in kinds], height=0.7)
    ax.set_yticks(y, labels, fontsize=8)
    top = max(values) if values else 1.0
    if log:
        from matplotlib.ticker import NullFormatter

        ax.set_xscale("log")
        ax.xaxis.set_minor_formatter(NullFormatter())
        ax.set_xlim(left=10 ** math.floor(math.log10(min(values) / 2)) if values else 1, right=top * 8)
    else:
        ax.set_xlim(left=0, right=top * 1.35)
    for yi, value in zip(y, values, strict=True):
        text = f"{value:,.0f}" if value >= 10 else f"{value:.1f}"
        ax.text(value * (1.08 if log else 1.02), yi, f"{text} {unit}".strip(), va="center", fontsize=7)
    ax.tick_params(axis="x", labelsize=7)
    ax.grid(axis="x", which="major", alpha=0.3)


def draw(results: dict[str, Any], path: Path) -> Path:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    kind_of = {lib["name"]: lib["kind"] for lib in results["libraries"]}
    # One panel per workload, then import time and memory, four to a row; the targets below.
    rows = max(2, math.ceil((len(results["workloads"]) + 2) / 4))
    fig = plt.figure(figsize=(18, 3.5 + 3.5 * rows))
    grid = fig.add_gridspec(rows + 1, 4, height_ratios=(*([1] * rows), 0.42))
    panels = iter([fig.add_subplot(grid[row, col]) for row in range(rows) for col in range(4)])
    for workload in results["workloads"]:
        ax = next(panels)
        labels, values, kinds = [], [], []
        for lib, cell in workload["results"].items():
            if cell.get("median"):
                labels.append(lib)
                values.append(cell["median"])
                kinds.append(kind_of.get(lib, "peer"))
        wrk = workload.get("wrk") or {}
        if wrk.get("median"):
            labels.append(f"wrk ({wrk['connections']} conn)")
            values.append(wrk["median"])
            kinds.append("limit")
        _bars(ax, labels, values, kinds, "", log=True)
        ax.set_title(f"{workload['title']}\ncalls/s, log scale", fontsize=9)

    ax = next(panels)
    imports = {lib: cell["median"] * 1000 for lib, cell in results.get("import_time", {}).items() if "median" in cell}
    _bars(ax, list(imports), list(imports.values()), [kind_of.get(lib, "peer") for lib in imports], "ms", log=False)
    ax.set_title("import time (ms, lower is better)", fontsize=9)

    ax = next(panels)
    memory = {
        lib: cell["median_delta_kib"] / 1024
        for lib, cell in results.get("memory", {}).items()
        if "median_delta_kib" in cell
    }
    _bars(ax, list(memory), list(memory.values()), [kind_of.get(lib, "peer") for lib in memory], "MiB", log=False)
    ax.set_title("peak memory, one 5000-transaction page\n(MiB above baseline, lower is better)", fontsize=9)
    for leftover in panels:
        leftover.axis("off")

    ax = fig.add_subplot(grid[rows, :])
    ax.axis("off")
    lines = ["Targets, ratios within this run:"]
    for t in results.get("targets", []):
        mark = {True: "met    ", False: "NOT met", None: "n/a    "}[t["met"]]
        lines.append(f"[{mark}] {t['target']}: {t['shown']}")
    ax.text(0.0, 1.0, "\n".join(lines), va="top", fontsize=8, family="monospace")

    meta = results["meta"]
    fig.suptitle(
        f"{SUBJECT} vs pure-Python Paystack SDKs — {meta['mode']} run {meta['date']}, "
        f"{meta['machine']['cpus']} CPUs, loopback nginx; median of {meta['runs']} runs",
        fontsize=12,
    )
    handles = [plt.Rectangle((0, 0), 1, 1, color=c) for c in COLOURS.values()]
    fig.legend(handles, ["paystack-rs", "Paystack SDKs", "raw HTTP", "wrk (limit)"], loc="lower center", ncol=4)
    fig.tight_layout(rect=(0, 0.03, 1, 0.96))
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path
