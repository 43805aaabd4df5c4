#!/usr/bin/env python3
"""Per-estimator cost table (HVPs, gradients, loss evaluations, seconds) from a `trainkit analyze` analysis.json.

The numbers are the ones the analyzer itself records around each estimator (wall clock, products counted by the
Hessian operator); this script only lays them out. Used for README's sharpness cost table:
    trainkit train --config tools/sharpness/resnet20-1epoch.json --out /tmp/sharp2-run
    trainkit analyze /tmp/sharp2-run --budget quick
    python3 tools/sharpness/costs.py /tmp/sharp2-run/analysis.json
"""
import json
import sys


def rows(node, path=""):
    if isinstance(node, dict):
        if "seconds" in node and path != "total":
            yield path, node
        for key, value in node.items():
            if key != "settings":
                yield from rows(value, f"{path}.{key}" if path else key)


def main(file):
    report = json.load(open(file))
    subset = report.get("subset", {})
    print(f"{report['model']['parameters']} parameters, {subset.get('examples')} examples in {subset.get('batches')} batches")
    print("| estimator | value | HVPs | gradients | loss evals | seconds | s / HVP |")
    print("|---|---|---|---|---|---|---|")
    for path, n in rows(report):
        if path == "top_eigenvalues.lanczos":  # same run as lambda_max.lanczos
            continue
        hvps = n.get("hvps")
        per = f"{n['seconds'] / hvps:.1f}" if hvps else ""
        value = n.get("value")
        shown = f"{value:.4g}" if isinstance(value, (int, float)) else ""
        print(f"| {path} | {shown} | {hvps or ''} | {n.get('gradients') or ''} | {n.get('loss_evaluations') or ''} | {n['seconds']:.1f} | {per} |")
    t = report["total"]
    print(f"| total | | {t['hvps']} | {t['gradients']} | {t['loss_evaluations']} | {t['seconds']:.1f} | |")


if __name__ == "__main__":
    main(sys.argv[1])
