"""The tables of workshops and training sessions."""
