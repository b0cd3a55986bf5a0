"""Which input indices an output index reads, followed layer by layer without a formula.

Along one axis, output index o of a window layer reads ``o·stride - padding + tap·dilation``
for every tap; `dependencies` follows that backwards through a network, keeping a count of
the paths (residual blocks add their paths' counts).

Independent of the code it checks: nothing here comes from `snippets/` (the receptive
field code, `formulas` and `specs` are what the tests compare this with). A network is read
only as data, by the fields a layer description has: a run of layers (`layers`), a
residual block (`main` and `shortcut`), zeros added before the rows and columns (`before`),
or a window (`kernel`, `stride`, `padding`, `dilation`; a stride of None is the kernel,
as for PyTorch's pooling); anything else acts position by position.
"""
from collections import Counter


def _pair(value):
    return (value, value) if isinstance(value, int) else tuple(int(v) for v in value)


def dependencies(network, unit, axis=0):
    """{input index: number of paths} that output `unit` of `network` reads along `axis`."""
    return _chain(network, Counter({unit: 1}), axis)


def _back(layer, reads, axis):
    if hasattr(layer, "layers"):
        return _chain(layer.layers, reads, axis)
    if hasattr(layer, "main") and hasattr(layer, "shortcut"):
        return _chain(layer.main, reads, axis) + _chain(layer.shortcut, reads, axis)
    if hasattr(layer, "before"):  # zero padding: index i of its output is i - before of its input
        return Counter({i - _pair(layer.before)[axis]: n for i, n in reads.items()})
    if not hasattr(layer, "kernel"):
        return reads  # batch norm, activations: position by position
    k = _pair(layer.kernel)[axis]
    s = _pair(layer.kernel if layer.stride is None else layer.stride)[axis]
    p, d = (_pair(getattr(layer, field, 0 if field == "padding" else 1))[axis] for field in ("padding", "dilation"))
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
