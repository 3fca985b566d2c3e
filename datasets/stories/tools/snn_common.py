"""Shared helpers for the SaudiNewsNet story gold set tools (stdlib only).

The corpus is read from ../shared (never copied into the repo). Set SNN_PATH to
override the default location.
"""
import json
import os
import re
import subprocess

DEFAULT_PATH = "/work/shared/datasets/saudinewsnet/saudinewsnet.jsonl.zst"
DAYS = ("2015-08-10", "2015-08-11")
MIN_TEXT_CHARS = 100

_DIACRITICS = re.compile("[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640]")
_NON_WORD = re.compile(r"[^\w]+")


def corpus_path():
    return os.environ.get("SNN_PATH", DEFAULT_PATH)


def load_corpus(path=None):
    """Returns all articles as a list of dicts, in file order."""
    path = path or corpus_path()
    out = subprocess.run(["zstd", "-dc", path], check=True,
                         capture_output=True).stdout
    return [json.loads(line) for line in out.decode("utf-8").splitlines()]


def normalize(s):
    """Light Arabic normalization: diacritics/tatweel, alef, ya, ta marbuta."""
    s = _DIACRITICS.sub("", s)
    s = re.sub("[إأآٱ]", "ا", s)
    s = s.replace("ى", "ي").replace("ة", "ه")
    s = _NON_WORD.sub(" ", s.lower())
    return " ".join(s.split())


def pool(docs):
    """The selection pool: articles of DAYS with >= MIN_TEXT_CHARS of text,
    exact re-crawls (same source, same normalized text) reduced to the
    lowest id. Returned sorted by id."""
    seen = set()
    out = []
    for d in sorted(docs, key=lambda d: d["id"]):
        if d["date"][:10] not in DAYS:
            continue
        if len(d["text"].strip()) < MIN_TEXT_CHARS:
            continue
        key = (d["source"], normalize(d["text"]))
        if key in seen:
            continue
        seen.add(key)
        out.append(d)
    return out
