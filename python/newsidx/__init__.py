"""newsidx: full-text search of Chinese news dumps, from Python.

The same library as the ``newsidx`` command (jieba words and CJK bigrams
over tantivy), called in process: a search returns the same articles, in
the same order, with the same highlights as ``newsidx search --json``.

>>> import newsidx
>>> newsidx.index(["corpus"], "idx")          # doctest: +SKIP
>>> idx = newsidx.Index("idx")                # doctest: +SKIP
>>> res = idx.search("台风 登陆", limit=5)          # doctest: +SKIP
>>> [h["id"] for h in res], res.total_hits         # doctest: +SKIP

Hits are dicts with the fields of the command line's JSON ``hit`` records
(``rank``, ``score``, ``id``, ``title``, ``title_highlights``, ``date``,
``source``, ``author``, ``url``, ``path``, ``passages``, ``duplicates``,
``relaxed``). Highlights are ``(start, end)`` UTF-8 *byte* offsets, as in
the JSON output: ``text.encode()[start:end].decode()`` is the match.

Searching, counting and indexing release the GIL, so threads can search
one :class:`Index` at once.
"""

from __future__ import annotations

import os
from typing import Any, Callable, Dict, Iterator, List, Optional, Sequence, Tuple, Union, overload

from . import _newsidx
from ._errors import (
    ArticleNotFoundError,
    Error,
    IndexNotFoundError,
    OptionError,
    QueryError,
)

__all__ = [
    "Index",
    "SearchResult",
    "index",
    "Error",
    "QueryError",
    "OptionError",
    "IndexNotFoundError",
    "ArticleNotFoundError",
]

__version__: str = _newsidx.__version__

PathLike = Union[str, "os.PathLike[str]"]
Hit = Dict[str, Any]

# The fields of a hit, in the JSON records' order (the columns of an empty
# DataFrame; a hit's own keys otherwise).
_HIT_FIELDS = (
    "rank", "score", "id", "title", "title_highlights", "date", "source",
    "author", "url", "path", "passages", "duplicates", "relaxed",
)


class SearchResult(Sequence[Hit]):
    """The hits of one search, best first, and what the search counted.

    A sequence of hit dicts (``len()``, indexing, iteration). Its
    attributes are the command line's ``summary`` record:

    ``total_hits``
        Articles that match the query as written, before collapsing and
        paging.
    ``relaxed_hits``
        Articles a relaxed search added (not in ``total_hits``), counted
        exactly up to 1,000; beyond that 1,000, a lower bound.
    ``relaxed_hits_exact``
        ``False`` when ``relaxed_hits`` is that lower bound.
    ``relaxed``
        ``(required, of)`` query units when the search was relaxed, else
        ``None``.
    ``elapsed_ms``
        Time the library took to search, in milliseconds.
    """

    __slots__ = (
        "query",
        "hits",
        "total_hits",
        "relaxed_hits",
        "relaxed_hits_exact",
        "relaxed",
        "elapsed_ms",
    )

    def __init__(self, query: str, hits: List[Hit], summary: Dict[str, Any]) -> None:
        self.query: str = query
        self.hits: List[Hit] = hits
        self.total_hits: int = summary["total_hits"]
        self.relaxed_hits: int = summary["relaxed_hits"]
        self.relaxed_hits_exact: bool = summary["relaxed_hits_exact"]
        relaxed = summary["relaxed"]
        self.relaxed: Optional[Tuple[int, int]] = tuple(relaxed) if relaxed else None  # type: ignore[assignment]
        self.elapsed_ms: float = summary["elapsed_ms"]

    def __len__(self) -> int:
        return len(self.hits)

    @overload
    def __getitem__(self, i: int) -> Hit: ...

    @overload
    def __getitem__(self, i: slice) -> List[Hit]: ...

    def __getitem__(self, i: Union[int, slice]) -> Union[Hit, List[Hit]]:
        return self.hits[i]

    def __iter__(self) -> Iterator[Hit]:
        return iter(self.hits)

    def __repr__(self) -> str:
        return (
            f"<SearchResult {self.query!r}: {len(self.hits)} hits shown, "
            f"total_hits={self.total_hits}, relaxed_hits={self.relaxed_hits}>"
        )

    def to_pandas(self) -> Any:
        """The hits as a pandas ``DataFrame``, one row per hit, the hit
        fields as columns (in the JSON records' order).

        pandas is not a dependency of newsidx: this raises ``ImportError``
        when it is not installed.
        """
        import pandas as pd

        columns = list(self.hits[0]) if self.hits else list(_HIT_FIELDS)
        return pd.DataFrame(self.hits, columns=columns)


