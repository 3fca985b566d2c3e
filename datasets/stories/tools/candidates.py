#!/usr/bin/env python3
"""Surfaces candidate story members for a human labeller (prints to stdout
only; nothing is written). The labeller decides membership by reading.

  python3 candidates.py show ID...            title + lead of each id
  python3 candidates.py near ID... [--k 15]   pool articles most similar to
        the given ids (tf-idf cosine over title words, counted 3x, and text
        words; plus shared 5-word shingles), with title + lead
  python3 candidates.py batch FILE [--k 10 --min 0.12]   like near, for
        each id listed in FILE separately, titles only
  python3 candidates.py grep WORD...          pool articles whose normalized
        title+text contains all the given (normalized) words/phrases
  python3 candidates.py rare [--max-df 12]    groups of pool articles sharing
        a rare title word (2..max-df titles), largest groups first

Pool: snn_common.pool().
"""
import argparse
import collections
import math
import sys

import snn_common

LEAD = 300


def fmt(d, lead=LEAD):
    t = " ".join(d["text"].split())[:lead]
    return "%s | %-11s | %s\n      %s" % (d["id"], d["source"], d["title"].strip(), t)


def words(s):
    return [w for w in snn_common.normalize(s).split() if len(w) > 2]


class Index:
    def __init__(self, docs):
        self.docs = docs
        self.by_id = {d["id"]: d for d in docs}
        self.vec = {}
        self.sh = {}
        df = collections.Counter()
        tf = {}
        for d in docs:
            c = collections.Counter(words(d["text"]))
            for w in words(d["title"]):
                c[w] += 3
            tf[d["id"]] = c
            df.update(c.keys())
            tw = snn_common.normalize(d["text"]).split()
            self.sh[d["id"]] = {" ".join(tw[i:i + 5]) for i in range(len(tw) - 4)}
        n = len(docs)
        for i, c in tf.items():
            v = {w: (1 + math.log(k)) * math.log(n / df[w]) for w, k in c.items()}
            norm = math.sqrt(sum(x * x for x in v.values())) or 1.0
            self.vec[i] = {w: x / norm for w, x in v.items()}

    def near(self, ids, k):
        q = collections.Counter()
        qs = set()
        for i in ids:
            for w, x in self.vec[i].items():
                q[w] += x
            qs |= self.sh[i]
        scores = []
        for d in self.docs:
            if d["id"] in ids:
                continue
            v = self.vec[d["id"]]
            cos = sum(x * v.get(w, 0.0) for w, x in q.items()) / len(ids)
            s = self.sh[d["id"]]
            cont = len(qs & s) / max(1, min(len(qs), len(s)))
            scores.append((max(cos, cont), cos, cont, d))
        scores.sort(key=lambda t: -t[0])
        return scores[:k]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("mode", choices=["show", "near", "batch", "grep", "rare"])
    ap.add_argument("--min", type=float, default=0.12)
    ap.add_argument("args", nargs="*")
    ap.add_argument("--k", type=int, default=15)
    ap.add_argument("--max-df", type=int, default=12)
    ap.add_argument("--lead", type=int, default=None)
    a = ap.parse_args()
    docs = snn_common.pool(snn_common.load_corpus())
    by_id = {d["id"]: d for d in docs}
    if a.mode == "show":
        for i in a.args:
            print(fmt(by_id[i], a.lead or LEAD) if i in by_id else i + " NOT IN POOL")
    elif a.mode == "grep":
        pats = [snn_common.normalize(p) for p in a.args]
        for d in docs:
            s = " " + snn_common.normalize(d["title"] + " " + d["text"]) + " "
            if all(p in s for p in pats):
                print(fmt(d, a.lead or LEAD))
    elif a.mode == "near":
        idx = Index(docs)
        for sc, cos, cont, d in idx.near(set(a.args), a.k):
            print("%.2f cos=%.2f sh=%.2f %s" % (sc, cos, cont, fmt(d, a.lead or LEAD)))
    elif a.mode == "batch":
        idx = Index(docs)
        for line in open(a.args[0]):
            i = line.split()[0] if line.strip() else ""
            if i not in by_id:
                continue
            d = by_id[i]
            print("## %s %-11s %s" % (i, d["source"], d["title"].strip()[:100]))
            for sc, cos, cont, e in idx.near({i}, a.k):
                if sc < a.min:
                    break
                print("   %.2f %.2f %s %-11s %s" % (cos, cont, e["id"], e["source"],
                                                e["title"].strip()[:100]))
                if a.lead:
                    print("         " + " ".join(e["text"].split())[:a.lead])
    elif a.mode == "rare":
        df = collections.defaultdict(list)
        for d in docs:
            for w in set(words(d["title"])):
                df[w].append(d)
        groups = [(w, ds) for w, ds in df.items() if 2 <= len(ds) <= a.max_df]
        groups.sort(key=lambda t: -len(t[1]))
        for w, ds in groups:
            print("== %s (%d)" % (w, len(ds)))
            for d in ds:
                print("   %s %-11s %s" % (d["id"], d["source"], d["title"].strip()[:90]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
