#!/usr/bin/python3
"""Reference values for TrainKit's statistics (src/Training/Statistics), computed independently of the C# code.

Distributions use mpmath at 50 digits (betainc with regularized=True, roots by findroot); Fisher's test sums
exact rational hypergeometric probabilities; Kendall's tau-b counts n0, n1, n2 directly. Bootstraps re-implement
SplitMix64 and the type-7 percentile so the same seed must give the same interval. Kendall's partial tau uses the
closed form at 50 digits; the probability of improvement counts wins as exact fractions.
No SciPy (not installed here). Run:  /usr/bin/python3 tools/stats/reference.py > tests/Training.Tests/Statistics/reference.json
"""
import json
import math
from fractions import Fraction
from itertools import combinations

import mpmath as mp

mp.mp.dps = 50
MASK = (1 << 64) - 1


def t_quantile(p, nu):
    # P(T <= t) for t > 0 is 1 - I_{nu/(nu+t^2)}(nu/2, 1/2)/2
    cdf = lambda t: 1 - mp.betainc(mp.mpf(nu) / 2, mp.mpf(1) / 2, 0, nu / (nu + t * t), regularized=True) / 2
    return float(mp.findroot(lambda t: cdf(t) - p, mp.mpf(2)))


def t_two_sided_p(t, nu):
    return float(mp.betainc(mp.mpf(nu) / 2, mp.mpf(1) / 2, 0, nu / (nu + mp.mpf(t) ** 2), regularized=True))


def paired(variant, baseline):
    d = [v - b for v, b in zip(variant, baseline)]
    n = len(d)
    mean = mp.fsum(d) / n
    sd = mp.sqrt(mp.fsum((x - mean) ** 2 for x in d) / (n - 1))
    se = sd / mp.sqrt(n)
    q = t_quantile(0.975, n - 1)
    return {"variant": variant, "baseline": baseline, "n": n, "mean_diff": float(mean),
            "ci_low": float(mean - q * se), "ci_high": float(mean + q * se), "p_value": t_two_sided_p(mean / se, n - 1)}


def beta_quantile(a, b, p):
    lo, hi = mp.mpf(0), mp.mpf(1)
    for _ in range(120):  # bisection at 50 digits: far past double resolution
        mid = (lo + hi) / 2
        if mp.betainc(a, b, 0, mid, regularized=True) < p:
            lo = mid
        else:
            hi = mid
    return float((lo + hi) / 2)


def clopper_pearson(k, n, level=0.95):
    alpha = 1 - level
    low = 0.0 if k == 0 else beta_quantile(k, n - k + 1, alpha / 2)
    high = 1.0 if k == n else beta_quantile(k + 1, n - k, 1 - alpha / 2)
    return {"k": k, "n": n, "low": low, "high": high}


def fisher(a, b, c, d):
    r1, c1, n = a + b, a + c, a + b + c + d
    prob = lambda x: Fraction(math.comb(r1, x) * math.comb(n - r1, c1 - x), math.comb(n, c1))
    observed = prob(a)
    xs = range(max(0, c1 - (n - r1)), min(r1, c1) + 1)
    p = sum((prob(x) for x in xs if prob(x) <= observed * Fraction(10_000_001, 10_000_000)), Fraction(0))
    return {"table": [a, b, c, d], "p": float(min(p, 1))}


def kendall_tau_b(x, y):
    n0 = n1 = n2 = 0
    s = 0
    for i, j in combinations(range(len(x)), 2):
        n0 += 1
        dx, dy = x[i] - x[j], y[i] - y[j]
        n1 += dx == 0
        n2 += dy == 0
        s += (dx > 0) - (dx < 0) if dy > 0 else ((dx < 0) - (dx > 0) if dy < 0 else 0)
    denom = math.sqrt((n0 - n1) * (n0 - n2))
    return 0.0 if denom == 0 else s / denom


