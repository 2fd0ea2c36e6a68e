#!/usr/bin/env python3
"""Fits the copy check's sharpness-dependent threshold to bench/eval_checker's verbose lines.

Each argument is a log of `eval_checker ... --max-copy-edge 0 -v` (stderr), optionally followed by
`:SET,SET` to take only those sets from it (so that two logs of the same captures are not counted
twice). A card line gives the set (G-* genuine, C a copy, C-fine a careful forger's copy), the copy
score, the front's estimated dpi and its edge spread in mm. Captures whose spread is over --gate mm,
or whose dpi is under --floor, are retakes and left out.

The threshold is copy_threshold + slope * clamp(ref - edge_px, 0, ref - 1), edge_px being the
spread in the capture's pixels (at most 600 dpi's, the forensic dpi). The script prints the pair
(ref, slope) with the widest margin on both sides for the given --base, with --fit-base the triple
(base, ref, slope), and how the given --base/--ref/--slope do (CheckerOptions::copy_threshold,
copy_sharp_edge_px and copy_threshold_per_px). The C-fine copies (a flatbed scan at 1200 dpi,
reprinted on the card printer) sit closest to the originals; they are kept at least --fine-margin
under the threshold, and the widest margin is sought for the others.

  bench/fit_copy_threshold.py e0.log e1.log gate.log:G-mild sharpen1.log ... --fit-base --ref 2.0 --slope 0.17
"""
import argparse
import re
import sys

LINE = re.compile(r"^(G-\S+|C|C-fine) \d+ \S+ verdict=\S+ .*copy=([\d.]+).*?, (\d+) dpi, edge ([\d.]+) mm")


def load(arg, gate, floor, forensic_dpi):
    path, _, sets = arg.partition(":")
    keep = set(sets.split(",")) if sets else None
    points = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            m = LINE.match(line)
            if not m or (keep and m.group(1) not in keep):
                continue
            score, dpi, edge = float(m.group(2)), float(m.group(3)), float(m.group(4))
            if score == 0 or edge == 0 or edge > gate + 1e-9 or dpi < floor:
                continue
            kind = "G" if m.group(1).startswith("G-") else "F" if m.group(1) == "C-fine" else "C"
            points.append((kind, score, edge * min(dpi, forensic_dpi) / 25.4))
    return points


def raise_of(edge_px, ref, slope):
    return slope * min(max(ref - edge_px, 0.0), max(ref - 1, 0.0))


def margins(points, ref, slope, base):
    """The least margin of the genuine captures, of the copies and of the careful copies."""
    out = {"G": float("inf"), "C": float("inf"), "F": float("inf")}
    for kind, score, edge in points:
        t = base + raise_of(edge, ref, slope)
        out[kind] = min(out[kind], score - t if kind == "G" else t - score)
    return out["G"], out["C"], out["F"]


def best_base(points, ref, slope, fine_margin):
    """The base with the widest margin for genuine captures and copies, the careful copies at least
    fine_margin under; None when no base keeps them so."""
    g, c, f = margins(points, ref, slope, 0.0)  # margins at base 0: g - base, c + base, f + base
    lo, hi = fine_margin - f, g - fine_margin
    if lo > hi:
        return None
    base = min(max((g - c) / 2, lo), hi)
    return min(g - base, c + base), base


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("logs", nargs="+")
    ap.add_argument("--gate", type=float, default=0.17, help="CheckerOptions::max_copy_edge_mm")
    ap.add_argument("--floor", type=float, default=380, help="CheckerOptions::min_copy_capture_dpi")
    ap.add_argument("--base", type=float, default=0.60, help="CheckerOptions::copy_threshold")
    ap.add_argument("--forensic-dpi", type=float, default=600)
    ap.add_argument("--ref", type=float, default=2.0)
    ap.add_argument("--slope", type=float, default=0.17)
    ap.add_argument("--fine-margin", type=float, default=0.008,
                    help="the least margin kept for the C-fine copies")
    ap.add_argument("--fit-base", action="store_true", help="fit the base threshold too")
    a = ap.parse_args()
    points = [p for arg in a.logs for p in load(arg, a.gate, a.floor, a.forensic_dpi)]
    count = {k: sum(1 for p in points if p[0] == k) for k in "GCF"}
    print(f"{len(points)} judged captures: {count['G']} genuine, {count['C']} copies, {count['F']} careful copies")
    if not count["G"] or not count["C"] + count["F"]:
        sys.exit("need both genuine cards and copies")
    grid = [(r / 10, s / 100) for r in range(15, 36) for s in range(0, 31)]
    best = max((min(margins(points, ref, slope, a.base)[:2]), ref, slope) for ref, slope in grid
               if margins(points, ref, slope, a.base)[2] >= a.fine_margin)
    print(f"base {a.base}: widest margin {best[0]:.4f} at ref {best[1]:.1f} px, slope {best[2]:.2f} per px")
    if a.fit_base:
        fits = [(fit, ref, slope) for ref, slope in grid if (fit := best_base(points, ref, slope, a.fine_margin))]
        (m, base), ref, slope = max(fits)
        print(f"with the base fitted too: widest margin {m:.4f} at base {base:.4f}, ref {ref:.1f} px, "
              f"slope {slope:.2f} per px")
    for name, ref, slope in (("fixed", a.ref, 0.0), ("given", a.ref, a.slope)):
        g, c, f = margins(points, ref, slope, a.base)
        under = sum(1 for k, s, e in points if k == "G" and s < a.base + raise_of(e, ref, slope))
        over = sum(1 for k, s, e in points if k != "G" and s >= a.base + raise_of(e, ref, slope))
        print(f"{name} (base {a.base}, ref {ref}, slope {slope}): margins genuine {g:.4f}, copies {c:.4f}, "
              f"careful copies {f:.4f}; genuine under {under}, copies over {over}")


if __name__ == "__main__":
    main()
