"""Audit of published numbers (docs/audit.md): every quoted number of the sources with its
reading and a verdict decided by code."""
