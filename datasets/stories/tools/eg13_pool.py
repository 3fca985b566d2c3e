#!/usr/bin/env python3
"""Pool of the egnews13 story gold set (eg13_stories_gold.tsv).

The pool is every article of egnews13 whose `date` day is 2013-02-26 or
2013-02-27 and whose source is bbcarabic, cnnarabic, almasryalyoum or fjp
(no sampling, no filtering; exact re-crawls stay in the pool).

  python3 eg13_pool.py                      # pool ids, sorted by (date, id)
  python3 eg13_pool.py --show [--start N] [--count K] [--lead 250]
                                            # id, source, date, title, lead (for reading)
  python3 eg13_pool.py --grep WORD [WORD..] # pool articles whose title/text contain any WORD
  python3 eg13_pool.py --validate FILE      # check a gold file, print counts

The corpus is read from $EG13_PATH, or /tmp/eg13.jsonl if it exists, else
decompressed on the fly (zstd binary) from
../../../../shared/datasets/egnews13/egnews13.jsonl.zst (/work/shared/...).
Stdlib only.
"""
import argparse
import collections
import json
import os
import signal
import subprocess
import sys

signal.signal(signal.SIGPIPE, signal.SIG_DFL)  # allow piping into head

DAYS = ("2013-02-26", "2013-02-27")
SOURCES = ("bbcarabic", "cnnarabic", "almasryalyoum", "fjp")
CONFIDENCES = ("high", "medium", "low")
HERE = os.path.dirname(os.path.abspath(__file__))
ZST = os.path.normpath(os.path.join(HERE, "..", "..", "..", "..", "shared",
                                    "datasets", "egnews13", "egnews13.jsonl.zst"))
if not os.path.exists(ZST):
    ZST = "/work/shared/datasets/egnews13/egnews13.jsonl.zst"


def _lines():
    path = os.environ.get("EG13_PATH")
    if not path and os.path.exists("/tmp/eg13.jsonl"):
        path = "/tmp/eg13.jsonl"
    if path and not path.endswith(".zst"):
        with open(path, encoding="utf-8") as f:
            yield from f
        return
    p = subprocess.Popen(["zstd", "-dc", path or ZST], stdout=subprocess.PIPE)
    for raw in p.stdout:
        yield raw.decode("utf-8")
    p.wait()


def pool():
    out = []
    for line in _lines():
        # cheap prefilter before json parsing
        if '"date": "2013-02-2' not in line:
            continue
        d = json.loads(line)
        if d["source"] in SOURCES and d["date"][:10] in DAYS:
            out.append(d)
    out.sort(key=lambda d: (d["date"], d["id"]))
    return out


def show(docs, start, count, lead):
    for i, d in enumerate(docs[start:start + count], start):
        text = " ".join(d["text"].split())
        print("[%d] %s | %s | %s" % (i, d["id"], d["date"][5:16], d["title"]))
        print("    " + text[:lead])


def validate(docs, path):
    pool_ids = {d["id"] for d in docs}
    by_id = {d["id"]: d for d in docs}
    errors = []
    with open(path, encoding="utf-8") as f:
        lines = f.read().splitlines()
    if not lines or lines[0] != "id\tstory\tconfidence\tnote":
        errors.append("bad header: %r" % (lines[0] if lines else ""))
    rows = []
    for n, line in enumerate(lines[1:], 2):
        parts = line.split("\t")
        if len(parts) != 4 or not all(parts[:3]):
            errors.append("line %d: bad row %r" % (n, line))
            continue
        rows.append((n, *parts))
    seen = collections.Counter(r[1] for r in rows)
    for i, c in seen.items():
        if c > 1:
            errors.append("duplicate id %s (%d times)" % (i, c))
        if i not in pool_ids:
            errors.append("id not in pool: %s" % i)
    missing = sorted(pool_ids - set(seen))
    if missing:
        errors.append("%d pool ids missing, e.g. %s" % (len(missing), " ".join(missing[:5])))
    notes = collections.defaultdict(set)
    for n, i, s, c, note in rows:
        if c not in CONFIDENCES:
            errors.append("line %d: bad confidence %r" % (n, c))
        notes[s].add(note)
        if any("\u0600" <= ch <= "\u06ff" for ch in s + note):
            errors.append("line %d: Arabic text in story/note" % n)
    for s, ns in notes.items():
        if len(ns) != 1:
            errors.append("story %s has %d different notes" % (s, len(ns)))
    keys = [(r[2], r[1]) for r in rows]
    if keys != sorted(keys):
        errors.append("rows not sorted by (story, id)")

    stories = collections.defaultdict(list)
    for n, i, s, c, note in rows:
        if i in by_id:
            stories[s].append(by_id[i])
    sizes = collections.Counter(len(v) for v in stories.values())
    print("articles: %d (pool %d)" % (len(rows), len(pool_ids)))
    per = collections.Counter((d["source"], d["date"][:10]) for d in docs)
    for src in SOURCES:
        print("  %-14s %s" % (src, "  ".join("%s: %d" % (day, per[(src, day)]) for day in DAYS)))
    print("stories: %d; singletons: %d; multi-member: %d" %
          (len(stories), sizes[1], len(stories) - sizes[1]))
    multi = sum(1 for v in stories.values() if len({d["source"] for d in v}) > 1)
    print("multi-outlet stories: %d" % multi)
    both = sum(1 for v in stories.values() if len({d["date"][:10] for d in v}) > 1)
    print("stories spanning both days: %d" % both)
    print("size distribution: " + ", ".join("%d:%d" % kv for kv in sorted(sizes.items())))
    print("confidence: " + ", ".join("%s %d" % (c, sum(1 for r in rows if r[3] == c))
                                      for c in CONFIDENCES))
    print("stories with >= 5 members:")
    big = sorted(stories.items(), key=lambda kv: (-len(kv[1]), kv[0]))
    for s, v in big:
        if len(v) < 5:
            break
        src = collections.Counter(d["source"] for d in v)
        print("  %-40s %3d  %s" % (s, len(v), " ".join("%s:%d" % kv for kv in sorted(src.items()))))
    if errors:
        print("ERRORS (%d):" % len(errors))
        for e in errors[:50]:
            print("  " + e)
        return 1
    print("OK")
    return 0


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--show", action="store_true")
    ap.add_argument("--start", type=int, default=0)
    ap.add_argument("--count", type=int, default=10 ** 9)
    ap.add_argument("--lead", type=int, default=250)
    ap.add_argument("--grep", nargs="+")
    ap.add_argument("--validate", metavar="FILE")
    a = ap.parse_args()
    docs = pool()
    if a.validate:
        sys.exit(validate(docs, a.validate))
    if a.grep:
        for i, d in enumerate(docs):
            if any(w in d["title"] or w in d["text"] for w in a.grep):
                print("[%d] %s | %s | %s" % (i, d["id"], d["date"][5:16], d["title"]))
        return
    if a.show:
        show(docs, a.start, a.count, a.lead)
        return
    for d in docs:
        print(d["id"])


if __name__ == "__main__":
    main()
