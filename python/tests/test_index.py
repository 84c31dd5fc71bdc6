"""`newsidx.index` is `newsidx index`: the same articles, runs that only
read what changed, errors as exceptions."""

from __future__ import annotations

import shutil

import pytest

import newsidx
from conftest import ROOT, Cli


def test_index_then_update(tmp_path):
    src = tmp_path / "src"
    shutil.copytree(ROOT / "corpus" / "text", src)
    d = tmp_path / "idx"
    first = newsidx.index(src, d, progress=False)
    assert first["articles_added"] == first["articles_total"] == 12
    assert first["files_indexed"] == 12 and first["warnings"] == []
    again = newsidx.index([src], d)
    assert again["articles_added"] == 0 and again["files_unchanged"] == 12
    (src / "new.txt").write_text("新闻标题\n\n长江口发现一群罕见的中华鲟幼鱼。\n", encoding="utf-8")
    third = newsidx.index([src], d)
    assert third["articles_added"] == 1 and third["articles_total"] == 13
    assert [h["path"] for h in newsidx.Index(d).search("中华鲟")] == [str(src / "new.txt")]
    rebuilt = newsidx.index([src], d, rebuild=True, threads=1)
    assert rebuilt["articles_added"] == 13


def test_same_index_as_the_cli(tmp_path, idx):
    d = tmp_path / "cli"
    p = Cli(d).run("index", "--quiet", str(ROOT / "corpus"))
    assert p.returncode == 0, p.stderr
    mine = newsidx.Index(d)
    for q in ("长江", "人工智能 医疗"):
        assert [h["id"] for h in mine.search(q)] == [h["id"] for h in idx.search(q)]


def test_index_errors(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    with pytest.raises(newsidx.Error):
        newsidx.index([ROOT / "corpus" / "text"], blocker / "idx")
    with pytest.raises(newsidx.OptionError):
        newsidx.index([], tmp_path / "idx")


def other_thread_runs(work) -> int:
    """How often another Python thread ran while `work()` ran. With forced
    switches off, it runs only while this thread gives the GIL up: never,
    had `work` held it throughout."""
    import sys
    import threading
    import time

    count = [0]
    stop = threading.Event()

    def spin():
        while not stop.is_set():
            count[0] += 1
            time.sleep(0.0001)

    interval = sys.getswitchinterval()
    sys.setswitchinterval(1000.0)
    t = threading.Thread(target=spin)
    try:
        t.start()
        before = count[0]
        work()
        return count[0] - before
    finally:
        stop.set()
        t.join()
        sys.setswitchinterval(interval)


def test_index_releases_the_gil(tmp_path):
    # (A search of the small corpus is over before the other thread is
    # woken; the index run is long enough to see.)
    d = tmp_path / "idx"
    assert other_thread_runs(lambda: newsidx.index([ROOT / "corpus"], d, progress=False)) > 0
    # The measure can fail: plain Python keeps the GIL.
    assert other_thread_runs(lambda: sum(range(2_000_000))) == 0


def test_progress_callback(tmp_path):
    src = tmp_path / "src"
    shutil.copytree(ROOT / "corpus" / "markdown", src)
    calls = []
    newsidx.index([src], tmp_path / "idx", progress=lambda *a: calls.append(a))
    size = sum(p.stat().st_size for p in src.iterdir())
    assert calls[0] == (0, 6, 0, size)
    assert calls[-1] == (6, 6, size, size) and len(calls) == 7
    assert [c[0] for c in calls] == list(range(7))

    def fails(*_):
        raise RuntimeError("stop")

    with pytest.raises(RuntimeError, match="stop"):
        newsidx.index([src], tmp_path / "idx2", progress=fails)
    with pytest.raises(newsidx.OptionError, match="progress"):
        newsidx.index([src], tmp_path / "idx3", progress="yes")
