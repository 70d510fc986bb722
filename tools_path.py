"""Where the stand-alone tools live, for the tests that run them."""

from pathlib import Path

TOOLS = Path(__file__).resolve().parent / "tools"
