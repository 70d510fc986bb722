"""The tables of question bank and tests."""
