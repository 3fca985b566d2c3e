#!/usr/bin/env python3
"""Prints the random seed sample of the story gold set: "rank<TAB>id" lines in
sample order (rank 1 = first drawn).

  python3 select_sample.py [--n 200] [--seed 20150810]

Pool: see snn_common.pool(). The seed sample is random.Random(seed).sample
of the pool ids (sorted by id) of size n, printed in draw order. Seeds are
then taken in rank order, (by hand) filtered to news articles, and each kept
seed's story is completed with all its members in the pool; see ../README.md.
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
    for rank, i in enumerate(sample, 1):
        print("%d\t%s" % (rank, i))


if __name__ == "__main__":
    main()
