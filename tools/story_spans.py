#!/usr/bin/python3
"""Reads the story summaries `nazir cluster --stories FILE` writes and prints what a reader
checks first: the biggest stories with their sizes, outlets, date spans and titles, and how
many stories span more than --max-days days (a story is one event: a span of weeks is a
topic that chained events together).

  tools/story_spans.py STORIES.jsonl [--top 10] [--max-days 10]
"""
import argparse
import json
import sys
from datetime import datetime


def parse_date(s):
    if not s:
        return None
    return datetime.fromisoformat(s.replace("Z", "+00:00"))


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("stories")
    ap.add_argument("--top", type=int, default=10)
    ap.add_argument("--max-days", type=float, default=10.0)
    a = ap.parse_args()
    stories = []
    with open(a.stories, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            try:
                s = json.loads(line)
            except json.JSONDecodeError as e:
                sys.exit(f"{a.stories}:{n}: not a JSON line: {e}")
            first, last = parse_date(s.get("first_date")), parse_date(s.get("last_date"))
            s["span_days"] = (last - first).total_seconds() / 86400 if first and last else None
            stories.append(s)
    if not stories:
        sys.exit(f"{a.stories}: no story read")
    stories.sort(key=lambda s: (-s["size"], s["story"]))
    long = [s for s in stories if s["span_days"] is not None and s["span_days"] > a.max_days]
    print(f"{len(stories)} stories, {sum(s['size'] > 1 for s in stories)} with 2+ articles, "
          f"{len(long)} spanning more than {a.max_days:g} days "
          f"(longest {max((s['span_days'] or 0) for s in stories):.1f} days)")
    print(f"{'size':>6} {'days':>5} {'outlets':>7}  first .. last            title")
    for s in stories[: a.top]:
        span = "-" if s["span_days"] is None else f"{s['span_days']:.1f}"
        dates = f"{(s.get('first_date') or '?')[:10]} .. {(s.get('last_date') or '?')[:10]}"
        print(f"{s['size']:>6} {span:>5} {len(s['sources']):>7}  {dates}  {s.get('title', '')[:80]}")


if __name__ == "__main__":
    main()
