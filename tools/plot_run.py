#!/usr/bin/python3
"""Plot the time course of a discsim run: IDP, disc height and fluid volume against time.

    python3 tools/plot_run.py out/day            # writes out/day/time_course.png
    python3 tools/plot_run.py out/day -o day.png --hours

Reads RUN/results.csv (docs/cli.md). Three panels sharing the time axis: the intradiscal
pressure (for the biphasic disc the interstitial fluid pressure p + pi a needle reads, and the
effective fluid pressure p), the disc height change (the vertebra's axial displacement from the
mesh), and the nucleus and disc fluid volume change from the initial state. The steps are
shaded alternately and named at the top. Needs python3-matplotlib (Debian). A run without
physical time (no durations) is plotted against its load history coordinate.
"""
import argparse
import csv
import os
import sys


def number(text):
    try:
        return float(text)
    except (TypeError, ValueError):
        return None


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("run", help="the run's output folder (with results.csv)")
    parser.add_argument("-o", "--output", help="PNG file (default RUN/time_course.png)")
    parser.add_argument("--hours", action="store_true", help="time in hours (default: the "
                        "unit that suits the run's length)")
    parser.add_argument("--title", help="the figure's title (default: the scenario's name)")
    args = parser.parse_args()

    path = os.path.join(args.run, "results.csv")
    try:
        with open(path, newline="") as f:
            rows = list(csv.DictReader(f))
    except OSError as e:
        sys.exit("plot_run: cannot read %s: %s" % (path, e.strerror))
    if not rows:
        sys.exit("plot_run: %s has no converged increment yet" % path)
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    timed = number(rows[0].get("time_s")) is not None
    t = [number(r["time_s"] if timed else r["time"]) for r in rows]
    if timed:
        span = max(t)
        unit, scale = ("h", 3600.0) if args.hours or span > 3 * 3600 else (
            ("min", 60.0) if span > 600 else ("s", 1.0))
        if span > 10 * 86400 and not args.hours:
            unit, scale = "d", 86400.0
        t = [x / scale for x in t]
        xlabel = "time (%s)" % unit
    else:
        xlabel = "load history (step + fraction)"
    biphasic = "nucleus_fluid_pressure_MPa" in rows[0]

    title = args.title
    if title is None:
        title = os.path.basename(os.path.normpath(args.run))
        scenario = os.path.join(args.run, "scenario.yaml")
        if os.path.exists(scenario):
            for line in open(scenario):
                if line.startswith("name:"):
                    title = line.split(":", 1)[1].strip().strip('"')
                    break

    panels = 3 if biphasic else 2
    fig, axes = plt.subplots(panels, 1, sharex=True, figsize=(8, 2.4 * panels + 0.8))
    # Steps (the scenario's, cycles merged): shaded alternately, named once.
    spans = []
    for x, r in zip(t, rows):
        name = r["step_name"].replace(" (held)", "")
        if " cycle " in name:
            name = name.split(" cycle ")[0]
        if spans and spans[-1][0] == name:
            spans[-1][2] = x
        else:
            spans.append([name, spans[-1][2] if spans else 0.0, x])
    for k, (name, a, b) in enumerate(spans):
        for ax in axes:
            if k % 2:
                ax.axvspan(a, b, color="0.93", zorder=0)
        axes[0].text((a + b) / 2, 1.02, name, transform=axes[0].get_xaxis_transform(),
                     ha="center", va="bottom", fontsize=8)

    idp = [number(r["idp_mean_MPa"]) for r in rows]
    axes[0].plot(t, idp, color="C3", label="IDP (nucleus, p + pi)" if biphasic else "IDP")
    if biphasic:
        axes[0].plot(t, [number(r["nucleus_fluid_pressure_MPa"]) for r in rows], color="C1",
                     lw=1, ls="--", label="effective fluid pressure p")
        axes[0].legend(fontsize=8, loc="best")
    axes[0].set_ylabel("pressure (MPa)")
    axes[0].axhline(0, color="0.6", lw=0.5)
    axes[1].plot(t, [number(r["height_change_mm"]) for r in rows], color="C0")
    axes[1].set_ylabel("height change (mm)")
    if biphasic:
        axes[2].plot(t, [number(r["nucleus_fluid_volume_change_mm3"]) / 1000 for r in rows],
                     color="C2", label="nucleus")
        axes[2].plot(t, [number(r["disc_fluid_volume_change_mm3"]) / 1000 for r in rows],
                     color="C2", ls="--", label="whole disc")
        axes[2].set_ylabel("fluid volume\nchange (ml)")
        axes[2].legend(fontsize=8, loc="best")
        axes[2].axhline(0, color="0.6", lw=0.5)
    axes[-1].set_xlabel(xlabel)
    for ax in axes:
        ax.grid(True, lw=0.3)
    fig.suptitle(title, fontsize=11)
    fig.tight_layout()
    out = args.output or os.path.join(args.run, "time_course.png")
    tmp = out + ".tmp.png"
    fig.savefig(tmp, dpi=130)
    os.replace(tmp, out)
    print("plot_run: wrote %s" % out)


if __name__ == "__main__":
    main()
