"""A search from Python is `newsidx search --json`: same ids, order,
scores, passages and highlights, same counts."""

from __future__ import annotations

import struct
import threading
from typing import Any, Dict, List

import pytest

import newsidx

QUERIES = [
    "长江",
    "航天 火箭",
    "人工智能",
    '"长江" -江豚',
    "title:长江",
    "台湾 OR 上海",
    "嫦娥五号 月壤样品怎么研究",  # a question: relaxed
    "不存在的词语组合甲乙丙",
]


def f32(x: float) -> float:
    """`x` rounded to the f32 the library scored (JSON prints it short)."""
    return struct.unpack("f", struct.pack("f", x))[0]


def plain(hit: Dict[str, Any]) -> Dict[str, Any]:
    """A Python hit in the JSON's shapes: tuples as lists, f32 scores."""
    out: Dict[str, Any] = {}
    for k, v in hit.items():
        if k in ("title_highlights", "relaxed") and v is not None:
            v = [list(r) for r in v] if k == "title_highlights" else list(v)
        elif k == "passages":
            v = [{"text": p["text"], "highlights": [list(r) for r in p["highlights"]]} for p in v]
        elif k == "score" and v is not None:
            v = f32(v)
        out[k] = v
    return out


def cli_hits(lines: List[Dict[str, Any]]) -> List[Dict[str, Any]]:
    hits = []
    for h in lines:
        assert h.pop("type") == "hit"
        if h["score"] is not None:
            h["score"] = f32(h["score"])
        hits.append(h)
    return hits


@pytest.mark.parametrize("query", QUERIES)
def test_search_matches_the_cli(idx, cli, query):
    res = idx.search(query)
    lines, summary = cli.search(query)
    assert [plain(h) for h in res] == cli_hits(lines)
    assert (res.total_hits, res.relaxed_hits) == (summary["total_hits"], summary["relaxed_hits"])
    assert res.relaxed == (tuple(summary["relaxed"]) if summary["relaxed"] else None)
    assert len(res) == summary["returned"]


def test_the_queries_find_articles(idx):
    # The comparison above proves nothing on empty pages.
    assert sum(len(idx.search(q)) for q in QUERIES) > 20
    assert idx.search("嫦娥五号 月壤样品怎么研究").relaxed_hits > 0


@pytest.mark.parametrize(
    "kwargs, flags",
    [
        ({"limit": 3, "offset": 2}, ["--limit", "3", "--offset", "2"]),
        ({"sort": "date"}, ["--sort", "date"]),
        ({"since": "2023-01-01", "until": "2024-06-30"}, ["--since", "2023-01-01", "--until", "2024-06-30"]),
        ({"collapse": False, "passages": 1}, ["--no-collapse", "--passages", "1"]),
        ({"relax": False}, ["--no-relax"]),
    ],
)
def test_options_match_the_cli_flags(idx, cli, kwargs, flags):
    for q in ("长江", "嫦娥五号 月壤样品怎么研究", "人工智能"):
        res = idx.search(q, **kwargs)
        lines, summary = cli.search(*flags, q)
        assert [plain(h) for h in res] == cli_hits(lines), (q, kwargs)
        assert res.total_hits == summary["total_hits"]


def test_source_filter_is_a_source_clause(idx, cli):
    res = idx.search("长江", source="长江生态观察")
    lines, summary = cli.search('长江 source:"长江生态观察"')
    assert [h["id"] for h in res] == [h["id"] for h in lines]
    assert res.total_hits == summary["total_hits"] > 0
    assert res.total_hits < idx.search("长江").total_hits
    assert all("长江生态观察" in (h["source"] or "") for h in res)


def test_result_object(idx):
    res = idx.search("长江", limit=2)
    assert len(res) == 2 and res.total_hits > 2
    assert res[0]["rank"] == 1 and [h["rank"] for h in res] == [1, 2]
    assert res[:1] == [res[0]]
    assert "total_hits=" in repr(res)
    first = res[0]["passages"][0]
    s, e = first["highlights"][0]
    assert first["text"].encode()[s:e].decode() == "长江"


def test_count_matches_the_cli(idx, cli):
    assert idx.count("长江") == idx.search("长江").total_hits
    for by in ("year", "month", "source"):
        lines = cli.json_lines("count", "--json", "--by", by, "长江")
        want = {l["key"]: l["count"] for l in lines if l["type"] == "bucket"}
        got = idx.count("长江", by=by)
        assert list(got.items()) == list(want.items())
        assert sum(got.values()) == idx.count("长江") == lines[-1]["count"]


def test_stats_and_article(idx, cli):
    stats = idx.stats()
    (want,) = cli.json_lines("stats", "--json")
    want.pop("type")
    assert stats == want and stats["articles"] == 55
    hit = idx.search("江豚")[0]
    a = idx.article(hit["id"], "江豚")
    assert (a["id"], a["title"], a["date"], a["source"]) == (
        hit["id"], hit["title"], hit["date"], hit["source"])
    s, e = a["body_highlights"][0]
    assert a["body"].encode()[s:e].decode() == "江豚"
    assert idx.article(hit["id"])["body_highlights"] == []


def test_errors_are_the_cli_messages(idx, cli, index_dir, tmp_path):
    with pytest.raises(newsidx.QueryError) as e:
        idx.search('"abc')
    assert str(e.value) == cli.error("search", '"abc')
    assert isinstance(e.value, newsidx.Error) and isinstance(e.value, ValueError)

    missing = tmp_path / "none"
    with pytest.raises(newsidx.IndexNotFoundError) as e:
        newsidx.Index(missing)
    assert str(e.value) == newsidx_cli_error(cli, missing)
    assert isinstance(e.value, FileNotFoundError)

    with pytest.raises(newsidx.OptionError, match="limit must be at least 1"):
        idx.search("长江", limit=0)
    with pytest.raises(newsidx.OptionError, match="sort"):
        idx.search("长江", sort="newest")
    with pytest.raises(newsidx.OptionError) as e:
        idx.search("长江", since="20x")
    assert "since" in str(e.value)
    with pytest.raises(newsidx.OptionError, match="year, month or source"):
        idx.count("长江", by="week")
    with pytest.raises(newsidx.ArticleNotFoundError, match="no such id"):
        idx.article("no-such-article")
    with pytest.raises(newsidx.QueryError):
        idx.count('"abc')


def newsidx_cli_error(cli, index) -> str:
    from conftest import Cli

    return Cli(index).error("search", "长江")


def test_two_threads_search_at_once(idx):
    queries = ["长江", "人工智能", "航天 火箭", "嫦娥五号 月壤样品怎么研究"]
    alone = {q: [h["id"] for h in idx.search(q)] for q in queries}
    start = threading.Barrier(2)
    seen: List[Any] = []

    def work(qs):
        start.wait()
        for _ in range(15):
            for q in qs:
                seen.append((q, [h["id"] for h in idx.search(q)]))

    threads = [threading.Thread(target=work, args=(queries[i::2],)) for i in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(seen) == 60
    assert all(ids == alone[q] for q, ids in seen)


def test_to_pandas(idx):
    pd = pytest.importorskip("pandas")
    df = idx.search("长江").to_pandas()
    assert isinstance(df, pd.DataFrame)
    assert list(df["id"]) == [h["id"] for h in idx.search("长江")]
    assert list(df.columns)[:4] == ["rank", "score", "id", "title"]
    empty = idx.search("不存在的词语组合甲乙丙", relax=False).to_pandas()
    assert len(empty) == 0 and list(empty.columns) == list(df.columns)
