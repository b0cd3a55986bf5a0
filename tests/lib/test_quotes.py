"""How a quoted number is read, on cases decided by hand."""
import pytest

from snippets.lib.quotes import Quote, agrees, verdict


@pytest.mark.parametrize("reading, value, resolution, computed, expected", [
    ("exact", 34_944, 1, 34_944, True),
    ("exact", 34_944, 1, 34_945, False),
    ("rounded", 138e6, 1e6, 138_357_544, True),  # "138M"
    ("rounded", 24e6, 1e6, 15_237_608, False),  # "24M"
    ("rounded", 4e9, 1e9, 4_001_536_000, True),  # "four billion"
    ("truncated", 3.8e9, 1e8, 3_857_973_248, True),  # a paper's "3.8×10⁹" for 3.86×10⁹
    ("rounded", 3.8e9, 1e8, 3_857_973_248, False),  # ... which rounding would make 3.9
    ("over", 8e9, 1, 8_003_072_000, True),
    ("over", 8e9, 1, 7_999_999_999, False),
    ("roughly", 60_000, 1, 59_733, True),
    ("roughly", 60_000, 1, 56_000, False),  # 6.7% off
])
def test_readings(reading, value, resolution, computed, expected):
    assert agrees(Quote("s", "c", "p", value, reading, resolution), computed) is expected


def test_verdicts():
    quote = Quote("s", "c", "14×14×32", 6272)
    assert verdict(quote, 6272) == "matches"
    assert verdict(quote, 5408) == "wrong"
    assert verdict(quote, 5408, their_way=6272) == "differs by accounting"
    assert verdict(quote, 5408, their_way=5000) == "wrong"
    assert verdict(quote, 5408, their_design=6272) == "differs by design"
    assert verdict(quote, 5408, their_way=5000, their_design=5000) == "wrong"
