"""Snippets: each module computes the values and draws the figures of one idea."""
