"""The tables of certificates."""
