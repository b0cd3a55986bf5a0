"""One 7×7 convolution against a stack of three 3×3 convolutions, with C channels.

Both see a 7×7 window of their input; counts their parameters (with and without
biases) and multiply-adds for C input and output channels, as the VGG paper argues.
"""
from snippets.lib.accounting import totals, walk
from snippets.lib.specs import ConvSpec

CHANNELS = 64  # C, the same in and out (VGG's first stage)
SIZE = 56  # a 56×56 feature map, padded so that every layer keeps its size
BIG, SMALL, DEPTH = 7, 3, 3  # one 7×7 layer, or three 3×3 layers


def receptive_field(rows):
    """Input pixels one output pixel sees along an axis: each layer widens the window by
    (kernel - 1)·dilation steps of the input spacing its own input has."""
    field, spacing = 1, 1
    for row in rows:
        (kernel, _), (stride, _), (dilation, _) = row.kernel, row.stride, row.dilation
        field += (kernel - 1) * dilation * spacing
        spacing *= stride
    return field


def stack(kernel, depth, bias=True):
    return [ConvSpec(CHANNELS, kernel, padding=kernel // 2, bias=bias) for _ in range(depth)]


def compute():
    shape = (CHANNELS, SIZE, SIZE)
    big, small = walk(stack(BIG, 1), shape), walk(stack(SMALL, DEPTH), shape)
    big_weights, small_weights = (totals(walk(stack(k, n, bias=False), shape)).params
                                  for k, n in ((BIG, 1), (SMALL, DEPTH)))
    return {
        "big_params": totals(big).params,
        "big_weights": big_weights,
        "big_macs": totals(big).macs,
        "big_field": receptive_field(big),
        "small_params": totals(small).params,
        "small_weights": small_weights,
        "small_macs": totals(small).macs,
        "small_field": receptive_field(small),
        # the calculator's task: the same stack with its middle layer at stride 2
        "strided_middle_field": receptive_field(walk([ConvSpec(CHANNELS, SMALL, stride, padding=1)
                                                      for stride in (1, 2, 1)], shape)),
        "weights_ratio": small_weights / big_weights,
        "big_extra": big_weights / small_weights - 1,
    }


if __name__ == "__main__":
    from pipeline.cli import show

    show(__file__)
