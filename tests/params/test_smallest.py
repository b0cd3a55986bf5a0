"""The smallest case, counted by hand: every window and every connection enumerated.

Oracle: the three layers written out as lists of connections (output, input pixel,
weight name) by loops over windows and taps, without the formulas. Parameters are the
distinct weight names plus the biases; multiply-adds are the connections.
"""
import pytest

SIDE, K = 5, 3


def windows():
    """Top-left corners of the 3×3 windows that fit in the 5×5 image, found one by one."""
    return [(r, c) for r in range(SIDE) for c in range(SIDE) if r + K <= SIDE and c + K <= SIDE]


def connections(layer):
    """[(output, pixel, weight name)] of each layer on the same nine outputs."""
    found = []
    for out, (r, c) in enumerate(windows()):
        if layer == "dense":
            found += [(out, pixel, ("w", out, pixel)) for pixel in range(SIDE * SIDE)]
            continue
        for i in range(K):
            for j in range(K):
                name = ("w", i, j) if layer == "conv" else ("w", out, i, j)  # shared, or one filter per output
                found.append((out, (r + i) * SIDE + c + j, name))
    return found


def counts(layer):
    links = connections(layer)
    outputs = {out for out, _, _ in links}
    biases = 1 if layer == "conv" else len(outputs)  # the shared filter has one bias
    return len({name for *_, name in links}) + biases, len(links)


@pytest.mark.covers("params_smallest", "out_side", "positions", "taps", "conv_params", "conv_macs", "lc_params",
                    "lc_macs", "dense_params", "dense_macs", "table")
def test_the_three_layers_counted_connection_by_connection(values):
    assert values["positions"] == len(windows()) == values["out_side"] ** 2
    assert values["taps"] == K * K
    for key in ("conv", "lc", "dense"):
        assert (values[f"{key}_params"], values[f"{key}_macs"]) == counts(key), key
    assert [(r["parameters"], r["multiply-adds"]) for r in values["table"]] == [counts(k) for k in ("conv", "lc", "dense")]
    # what the page says of it: sharing cuts parameters, not multiply-adds
    assert values["conv_macs"] == values["lc_macs"] and values["conv_params"] < values["lc_params"]