class Index:
    """An index built by ``newsidx index`` (or :func:`newsidx.index`),
    opened for searching.

    Raises :class:`IndexNotFoundError` when ``path`` holds no index. One
    ``Index`` may be searched from several threads at once; it sees the
    index as it was when opened (open it again to see later runs).
    """

    def __init__(self, path: PathLike) -> None:
        self.path: str = os.fspath(path)
        self._native = _newsidx.NativeIndex(self.path)

    def __repr__(self) -> str:
        return f"newsidx.Index({self.path!r})"

    def search(
        self,
        query: str,
        limit: int = 10,
        offset: int = 0,
        sort: str = "relevance",
        since: Optional[str] = None,
        until: Optional[str] = None,
        source: Optional[str] = None,
        collapse: bool = True,
        relax: bool = True,
        passages: int = 3,
    ) -> SearchResult:
        """Searches like ``newsidx search --json QUERY``.

        ``query`` uses the command line's query language (words, "exact
        phrases", OR, -exclusions, title:…, source:…). ``limit`` and
        ``offset`` page the hits; ``sort`` is ``"relevance"`` or
        ``"date"`` (newest first); ``since``/``until`` bound the date
        (``"2023-07-13"`` or ``"2023年7月13日"``, both days included); ``source``
        keeps articles whose source contains it (the server's ``source``
        parameter, as ``source:"…"``); ``collapse=False`` shows
        near-duplicates (``--no-collapse``); ``relax=False`` never relaxes
        a query with too few matches (``--no-relax``); ``passages`` is the
        passages per hit (0 to 10).

        Raises :class:`QueryError` for a query that does not parse and
        :class:`OptionError` for a bad argument.
        """
        page = {
            "limit": limit,
            "offset": offset,
            "sort": sort,
            "collapse": collapse,
            "relax": relax,
            "passages": passages,
        }
        hits, summary = self._native.search(query, page, _filter(since, until, source))
        return SearchResult(query, hits, summary)

    @overload
    def count(
        self,
        query: str,
        by: None = None,
        since: Optional[str] = None,
        until: Optional[str] = None,
        source: Optional[str] = None,
    ) -> int: ...

    @overload
    def count(
        self,
        query: str,
        by: str,
        since: Optional[str] = None,
        until: Optional[str] = None,
        source: Optional[str] = None,
    ) -> Dict[Optional[str], int]: ...

    def count(
        self,
        query: str,
        by: Optional[str] = None,
        since: Optional[str] = None,
        until: Optional[str] = None,
        source: Optional[str] = None,
    ) -> Union[int, Dict[Optional[str], int]]:
        """Counts like ``newsidx count``: the articles that match ``query``
        as written (what ``total_hits`` counts; never relaxed).

        With ``by=None``, the number; with ``by="year"``, ``"month"`` or
        ``"source"``, a dict from bucket to count in the command line's
        order (dates ascending, sources most articles first), the key
        ``None`` for articles without a date or source, so the counts add
        up to the total. ``since``, ``until`` and ``source`` filter as in
        :meth:`search`.
        """
        total, buckets = self._native.count(query, by, _filter(since, until, source))
        if by is None:
            return total
        return dict(buckets)

    def stats(self) -> Dict[str, Any]:
        """The index's statistics: the record of ``newsidx stats --json``
        (articles, files, sources, date_min, date_max, dated_articles,
        index_bytes, schema_version, dictionary, segments)."""
        stats: Dict[str, Any] = self._native.stats()
        return stats

    def article(self, id: str, query: Optional[str] = None) -> Dict[str, Any]:
        """The article with this id, whole (the server's
        ``/api/articles/{id}``): id, title, date, source, author, url,
        path, body, and with ``query`` every match highlighted in
        ``title_highlights`` and ``body_highlights`` (byte offsets).

        Raises :class:`ArticleNotFoundError` when no article has this id.
        """
        article: Dict[str, Any] = self._native.article(id, query)
        return article


def _filter(since: Optional[str], until: Optional[str], source: Optional[str]) -> Dict[str, Optional[str]]:
    return {"since": since, "until": until, "source": source}


def index(
    paths: Union[PathLike, Sequence[PathLike]],
    index_path: PathLike,
    *,
    rebuild: bool = False,
    threads: Optional[int] = None,
    heap_mb: int = 192,
    prune: bool = True,
    user_dict: Optional[PathLike] = None,
    progress: Union[None, bool, Callable[[int, int, int, int], object]] = None,
) -> Dict[str, Any]:
    """Indexes files and folders into the index at ``index_path`` (created
    when missing), like ``newsidx index PATHS -i INDEX_PATH``.

    Only files that changed since the last run are read again; with
    ``prune`` (the default), articles of files deleted from the folders
    named are removed. ``rebuild=True`` starts from scratch; ``threads``
    (default: one per core), ``heap_mb`` and ``user_dict`` are the
    command's ``--threads``, ``--heap`` and ``--user-dict``.

    ``progress``: a callable is called as ``progress(files_done,
    files_total, bytes_done, bytes_total)`` once before the first file and
    after each (for a notebook's progress bar, e.g. tqdm's); an exception
    it raises is raised once the run is over (the run completes; later
    calls are skipped). ``True``/``False``: the command line's progress
    bar on the process's stderr, drawn only where that is a terminal, or
    none; ``None``, the default: the bar when stderr is a terminal, as
    the command does.

    Returns the run's report: ``articles_added``, ``articles_total``,
    ``files_indexed``, ``files_unchanged``, ``files_removed``,
    ``files_skipped``, ``bytes_read``, ``seconds``, ``warnings`` (the
    messages the command prints as warnings, one string each) and
    ``passed_over``. Raises :class:`Error` when the run fails (a full
    disk, a folder that cannot be written).
    """
    if isinstance(paths, (str, os.PathLike)):
        paths = [paths]
    settings = {
        "rebuild": rebuild,
        "threads": threads,
        "heap_mb": heap_mb,
        "prune": prune,
        "user_dict": None if user_dict is None else os.fspath(user_dict),
        "progress": progress,
    }
    report: Dict[str, Any] = _newsidx.index(
        [os.fspath(p) for p in paths], os.fspath(index_path), settings
    )
    return report
