#!/usr/bin/env python3
"""Peer indexers for the newsidx benchmark: SQLite FTS5 (trigram) and whoosh + jieba.

Both read the articles that `segment_floor --dump` wrote (JSON Lines of
{"title", "body"}, the exact text newsidx indexes), so every system indexes
the same bytes. Reading that file is not timed; building the index is.
Each command prints one JSON object on stdout; run it under
`/usr/bin/time -v` to get the peak RSS of the whole process.

    peers.py sqlite ARTICLES.jsonl DB_PATH [--words WORDS.txt]
    peers.py whoosh ARTICLES.jsonl INDEX_DIR [--limit 2000]
"""

import argparse
import json
import os
import shutil
import sqlite3
import sys
import time


def read_articles(path, limit=None):
    """The dumped articles as (title, body) pairs."""
    out = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            if limit is not None and len(out) >= limit:
                break
            a = json.loads(line)
            out.append((a.get("title") or "", a.get("body") or ""))
    return out


def text_bytes(articles):
    return sum(len(t.encode()) + len(b.encode()) for t, b in articles)


def dir_size(path):
    if os.path.isfile(path):
        return os.path.getsize(path)
    total = 0
    for root, _, files in os.walk(path):
        for name in files:
            total += os.path.getsize(os.path.join(root, name))
    return total


def run_sqlite(args):
    """SQLite FTS5 with the trigram tokenizer (needs SQLite >= 3.34)."""
    version = tuple(int(x) for x in sqlite3.sqlite_version.split("."))
    if version < (3, 34, 0):
        print(json.dumps({"error": f"SQLite {sqlite3.sqlite_version} has no trigram tokenizer (needs 3.34)"}))
        return 0
    articles = read_articles(args.articles)
    for suffix in ("", "-wal", "-journal"):
        if os.path.exists(args.out + suffix):
            os.remove(args.out + suffix)
    start = time.perf_counter()
    db = sqlite3.connect(args.out)
    db.execute("PRAGMA journal_mode=OFF")
    db.execute("PRAGMA synchronous=OFF")
    db.execute("CREATE VIRTUAL TABLE docs USING fts5(title, body, tokenize='trigram')")
    db.executemany("INSERT INTO docs(title, body) VALUES (?, ?)", articles)
    db.commit()
    seconds = time.perf_counter() - start
    result = {
        "system": "sqlite-fts5-trigram",
        "sqlite_version": sqlite3.sqlite_version,
        "articles": len(articles),
        "text_bytes": text_bytes(articles),
        "seconds": seconds,
        "index_bytes": dir_size(args.out),
    }
    if args.words:
        with open(args.words, encoding="utf-8") as f:
            words = [w.strip() for w in f if w.strip()]
        found = {}
        times = []
        for w in words:
            q = '"' + w.replace('"', '""') + '"'
            t = time.perf_counter()
            n = db.execute("SELECT count(*) FROM docs WHERE docs MATCH ?", (q,)).fetchone()[0]
            times.append((time.perf_counter() - t) * 1000)
            found[w] = n
        times.sort()
        result["words_found"] = {w: n for w, n in found.items()}
        result["match_p50_ms"] = times[len(times) // 2]
    db.close()
    print(json.dumps(result, ensure_ascii=False))
    return 0


def run_whoosh(args):
    """whoosh with python jieba's ChineseAnalyzer on the first LIMIT articles."""
    import jieba
    from jieba.analyse import ChineseAnalyzer
    from whoosh.fields import ID, TEXT, Schema
    from whoosh.index import create_in

    jieba.setLogLevel(60)
    jieba.initialize()  # dictionary load is not part of indexing time
    articles = read_articles(args.articles, args.limit)
    if os.path.exists(args.out):
        shutil.rmtree(args.out)
    os.makedirs(args.out)
    analyzer = ChineseAnalyzer()
    schema = Schema(id=ID(stored=True), title=TEXT(analyzer=analyzer), body=TEXT(analyzer=analyzer))
    start = time.perf_counter()
    ix = create_in(args.out, schema)
    writer = ix.writer()
    for i, (title, body) in enumerate(articles):
        writer.add_document(id=str(i), title=title, body=body)
    writer.commit()
    seconds = time.perf_counter() - start
    print(json.dumps({
        "system": "whoosh+jieba",
        "articles": len(articles),
        "text_bytes": text_bytes(articles),
        "seconds": seconds,
        "index_bytes": dir_size(args.out),
    }))
    return 0


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = p.add_subparsers(dest="cmd", required=True)
    s = sub.add_parser("sqlite")
    s.add_argument("articles")
    s.add_argument("out")
    s.add_argument("--words")
    w = sub.add_parser("whoosh")
    w.add_argument("articles")
    w.add_argument("out")
    w.add_argument("--limit", type=int, default=2000)
    args = p.parse_args()
    return run_sqlite(args) if args.cmd == "sqlite" else run_whoosh(args)


if __name__ == "__main__":
    sys.exit(main())
