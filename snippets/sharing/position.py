"""Where sharing hurts: a label that depends on absolute position.

Trains four small networks to say whether a 3×3 square lies in the left or the right half
of a noisy 12×12 image: a convolution with global average pooling (circular and zero
padding), a locally connected layer, and a convolution given coordinate channels.
"""
import numpy as np
from matplotlib.patches import Rectangle

from snippets.lib import fmt, nets, style

SEED = 2018  # CoordConv: Liu et al., 2018
CANVAS, SQUARE, NOISE = 12, 3, 0.2
LEFT_COLUMNS = range(0, 4)  # the square's first column on the left; +CANVAS/2 on the right
TRAIN, TEST_PAIRS = 256, 128
FILTERS, EPOCHS, BATCH, LR = 8, 8, 32, 0.05
HALF = CANVAS // 2


def squares(rng, n):
    """n noisy images, each with one square, their labels (0: left half, 1: right half)
    and the square's first column.

    A right-half square starts exactly HALF columns after a left-half one, so the
    circular shift by HALF columns maps the left examples onto the right ones."""
    labels = rng.integers(0, 2, n)
    rows = rng.integers(0, CANVAS - SQUARE + 1, n)
    cols = rng.choice(LEFT_COLUMNS, n) + HALF * labels
    images = rng.normal(0.0, NOISE, (n, 1, CANVAS, CANVAS))
    r = rows[:, None, None] + np.arange(SQUARE)[:, None]
    c = cols[:, None, None] + np.arange(SQUARE)
    images[np.arange(n)[:, None, None], 0, r, c] += 1.0
    return images, labels, cols


def half_shift(images):
    """Every image rolled circularly by half the canvas: left and right swap."""
    return np.roll(images, HALF, axis=3)


def paired_test_set(rng):
    """TEST_PAIRS images and, for each, its half shift with the opposite label (and the
    square's first column)."""
    images, labels, cols = squares(rng, TEST_PAIRS)
    return (np.concatenate([images, half_shift(images)]), np.concatenate([labels, 1 - labels]),
            np.concatenate([cols, (cols + HALF) % CANVAS]))


def edge_distance(cols):
    """Pixels between the square and the nearer of the left and right edges."""
    return np.minimum(cols, CANVAS - SQUARE - cols)


def with_coordinates(images):
    """CoordConv's input: the image plus a column and a row coordinate channel in [-1, 1]."""
    n = len(images)
    ramp = np.linspace(-1.0, 1.0, CANVAS)
    rows, cols = np.meshgrid(ramp, ramp, indexing="ij")
    grids = np.broadcast_to(np.stack([cols, rows]), (n, 2, CANVAS, CANVAS))
    return np.concatenate([images, grids], axis=1)


def conv_gap(rng, channels, padding_mode):
    """3×3 convolution, ReLU, global average pooling, then a dense layer to two classes."""
    return nets.Sequential(nets.Conv(channels, FILTERS, 3, rng, padding=1, padding_mode=padding_mode),
                           nets.ReLU(), nets.GlobalAvgPool(), nets.Dense(FILTERS, 2, rng))


