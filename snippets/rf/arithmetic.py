"""Receptive-field arithmetic three ways, on one small stack.

The size, jump (effective stride) and effective padding of a five-layer stack with
strides, padding, pooling and dilation, from the closed form, the layer-by-layer
recurrence and the support of a gradient pushed back through the reference layers.
"""
import numpy as np
from matplotlib.patches import Rectangle

from snippets.lib import brute_force_fields, receptive, style
from snippets.lib.specs import ConvSpec, MaxPoolSpec

STACK = [
    ConvSpec(8, 3, padding=1, name="conv1"),
    ConvSpec(8, 5, 2, padding=2, name="conv2"),
    MaxPoolSpec(2, name="pool"),
    ConvSpec(8, 3, padding=2, dilation=2, name="conv3"),
    ConvSpec(8, 3, 2, padding=1, name="conv4"),
]
INPUT = (1, 96, 96)  # large enough for the central units' fields to lie inside
PICTURE = 48  # input side of the figure


def describe(spec):
    """'conv 5×5/2, pad 2', 'max pool 2×2/2', 'conv 3×3, dilation 2'."""
    (k, _), (s, _), (p, _), (d, _) = spec.geometry(None)
    text = f"{'max pool' if isinstance(spec, MaxPoolSpec) else 'conv'} {k}×{k}" + (f"/{s}" if s > 1 else "")
    return text + (f", pad {p}" if p else "") + (f", dilation {d}" if d > 1 else "")


def compute():
    rows = receptive.fields(STACK, INPUT)
    closed = receptive.closed_form(STACK, INPUT)
    last = rows[-1].field
    brute = brute_force_fields.measured(STACK, INPUT[1])
    counts = brute_force_fields.path_counts(STACK, PICTURE)
    picture = receptive.fields(STACK, (1, PICTURE, PICTURE))[-1]
    centre_unit = [(n - 1) // 2 for n in picture.out_shape[1:]]  # the unit path_counts follows
    centre = [int(c) for c in picture.field.centre(centre_unit)]
    profile = counts[centre[0]]  # the row through the field's centre (the map is rows × columns)
    brightest = np.flatnonzero(profile == profile.max())
    dilated = next(i for i, s in enumerate(STACK) if s.dilation > 1)
    return {
        "table": [{"layer": r.name, "window": describe(r.spec), "field": r.field.size[0],
                   "jump": r.field.jump[0], "effective padding": r.field.padding[0],
                   "centre of unit 0": r.field.centre((0, 0))[0]} for r in rows],
        "size": last.size[0], "jump": last.jump[0], "padding": last.padding[0],
        "closed_size": closed.size[0], "closed_jump": closed.jump[0], "closed_padding": closed.padding[0],
        "measured_size": brute.size[0], "measured_jump": brute.jump[0], "measured_padding": brute.padding[0],
        "methods_agree": closed == last == brute,
        "verdict": "The three ways agree." if closed == last == brute else "The three ways disagree.",
        "paths_max": int(counts.max()), "paths_corner": int(counts[np.nonzero(counts)].min()),
        "paths_centre": int(counts[centre[0], centre[1]]),
        "peaks": int((counts == counts.max()).sum()),
        "peak_offset": int(abs(brightest - centre[1]).min()),
        # input pixels between the taps of the dilated layer, and of the layer above it
        "dilated_tap_gap": STACK[dilated].dilation * rows[dilated - 1].field.jump[0],
        "next_tap_gap": rows[dilated].field.jump[0],
        "dilated_layer": STACK[dilated].name, "next_layer": STACK[dilated + 1].name,
        "_counts": counts,
        "_box": [a + i * j for a, i, j in zip(picture.field.start, centre_unit, picture.field.jump)],
    }


def figure_paths(v):
    """Heat map over the input of how many paths lead from each pixel to one central output
    unit of the stack, with the receptive field from the recurrence drawn as a box: the
    nonzero region fills the box exactly, and the counts are smallest at its corners and
    largest at four points around the centre, where the dilated layer's taps and the taps of
    the layer above it overlap twice; the centre itself is dimmer."""
    theme = style.current()
    counts = v["_counts"]
    fig, ax = style.figure(4.6, 3.9)
    image = ax.imshow(np.ma.masked_equal(counts, 0), cmap=theme.cmap)
    top, left = v["_box"]
    ax.add_patch(Rectangle((left - 0.5, top - 0.5), v["size"], v["size"], fill=False, edgecolor=theme.series[1],
                           linewidth=2))
    ax.set_xlabel("input column")
    ax.set_ylabel("input row")
    fig.colorbar(image, ax=ax, label="paths to the output unit")
    return fig


if __name__ == "__main__":
    from pipeline.cli import show

    show(__file__)
