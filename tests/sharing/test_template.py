"""Template against swept filter, checked by brute force.

Oracles: images built pixel by pixel, the template's response as a sum over every pixel,
and the swept filter's responses as a sum over the pattern at every placement. The
patterns are 0/1 integers, so the sums are exact.
"""
import pytest

from snippets.sharing.template import CANVAS, PATTERN, SHIFTS, START

K = len(PATTERN)


def image(row, col):
    """A CANVAS × CANVAS list of lists with PATTERN's ones at (row, col)."""
    return [[PATTERN[r - row][c - col] if 0 <= r - row < K and 0 <= c - col < K else 0
             for c in range(CANVAS)] for r in range(CANVAS)]


def placements():
    return [(r, c) for r in range(CANVAS) for c in range(CANVAS) if r + K <= CANVAS and c + K <= CANVAS]


def swept(img, r, c):
    return sum(PATTERN[i][j] * img[r + i][c + j] for i in range(K) for j in range(K))


TEMPLATE = image(*START)
FULL = sum(v * v for row in PATTERN for v in row)
IMAGES = {s: image(START[0], START[1] + s) for s in SHIFTS}
TEMPLATE_RESPONSE = {s: sum(TEMPLATE[r][c] * img[r][c] for r in range(CANVAS) for c in range(CANVAS))
                     for s, img in IMAGES.items()}


@pytest.mark.covers("sharing_template", "canvas", "template_weights", "filter_weights", "positions",
                    "templates_weights_everywhere")
def test_weight_counts(values):
    assert tuple(values["canvas"]) == (CANVAS, CANVAS)
    assert values["template_weights"] == sum(len(row) for row in TEMPLATE)
    assert values["filter_weights"] == sum(len(row) for row in PATTERN)
    assert values["positions"] == len(placements())
    assert values["templates_weights_everywhere"] == len(placements()) * values["template_weights"]


@pytest.mark.covers("sharing_template", "responses", "template_blind_from")
def test_responses_by_brute_force(values):
    assert [row["shift (pixels)"] for row in values["responses"]] == list(SHIFTS)
    bests, columns = [], []
    for row in values["responses"]:
        s = row["shift (pixels)"]
        assert row["template"] == TEMPLATE_RESPONSE[s] / FULL
        scores = {(r, c): swept(IMAGES[s], r, c) for r, c in placements()}
        best = max(scores.values())
        (where,) = [pos for pos, score in scores.items() if score == best]  # one best place
        assert row["swept filter, best"] == best / FULL
        assert row["found at column"] == where[1]
        bests.append(best)
        columns.append(where[1])
    blind = [s for s in SHIFTS if TEMPLATE_RESPONSE[s] == 0]
    assert values["template_blind_from"] == min(blind) and blind == list(SHIFTS)[min(blind):]
    # The page's claims: the filter matches fully at every shift, where the pattern is;
    # the template matches only where it was made.
    assert all(b == FULL for b in bests)
    assert columns == [START[1] + s for s in SHIFTS]
    assert TEMPLATE_RESPONSE[0] == FULL and all(TEMPLATE_RESPONSE[s] < FULL for s in SHIFTS if s)
