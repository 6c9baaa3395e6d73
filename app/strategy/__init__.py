"""The business strategy: its focus areas (and later indicators and action plan)."""
