#!/usr/bin/env python3
"""Makes an N-times larger corpus from a JSONL corpus for scaling runs of nazir.

    bench/scale_corpus.py 10 /tmp/saudinewsnet.jsonl /tmp/saudinewsnet_x10.jsonl
    bench/e2e.sh /tmp/saudinewsnet_x10.jsonl

Replica r (0..N-1) is the input with
  - ids prefixed "r<r>-";
  - dates shifted by 45*r days (SaudiNewsNet spans three weeks, so replicas
    follow one another like a longer feed);
  - the 24 Arabic consonants below rotated by r places in text and title: a
    letter cipher, so a replica's words, shingles and story terms are new
    words with the same frequencies, and its republication structure (which
    articles copy which) is the original's. No replica near-duplicates
    another: a run on N replicas should find N times the groups.
Ciphered words are not Arabic any more for the stopword and month tables, so
story quality on replicas r >= 1 is not a measure of anything; speed and
memory are.
"""
import datetime
import json
import sys

LETTERS = "بتثجحخدذرزسشصضطظعغفقكلمن"


def main():
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    n, src, dst = int(sys.argv[1]), sys.argv[2], sys.argv[3]
    with open(src, encoding="utf-8") as f:
        docs = [json.loads(line) for line in f if line.strip()]
    with open(dst, "w", encoding="utf-8") as out:
        for r in range(n):
            k = r % len(LETTERS)
            table = str.maketrans(LETTERS, LETTERS[k:] + LETTERS[:k])
            for d in docs:
                e = dict(d)
                e["id"] = f"r{r}-{d['id']}"
                for field in ("text", "title"):
                    if isinstance(e.get(field), str):
                        e[field] = e[field].translate(table)
                date = e.get("date")
                if isinstance(date, str) and len(date) >= 10:
                    try:
                        day = datetime.date.fromisoformat(date[:10])
                        e["date"] = (day + datetime.timedelta(days=45 * r)).isoformat() + date[10:]
                    except ValueError:
                        pass
                out.write(json.dumps(e, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
