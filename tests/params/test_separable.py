"""MobileNet V1's 14×14×512 layer, depthwise-separable against an ordinary convolution.

Oracles: (1) the windows are placed one by one on the padded 14×14 map and each window's
taps are counted per output channel, without the site's formulas; (2) Howard et al.
(2017), "MobileNets", equation (5): the separable layer costs 1/N + 1/D_K² of the
ordinary one, N output channels and a D_K×D_K kernel, for multiply-adds and (at stride 1
with 'same' padding, as here) for weights alike; (3) their Table 1 for the shapes.
"""
from fractions import Fraction

import pytest

N, SIDE, DK = 512, 14, 3  # Howard et al. 2017, Table 1: "Conv dw / s1, 3×3×512 dw, 14×14×512"


def positions(side, k, padding):
    """Window placements along one axis, found one by one on the padded input."""
    return sum(1 for start in range(-padding, side + padding) if start + k <= side + padding)


def layer_counts(k, in_per_out, out_channels, padding):
    """(weights, multiply-adds) of one convolution: a k×k window over in_per_out input
    channels per output channel, counted window by window."""
    macs = sum(k * k * in_per_out * out_channels for _ in range(positions(SIDE, k, padding) ** 2))
    return k * k * in_per_out * out_channels, macs


@pytest.mark.covers("params_separable", "shape", "standard_weights", "standard_macs", "depthwise_weights",
                    "depthwise_macs", "pointwise_weights", "pointwise_macs", "separable_weights", "separable_macs",
                    "weights_ratio", "macs_ratio", "pointwise_share")
def test_the_saving_counted_window_by_window_and_by_the_papers_formula(values):
    assert tuple(values["shape"]) == (positions(SIDE, DK, 1), positions(SIDE, DK, 1), N) == (14, 14, 512)
    standard = layer_counts(DK, N, N, 1)
    depthwise = layer_counts(DK, 1, N, 1)  # one 3×3 filter per channel
    pointwise = layer_counts(1, N, N, 0)
    assert (values["standard_weights"], values["standard_macs"]) == standard
    assert (values["depthwise_weights"], values["depthwise_macs"]) == depthwise
    assert (values["pointwise_weights"], values["pointwise_macs"]) == pointwise
    assert values["separable_weights"] == depthwise[0] + pointwise[0]
    assert values["separable_macs"] == depthwise[1] + pointwise[1]
    paper = Fraction(1, N) + Fraction(1, DK * DK)  # Howard et al. 2017, eq. (5)
    assert Fraction(values["separable_macs"], values["standard_macs"]) == paper
    assert Fraction(values["separable_weights"], values["standard_weights"]) == paper
    assert values["macs_ratio"] == pytest.approx(float(1 / paper), rel=1e-12)
    assert values["weights_ratio"] == pytest.approx(float(1 / paper), rel=1e-12)
    assert values["pointwise_share"] == pytest.approx(pointwise[1] / (depthwise[1] + pointwise[1]), rel=1e-12)
    assert 8 < values["macs_ratio"] < 9  # the paper: "8 to 9 times less computation" for 3×3
