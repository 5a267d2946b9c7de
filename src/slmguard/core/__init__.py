"""Shared types, registries, configuration and errors."""
