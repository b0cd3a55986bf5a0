"""AlexNet conv1 counts, checked against the sizes of real weight arrays."""
import numpy as np
import pytest

from snippets.lib import layers

IMAGE = np.zeros((1, 3, 227, 227))  # one NCHW image of the size cs231n uses


def conv1_output():
    """Run an actual 96×11×11 stride-4 convolution and return its output array."""
    return layers.conv2d(IMAGE, np.zeros((96, 3, 11, 11)), np.zeros(96), stride=4)


@pytest.mark.covers("intro_alexnet", "image", "output_shape", "neurons")
def test_output_volume_is_what_a_real_convolution_returns(values):
    assert tuple(values["image"]) == (IMAGE.shape[2], IMAGE.shape[3], IMAGE.shape[1])
    out = conv1_output()
    assert tuple(values["output_shape"]) == (out.shape[2], out.shape[3], out.shape[1])
    assert values["neurons"] == out.size


@pytest.mark.covers("intro_alexnet", "weights_per_neuron", "params_per_neuron", "params_unshared", "params_shared", "sharing_ratio")
def test_counts_equal_the_entries_of_real_weight_arrays(values):
    out = conv1_output()
    _, channels, rows, cols = out.shape
    # Locally connected: a separate 3×11×11 filter and bias at every output position.
    untied_w = np.zeros((rows, cols, channels, 3, 11, 11))
    untied_b = np.zeros((channels, rows, cols))
    # Convolution: one filter and bias per output channel, shared by all positions.
    tied_w, tied_b = np.zeros((channels, 3, 11, 11)), np.zeros(channels)
    assert values["weights_per_neuron"] == tied_w[0].size
    assert values["params_per_neuron"] == tied_w[0].size + 1
    assert values["params_unshared"] == untied_w.size + untied_b.size
    assert values["params_shared"] == tied_w.size + tied_b.size
    assert values["sharing_ratio"] * values["params_shared"] == values["params_unshared"]
    # The locally connected layer runs: its weight arrays have the right shapes.
    assert layers.locally_connected2d(IMAGE, untied_w, untied_b, stride=4).shape == out.shape


@pytest.mark.covers("intro_alexnet", "paper_image", "paper_side", "paper_conventions", "paper_conventions_tried",
                    "paper_reproductions", "paper_floor_side", "paper_ceil_side", "paper_floor_padding")
def test_224_pixels_give_55_positions_under_documented_conventions(values):
    # Krizhevsky, Sutskever & Hinton (2012), section 3.5: "the 224×224×3 input image"
    assert tuple(values["paper_image"]) == (224, 224, 3) and values["paper_side"] == 224

    def fitting_windows(n, k, s, p):
        """Windows that fit inside the padded image, counted one by one (the floor)."""
        return len(range(0, n + 2 * p - k + 1, s))

    def cuda_convnet_windows(n, k, s, p):
        """cuda-convnet's placement, counted one by one: windows every s pixels until one
        reaches the last padded pixel, the last one possibly hanging over the edge."""
        count, start = 0, 0
        while True:
            count += 1
            if start + k >= n + 2 * p:
                return count
            start += s

    rows = values["paper_conventions"]
    expected = [(rounding, p, count(224, 11, 4, p)) for rounding, count in
                (("floor", fitting_windows), ("ceil", cuda_convnet_windows)) for p in range(4)]
    assert [(r["rounding"].split()[0], r["padding (each side)"], r["output side"]) for r in rows] == expected
    assert all(r["gives the published size"] == (r["output side"] == 55) for r in rows)
    # A real convolution agrees with the floor rows.
    for r in rows[:4]:
        p = r["padding (each side)"]
        assert layers.conv2d(np.zeros((1, 1, 224, 224)), np.zeros((1, 1, 11, 11)), stride=4, padding=p).shape[-1] == r["output side"]
    assert values["paper_conventions_tried"] == len(expected)
    assert values["paper_reproductions"] == sum(n == 55 for *_, n in expected) > 0  # so the verdict is "reproduced"
    assert values["paper_floor_side"] == fitting_windows(224, 11, 4, 0) == 54
    assert values["paper_ceil_side"] == cuda_convnet_windows(224, 11, 4, 0) == 55
    assert values["paper_floor_padding"] == min(p for p in range(4) if fitting_windows(224, 11, 4, p) == 55)
