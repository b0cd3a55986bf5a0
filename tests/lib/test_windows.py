"""Tests of snippets/lib/windows.py: the output size against the window positions
counted one by one, and known sizes of published layers. (Padding, the window view and
col2im are checked through every layer that uses them, in tests/lib/test_layers.py.)"""
from hypothesis import given, settings, strategies as st

from snippets.lib.windows import output_size

SWEEP = settings(max_examples=25, deadline=None, derandomize=True)


# --- output size --------------------------------------------------------------------


@SWEEP
@given(n=st.integers(1, 40), k=st.integers(1, 7), stride=st.integers(1, 5),
       padding=st.integers(0, 4), dilation=st.integers(1, 4))
def test_output_size_counts_the_window_positions(n, k, stride, padding, dilation):
    span = dilation * (k - 1) + 1
    starts = range(0, n + 2 * padding - span + 1, stride)  # where a window fits
    if len(starts):
        assert output_size(n, k, stride, padding, dilation) == len(starts)
    else:
        assert output_size(n, k, stride, padding, dilation) <= 0


def test_output_size_known_values():
    assert output_size(227, 11, stride=4) == 55  # AlexNet conv1
    assert output_size(224, 7, stride=2, padding=3) == 112  # ResNet conv1
    assert output_size(32, 3, padding=2, dilation=2) == 32  # dilated "same"
