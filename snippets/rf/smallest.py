"""The smallest case: three 3×3 layers see 7 pixels; a stride-2 middle layer makes it 9.

Two three-layer stacks of 3×3 'same' convolutions, one with every stride 1 and one whose
middle layer has stride 2: the receptive field and jump after each layer from the
recurrence, and, for the figure, the cells of each layer that one output
unit reads, followed down one layer at a time.
"""
from matplotlib.patches import Rectangle

from snippets.lib import receptive, style
from snippets.lib.specs import ConvSpec, MaxPoolSpec

STACKS = {
    "plain": [ConvSpec(1, 3, padding=1, name=f"conv{i}") for i in (1, 2, 3)],
    "strided": [ConvSpec(1, 3, padding=1, name="conv1"), ConvSpec(1, 3, 2, padding=1, name="conv2"),
                ConvSpec(1, 3, padding=1, name="conv3")],
}
# Exercises: the stride last instead of in the middle; ResNet's stem (7×7/2, then 3×3/2 max pooling).
EXERCISES = {
    "last": [ConvSpec(1, 3, padding=1), ConvSpec(1, 3, padding=1), ConvSpec(1, 3, 2, padding=1)],
    "stem": [ConvSpec(64, 7, 2, padding=3), MaxPoolSpec(3, 2, padding=1)],
}
EXERCISE_SIDE = 224
TITLES = {"plain": "strides 1, 1, 1", "strided": "strides 1, 2, 1"}
SIDE = 13  # input cells drawn: wide enough for both fields with a margin
UNIT = {"plain": 6, "strided": 3}  # the top unit followed down: the centre of each top row


def cone(stack, unit, side):
    """[(map name, its side, its jump, first and last cell read)] from the top layer down
    to the input: which cells of each map the top `unit` depends on."""
    sides, jumps = [side], [1]
    for layer in stack:
        sides.append((sides[-1] + 2 * layer.padding - layer.kernel) // layer.stride + 1)
        jumps.append(jumps[-1] * layer.stride)
    names = ["input", *[layer.name for layer in stack]]
    first = last = unit
    rows = [(names[-1], sides[-1], jumps[-1], first, last)]
    for depth in range(len(stack), 0, -1):
        layer = stack[depth - 1]
        # output cell o reads cells o·s − p … o·s − p + k − 1 of the map below
        first = first * layer.stride - layer.padding
        last = last * layer.stride - layer.padding + layer.kernel - 1
        rows.append((names[depth - 1], sides[depth - 1], jumps[depth - 1], max(first, 0),
                     min(last, sides[depth - 1] - 1)))
    return rows


def _read(row):
    _, _, _, first, last = row
    return last - first + 1


def compute():
    values = {"_cones": {}}
    for key, stack in STACKS.items():
        rows = receptive.fields(stack, (1, SIDE, SIDE))
        values[f"{key}_table"] = [{"layer": r.name, "stride": r.spec.stride, "field": r.field.size[0],
                                   "jump": r.field.jump[0]} for r in rows]  # effective padding: next section
        values[f"{key}_field"] = rows[-1].field.size[0]
        values[f"{key}_jump"] = rows[-1].field.jump[0]
        values["_cones"][key] = cone(stack, UNIT[key], SIDE)
    for key, stack in EXERCISES.items():
        last = receptive.fields(stack, (3, EXERCISE_SIDE, EXERCISE_SIDE))[-1].field
        values[f"exercise_{key}_field"], values[f"exercise_{key}_jump"] = last.size[0], last.jump[0]
    values["exercise_side"] = EXERCISE_SIDE
    values["strided_growth"] = [r["field"] for r in values["strided_table"]]
    # cells of the map under the top layer's, and of the one under that, that the top unit reads
    values["plain_middle"] = _read(values["_cones"]["plain"][2])
    values["strided_middle"] = _read(values["_cones"]["strided"][2])
    added = [b - a for a, b in zip([1, *values["strided_growth"]], values["strided_growth"])]
    values["strided_added"] = ", ".join(map(str, added[:-1])) + f" and {added[-1]}"
    values["strided_extra"] = values["strided_field"] - values["plain_field"]
    return values


def figure_cones(v):
    """Two panels, one per stack, each a row of cells per layer with the input at the
    bottom, every cell drawn above the input pixel at its centre: the cells one top unit
    reads are filled. With strides 1, 1, 1 the filled run widens by 2 cells per layer, 1,
    3, 5, 7; after the stride-2 middle layer the cells sit 2 pixels apart, so the top
    layer's 3 taps reach 7 cells of the layer below, and the run goes 1, 3, 7, 9."""
    theme = style.current()
    fig, axes = style.figure(6.6, 1.9, ncols=2)
    for ax, (key, rows) in zip(axes, v["_cones"].items()):
        for y, (name, side, jump, first, last) in enumerate(rows):
            for cell in range(side):  # 'same' padding: cell i is centred on input pixel i·jump
                read = first <= cell <= last
                ax.add_patch(Rectangle((cell * jump, -y), 0.9, 0.7, linewidth=0.8, edgecolor=theme.muted,
                                       facecolor=theme.series[0] if read else "none"))
            ax.text(-0.5, -y + 0.35, name, ha="right", va="center", color=theme.fg, fontsize=8.5)
            ax.text(SIDE + 0.3, -y + 0.35, f"{last - first + 1} read", ha="left", va="center",
                    color=theme.fg, fontsize=8.5)
        ax.set_title(TITLES[key], fontsize=9.5, color=theme.fg)
        ax.set_xlim(-3.6, SIDE + 3.2)
        ax.set_ylim(-len(rows) + 0.8, 1.0)
        ax.set_aspect("equal")
        ax.set_axis_off()
    return fig


if __name__ == "__main__":
    from pipeline.cli import show

    show(__file__)
