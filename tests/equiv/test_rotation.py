"""The p4 layers of the rotation snippet: parameters from real weight arrays, errors from loops."""
import numpy as np
import pytest
from scipy import stats

from oracles.loops import conv2d_loop
from snippets.equiv import rotation as snippet
from snippets.lib import groupconv

TURN = dict(axes=(-2, -1))  # np.rot90 on the two spatial axes
ROUNDING = 1e-14  # rotating moves the same products to other places: a few ulps at most


def weight_arrays():
    """The arrays that a p4 lifting layer and a p4 → p4 layer with 16 filters of 3×3 over
    an RGB image hold, and ordinary convolutions with as many output channels."""
    return {
        "lifting": (np.zeros((16, 3, 3, 3)), np.zeros(16)),
        "p4": (np.zeros((16, 16, 4, 3, 3)), np.zeros(16)),  # each filter sees 16 maps × 4 rotations
        "ordinary_lifting_channels": (np.zeros((64, 3, 3, 3)), np.zeros(64)),
        "ordinary_p4_channels": (np.zeros((64, 64, 3, 3)), np.zeros(64)),
    }


def size(arrays):
    return sum(a.size for a in arrays)


@pytest.mark.covers("equiv_rotation", "table", "lifting_params", "lifting_channels", "same_channels_params",
                    "p4_params", "p4_same_channels_params")
def test_parameter_counts_are_the_sizes_of_the_weight_arrays(values):
    arrays = weight_arrays()
    assert values["lifting_params"] == size(arrays["lifting"])
    assert values["p4_params"] == size(arrays["p4"])
    assert values["same_channels_params"] == size(arrays["ordinary_lifting_channels"])
    assert values["p4_same_channels_params"] == size(arrays["ordinary_p4_channels"])
    # The arrays run, and give the channel counts of the table.
    image = np.zeros((1, 3, 8, 8))
    lifted = groupconv.lifting_conv(image, *arrays["lifting"], padding=1)
    assert values["lifting_channels"] == lifted.shape[1] * lifted.shape[2]
    deeper = groupconv.p4_conv(lifted, *arrays["p4"], padding=1)
    assert deeper.shape[1] * deeper.shape[2] == values["lifting_channels"]
    rows = values["table"]
    # Same filters, same parameters: an ordinary layer with 16 filters over the same input.
    ordinary_16 = [size((np.zeros((16, 3, 3, 3)), np.zeros(16))), size((np.zeros((16, 64, 3, 3)), np.zeros(16)))]
    assert [row["parameters"] for row in rows if row["layer"] == "ordinary, as many filters"] == ordinary_16
    assert [row["output channels"] for row in rows if row["layer"].startswith("p4")] == [64, 64]


def lifting_by_loops(x, w, b):
    """Filter o at rotation r: the filter turned r × 90°, applied by the loop oracle."""
    return np.stack([np.stack([conv2d_loop(x, np.rot90(w[o:o + 1], r, **TURN), padding=1)[:, 0] + b[o]
                               for r in range(4)], axis=1) for o in range(len(w))], axis=1)


@pytest.mark.covers("equiv_rotation", "size", "kernel", "filters", "lifting_error", "p4_error", "invariant_error")
def test_turning_the_input_turns_and_cycles_the_outputs(blocks):
    values = blocks[0][0]
    rng = np.random.default_rng(90)
    n = values["size"]
    x = rng.normal(size=(1, 2, n, n))
    w, b = rng.normal(size=(values["filters"], 2, values["kernel"], values["kernel"])), rng.normal(size=values["filters"])
    before, after = lifting_by_loops(x, w, b), lifting_by_loops(np.rot90(x, 1, **TURN), w, b)
    for r in range(4):  # channel r + 1 after the turn is channel r before it, turned
        np.testing.assert_allclose(after[:, :, (r + 1) % 4], np.rot90(before[:, :, r], 1, **TURN), atol=ROUNDING)
    # The snippet's measurements of the same property, the largest over all its draws, for
    # its lifting layer, its p4 layer and the features pooled over rotations and positions:
    # exact to rounding in every draw.
    for values, _ in blocks:
        assert values["lifting_error"] < ROUNDING
        assert values["p4_error"] < ROUNDING
        assert values["invariant_error"] < ROUNDING


def ordinary_errors(draws):
    """Per draw of the snippet's white noise and lifting filters (its stream (SEED, i):
    the inputs, then the He-scaled lifting weights), how far an ordinary convolution by
    the loop oracle is from turning with its input, relative to its largest output."""
    errors = []
    for i in draws:
        rng = np.random.default_rng((snippet.SEED, i))
        x = rng.normal(size=(snippet.IMAGES, snippet.CHANNELS, snippet.SIZE, snippet.SIZE))
        w = rng.normal(0, np.sqrt(2 / (snippet.CHANNELS * 9)), (snippet.FILTERS, snippet.CHANNELS, 3, 3))
        turned_after = np.rot90(conv2d_loop(x, w, padding=1), 1, **TURN)
        turned_first = conv2d_loop(np.rot90(x, 1, **TURN), w, padding=1)
        errors.append(np.abs(turned_first - turned_after).max() / np.abs(turned_after).max())
    return np.array(errors)


@pytest.mark.covers("equiv_rotation", "ordinary_error", "draws", "images")
def test_an_ordinary_convolution_does_not_turn_with_its_input_in_any_draw(blocks):
    for values, draws in blocks:
        check_ordinary(values, draws)


def check_ordinary(values, draws):
    assert values["draws"] == len(draws) >= 10 and values["images"] == snippet.IMAGES
    errors = ordinary_errors(draws)
    m = values["ordinary_error"]
    low, high = stats.t.interval(0.95, len(errors) - 1, loc=errors.mean(), scale=stats.sem(errors))
    assert (m["n"], m["over"]) == (len(errors), "draws")
    assert m["mean"] == pytest.approx(errors.mean(), rel=1e-9)
    assert (m["low"], m["high"]) == (pytest.approx(low, rel=1e-6), pytest.approx(high, rel=1e-6))
    assert (m["min"], m["max"]) == (pytest.approx(errors.min(), rel=1e-9), pytest.approx(errors.max(), rel=1e-9))
    # The page: as large as the outputs themselves (within a factor of ten), in every draw.
    assert errors.min() > 0.1
