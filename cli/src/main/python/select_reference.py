"""NumPy / scikit-learn references for `./alfer bench select`.

Runs, on the same data the Java benchmark used, the textbook implementations of
  * CoreSet's k-center greedy: initial distances to the labelled centres in
    blocks (BLAS), then one NumPy broadcast over the min-distance vector per
    new centre;
  * BADGE: the gradient embeddings (p - onehot(argmax p)) (x) x materialised
    in float64, as BADGE's own code does (scikit-learn would upcast float32
    input chunk by chunk on every step, about 4x slower), then
    scikit-learn's kmeans_plusplus with one trial per centre, as in BADGE.
Prints `coreset_ref_s=...` and `badge_ref_s=...` (seconds, loading excluded;
`badge_ref_s=NA` with --skip-badge, which the benchmark passes when the
float64 gradient embeddings would not fit in memory) and writes the k-center
picks, one row per line, to --coreset-picks.

usage: reference.py --dir DIR --budget B --seed S --coreset-picks FILE [--skip-badge]
DIR holds x.npy (n x d float32), p.npy (n x c float32), labelled.npy (n bool).
"""

import argparse
import time

import numpy as np
from sklearn.cluster import kmeans_plusplus


def kcenter_greedy(x, labelled, budget):
    sq = np.einsum("ij,ij->i", x, x)
    min_d = np.full(x.shape[0], np.inf, dtype=np.float32)
    centres = np.flatnonzero(labelled)
    for start in range(0, len(centres), 256):
        block = centres[start:start + 256]
        d = sq[:, None] + sq[block][None, :] - 2.0 * (x @ x[block].T)
        np.minimum(min_d, d.min(axis=1), out=min_d)
    if len(centres) == 0:
        min_d[:] = np.float32(np.finfo(np.float32).max)
    min_d[labelled] = -np.inf
    picks = []
    for _ in range(budget):
        i = int(np.argmax(min_d))
        picks.append(i)
        d = sq + sq[i] - 2.0 * (x @ x[i])
        np.minimum(min_d, d, out=min_d)
        min_d[i] = -np.inf
    return picks


def badge(x, p, labelled, budget, seed):
    unlabelled = ~labelled
    xu = x[unlabelled].astype(np.float64)
    pu = p[unlabelled].astype(np.float64)
    a = pu.copy()
    a[np.arange(len(a)), pu.argmax(axis=1)] -= 1.0
    g = (a[:, :, None] * xu[:, None, :]).reshape(len(a), -1)
    _, indices = kmeans_plusplus(g, n_clusters=budget, random_state=seed, n_local_trials=1)
    return indices


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--dir", required=True)
    parser.add_argument("--budget", type=int, required=True)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--coreset-picks", required=True)
    parser.add_argument("--skip-badge", action="store_true")
    args = parser.parse_args()

    x = np.load(f"{args.dir}/x.npy")
    p = np.load(f"{args.dir}/p.npy")
    labelled = np.load(f"{args.dir}/labelled.npy")

    start = time.perf_counter()
    picks = kcenter_greedy(x, labelled, args.budget)
    print(f"coreset_ref_s={time.perf_counter() - start:.3f}", flush=True)
    with open(args.coreset_picks, "w") as out:
        out.write("\n".join(str(i) for i in picks) + "\n")

    if args.skip_badge:
        print("badge_ref_s=NA", flush=True)
        return
    start = time.perf_counter()
    badge(x, p, labelled, args.budget, args.seed)
    print(f"badge_ref_s={time.perf_counter() - start:.3f}", flush=True)


if __name__ == "__main__":
    main()
