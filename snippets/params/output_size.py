"""Output sizes of a sliding window: padding, stride, dilation and the floor.

Works one axis of a 3×3 window over 16 pixels through the cases that decide an output
size, including the ones where the division leaves a remainder and the floor drops it.
"""
from snippets.lib.formulas import conv_output_size, same_padding

SIZE, KERNEL = 16, 3  # pixels along the axis, taps of the window
STRIDE, DILATION = 2, 2


def unfloored(size, kernel, stride=1, padding=0, dilation=1):
    """The division before the floor: a fraction when the last stride overshoots."""
    return (size + 2 * padding - dilation * (kernel - 1) - 1) / stride + 1


def compute():
    same = KERNEL // 2
    dilated_span = DILATION * (KERNEL - 1) + 1
    cases = [  # (case, stride, padding, dilation)
        ("no padding", 1, 0, 1),
        ("padding 1", 1, same, 1),
        ("stride 2, no padding", STRIDE, 0, 1),
        ("stride 2, padding 1", STRIDE, same, 1),
        ("dilation 2, no padding", 1, 0, DILATION),
        ("dilation 2, padding 2", 1, dilated_span // 2, DILATION),
    ]
    table = [{"case": case, "formula before the floor": unfloored(SIZE, KERNEL, s, p, d),
              "output size": conv_output_size(SIZE, KERNEL, s, p, d)} for case, s, p, d in cases]
    before, after = same_padding(SIZE, KERNEL, STRIDE)
    return {
        "sizes": table,
        "valid_size": conv_output_size(SIZE, KERNEL),
        "same_padding": same,
        "strided_fraction": unfloored(SIZE, KERNEL, STRIDE),
        "strided_size": conv_output_size(SIZE, KERNEL, STRIDE),
        "strided_padded_size": conv_output_size(SIZE, KERNEL, STRIDE, same),
        "dilated_span": dilated_span,
        "dilated_same_padding": dilated_span // 2,
        "tf_same_before": before,
        "tf_same_after": after,
        "tf_same_size": conv_output_size(SIZE + before + after, KERNEL, STRIDE),
    }


if __name__ == "__main__":
    from pipeline.cli import show

    show(__file__)
