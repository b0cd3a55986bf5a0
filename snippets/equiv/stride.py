"""Stride keeps equivariance only for shifts that are multiples of it.

Shifts random inputs by a few pixels and searches every circular shift of the output for
one that matches, for one stride-2 convolution and for two and three of them in a row,
over several draws of weights and inputs of two kinds: white noise, and smooth inputs
(white noise blurred), whose neighbouring pixels are alike.
"""
import numpy as np

from snippets.lib import layers, nets, measurement

SEED = 1980  # Fukushima's neocognitron: downsampling between layers since 1980
PAGE_DRAWS = range(10)  # independent draws of inputs and weights, per kind of input: the page's
HELD_OUT_DRAWS = range(1000, 1010)  # a block the page never shows; the tests check every claim on it too
IMAGES, CHANNELS, WIDTH, SIZE, KERNEL, STRIDE = 2, 3, 8, 16, 3, 2
SHIFTS = range(0, 5)  # input shifts to the right, in pixels
DEPTHS = (1, 2, 3)  # stride-2 layers in a row
EXACT = 1e-12  # relative error below this is float rounding: the shift matches
SMOOTHING = 4  # passes of the [1, 2, 1] / 4 blur along each axis (circular) for smooth inputs
INPUTS = ("white noise", "smooth")


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


def blur(x):
    """SMOOTHING passes of a circular [1, 2, 1] / 4 blur along rows and columns."""
    for _ in range(SMOOTHING):
        for axis in (2, 3):
            x = (np.roll(x, 1, axis) + 2 * x + np.roll(x, -1, axis)) / 4
    return x


def draw(kind, index):
    """An input batch of `kind` and networks of every depth, from their own generator."""
    rng = np.random.default_rng((SEED, INPUTS.index(kind), index))
    x = rng.normal(size=(IMAGES, CHANNELS, SIZE, SIZE))
    if kind == "smooth":
        x = blur(x)
    return x, {depth: strided_network(strided_weights(depth, rng)) for depth in DEPTHS}


def best_match_error(network, x, shift):
    """Relative distance between network(x shifted right by `shift`) and the closest
    circular shift of network(x): zero if some output shift matches exactly."""
    y, moved = network(x), network(np.roll(x, shift, axis=3))
    return min(np.linalg.norm(moved - np.roll(y, u, axis=3)) for u in range(y.shape[3])) / np.linalg.norm(y)


def first_exact_shift(network, x):
    """The smallest positive input shift that some output shift matches exactly."""
    return next(t for t in range(1, SIZE + 1) if best_match_error(network, x, t) < EXACT)


def measure_draw(kind, index):
    """{depth: errors at SHIFTS}, {depth: first exact shift} of one draw."""
    x, networks = draw(kind, index)
    errors = {depth: [best_match_error(networks[depth], x, t) for t in SHIFTS] for depth in (1, 2)}
    return errors, {depth: first_exact_shift(network, x) for depth, network in networks.items()}


def compute():
    return measure(PAGE_DRAWS)


def measure(draws):
    """Every value of the page, over `draws` of inputs and weights."""
    runs = {kind: [measure_draw(kind, i) for i in draws] for kind in INPUTS}
    exact = {depth: {run[1][depth] for kind in INPUTS for run in runs[kind]} for depth in DEPTHS}
    if any(len(found) != 1 for found in exact.values()):
        raise AssertionError(f"draws disagree on the first exact shift: {exact}")
    exact = {depth: found.pop() for depth, found in exact.items()}

    def closest(kind):
        """Per draw: the closest any output shift comes, over the input shifts that are
        not multiples of the effective stride."""
        return [min(e for depth, errors in run[0].items() for t, e in zip(SHIFTS, errors) if t % exact[depth])
                for run in runs[kind]]

    table = []
    for i, t in enumerate(SHIFTS):
        row = {"input shift (pixels)": t}
        for kind in INPUTS:
            for depth, label in ((1, "one layer"), (2, "two layers")):
                row[f"{label}, {kind}"] = measurement.measure([run[0][depth][i] for run in runs[kind]], over="draws")
        table.append(row)
    closest_white, closest_smooth = closest("white noise"), closest("smooth")
    return {
        "size": SIZE,
        "draws": len(draws),
        "smoothing": SMOOTHING,
        "table": table,
        "exact_shift_one_layer": exact[1],
        "exact_shift_two_layers": exact[2],
        "exact_shift_three_layers": exact[3],
        # the closest any output shift comes when the input shift is not a multiple
        "smallest_mismatch_white": measurement.measure(closest_white, over="draws"),
        "smallest_mismatch_smooth": measurement.measure(closest_smooth, over="draws"),
        "smallest_mismatch": float(min(closest_white + closest_smooth)),
    }


if __name__ == "__main__":
    from pipeline.cli import show

    show(__file__)
