"""The exceptions newsidx raises.

Every one derives from :class:`newsidx.Error`; its message is the one line
the ``newsidx`` command prints for the same failure (without the
``newsidx: `` prefix). None shadows a Python builtin.
"""

from __future__ import annotations

__all__ = [
    "Error",
    "QueryError",
    "OptionError",
    "IndexNotFoundError",
    "ArticleNotFoundError",
]


class Error(Exception):
    """Base class of every newsidx error (a damaged index, a full disk, …)."""


class QueryError(Error, ValueError):
    """The query does not parse (an unclosed quote, a bare ``-``, …)."""


class OptionError(Error, ValueError):
    """An argument out of range or unknown (``limit=0``, ``sort="x"``, a bad date)."""


class IndexNotFoundError(Error, FileNotFoundError):
    """No index at the path given (build one with :func:`newsidx.index`)."""


class ArticleNotFoundError(Error, LookupError):
    """No article with the id asked for."""
