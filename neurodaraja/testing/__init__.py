"""What every app's tests share, as pytest plugins (listed in the root conftest.py) and plain
helpers: the personas, cases built through the real actions, API clients, and a few helpers for
pages, PDFs, signing in and the audit trail. Test modules import from here, never from each
other, so a new app's tests plug in without touching another app's test files."""
