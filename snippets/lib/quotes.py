"""Numbers quoted from sources, and the rule that decides whether a computation agrees.

Every number taken from a source is a quote: the claims the audit checks, and the
published totals of `published_totals.PUBLISHED`. A quote keeps what the source printed and
how to read it: "267,960" is exact, "138M"
is rounded to millions, "over eight billion" is a lower bound, "roughly 60,000" allows
a few percent, and papers often cut rather than round ("3.8×10⁹" for 3.86×10⁹). The
verdict is decided here, by code, never typed: it matches, it is wrong, or it differs
only by accounting (the source counts something else, and counted its way it matches).
"""
from dataclasses import dataclass

ROUGHLY = 0.05  # "roughly", "about": within 5%


@dataclass(frozen=True)
class Quote:
    source: str  # who printed it, and where
    claim: str  # what the number is, in a few words
    printed: str  # the number as printed
    value: float  # what it says, as a number
    reading: str | None = "exact"  # exact, rounded, truncated, over, roughly; None: found by a search
    resolution: float = 1  # place value of the last printed digit (rounded, truncated)


READINGS = {
    "exact": lambda q, x: x == q.value,
    "rounded": lambda q, x: abs(x - q.value) <= q.resolution / 2,
    "truncated": lambda q, x: q.value <= x < q.value + q.resolution,
    "over": lambda q, x: x > q.value,
    "roughly": lambda q, x: abs(x / q.value - 1) <= ROUGHLY,
}


def agrees(quote, computed):
    """Whether `computed` is a number the source could have printed this way."""
    return READINGS[quote.reading](quote, computed)


def verdict(quote, computed, their_way=None, their_design=None):
    """'matches', 'wrong', 'differs by accounting' when `their_way` (the same network
    counted the source's way) agrees although `computed` does not, or 'differs by design'
    when `their_design` (the count of the network built as the source evidently built it,
    another architectural choice) agrees."""
    if agrees(quote, computed):
        return "matches"
    if their_way is not None and agrees(quote, their_way):
        return "differs by accounting"
    if their_design is not None and agrees(quote, their_design):
        return "differs by design"
    return "wrong"
