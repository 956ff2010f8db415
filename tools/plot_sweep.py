#!/usr/bin/env python3
"""Plot one outcome of a discsim sweep against a varied key (docs/sweeps.md).

    python3 tools/plot_sweep.py out/sweep/summary.csv --x force --series angle \
        --y idp_change_MPa -o plot.png

One line per value of --series (and one panel per value of --panel, e.g. the segment); failed
cases (status error or not converged) are left out and counted in the title. --y takes several
outcomes separated by commas, one row of panels each (the traction-time sweep's figure:
--y idp_before_last_step_MPa,idp_final_MPa,...). Needs python3-matplotlib (Debian).
"""
import argparse
import csv
import sys


def number(text):
    try:
        return float(text)
    except ValueError:
        return None


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("summary", help="summary.csv of a sweep")
    parser.add_argument("--x", required=True, help="varied key on the horizontal axis")
    parser.add_argument("--y", default="idp_change_MPa",
                        help="outcome column(s), comma-separated: one row of panels each")
    parser.add_argument("--series", help="varied key: one line per value")
    parser.add_argument("--panel", help="varied key: one panel per value (default: segment "
                        "when it was varied and is not --x or --series)")
    parser.add_argument("-o", "--output", default="plot.png", help="PNG file to write")
    args = parser.parse_args()

    with open(args.summary, newline="") as f:
        rows = list(csv.DictReader(f))
    if not rows:
        sys.exit("plot_sweep: %s has no cases yet" % args.summary)
    columns = rows[0].keys()
    panel = args.panel
    if panel is None and "segment" in columns and "segment" not in (args.x, args.series):
        panel = "segment"
    outcomes = args.y.split(",")
    for name in [args.x, args.series, panel] + outcomes:
        if name is not None and name not in columns:
            sys.exit("plot_sweep: no column '%s' in %s; columns: %s"
                     % (name, args.summary, ", ".join(columns)))

    try:
        import matplotlib
        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        sys.exit("plot_sweep: matplotlib is missing (apt-get install python3-matplotlib)")

    failed = [r for r in rows if r["status"] in ("error", "not converged")]
    good = [r for r in rows if r not in failed]
    panels = sorted({r[panel] for r in good}) if panel else [None]
    fig, axes = plt.subplots(len(outcomes), len(panels),
                             figsize=(5.5 * len(panels), 3.2 * len(outcomes) + 1.0),
                             squeeze=False, sharey="row", sharex=True)
    for row, y in enumerate(outcomes):
        for ax, p in zip(axes[row], panels):
            subset = [r for r in good if panel is None or r[panel] == p]
            groups = sorted({r[args.series] for r in subset},
                            key=lambda v: (number(v) is None, number(v) or 0, v)) \
                if args.series else [None]
            for g in groups:
                points = sorted((number(r[args.x]), number(r[y])) for r in subset
                                if (g is None or r[args.series] == g)
                                and number(r[args.x]) is not None and number(r[y]) is not None)
                if not points:
                    continue
                label = "%s %s" % (args.series, g) if g is not None else None
                ax.plot([x for x, _ in points], [v for _, v in points], marker="o", label=label)
            if row == len(outcomes) - 1:
                ax.set_xlabel(args.x)
            ax.grid(True, alpha=0.3)
            if p is not None and row == 0:
                ax.set_title("%s %s" % (panel, p))
            if args.series and row == 0:
                ax.legend(fontsize="small")
        axes[row][0].set_ylabel(y, fontsize="small")
    title = "%s against %s" % (", ".join(outcomes) if len(outcomes) < 3 else "outcomes", args.x)
    if failed:
        title += " (%d failed case(s) left out)" % len(failed)
    fig.suptitle(title)
    fig.tight_layout(rect=(0, 0, 1, 0.97))  # room for the title above the panel titles
    fig.savefig(args.output, dpi=120)
    print("plot_sweep: wrote %s" % args.output)


if __name__ == "__main__":
    main()
