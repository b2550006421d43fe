"""The chart of act-bench --suite=backward: on the left GB/s of every
backward activation (12 bytes per element), bars per implementation, the
triad measured in the same run across as the bandwidth roof and 0.85 of it
as the memory-bound target; on the right the MLP training step, time per
step per batch and thread count, act against PyTorch eager, with the
speedup over each pair.

    backward_chart.py RESULTS.json CHART.png

RESULTS.json is what act-bench --suite=backward --json writes (act-bench
--chart runs this script itself). Needs matplotlib
(tools/requirements-bench.txt).
"""

import json
import sys

import matplotlib

matplotlib.use("Agg")  # files only, no display
import matplotlib.pyplot as plt  # noqa: E402

IMPLS = ["act", "onednn", "torch"]
COLORS = {"act": "#d62728", "onednn": "#1f77b4", "torch": "#ff7f0e"}


def backward_panel(ax, report):
    rows = report["rows"]
    workloads = [w["name"] for w in report["workloads"]]
    impls = [i for i in IMPLS if any(r["impl"] == i for r in rows)]
    width = 0.8 / max(1, len(impls))
    for j, impl in enumerate(impls):
        xs, ys = [], []
        for i, w in enumerate(workloads):
            for r in rows:
                if r["workload"] == w and r["impl"] == impl and r["gbps"]:
                    xs.append(i + (j - (len(impls) - 1) / 2) * width)
                    ys.append(r["gbps"])
        ax.bar(xs, ys, width, label=impl, color=COLORS.get(impl))
    triad = report["machine"].get("triad_gbps")
    if triad:
        ax.axhline(triad, color="black", linestyle="--", linewidth=1,
                   label="triad %.1f GB/s" % triad)
        target = report["meta"]["targets"]["memory_bound_vs_triad"]
        ax.axhline(target * triad, color="gray", linestyle=":",
                   linewidth=1, label="%.2f x triad" % target)
    ax.set_ylabel("GB/s (12 bytes / element)")
    ax.set_title("backward activations, 1 thread, %s elements" %
                 (report["workloads"][0]["elements"]
                  if report["workloads"] else "-"))
    ax.set_xticks(range(len(workloads)))
    ax.set_xticklabels(workloads, rotation=45, ha="right", fontsize=8)
    ax.set_xlim(-0.6, len(workloads) - 0.4)
    ax.grid(axis="y", alpha=0.3)
    ax.legend(fontsize=8)


def mlp_panel(ax, report):
    rows = report["mlp_rows"]
    groups = [(s["workload"], s["threads"]) for s in report["mlp_summary"]]
    speedups = {(s["workload"], s["threads"]): s["speedup_vs_torch"]
                for s in report["mlp_summary"]}
    width = 0.38
    for j, impl in enumerate(["act", "torch"]):
        xs, ys = [], []
        for i, (w, t) in enumerate(groups):
            for r in rows:
                if (r["workload"] == w and r["threads"] == t and
                        r["impl"] == impl and r["median_s"]):
                    xs.append(i + (j - 0.5) * width)
                    ys.append(r["median_s"] * 1e3)
        ax.bar(xs, ys, width, label=impl, color=COLORS[impl])
    for i, g in enumerate(groups):
        s = speedups.get(g)
        if s:
            top = max([r["median_s"] * 1e3 for r in rows
                       if (r["workload"], r["threads"]) == g and
                       r["median_s"]] or [0])
            ax.text(i, top * 1.15, "%.2fx" % s, ha="center", fontsize=8)
    ax.set_yscale("log")
    tops = [r["median_s"] * 1e3 for r in rows if r["median_s"]]
    if tops:
        # Room above the tallest bar for its speedup label.
        ax.set_ylim(top=max(tops) * 1.6)
    ax.set_ylabel("ms per step (median, log)")
    ax.set_title("MLP training step (forward + backward + SGD)")
    ax.set_xticks(range(len(groups)))
    ax.set_xticklabels(["%s\n%d thr" % g for g in groups], fontsize=8)
    ax.grid(axis="y", which="both", alpha=0.3)
    ax.legend(fontsize=8)


def main():
    if len(sys.argv) != 3:
        sys.exit("usage: backward_chart.py RESULTS.json CHART.png")
    with open(sys.argv[1]) as f:
        report = json.load(f)
    panels = [p for p, present in ((backward_panel, report["workloads"]),
                                   (mlp_panel, report["mlp_summary"]))
              if present]
    fig, axes = plt.subplots(1, max(1, len(panels)), squeeze=False,
                             figsize=(6.5 * max(1, len(panels)), 5),
                             gridspec_kw={"width_ratios":
                                          [3, 2][:len(panels)] or [1]})
    for ax, panel in zip(axes[0], panels):
        panel(ax, report)
    fig.suptitle("act-bench --suite=backward: %s" % report["machine"]["cpu"])
    fig.tight_layout()
    fig.savefig(sys.argv[2], dpi=110)


if __name__ == "__main__":
    main()