def local(rng):
    """3×3 locally connected layer, ReLU, then a dense layer on every unit."""
    side = CANVAS - 2
    return nets.Sequential(nets.LocallyConnected(1, FILTERS // 2, 3, (CANVAS, CANVAS), rng),
                           nets.ReLU(), nets.Flatten(), nets.Dense(FILTERS // 2 * side * side, 2, rng))


CIRCULAR = "convolution + global pooling (circular padding)"
ZERO_PADDED = "convolution + global pooling (zero padding)"


def models(rng):
    """{name: (network, input transform)}."""
    same = lambda images: images
    return {
        CIRCULAR: (conv_gap(rng, 1, "circular"), same),
        ZERO_PADDED: (conv_gap(rng, 1, "zeros"), same),
        "locally connected": (local(rng), same),
        "CoordConv: convolution + coordinates + global pooling": (conv_gap(rng, 3, "circular"), with_coordinates),
    }


def compute():
    rng = np.random.default_rng(SEED)
    train_x, train_y, _ = squares(rng, TRAIN)
    test_x, test_y, test_cols = paired_test_set(rng)
    trained = models(rng)
    for net, prepare in trained.values():
        nets.train(net, prepare(train_x), train_y, rng, epochs=EPOCHS, batch_size=BATCH, lr=LR)
    accuracy = {name: nets.accuracy(net, prepare(test_x), test_y) for name, (net, prepare) in trained.items()}
    # The invariant model's outputs on each left image and on its half shift.
    invariant, left = trained[CIRCULAR][0], test_x[:TEST_PAIRS]
    gap = np.abs(invariant.forward(left) - invariant.forward(half_shift(left))).max()
    # Where the zero-padded model is right: by how close the square is to a side edge.
    zero_padded_right = nets.predict(trained[ZERO_PADDED][0], test_x) == test_y
    distance = edge_distance(test_cols)
    conv, zeros, lc, coord = accuracy.values()
    return {
        "canvas": (CANVAS, CANVAS),
        "train_size": TRAIN,
        "test_size": len(test_x),
        "results": [{"model": name, "parameters": net.count_params(), "test accuracy": accuracy[name]}
                    for name, (net, _) in trained.items()],
        "conv_accuracy": conv,
        "zero_padding_accuracy": zeros,
        "local_accuracy": lc,
        "coordconv_accuracy": coord,
        "pair_output_gap": float(gap),
        "zero_padding_by_edge": [
            {"distance to the nearer side edge (pixels)": int(d),
             "test images": int((distance == d).sum()),
             "accuracy (zero padding)": float(zero_padded_right[distance == d].mean())}
            for d in np.unique(distance)
        ],
    }


def draw_canvas(ax, col, theme, label):
    """A sketch of one example: the canvas, its middle line and the square with its first
    column at `col` (the noise left out)."""
    ax.set_axis_off()
    ax.add_patch(Rectangle((0, 0), CANVAS, CANVAS, fill=False, edgecolor=theme.muted, linewidth=1))
    ax.plot([HALF, HALF], [0, CANVAS], color=theme.muted, linestyle="--", linewidth=1)
    ax.add_patch(Rectangle((col, SQUARE), SQUARE, SQUARE, color=theme.series[0]))
    ax.set_xlim(-0.3, CANVAS + 0.3)
    ax.set_ylim(CANVAS + 2.5, -0.3)
    ax.set_aspect("equal")
    ax.text(HALF, CANVAS + 1.5, label, ha="center", va="center", color=theme.fg)


def figure_accuracy(v):
    """Left: sketches of a square in the left half of the image and of the same image
    shifted circularly by half its width, square on the right. Right: bar chart of test
    accuracy; the convolution with circular padding sits exactly on the chance line,
    zero padding a little above it, and the locally connected and CoordConv models near
    the top."""
    theme = style.current()
    fig, (a, b, bars_ax) = style.figure(6.4, 3.0, ncols=3, width_ratios=[1, 1, 3.2])
    draw_canvas(a, LEFT_COLUMNS[1], theme, "left")
    draw_canvas(b, LEFT_COLUMNS[1] + HALF, theme, "right")
    names = [row["model"].replace(": ", ":\n").replace(" (", "\n(") for row in v["results"]]
    accuracy = [row["test accuracy"] for row in v["results"]]
    bars = bars_ax.barh(names, accuracy, color=theme.series[1], height=0.6)
    bars_ax.axvline(0.5, color=theme.fg, linestyle="--", linewidth=1)
    bars_ax.text(0.5, -0.6, "chance", ha="center", va="center", color=theme.fg, fontsize=9)
    bars_ax.bar_label(bars, labels=[fmt.text(x, pct=True) for x in accuracy], padding=3,
                      color=theme.fg, fontsize=9)
    bars_ax.set_xlim(0, 1.2)
    bars_ax.set_ylim(len(names) - 0.5, -0.9)  # top to bottom, room for the chance label
    bars_ax.set_xlabel("test accuracy")
    bars_ax.tick_params(axis="y", labelsize=8)
    return fig


if __name__ == "__main__":
    from pipeline.cli import show

    show(__file__)
