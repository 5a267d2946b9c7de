"""Detectors that return a Verdict."""