def granulated(points):
    axes = sorted(points[0]["axes"])
    per_axis = {}
    for axis in axes:
        groups = {}
        for p in points:
            key = tuple(p["axes"][a] for a in axes if a != axis)
            groups.setdefault(key, []).append(p)
        taus = [kendall_tau_b([p["x"] for p in g], [p["y"] for p in g]) for g in groups.values() if len(g) >= 2]
        if taus:
            per_axis[axis] = sum(taus) / len(taus)
    return {"points": points, "per_axis": per_axis, "psi": sum(per_axis.values()) / len(per_axis)}


class SplitMix64:
    def __init__(self, seed):
        self.state = seed & MASK

    def next(self):
        self.state = (self.state + 0x9E3779B97F4A7C15) & MASK
        z = self.state
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK
        return z ^ (z >> 31)

    def index(self, n):
        return self.next() % n


def quantile7(sorted_values, p):
    h = (len(sorted_values) - 1) * p
    lo = math.floor(h)
    if lo >= len(sorted_values) - 1:
        return sorted_values[-1]
    return sorted_values[lo] + (h - lo) * (sorted_values[lo + 1] - sorted_values[lo])


def bootstrap_mean(values, resamples, seed, level=0.95):
    rng = SplitMix64(seed)
    stats = []
    for _ in range(resamples):
        sample = [values[rng.index(len(values))] for _ in values]
        total = 0.0
        for v in sample:  # left-to-right, as the C# Sum() adds
            total += v
        stats.append(total / len(sample))
    stats.sort()
    return {"values": values, "resamples": resamples, "seed": seed,
            "low": quantile7(stats, (1 - level) / 2), "high": quantile7(stats, (1 + level) / 2)}


def iqm(scores):
    s = sorted(scores)
    cut = int(0.25 * len(s))
    kept = s[cut:len(s) - cut]
    total = 0.0
    for v in kept:
        total += v
    return total / len(kept)


def iqm_stratified(tasks, resamples, seed, level=0.95):
    rng = SplitMix64(seed)
    stats = []
    for _ in range(resamples):
        drawn = [task[rng.index(len(task))] for task in tasks for _ in task]
        stats.append(iqm(drawn))
    stats.sort()
    return {"tasks": tasks, "resamples": resamples, "seed": seed, "iqm": iqm([v for t in tasks for v in t]),
            "low": quantile7(stats, (1 - level) / 2), "high": quantile7(stats, (1 + level) / 2)}


def partial_tau(x, y, z):
    # Kendall (1942): tau_xy.z = (tau_xy - tau_xz tau_yz) / sqrt((1 - tau_xz^2)(1 - tau_yz^2)), at 50 digits
    xy, xz, yz = (mp.mpf(kendall_tau_b(a, b)) for a, b in [(x, y), (x, z), (y, z)])
    return {"x": x, "y": y, "z": z, "tau_xy": float(xy), "partial": float((xy - xz * yz) / mp.sqrt((1 - xz ** 2) * (1 - yz ** 2)))}


def tau_cluster_bootstrap(clusters, resamples, seed, level=0.95):
    # clusters: one list of [x, y] runs per configuration; a resample draws configurations, keeping all their runs
    rng = SplitMix64(seed)
    stats = []
    for _ in range(resamples):
        drawn = [run for _ in clusters for run in clusters[rng.index(len(clusters))]]
        stats.append(kendall_tau_b([r[0] for r in drawn], [r[1] for r in drawn]))
    stats.sort()
    runs = [r for c in clusters for r in c]
    return {"clusters": clusters, "resamples": resamples, "seed": seed,
            "tau": kendall_tau_b([r[0] for r in runs], [r[1] for r in runs]),
            "low": quantile7(stats, (1 - level) / 2), "high": quantile7(stats, (1 + level) / 2)}


def probability_of_improvement(tasks):
    # tasks: [x_runs, y_runs] per task; P(X > Y) per task (ties one half) as an exact fraction, then the mean over tasks
    per_task = [Fraction(sum(2 * (a > b) + (a == b) for a in x for b in y), 2 * len(x) * len(y)) for x, y in tasks]
    return {"tasks": tasks, "p": float(sum(per_task, Fraction(0)) / len(per_task))}


