"""The tables of workplace-based assessments."""
