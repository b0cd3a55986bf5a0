"""Weight sharing over rotations: the p4 group convolution (Cohen & Welling, 2016).

Checks, over independent draws of white-noise inputs and random filters, that rotating
the input by 90° rotates every output map and shifts the rotation channels cyclically,
for a lifting layer and a p4 layer after it, and measures how far an ordinary convolution
with the same filters is from doing so; counts parameters against ordinary convolutions
with as many filters and with as many output channels.
"""
import numpy as np

from snippets.equiv._common import on_canvas
from snippets.lib import digits, groupconv, layers, nets, measurement, style

SEED = 2016  # Cohen & Welling, "Group Equivariant Convolutional Networks"
PAGE_DRAWS = range(10)  # independent draws of inputs, filters and biases: the page's
HELD_OUT_DRAWS = range(1000, 1010)  # a block the page never shows; the tests check every claim on it too
IMAGES, CHANNELS, FILTERS, SIZE, KERNEL = 2, 3, 4, 11, 3
TABLE_CHANNELS, TABLE_FILTERS = 3, 16  # the parameter table: an RGB input, 16 filters of 3×3
FIGURE_DIGIT = 7
SOBEL = np.array([[1, 0, -1], [2, 0, -2], [1, 0, -1]])  # responds to a vertical edge
ROTATION = groupconv.ROTATIONS


def relative(a, b):
    """Largest entry of |a − b|, relative to the largest entry of |b|."""
    return float(np.abs(a - b).max() / np.abs(b).max())


def p4_network(rng):
    """A lifting layer, a ReLU and a p4 layer, with random filters and biases."""
    lift_w = nets.he_normal(rng, (FILTERS, CHANNELS, KERNEL, KERNEL), CHANNELS * KERNEL**2)
    p4_w = nets.he_normal(rng, (FILTERS, FILTERS, ROTATION, KERNEL, KERNEL), FILTERS * ROTATION * KERNEL**2)
    lift_b, p4_b = rng.normal(size=FILTERS), rng.normal(size=FILTERS)

    def forward(x):
        hidden = layers.relu(groupconv.lifting_conv(x, lift_w, lift_b, padding=KERNEL // 2))
        return groupconv.p4_conv(hidden, p4_w, p4_b, padding=KERNEL // 2)

    return forward, lift_w


def parameters(filters, in_channels, kernel):
    """Weights and biases of `filters` filters over `in_channels` channels, one bias each."""
    return filters * (in_channels * kernel * kernel + 1)


def parameter_table():
    """p4 layers next to ordinary convolutions with as many filters (the same parameters,
    a quarter of the channels) and with as many output channels."""
    rows = []
    for layer, c_in in (("p4 lifting", TABLE_CHANNELS), ("p4 → p4", ROTATION * TABLE_FILTERS)):
        group_params = parameters(TABLE_FILTERS, c_in, KERNEL)  # p4 input: C × 4 rotation channels
        for name, filters, params in ((layer, TABLE_FILTERS, group_params),
                                      ("ordinary, as many filters", TABLE_FILTERS, parameters(TABLE_FILTERS, c_in, KERNEL)),
                                      ("ordinary, as many output channels", ROTATION * TABLE_FILTERS,
                                       parameters(ROTATION * TABLE_FILTERS, c_in, KERNEL))):
            channels = ROTATION * filters if name.startswith("p4") else filters
            rows.append({"layer": name, "input channels": c_in, "filters": filters,
                         "output channels": channels, "parameters": params})
    return rows


def draw(i):
    """Draw i's errors: white-noise inputs (standard normal pixels) and a random p4 network,
    each draw from its own stream; every error relative to the largest output."""
    rng = np.random.default_rng((SEED, i))
    x = rng.normal(size=(IMAGES, CHANNELS, SIZE, SIZE))
    network, lift_w = p4_network(rng)
    turned = groupconv.rotate_image(x)
    lifted = groupconv.lifting_conv(x, lift_w, padding=KERNEL // 2)
    out, out_turned = network(x), network(turned)
    ordinary = layers.conv2d(x, lift_w, padding=KERNEL // 2)
    return {
        "lifting": relative(groupconv.lifting_conv(turned, lift_w, padding=KERNEL // 2), groupconv.rotate_p4(lifted)),
        "p4": relative(out_turned, groupconv.rotate_p4(out)),
        "ordinary": relative(layers.conv2d(turned, lift_w, padding=KERNEL // 2), groupconv.rotate_image(ordinary)),
        # Pool over rotations and positions: a feature per filter that no 90° turn changes.
        "invariant": relative(out_turned.max(axis=2).mean(axis=(2, 3)), out.max(axis=2).mean(axis=(2, 3))),
    }


def compute():
    return measure(PAGE_DRAWS)


def measure(draws):
    """Every value of the page, over `draws` of inputs, filters and biases."""
    per_draw = [draw(i) for i in draws]
    table = parameter_table()
    images, labels = digits.scans()
    digit = on_canvas(images[labels == FIGURE_DIGIT][:1])
    sobel = SOBEL[None, None].astype(float)
    return {
        "size": SIZE, "kernel": KERNEL, "filters": FILTERS, "images": IMAGES, "draws": len(draws),
        # Exact equivariance: the largest error over every draw.
        "lifting_error": max(d["lifting"] for d in per_draw),
        "p4_error": max(d["p4"] for d in per_draw),
        "invariant_error": max(d["invariant"] for d in per_draw),
        # How far off an ordinary convolution is depends on the draw: its distribution.
        "ordinary_error": measurement.measure([d["ordinary"] for d in per_draw], over="draws"),
        "table": table,
        "lifting_params": table[0]["parameters"],
        "lifting_channels": table[0]["output channels"],
        "same_channels_params": table[2]["parameters"],
        "p4_params": table[3]["parameters"],
        "p4_same_channels_params": table[5]["parameters"],
        "_maps": [layers.relu(groupconv.lifting_conv(image, sobel, padding=1))[0, 0]
                  for image in (digit, groupconv.rotate_image(digit))],
        "_digits": [digit[0, 0], groupconv.rotate_image(digit)[0, 0]],
    }


def figure_rotation(v):
    """Two rows of small images. Top: a digit and the four maps a p4 lifting layer makes
    from it with one edge filter (after a ReLU), one map per rotated copy of the filter,
    each lighting up along edges of one direction. Bottom:
    the same for the digit turned by 90°: each map is the map above turned by 90°, moved
    one column to the right, the last one wrapping around to the first column."""
    theme = style.current()
    fig, axes = style.figure(6.4, 2.9, nrows=2, ncols=1 + ROTATION)
    for row, (digit, maps) in enumerate(zip(v["_digits"], v["_maps"])):
        axes[row, 0].imshow(digit, cmap=theme.cmap)
        for r in range(ROTATION):
            axes[row, 1 + r].imshow(maps[r], cmap=theme.cmap, vmin=0, vmax=np.max(v["_maps"]))
    for ax in axes.flat:
        ax.set_xticks([])
        ax.set_yticks([])
    axes[0, 0].set_ylabel("digit")
    axes[1, 0].set_ylabel("turned 90°")
    axes[0, 0].set_title("input", fontsize=9)
    for r in range(ROTATION):
        axes[0, 1 + r].set_title(f"filter turned {90 * r}°", fontsize=9)
    return fig


if __name__ == "__main__":
    from pipeline.cli import show

    show(__file__)
