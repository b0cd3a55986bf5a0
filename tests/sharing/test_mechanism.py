"""The worked convolution, checked against the two definitions written as loops.

Oracles: cross-correlation as the textbook sum y[i, j] = sum_mn w[m, n] x[i+m, j+n];
true convolution by stamping, the way it is defined for signals: every input pixel
adds x[p, q] * w to the output at (p, q) onward, and the "valid" part is the block
where the whole kernel overlapped the image. All numbers are small integers, so every
comparison is exact.
"""
import re

import numpy as np
import pytest

from snippets.sharing.mechanism import IMAGE, KERNEL


def correlation_loop(x, w):
    k = w.shape[0]
    out = np.zeros((x.shape[0] - k + 1, x.shape[1] - k + 1), dtype=int)
    for i, j in np.ndindex(out.shape):
        out[i, j] = sum(w[m, n] * x[i + m, j + n] for m in range(k) for n in range(k))
    return out


def convolution_by_stamping(x, w):
    k = w.shape[0]
    full = np.zeros((x.shape[0] + k - 1, x.shape[1] + k - 1), dtype=int)
    for p, q in np.ndindex(x.shape):
        full[p:p + k, q:q + k] += x[p, q] * w
    return full[k - 1:x.shape[0], k - 1:x.shape[1]]  # positions where the kernel lay inside


XCORR, CONV = correlation_loop(IMAGE, KERNEL), convolution_by_stamping(IMAGE, KERNEL)


@pytest.mark.covers("sharing_mechanism", "output_shape", "kernel_uses")
def test_shapes_and_windows_are_counted_by_enumeration(values):
    windows = [(i, j) for i in range(4) for j in range(4) if i + 3 <= 4 and j + 3 <= 4]
    assert values["kernel_uses"] == len(windows)
    assert tuple(values["output_shape"]) == XCORR.shape == CONV.shape


@pytest.mark.covers("sharing_mechanism", "outputs", "outputs_that_differ")
def test_outputs_equal_both_definitions(values):
    for row in values["outputs"]:
        i, j = (int(n) for n in re.findall(r"\d+", row["output position (i, j)"]))
        assert row["cross-correlation (conv2d)"] == XCORR[i, j]
        assert row["true convolution"] == CONV[i, j]
    assert len(values["outputs"]) == XCORR.size
    assert values["outputs_that_differ"] == int((XCORR != CONV).sum())
    assert values["outputs_that_differ"] > 0  # the page shows that the two differ


@pytest.mark.covers("sharing_mechanism", "first_sum", "first_output", "first_output_convolution")
def test_the_written_out_sum_is_the_first_window_times_the_kernel(values):
    pairs = [tuple(int(n) for n in re.findall(r"-?\d+", term)) for term in values["first_sum"].split(" + ")]
    assert pairs == list(zip(KERNEL.ravel(), IMAGE[:3, :3].ravel()))  # (weight, pixel), row by row
    assert sum(w * x for w, x in pairs) == values["first_output"] == XCORR[0, 0]
    assert values["first_output_convolution"] == CONV[0, 0] != XCORR[0, 0]  # the exercise: the switch changes it


@pytest.mark.covers("sharing_mechanism", "widget_example")
def test_the_widget_starts_from_the_worked_example(values):
    """The sliding filter on the page shows this example: its image and kernel, whose
    windows the widget slides (its arithmetic is checked in tests/site/test_widgets.py)."""
    [row] = values["widget_example"]
    image, kernel = row["image"], row["kernel"]
    assert np.array_equal(image, IMAGE) and np.array_equal(kernel, KERNEL)
    assert correlation_loop(np.array(image), np.array(kernel))[0, 0] == values["first_output"]
