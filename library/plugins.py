"""What the library adds to the shared pages (core.plugins): its menu entry and its demo data.

No home-page card: the library is reference material, reached from the menu by everyone; the
home page keeps its cards for work waiting for the person."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from core.plugins import demo_loader, nav_entry
from library.demo import load_demo

nav_entry("library:list", _("Library"), order=50)


@demo_loader("library", after=["accounts"])
def demo_library() -> str:
    return load_demo()
