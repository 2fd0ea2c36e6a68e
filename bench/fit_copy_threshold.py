#!/usr/bin/env python3
"""Fits the copy check's sharpness-dependent threshold to bench/eval_checker's verbose lines.

Each argument is a log of `eval_checker ... --max-copy-edge 0 -v` (stderr), optionally followed by
`:SET,SET` to take only those sets from it (so that two logs of the same captures are not counted
twice). A card line gives the set (G-* genuine, C copy), the copy score, the front's estimated dpi
and its edge spread in mm. Captures whose spread is over --gate mm are retakes and left out.

The threshold is copy_threshold + slope * clamp(ref - edge_px, 0, ref - 1), edge_px being the
spread in the capture's pixels (at most 600 dpi's, the forensic dpi). The script prints the pair
(ref, slope) with the widest margin on both sides for the given --base, with --fit-base the triple
(base, ref, slope), and how the fixed threshold and the given --ref/--slope do
(CheckerOptions::copy_threshold, copy_sharp_edge_px and copy_threshold_per_px).

  bench/fit_copy_threshold.py e0.log e1.log gate.log:G-mild sharpen1.log ... --ref 2.5 --slope 0.09
"""
import argparse
import re
import sys

LINE = re.compile(r"^(G-\S+|C) \d+ \S+ verdict=\S+ .*copy=([\d.]+).*?, (\d+) dpi, edge ([\d.]+) mm")


def load(arg, gate, forensic_dpi):
    path, _, sets = arg.partition(":")
    keep = set(sets.split(",")) if sets else None
    points = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            m = LINE.match(line)
            if not m or (keep and m.group(1) not in keep):
                continue
            score, dpi, edge = float(m.group(2)), float(m.group(3)), float(m.group(4))
            if score == 0 or edge == 0 or edge > gate + 1e-9:
                continue
            points.append(("C" if m.group(1) == "C" else "G", score, edge * min(dpi, forensic_dpi) / 25.4))
    return points


def threshold(edge_px, ref, slope, base):
    return base + slope * min(max(ref - edge_px, 0.0), max(ref - 1, 0.0))


def margins(points, ref, slope, base):
    genuine = min((s - threshold(e, ref, slope, base) for c, s, e in points if c == "G"), default=float("inf"))
    copies = min((threshold(e, ref, slope, base) - s for c, s, e in points if c == "C"), default=float("inf"))
    return genuine, copies


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("logs", nargs="+")
    ap.add_argument("--gate", type=float, default=0.17, help="CheckerOptions::max_copy_edge_mm")
    ap.add_argument("--base", type=float, default=0.52, help="CheckerOptions::copy_threshold")
    ap.add_argument("--forensic-dpi", type=float, default=600)
    ap.add_argument("--ref", type=float, default=2.5)
    ap.add_argument("--slope", type=float, default=0.09)
    ap.add_argument("--fit-base", action="store_true", help="fit the base threshold too (0.40 to 0.80)")
    a = ap.parse_args()
    points = [p for arg in a.logs for p in load(arg, a.gate, a.forensic_dpi)]
    n_g = sum(1 for p in points if p[0] == "G")
    print(f"{len(points)} judged captures: {n_g} genuine, {len(points) - n_g} copies")
    if not n_g or n_g == len(points):
        sys.exit("need both genuine cards and copies")
    best = max(((min(margins(points, r / 20, s / 200, a.base)), r / 20, s / 200)
                for r in range(30, 70) for s in range(0, 60)))
    print(f"widest margin {best[0]:.4f} at ref {best[1]:.2f} px, slope {best[2]:.3f} per px")
    if a.fit_base:
        both = max(((min(margins(points, r / 20, s / 200, b / 400)), b / 400, r / 20, s / 200)
                    for b in range(160, 320) for r in range(30, 70, 2) for s in range(0, 60, 2)))
        print(f"with the base fitted too: widest margin {both[0]:.4f} at base {both[1]:.4f}, ref {both[2]:.2f} px, "
              f"slope {both[3]:.3f} per px")
    for name, ref, slope in (("fixed", a.ref, 0.0), ("given", a.ref, a.slope)):
        g, c = margins(points, ref, slope, a.base)
        under = sum(1 for k, s, e in points if k == "G" and s < threshold(e, ref, slope, a.base))
        over = sum(1 for k, s, e in points if k == "C" and s >= threshold(e, ref, slope, a.base))
        print(f"{name} (ref {ref}, slope {slope}): margins genuine {g:.4f}, copies {c:.4f}; "
              f"genuine under {under}, copies over {over}")


if __name__ == "__main__":
    main()
