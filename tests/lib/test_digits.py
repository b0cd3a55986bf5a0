"""The positioned-digits data set, against loops, the raw file inside scikit-learn, and a network that is down."""
import socket

import numpy as np
import pytest

from oracles.digits_file import raw_digits
from snippets.lib import digits



def test_scans_are_the_file_inside_scikit_learn_scaled_to_one():
    images, labels = digits.scans()
    raw_images, raw_labels = raw_digits()
    assert np.array_equal(images * 16, raw_images) and np.array_equal(labels, raw_labels)
    assert images.min() == 0 and images.max() == 1


def test_scans_need_no_network(monkeypatch):
    def refuse(*args, **kwargs):
        raise OSError("this test allows no network connection")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    assert len(digits.scans()[0]) == len(raw_digits()[0])


def test_paste_puts_every_pixel_where_a_loop_does():
    rng = np.random.default_rng(0)
    images, canvas = rng.random((5, 8, 8)), 13
    corners = digits.positions("random", 5, canvas, rng)
    expected = np.zeros((5, 1, canvas, canvas))
    for i, (row, col) in enumerate(corners):
        for r in range(8):
            for c in range(8):
                expected[i, 0, row + r, col + c] = images[i, r, c]
    assert np.array_equal(digits.paste(images, corners, canvas), expected)


@pytest.mark.parametrize("canvas", [8, 12, 16])
def test_random_positions_reach_every_place_a_digit_fits_and_no_other(canvas):
    corners = digits.positions("random", 5000, canvas, np.random.default_rng(1))
    fits = {(r, c) for r in range(canvas - 7) for c in range(canvas - 7)}  # 8-pixel digit inside the canvas
    assert set(map(tuple, corners)) == fits


def test_centred_digits_have_equal_margins_on_an_even_canvas():
    corner = digits.positions("centred", 3, 12, None)
    assert (corner == 2).all()  # 2 + 8 + 2 = 12


def test_refuses_unknown_placements_and_small_canvases():
    with pytest.raises(ValueError, match="placement"):
        digits.positions("diagonal", 1, 12, np.random.default_rng(0))
    with pytest.raises(ValueError, match="cannot hold"):
        digits.positions("random", 1, 7, np.random.default_rng(0))


def test_split_holds_out_the_test_set_and_keeps_every_digit_once():
    data = digits.split(14, 300, seed=5)
    raw_images, raw_labels = raw_digits()
    assert len(data.y_test) == 300 and len(data.y_train) == len(raw_labels) - 300
    labels = np.concatenate([data.y_train, data.y_test])
    assert np.array_equal(np.bincount(labels), np.bincount(raw_labels))
    # Crop every canvas back to its digit: together, the crops are the raw scans, each once.
    crops = [x[0, r:r + 8, c:c + 8] * 16 for xs, ps in ((data.x_train, data.positions_train), (data.x_test, data.positions_test))
             for x, (r, c) in zip(xs, ps)]
    key = lambda a: a.tobytes()
    assert sorted(map(key, crops)) == sorted(map(key, raw_images))
    # Nothing outside the digit's square: the canvas is blank there.
    assert np.isclose(sum(c.sum() for c in crops) / 16, data.x_train.sum() + data.x_test.sum())


def test_split_is_reproducible_and_depends_on_its_seed():
    a, b, c = digits.split(12, 100, seed=1), digits.split(12, 100, seed=1), digits.split(12, 100, seed=2)
    assert np.array_equal(a.x_train, b.x_train) and np.array_equal(a.positions_test, b.positions_test)
    assert not np.array_equal(a.y_test, c.y_test)


def test_balanced_subsets_have_equal_classes_and_grow_by_adding():
    labels = np.random.default_rng(0).integers(0, 10, size=400)
    small = digits.balanced_subset(labels, 3, np.random.default_rng(7))
    large = digits.balanced_subset(labels, 9, np.random.default_rng(7))
    assert np.array_equal(np.bincount(labels[small], minlength=10), np.full(10, 3))
    assert np.array_equal(np.bincount(labels[large], minlength=10), np.full(10, 9))
    assert set(small) <= set(large) and len(set(large)) == len(large)
    with pytest.raises(ValueError, match="fewer than"):
        digits.balanced_subset(labels, 400, np.random.default_rng(0))
