"""What a page weighs on a slow phone: its compressed HTML plus the site's style and script."""

from __future__ import annotations

import gzip

from django.contrib.staticfiles import finders

PAGE_BUDGET = 50 * 1024  # compressed, before images


def compressed(content: bytes) -> int:
    return len(gzip.compress(content, compresslevel=6))


def static_size() -> int:
    total = 0
    for path in ["css/site.css", "js/site.js"]:
        with open(finders.find(path), "rb") as handle:  # type: ignore[arg-type]
            total += compressed(handle.read())
    return total