def main():
    out = {
        "t_quantile": [{"p": p, "df": df, "value": t_quantile(p, df)} for p, df in [(0.975, 1), (0.975, 2), (0.975, 4), (0.975, 9), (0.995, 29), (0.9, 3)]],
        "paired_t": [
            paired([0.81, 0.79, 0.84], [0.80, 0.80, 0.81]),
            paired([0.1, 0.1, 0.12, 0.09, 0.11], [0.80, 0.82, 0.79, 0.81, 0.8]),
            paired([89.9, 88.6, 89.34], [89.2, 90.1, 88.0]),
        ],
        "clopper_pearson": [clopper_pearson(k, n) for k, n in [(0, 3), (1, 3), (2, 3), (3, 3), (7, 20), (1, 1)]],
        "fisher": [fisher(*t) for t in [(3, 0, 0, 3), (1, 2, 3, 0), (0, 3, 3, 0), (2, 1, 1, 2), (8, 2, 1, 5), (0, 3, 0, 3)]],
        "kendall_tau_b": [{"x": x, "y": y, "tau": kendall_tau_b(x, y)} for x, y in [
            ([1, 2, 3, 4, 5], [2, 1, 4, 3, 5]),
            ([1, 1, 2, 3, 3, 4], [1, 2, 2, 3, 5, 4]),
            ([0.3, 0.1, 0.2, 0.2], [10, 30, 20, 25]),
            ([1, 2, 3], [5, 5, 5]),
        ]],
        "granulated_tau": [granulated([
            {"axes": {"lr": lr, "wd": wd}, "x": x, "y": y}
            for (lr, wd, x, y) in [("0.1", "0", 1.0, 0.5), ("0.2", "0", 2.0, 0.7), ("0.4", "0", 3.0, 0.6),
                                   ("0.1", "5e-4", 1.5, 0.2), ("0.2", "5e-4", 2.5, 0.3), ("0.4", "5e-4", 0.5, 0.4)]])],
        "partial_tau": [partial_tau(x, y, z) for x, y, z in [
            ([1, 2, 3, 4, 5, 6], [1, 3, 2, 5, 4, 6], [2, 1, 4, 3, 6, 5]),
            ([0.5, 0.1, 0.9, 0.3, 0.7, 0.2, 0.8], [0.2, 0.3, 0.6, 0.1, 0.5, 0.4, 0.9], [3, 1, 4, 1, 5, 9, 2]),
            ([1, 1, 2, 2, 3, 4], [2, 1, 3, 3, 5, 4], [1, 2, 2, 3, 3, 3]),
        ]],
        "tau_cluster_bootstrap": [tau_cluster_bootstrap([[[1.0, 0.2], [1.1, 0.25]], [[2.0, 0.3], [2.2, 0.2]], [[3.0, 0.5]],
                                                         [[4.0, 0.4], [3.9, 0.45], [4.1, 0.6]], [[5.0, 0.7], [5.5, 0.65]]], 1000, 20240601)],
        "probability_of_improvement": [probability_of_improvement([[[0.9, 0.8, 0.85], [0.8, 0.8, 0.7]], [[0.5, 0.6], [0.55, 0.5, 0.6]]]),
                                       probability_of_improvement([[[1.0], [1.0]]])],
        "bootstrap_mean": [bootstrap_mean([0.01, -0.02, 0.03, 0.015, 0.0], 2000, 20240601),
                           bootstrap_mean([1.0, 2.0, 4.0], 500, 7)],
        "iqm_stratified": [iqm_stratified([[0.9, 0.8, 0.85, 0.1], [0.5, 0.55, 0.6], [0.7, 0.72, 0.71, 0.2, 0.69]], 1000, 20240601)],
    }
    print(json.dumps(out, indent=1))


if __name__ == "__main__":
    main()
