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


@pytest.mark.covers("intro_alexnet", "paper_image", "paper_side", "paper_positions", "paper_padding_needed")
def test_224_pixels_do_not_give_55_positions(values):
    # Krizhevsky, Sutskever & Hinton (2012), section 3.5: "the 224×224×3 input image"
    assert tuple(values["paper_image"]) == (224, 224, 3) and values["paper_side"] == 224
    positions = [start for start in range(0, 224) if start + 11 <= 224][::4]
    assert len(positions) == 54  # stride-4 windows that fit inside 224 pixels
    assert values["paper_positions"] == pytest.approx(54.25)  # (224 - 11) / 4 + 1
    assert not float(values["paper_positions"]).is_integer()
    padded = np.zeros((1, 3, 224 + values["paper_padding_needed"], 224 + values["paper_padding_needed"]))
    assert layers.conv2d(padded, np.zeros((96, 3, 11, 11)), stride=4).shape[2:] == (55, 55)
    assert values["paper_padding_needed"] % 2 == 1  # cannot be split evenly
