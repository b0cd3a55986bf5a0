"""Is a CNN translation invariant? The row of eight pixels worked by hand, and the digit's
networks recomputed with loops over the digit that scikit-learn itself loads."""
import numpy as np
import pytest
from sklearn.datasets import load_digits

from oracles.loops import conv2d_loop

SIDE, TOP, LEFT = 16, 4, 1
SOBEL = [[-1, 0, 1], [-2, 0, 2], [-1, 0, 1]]


def hand_rows():
    """The page's table, worked by hand: x = 0 0 1 3 2 0 0 0 and output i = max(x[i+1] − x[i−1], 0),
    indices taken around the row (circular padding)."""
    x = [0, 0, 1, 3, 2, 0, 0, 0]
    shifted = [0, 0, 0, 1, 3, 2, 0, 0]
    out = [0, 1, 3, 1, 0, 0, 0, 0]  # 0−0, 1−0, 3−0, 2−1, max(0−3, 0), max(0−2, 0), 0, 0
    out_shifted = [0, 0, 1, 3, 1, 0, 0, 0]
    return x, shifted, out, out_shifted


@pytest.mark.covers("equiv_invariant", "row_table", "row_average", "row_average_shifted", "row_stride_average",
                    "row_stride_average_shifted", "row_follows", "row_stride_average_shift_two")
def test_the_row_of_eight_pixels_by_hand(values):
    x, shifted, out, out_shifted = hand_rows()
    rows = [[r[str(i)] for i in range(8)] for r in values["row_table"]]
    assert rows[0] == [str(v) for v in x] and rows[1] == [str(v) for v in shifted]
    assert rows[2] == [str(v) for v in out] and rows[3] == [str(v) for v in out_shifted]
    assert rows[4] == ["0", "", "3", "", "0", "", "0", ""] and rows[5] == ["0", "", "1", "", "1", "", "0", ""]
    assert values["row_follows"] is True  # out_shifted is out moved one place right
    assert values["row_average"] == values["row_average_shifted"] == 5 / 8
    assert (values["row_stride_average"], values["row_stride_average_shifted"]) == (3 / 4, 2 / 4)
    # Shifted by two: the outputs 0 0 0 1 3 1 0 0, of which stride 2 keeps 0 0 3 0, as
    # many as from the unshifted row: a shift by the stride changes nothing.
    assert values["row_stride_average_shift_two"] == 3 / 4


def digit():
    image = np.zeros((SIDE, SIDE))
    image[TOP:TOP + 8, LEFT:LEFT + 8] = load_digits().images[2]
    return image


def edge_map(x, stride=1, circular=True):
    """ReLU of the 3×3 detector with padding 1, by the loop oracle."""
    y = conv2d_loop(np.asarray(x, float)[None, None], np.array(SOBEL, float)[None, None], stride=stride, padding=1,
                    padding_mode="circular" if circular else "zeros")[0, 0]
    return np.maximum(y, 0.0)


def block_max(y):
    return np.array([[y[i:i + 2, j:j + 2].max() for j in range(0, SIDE, 2)] for i in range(0, SIDE, 2)])


@pytest.mark.covers("equiv_invariant", "canvas", "largest_shift", "map_shift", "circular_unchanged",
                    "zero_padding_breaks_at", "stride_changed_at", "pooling_changed_at", "largest_change_stride")
def test_the_digits_global_averages_against_loops(values):
    assert tuple(values["canvas"]) == (SIDE, SIDE) and values["largest_shift"] == 12 and values["map_shift"] == 3
    image = digit()
    networks = {
        "circular": lambda x: edge_map(x).mean(),
        "zero": lambda x: edge_map(x, circular=False).mean(),
        "stride": lambda x: edge_map(x, stride=2).mean(),
        "pooling": lambda x: block_max(edge_map(x)).mean(),
    }
    changed = {}
    for name, net in networks.items():
        before = net(image)
        changes = [abs(net(np.roll(image, t, axis=1)) - before) / before for t in range(13)]
        changed[name] = [t for t, c in enumerate(changes) if c > 1e-12]
        if name == "stride":
            assert values["largest_change_stride"] == pytest.approx(max(changes), rel=1e-9)
    assert changed["circular"] == [] and values["circular_unchanged"] == "every shift"
    # The digit's ink spans columns 1 to 8 (of 0 to 15); zero padding changes the map once
    # the detector's window at column 15 reads ink that wrapped around.
    # The page: "changes from a shift of ... pixels on": at that shift and every later one.
    assert changed["zero"] == list(range(values["zero_padding_breaks_at"], 13))
    odd = "1, 3, 5, 7, 9 and 11"
    assert [t for t in range(13) if t % 2] == changed["stride"] == changed["pooling"]
    assert values["stride_changed_at"] == values["pooling_changed_at"] == odd
