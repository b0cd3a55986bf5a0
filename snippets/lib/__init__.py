"""Shared code the snippets import: reference layers, arithmetic, formatting, figure style."""
