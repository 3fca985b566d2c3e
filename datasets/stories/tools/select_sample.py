#!/usr/bin/env python3
"""Prints the random seed sample of the story gold set, one id per line.

  python3 select_sample.py [--n 200] [--seed 20150810]

Pool: see snn_common.pool(). The seed sample is random.Random(seed).sample
of the pool (sorted by id) of size n, printed sorted by id. The seed sample is
then (by hand) filtered to news articles and closed under story membership;
see ../README.md.
"""
import argparse
import random

import snn_common


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=200)
    ap.add_argument("--seed", type=int, default=20150810)
    args = ap.parse_args()
    p = snn_common.pool(snn_common.load_corpus())
    ids = [d["id"] for d in p]
    sample = random.Random(args.seed).sample(ids, args.n)
    for i in sorted(sample):
        print(i)


if __name__ == "__main__":
    main()
