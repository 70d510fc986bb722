"""With CACHE_DIR set, the web processes share one cache (a folder), so the public certificate
check's limits count every process's lookups; unset, each process keeps its own in memory."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
COUNT = (
    "import django; django.setup(); from django.core.cache import cache; "
    "cache.add('shared', 0, 60); print(cache.incr('shared'))"
)


def _process(cache_dir: Path | None) -> str:
    env = {"DJANGO_SETTINGS_MODULE": "neurodaraja.settings", "DEBUG": "true", "PATH": "/usr/bin:/bin"}
    if cache_dir is not None:
        env["CACHE_DIR"] = str(cache_dir)
    done = subprocess.run(  # noqa: S603 (our own interpreter and a fixed script)
        [sys.executable, "-c", COUNT], cwd=ROOT, env=env, capture_output=True, text=True, check=True
    )
    return done.stdout.strip()


@pytest.mark.parametrize("shared", [True, False])
def test_two_processes_count_together_only_with_a_cache_dir(tmp_path, shared):
    cache_dir = tmp_path / "cache" if shared else None
    counts = [_process(cache_dir), _process(cache_dir)]
    assert counts == (["1", "2"] if shared else ["1", "1"])
