"""Stride keeps equivariance only for shifts that are multiples of it.

Shifts a random input by a few pixels and searches every circular shift of the output for
one that matches, for one stride-2 convolution and for two and three of them in a row.
"""
import numpy as np

from snippets.lib import layers, nets

SEED = 1980  # Fukushima's neocognitron: downsampling between layers since 1980
IMAGES, CHANNELS, WIDTH, SIZE, KERNEL, STRIDE = 2, 3, 8, 16, 3, 2
SHIFTS = range(0, 5)  # input shifts to the right, in pixels
DEPTHS = (1, 2, 3)  # stride-2 layers in a row
EXACT = 1e-12  # relative error below this is float rounding: the shift matches


def strided_weights(depth, rng):
    """Random filters for `depth` stride-2 convolutions, WIDTH channels each."""
    return [nets.he_normal(rng, (WIDTH, c_in, KERNEL, KERNEL), c_in * KERNEL * KERNEL)
            for c_in in [CHANNELS] + [WIDTH] * (depth - 1)]


def strided_network(weights):
    """The stride-2 convolutions (circular padding), each followed by a ReLU."""

    def forward(x):
        for w in weights:
            x = layers.relu(layers.conv2d(x, w, stride=STRIDE, padding=KERNEL // 2, padding_mode="circular"))
        return x

    return forward


def best_match_error(network, x, shift):
    """Relative distance between network(x shifted right by `shift`) and the closest
    circular shift of network(x): zero if some output shift matches exactly."""
    y, moved = network(x), network(np.roll(x, shift, axis=3))
    return min(np.linalg.norm(moved - np.roll(y, u, axis=3)) for u in range(y.shape[3])) / np.linalg.norm(y)


def first_exact_shift(network, x):
    """The smallest positive input shift that some output shift matches exactly."""
    return next(t for t in range(1, SIZE + 1) if best_match_error(network, x, t) < EXACT)


def compute():
    rng = np.random.default_rng(SEED)
    x = rng.normal(size=(IMAGES, CHANNELS, SIZE, SIZE))
    networks = {depth: strided_network(strided_weights(depth, rng)) for depth in DEPTHS}
    errors = {depth: [best_match_error(networks[depth], x, t) for t in SHIFTS] for depth in (1, 2)}
    exact_shift = {depth: first_exact_shift(network, x) for depth, network in networks.items()}
    return {
        "size": SIZE,
        "table": [{"input shift (pixels)": t, "one stride-2 layer": round(errors[1][t], 3),
                   "two stride-2 layers": round(errors[2][t], 3)} for t in SHIFTS],
        "exact_shift_one_layer": exact_shift[1],
        "exact_shift_two_layers": exact_shift[2],
        "exact_shift_three_layers": exact_shift[3],
        # the closest any output shift comes when the input shift is not a multiple
        "smallest_mismatch": min(e for depth in errors for t, e in zip(SHIFTS, errors[depth]) if t % exact_shift[depth]),
    }


if __name__ == "__main__":
    from pipeline.cli import show

    show(__file__)
