"""The data the experiment uses, counted from the file inside scikit-learn and from the canvases."""
import numpy as np
import pytest

from snippets.learning import _common as learning
from oracles.digits_file import raw_digits


@pytest.mark.covers("learning_data", "scans", "scan_shape")
def test_the_digits_are_the_ones_scikit_learn_documents(values):
    # scikit-learn's documentation of load_digits: "Samples total 1797", "Dimensionality 64"
    # (8×8 images); the UCI optical recognition test set, 16 grey levels.
    assert values["scans"] == 1797 == len(raw_digits()[0])
    assert tuple(values["scan_shape"]) == (8, 8)


def corners_found_by_search(canvases):
    """Where each digit sits, found by sliding an 8×8 box over its canvas until the box
    holds one of the raw scans exactly and the canvas is blank outside it."""
    scans = {image.tobytes() for image in raw_digits()[0]}
    side = canvases.shape[-1]
    found = []
    for canvas in canvases[:, 0] * 16:
        total = canvas.sum()
        found.append([(r, c) for r in range(side - 7) for c in range(side - 7)
                      if canvas[r:r + 8, c:c + 8].tobytes() in scans and canvas[r:r + 8, c:c + 8].sum() == total])
    return found


@pytest.mark.covers("learning_data", "canvas_shape", "positions", "max_shift")
def test_digits_appear_at_every_place_on_the_canvas(values):
    data = learning.split()
    assert tuple(values["canvas_shape"]) == data.x_train.shape[2:]
    found = corners_found_by_search(data.x_train)
    assert all(len(boxes) == 1 for boxes in found)  # each digit is found in exactly one place
    corners = [boxes[0] for boxes in found]
    assert [tuple(c) for c in data.positions_train] == corners  # the place the data set records
    assert len(set(corners)) == values["positions"]
    assert max(max(corner) for corner in corners) == values["max_shift"]
    assert min(min(corner) for corner in corners) == 0


@pytest.mark.covers("learning_data", "test_size", "pool_size", "pool_smallest_class")
def test_the_split_sizes_are_counted_from_the_arrays(values):
    data = learning.split()
    assert values["test_size"] == len(data.x_test) == len(data.y_test)
    assert values["pool_size"] == len(data.x_train)
    assert values["test_size"] + values["pool_size"] == len(raw_digits()[1])
    counts = {label: 0 for label in range(10)}
    for label in data.y_train:
        counts[int(label)] += 1
    assert values["pool_smallest_class"] == min(counts.values())


def test_the_centred_split_has_the_same_digits_in_the_same_order():
    shifted, centred = learning.split(), learning.split("centred")
    assert np.array_equal(shifted.y_train, centred.y_train) and np.array_equal(shifted.y_test, centred.y_test)
    assert (centred.positions_train == 2).all()
    assert np.allclose(shifted.x_train.sum(axis=(1, 2, 3)), centred.x_train.sum(axis=(1, 2, 3)))
