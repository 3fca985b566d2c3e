#!/usr/bin/env python3
"""Regenerates the seed corpora of tests/fuzz/corpus/ from datasets/seed/.

Usage: tests/fuzz/make_seeds.py NAZIR_BINARY   (e.g. build/tools/nazir, a Release build)

Every seed is small (a few KB): texts are cut to their first sentences, and the
saved indexes use the smallest DF sketch (--df-width 12) and story source
sketch (source_df_log2_width=8). Rerun it when an index or story format
version changes, and commit the result.
"""
import json
import os
import shutil
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
CORPUS = os.path.join(ROOT, "tests", "fuzz", "corpus")
SMALL = ["--df-width", "12", "--story-opt", "source_df_log2_width=8", "--quiet"]


def seed_docs():
    with open(os.path.join(ROOT, "datasets", "seed", "seed_docs.jsonl"), encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def words(text, n):
    return " ".join(text.split()[:n])


def article(doc, id_, n_words, date=None, drop=0):
    w = doc["text"].split()[drop:drop + n_words]
    return {"id": id_, "source": doc["source"], "date": date or doc["date"],
            "title": doc["title"], "text": " ".join(w)}


def write_jsonl(path, docs):
    with open(path, "w", encoding="utf-8") as f:
        for d in docs:
            f.write(json.dumps(d, ensure_ascii=False) + "\n")


def put(target, name, data):
    d = os.path.join(CORPUS, target)
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, name), "wb") as f:
        f.write(data)


def story_blob(index_bytes):
    """The StoryClusterer blob inside an index: from its magic to the checksum."""
    at = index_bytes.find(b"NZSTORY1")
    return None if at < 0 else index_bytes[at:-8]


def main():
    nazir = os.path.abspath(sys.argv[1])
    docs = seed_docs()
    for target in ("normalize", "corpus_reader", "story_deserialize", "engine_open"):
        shutil.rmtree(os.path.join(CORPUS, target), ignore_errors=True)

    # normalize: byte 0 is the hamza mode, then raw text.
    put("normalize", "title_hamza", b"\x00" + docs[0]["title"].encode())
    put("normalize", "lead_seat", b"\x01" + words(docs[1]["text"], 60).encode())
    put("normalize", "lead_keep", b"\x02" + words(docs[3]["text"], 60).encode())
    put("normalize", "mixed", ("\x00قَالَ وَزِيرُ الخَارِجِيَّةِ الـــشيباني ١٥ مسؤول/مسئول "
                               "#الرياض @user_1 https://example.com/a?b=1 ﻻ "
                               "café ۱۲۳ 👍🏽 \u200f\u200c؟ ، ").encode()
        + b"\xff\xc3(\xe2\x82")

    # corpus_reader: byte 0 holds the reader's settings, then JSONL.
    lines = [json.dumps(article(d, d["id"], 25), ensure_ascii=False) for d in docs[:2]]
    put("corpus_reader", "two_articles_block3", b"\x02" + "\n".join(lines).encode() + b"\n")
    tricky = ("{\"id\":\"a1\",\"text\":\"\\u0627\\u0644\\u0631\\u064a\\u0627\\u0636 &quot;x&quot; "
              "&#8220;y&#8221; \\ud83d\\ude00\",\"date\":\"2015-07-22T10:00:00.5+03:00\"}\r\n"
              "\n"
              "{\"id\":\"a1\",\"text\":\"dup\"}\n"
              "{\"id\":7,\"text\":\"x\"}\n"
              "{\"text\":\"no id\"}\n"
              "{\"id\":\"a2\",\"text\":\"  \",\"date\":\"2015-02-30\",\"title\":5}\n"
              "not json\n"
              "{\"id\":\"a3\",\"text\":\"\\udc00 lone\"}\n"
              "{\"id\":\"a4\",\"title\":\"t\",\"source\":\"s\",\"date\":\"2015-07-22 01:02:03\"}")
    put("corpus_reader", "issues_block1", b"\x00" + tricky.encode() + b"\n{\"id\":\"a5\",\"text\":\"\xff\xfe\"}")
    put("corpus_reader", "issues_maxline40_batch2", b"\x50" + tricky.encode())
    put("corpus_reader", "entities_off_block13", b"\x25" + tricky.encode())

    with tempfile.TemporaryDirectory() as tmp:
        # Near-duplicates: the same lead twice (one cut short), another outlet's copy.
        a, b, c = docs[0], docs[3], docs[1]
        batch = [article(a, "a", 45), article(a, "a-copy", 35, date="2025-08-01"),
                 article(b, "b", 40), article(b, "b-cut", 30, drop=5),
                 article(c, "c", 30), {"id": "short", "text": "خبر قصير", "date": "2025-08-01"}]
        src = os.path.join(tmp, "batch.jsonl")
        write_jsonl(src, batch)
        runs = {
            "batch_stories": ["cluster", src] + SMALL,
            "batch_no_stories": ["cluster", src, "--no-stories"] + SMALL,
            "streaming": ["cluster", src, "--streaming"] + SMALL,
        }
        indexes = {}
        for name, args in runs.items():
            path = os.path.join(tmp, name + ".nzi")
            subprocess.run([nazir] + args + ["--save", path, "-o", os.devnull], check=True)
            indexes[name] = path
        # A feed continued from the batch, then a window that removes the oldest articles.
        later = os.path.join(tmp, "later.jsonl")
        write_jsonl(later, [article(c, "c-copy", 25, date="2025-08-09"),
                            article(docs[2], "d", 30, date="2025-08-10")])
        feed = os.path.join(tmp, "feed.nzi")
        shutil.copy(indexes["batch_stories"], feed)
        subprocess.run([nazir, "add", "--index", feed, later, "--keep-days", "3", "--quiet",
                        "-o", os.devnull], check=True)
        indexes["feed_keep_days"] = feed
        for name, path in indexes.items():
            with open(path, "rb") as f:
                data = f.read()
            put("engine_open", name, data)
            blob = story_blob(data)
            if blob is not None:
                put("story_deserialize", name, blob)


if __name__ == "__main__":
    main()
