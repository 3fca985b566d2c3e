#!/usr/bin/env python3
"""Validates the story gold set and prints its statistics.

  python3 validate.py [--gold ../snn_stories_gold.tsv] [--selection ../snn_selection.tsv]

Checks: header (id, story, confidence, note); every id exists in the corpus
and is in the selection pool (snn_common.pool); no duplicate ids; confidence is
high/medium/low; rows sorted by (story, id); one note per story; every kept
seed of the selection file is in the gold file with the same story (the
selection file keeps the labels of draw time; labels renamed by the relabelling
to the shared guideline are mapped through RELABELLED); excluded seeds are
absent. Exits 1 on any error. Prints the counts that README.md quotes
(articles, stories, singletons, size distribution, multi-outlet stories,
confidence, stories with >= 5 members).
"""
import argparse
import collections
import os
import sys

import snn_common

HERE = os.path.dirname(os.path.abspath(__file__))
HEADER = "id\tstory\tconfidence\tnote"
CONFIDENCE = ("high", "medium", "low")
# Draw-time labels in snn_selection.tsv -> labels after the relabelling to
# ../shared/stories/GUIDELINE.md (see README.md, "Relabelling decisions").
RELABELLED = {
    "asir-bombing-reactions": "asir-mosque-bombing",
    "asir-bombing-security-chiefs-meeting": "asir-mosque-bombing",
    "asir-bombing-sim-cards": "asir-sim-cards-warning",
    "turkey-attacks-0810": "turkey-sultanbeyli-police-bombing-0810",
    "supercup-nassr-arrives-london": "supercup-2015-nassr-hilal",
    "jahfali-clips": "supercup-2015-nassr-hilal",
}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--gold", default=os.path.join(HERE, "..", "snn_stories_gold.tsv"))
    ap.add_argument("--selection", default=os.path.join(HERE, "..", "snn_selection.tsv"))
    a = ap.parse_args()
    errors = []
    docs = snn_common.load_corpus()
    by_id = {d["id"]: d for d in docs}
    pool_ids = {d["id"] for d in snn_common.pool(docs)}

    with open(a.gold, encoding="utf-8") as f:
        lines = f.read().splitlines()
    if lines[0] != HEADER:
        errors.append("bad header: %r" % lines[0])
    rows = []
    conf = {}
    for n, line in enumerate(lines[1:], 2):
        parts = line.split("\t")
        if len(parts) != 4 or not parts[0] or not parts[1]:
            errors.append("line %d: expected 4 fields id, story, confidence, note" % n)
            continue
        if parts[2] not in CONFIDENCE:
            errors.append("line %d: confidence %r not in %s" % (n, parts[2], "/".join(CONFIDENCE)))
        conf[parts[0]] = parts[2]
        rows.append((parts[0], parts[1], parts[3]))
    ids = [r[0] for r in rows]
    for i, c in collections.Counter(ids).items():
        if c > 1:
            errors.append("duplicate id %s" % i)
    for i in ids:
        if i not in by_id:
            errors.append("id not in corpus: %s" % i)
        elif i not in pool_ids:
            errors.append("id not in selection pool: %s" % i)
    if [(r[1], r[0]) for r in rows] != sorted((r[1], r[0]) for r in rows):
        errors.append("rows not sorted by story, id")
    notes = collections.defaultdict(set)
    for i, s, n in rows:
        notes[s].add(n)
    for s, ns in notes.items():
        if len(ns) != 1:
            errors.append("story %s has %d different notes" % (s, len(ns)))

    story_of = {r[0]: r[1] for r in rows}
    with open(a.selection, encoding="utf-8") as f:
        sel = [l.split("\t") for l in f.read().splitlines()[1:]]
    for rank, i, decision, story in sel:
        if decision == "kept":
            if story_of.get(i) != RELABELLED.get(story, story):
                errors.append("seed %s (rank %s) not in gold as %s" % (i, rank, story))
        elif i in story_of:
            errors.append("excluded seed %s is in gold" % i)

    members = collections.defaultdict(list)
    for i, s, _ in rows:
        members[s].append(i)
    sizes = collections.Counter(len(v) for v in members.values())
    multi = sum(1 for v in members.values()
                if len({by_id[i]["source"] for i in v if i in by_id}) > 1)
    multi_member = sum(1 for v in members.values() if len(v) > 1)
    print("articles:", len(rows))
    print("stories:", len(members))
    print("singletons:", sizes[1])
    print("multi-member stories:", multi_member)
    print("multi-outlet stories:", multi)
    print("size distribution:", ", ".join("%d:%d" % (k, sizes[k]) for k in sorted(sizes)))
    print("outlets:", ", ".join("%s %d" % kv for kv in sorted(
        collections.Counter(by_id[i]["source"] for i in ids if i in by_id).items())))
    print("days:", ", ".join("%s %d" % kv for kv in sorted(
        collections.Counter(by_id[i]["date"][:10] for i in ids if i in by_id).items())))
    print("confidence:", ", ".join("%s %d" % (c, sum(1 for v in conf.values() if v == c))
                                   for c in CONFIDENCE))
    print("stories with >= 5 members:")
    for s, v in sorted(members.items(), key=lambda kv: (-len(kv[1]), kv[0])):
        if len(v) >= 5:
            print("  %3d %s" % (len(v), s))
    for e in errors:
        print("ERROR:", e, file=sys.stderr)
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
