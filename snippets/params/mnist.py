"""The MNIST network of the tutorials, counted with both padding choices.

32 filters of 3×3 on a 28×28 digit, 2×2 max pooling, a dense layer of 128 units and 10
outputs: the map before the dense layer, and every layer's parameters, depend on
whether the convolution pads ('same') or not ('valid'), and on the biases.
"""
from snippets.lib.accounting import totals, walk
from snippets.lib.specs import ConvSpec, DenseSpec, FlattenSpec, MaxPoolSpec, ReLUSpec

IMAGE = (1, 28, 28)  # channels, height, width
FILTERS, KERNEL, POOL, HIDDEN, CLASSES = 32, 3, 2, 128, 10
PADDINGS = {"valid": 0, "same": KERNEL // 2}


def network(padding, bias):
    return [
        ConvSpec(FILTERS, KERNEL, padding=padding, bias=bias, name="conv"), ReLUSpec(), MaxPoolSpec(POOL, name="pool"),
        FlattenSpec(name="flatten"), DenseSpec(HIDDEN, bias=bias, name="hidden"), ReLUSpec(), DenseSpec(CLASSES, bias=bias, name="out"),
    ]


def compute():
    values, table = {}, []
    for mode, padding in PADDINGS.items():
        for bias in (True, False):
            rows = {r.name: r for r in walk(network(padding, bias), IMAGE)}
            total = totals(list(rows.values())).params
            c, h, w = rows["pool"].out_shape
            table.append({"padding": mode, "biases": bias, "map before the dense layer": (h, w, c),
                          "convolution": rows["conv"].params, "dense 128": rows["hidden"].params,
                          "dense 10": rows["out"].params, "total": total})
            suffix = "" if bias else "_without_biases"
            values[f"{mode}_total{suffix}"] = total
            if bias:
                values |= {f"{mode}_map": (h, w, c), f"{mode}_flat": rows["flatten"].out_shape[0],
                           f"{mode}_hidden_share": rows["hidden"].params / total}
    return values | {"counts": table, "hidden_units": HIDDEN,
                     "same_minus_valid": values["same_total"] - values["valid_total"]}


if __name__ == "__main__":
    from pipeline.cli import show

    show(__file__)
