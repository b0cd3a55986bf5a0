"""Which input indices an output index reads, followed layer by layer without a formula.

Along one axis, output index o of a window layer reads ``o·stride - padding + tap·dilation``
for every tap; `dependencies` follows that backwards through a network, keeping a count of
the paths (residual blocks add their paths' counts)."""
from collections import Counter

from snippets.lib.formulas import pair
from snippets.lib.specs import ResidualSpec, SequentialSpec, ZeroPadSpec


def dependencies(network, unit, axis=0):
    """{input index: number of paths} that output `unit` of `network` reads along `axis`."""
    reads = Counter({unit: 1})
    for layer in reversed(network):
        reads = _back(layer, reads, axis)
    return reads


def _back(layer, reads, axis):
    if isinstance(layer, SequentialSpec):
        return _chain(layer.layers, reads, axis)
    if isinstance(layer, ResidualSpec):
        return _chain(layer.main, reads, axis) + _chain(layer.shortcut, reads, axis)
    if isinstance(layer, ZeroPadSpec):
        return Counter({i - pair(layer.before)[axis]: n for i, n in reads.items()})
    if not hasattr(layer, "kernel"):
        return reads  # batch norm, activations: position by position
    k, s, p, d = (pair(getattr(layer, f))[axis] for f in ("kernel", "stride", "padding", "dilation"))
    found = Counter()
    for o, n in reads.items():
        for tap in range(k):
            found[o * s - p + tap * d] += n
    return found


def _chain(network, reads, axis):
    for layer in reversed(network):
        reads = _back(layer, reads, axis)
    return reads


def interval(reads):
    return min(reads), max(reads)
