"""Fixtures: the bundled corpus indexed once per test session with
``newsidx.index``, and the ``newsidx`` binary built by ``cargo build
--release`` (or named by ``NEWSIDX_BIN``) to compare against."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path
from typing import Any, Dict, List, Tuple

import pytest

import newsidx

ROOT = Path(__file__).resolve().parents[2]


def binary() -> Path:
    named = os.environ.get("NEWSIDX_BIN")
    path = Path(named) if named else ROOT / "target" / "release" / "newsidx"
    if not path.is_file():
        pytest.fail(f"{path}: no newsidx binary; run `cargo build --release` first")
    return path


class Cli:
    """Runs the newsidx binary on one index."""

    def __init__(self, index: Path) -> None:
        self.bin = binary()
        self.index = index

    def run(self, *args: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            [str(self.bin), "-i", str(self.index), *args],
            capture_output=True,
            text=True,
            env={**os.environ, "NO_COLOR": "1"},
        )

    def json_lines(self, *args: str) -> List[Dict[str, Any]]:
        p = self.run(*args)
        assert p.returncode in (0, 1), p.stderr
        return [json.loads(line) for line in p.stdout.splitlines()]

    def search(self, *args: str) -> Tuple[List[Dict[str, Any]], Dict[str, Any]]:
        lines = self.json_lines("search", "--json", *args)
        assert lines and lines[-1]["type"] == "summary"
        return lines[:-1], lines[-1]

    def error(self, *args: str) -> str:
        """The one error line of a failing command, without `newsidx: `."""
        p = self.run(*args)
        assert p.returncode == 2, (p.returncode, p.stdout)
        lines = p.stderr.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("newsidx: "), p.stderr
        return lines[0][len("newsidx: "):]


@pytest.fixture(scope="session")
def index_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    d = tmp_path_factory.mktemp("idx")
    report = newsidx.index([ROOT / "corpus"], d, progress=False)
    assert report["articles_total"] == 55, report
    return d


@pytest.fixture(scope="session")
def idx(index_dir: Path) -> newsidx.Index:
    return newsidx.Index(index_dir)


@pytest.fixture(scope="session")
def cli(index_dir: Path) -> Cli:
    return Cli(index_dir)
