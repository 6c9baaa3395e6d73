"""Tests for the defects a mutation sample slipped past the whole suite (issue 13, survivors
3–7; 1 and 2 belong to search and restriction). Each was seen to fail with its defect put back."""
