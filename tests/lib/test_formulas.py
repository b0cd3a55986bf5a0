"""Tests of snippets/lib/formulas.py: every closed form against brute force.

Oracles, never the formulas themselves:
- parameters: the distinct free entries of the layer's equivalent dense matrix, built by
  `dense_equivalent.equivalent_matrix` from the reference layer, plus its distinct biases. Weights
  and biases are drawn from a continuous distribution, so two free parameters are never
  equal and every distinct value is one parameter.
- output shapes: the windows that fit, enumerated one by one by sliding (`window_starts`),
  not by the floor formula (the reference layers compute their shapes with that formula,
  so their shapes are only a second check).
- MACs without padded taps: the nonzero count of the equivalent matrix (each nonzero is
  one weight meeting one real input value; distinct taps never share an entry).
- conventional MACs: a Python loop over output positions (enumerated by sliding the
  window until it leaves the padded input, not by the floor formula), kernel taps and
  connected channel pairs, counting padded taps too.

Parameter tests use padding 0: with padding a kernel tap can land only on padding for
every output, so the matrix never holds that weight although the layer allocates it;
`test_padding_can_leave_allocated_weights_unused` shows it. Sweeps are derandomized
hypothesis runs on small shapes (each test well under a second).
"""
import zlib

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

from oracles.free_parameters import count_free_parameters
from oracles.loops import depthwise_conv2d_loop, pointwise_conv2d_loop, separable_conv2d_loop
from snippets.lib import formulas
from snippets.lib import layers as L
from snippets.lib.dense_equivalent import distinct_biases, distinct_weights, equivalent_matrix

SWEEP = settings(max_examples=30, deadline=None, derandomize=True)
SEED = 1998


def rng_for(*case):
    """A generator seeded by the case (a stable hash), so each case has fixed weights."""
    return np.random.default_rng([SEED, zlib.crc32(repr(case).encode())])


def random(rng, shape):
    """Continuous weights away from zero (so no free weight is an accidental zero)."""
    return rng.uniform(0.5, 1.5, shape) * rng.choice([-1.0, 1.0], shape)


# --- independent oracles -------------------------------------------------------------------


def window_starts(size, kernel, stride, padding, dilation):
    """Top-left input index of every window that fits in the padded input, by sliding."""
    span, starts, start = dilation * (kernel - 1) + 1, [], -padding
    while start + span <= size + padding:
        starts.append(start)
        start += stride
    return starts


def enumerated_shape(case):
    """(height, width) of a window layer's output: the windows that fit, counted."""
    _, h, w = case["in_shape"]
    (kh, kw), (sh, sw), (ph, pw), (dh, dw) = (formulas.pair(v) for v in geometry(case))
    return len(window_starts(h, kh, sh, ph, dh)), len(window_starts(w, kw, sw, pw, dw))


def linked(o, c, c_out, c_in, groups):
    """Does output channel o read input channel c in a grouped convolution?"""
    return o // (c_out // groups) == c // (c_in // groups)


def loop_conv_macs(in_shape, c_out, k, s, p, d, groups=1, count_padding=True):
    """Multiply-adds of a convolution counted one by one, padded taps optional."""
    c_in, h, w = in_shape
    (kh, kw), (sh, sw), (ph, pw), (dh, dw) = map(formulas.pair, (k, s, p, d))
    pairs = sum(linked(o, c, c_out, c_in, groups) for o in range(c_out) for c in range(c_in))
    count = 0
    for top in window_starts(h, kh, sh, ph, dh):
        for left in window_starts(w, kw, sw, pw, dw):
            for i in range(kh):
                for j in range(kw):
                    inside = 0 <= top + i * dh < h and 0 <= left + j * dw < w
                    count += pairs if inside or count_padding else 0
    return count


def loop_conv_transpose_macs(in_shape, c_out, k, groups=1):
    """Multiply-adds of a transposed convolution: every input pixel scatters every tap to
    every connected output channel (taps later cropped by padding included)."""
    c_in, h, w = in_shape
    kh, kw = formulas.pair(k)
    count = 0
    for _ in range(h):
        for _ in range(w):
            for _ in range(kh * kw):
                count += sum(linked(o, c, c_out, c_in, groups) for c in range(c_in) for o in range(c_out))
    return count


def free_parameters(linear, affine, in_shape):
    """Distinct weights of the bias-free layer's matrix plus distinct biases."""
    return count_free_parameters(linear, in_shape, affine)


def nonzeros(linear, in_shape):
    return int(np.count_nonzero(equivalent_matrix(linear, in_shape)))


# --- strategies ---------------------------------------------------------------------------


@st.composite
def conv_cases(draw, max_padding=2, groups=True):
    """A small convolution geometry whose (dilated) window fits the padded input."""
    g = draw(st.sampled_from([1, 2, 3])) if groups else 1
    c_in, c_out = g * draw(st.integers(1, 2)), g * draw(st.integers(1, 2))
    kh, kw = draw(st.integers(1, 3)), draw(st.integers(1, 3))
    sh, sw = draw(st.integers(1, 3)), draw(st.integers(1, 3))
    dh, dw = draw(st.integers(1, 2)), draw(st.integers(1, 2))
    ph, pw = draw(st.integers(0, max_padding)), draw(st.integers(0, max_padding))
    h = draw(st.integers(max(1, dh * (kh - 1) + 1 - 2 * ph), 7))
    w = draw(st.integers(max(1, dw * (kw - 1) + 1 - 2 * pw), 7))
    return dict(in_shape=(c_in, h, w), c_out=c_out, k=(kh, kw), s=(sh, sw), p=(ph, pw), d=(dh, dw), g=g)


def conv_layer(case, w, b=None):
    return lambda x: L.conv2d(x, w, b, stride=case["s"], padding=case["p"], dilation=case["d"], groups=case["g"])


def conv_weights(case, rng):
    c_in, g = case["in_shape"][0], case["g"]
    return random(rng, (case["c_out"], c_in // g, *case["k"])), random(rng, case["c_out"])


def geometry(case):
    return case["k"], case["s"], case["p"], case["d"]


# --- dense --------------------------------------------------------------------------------


@SWEEP
@given(st.integers(1, 12), st.integers(1, 12), st.booleans())
def test_dense_counts_match_its_matrix(d_in, d_out, bias):
    rng = rng_for(d_in, d_out)
    w, b = random(rng, (d_out, d_in)), random(rng, d_out) if bias else None
    linear, affine = (lambda x: L.dense(x, w)), (lambda x: L.dense(x, w, b))
    assert formulas.dense_params(d_in, d_out, bias) == free_parameters(linear, affine, (d_in,))
    assert formulas.dense_macs(d_in, d_out) == nonzeros(linear, (d_in,))
    assert L.dense(np.zeros((1, d_in)), w).shape[1:] == (d_out,)


# --- convolution: strided, padded, dilated, grouped ---------------------------------------


@SWEEP
@given(conv_cases())
def test_conv2d_output_shape_counts_the_windows_that_fit(case):
    expected = (case["c_out"], *enumerated_shape(case))
    assert formulas.conv2d_output_shape(case["in_shape"], case["c_out"], *geometry(case)) == expected
    w, _ = conv_weights(case, rng_for(*case.values()))
    assert conv_layer(case, w)(np.zeros((1, *case["in_shape"]))).shape[1:] == expected


@SWEEP
@given(conv_cases(max_padding=0), st.booleans())
def test_conv2d_params_are_the_free_entries_of_its_matrix(case, bias):
    w, b = conv_weights(case, rng_for(*case.values()))
    expected = free_parameters(conv_layer(case, w), conv_layer(case, w, b if bias else None), case["in_shape"])
    assert formulas.conv2d_params(case["in_shape"][0], case["c_out"], case["k"], case["g"], bias) == expected


@SWEEP
@given(conv_cases())
def test_conv2d_macs_without_padding_are_the_nonzeros_of_its_matrix(case):
    w, _ = conv_weights(case, rng_for(*case.values()))
    expected = nonzeros(conv_layer(case, w), case["in_shape"])
    assert formulas.conv2d_macs_excluding_padding(case["in_shape"], case["c_out"], *geometry(case), case["g"]) == expected


@SWEEP
@given(conv_cases())
def test_conv2d_conventional_macs_count_every_tap_of_every_window(case):
    args = (case["in_shape"], case["c_out"], *geometry(case), case["g"])
    assert formulas.conv2d_macs(*args) == loop_conv_macs(*args)
    # The loop without the padded taps agrees with the closed form per axis too.
    assert formulas.conv2d_macs_excluding_padding(*args) == loop_conv_macs(*args, count_padding=False)


def test_padding_can_leave_allocated_weights_unused():
    """A 3×3 kernel padded by 1 on a 1×1 image: only the centre tap ever meets a pixel.
    The formula counts the 9 weights a framework allocates; the matrix holds 1."""
    rng = rng_for("unused")
    w = random(rng, (2, 3, 3, 3))
    used = distinct_weights(equivalent_matrix(lambda x: L.conv2d(x, w, padding=1), (3, 1, 1)))
    assert used == 2 * 3 * 1
    assert formulas.conv2d_params(3, 2, 3, bias=False) == 2 * 3 * 9


@SWEEP
@given(st.integers(1, 4), st.integers(1, 4), st.integers(1, 6), st.integers(1, 6), st.booleans())
def test_pointwise_conv_is_a_dense_layer_at_every_pixel(c_in, c_out, h, w, bias):
    rng = rng_for(c_in, c_out, h, w)
    wt, b = random(rng, (c_out, c_in)), random(rng, c_out)
    linear = lambda x: pointwise_conv2d_loop(x, wt)  # noqa: E731
    affine = lambda x: pointwise_conv2d_loop(x, wt, b if bias else None)  # noqa: E731
    assert formulas.pointwise_conv2d_params(c_in, c_out, bias) == free_parameters(linear, affine, (c_in, h, w))
    assert formulas.pointwise_conv2d_macs((c_in, h, w), c_out) == nonzeros(linear, (c_in, h, w))
    assert formulas.pointwise_conv2d_macs((c_in, h, w), c_out) == loop_conv_macs((c_in, h, w), c_out, 1, 1, 0, 1)
    assert formulas.conv2d_output_shape((c_in, h, w), c_out, 1) == linear(np.zeros((1, c_in, h, w))).shape[1:]


def test_connection_table_counts_only_the_connected_channel_pairs():
    """LeNet-5's C3 as a convolution whose unconnected weights are structural zeros."""
    from snippets.lib.architectures import C3_TABLE

    rng = rng_for("c3")
    mask = np.zeros((16, 6, 1, 1))
    for o, inputs in enumerate(C3_TABLE):
        mask[o, list(inputs)] = 1
    w, b = random(rng, (16, 6, 5, 5)) * mask, random(rng, 16)
    shape = (6, 14, 14)
    linear, affine = (lambda x: L.conv2d(x, w)), (lambda x: L.conv2d(x, w, b))
    assert formulas.conv2d_params(6, 16, 5, table=C3_TABLE) == free_parameters(linear, affine, shape)
    assert formulas.conv2d_macs(shape, 16, 5, table=C3_TABLE) == nonzeros(linear, shape)  # no padding: both agree
    with pytest.raises(ValueError):
        formulas.conv2d_params(6, 15, 5, table=C3_TABLE)  # one entry per output channel


# --- depthwise and separable --------------------------------------------------------------


@st.composite
def depthwise_cases(draw, max_padding=2):
    case = draw(conv_cases(max_padding=max_padding, groups=False))
    channels = draw(st.integers(1, 3))
    return {**case, "in_shape": (channels, *case["in_shape"][1:]), "m": draw(st.integers(1, 2))}


def depthwise_layer(case, w, b=None):
    return lambda x: depthwise_conv2d_loop(x, w, b, stride=case["s"], padding=case["p"], dilation=case["d"])


def depthwise_weights(case):
    c, m = case["in_shape"][0], case["m"]
    rng = rng_for(*case.values())
    return random(rng, (c * m, 1, *case["k"])), random(rng, c * m)


@SWEEP
@given(depthwise_cases())
def test_depthwise_conv_shape_and_macs(case):
    c, m, shape = case["in_shape"][0], case["m"], case["in_shape"]
    linear = depthwise_layer(case, depthwise_weights(case)[0])
    assert formulas.depthwise_conv2d_macs_excluding_padding(shape, *geometry(case), m) == nonzeros(linear, shape)
    assert formulas.depthwise_conv2d_macs(shape, *geometry(case), m) == loop_conv_macs(shape, c * m, *geometry(case), c)
    out = linear(np.zeros((1, *shape)))
    assert formulas.conv2d_output_shape(shape, c * m, *geometry(case)) == (c * m, *enumerated_shape(case)) == out.shape[1:]


@SWEEP
@given(depthwise_cases(max_padding=0), st.booleans())
def test_depthwise_conv_params(case, bias):
    w, b = depthwise_weights(case)
    linear, affine = depthwise_layer(case, w), depthwise_layer(case, w, b if bias else None)
    expected = free_parameters(linear, affine, case["in_shape"])
    assert formulas.depthwise_conv2d_params(case["in_shape"][0], case["k"], case["m"], bias) == expected


def separable_parts(case, c_out):
    """Weights, the depthwise and pointwise factors, and the depthwise output shape."""
    c, m, shape = case["in_shape"][0], case["m"], case["in_shape"]
    rng = rng_for(*case.values(), c_out)
    w_dw, w_pw, b = random(rng, (c * m, 1, *case["k"])), random(rng, (c_out, c * m)), random(rng, c_out)
    depthwise = depthwise_layer(case, w_dw)
    mid = depthwise(np.zeros((1, *shape))).shape[1:]
    pointwise = lambda x: pointwise_conv2d_loop(x, w_pw)  # noqa: E731
    return (w_dw, w_pw, b), equivalent_matrix(depthwise, shape), equivalent_matrix(pointwise, mid), mid


def separable_layer(case, w_dw, w_pw, b=None):
    return lambda x: separable_conv2d_loop(x, w_dw, w_pw, b, stride=case["s"], padding=case["p"], dilation=case["d"])


@SWEEP
@given(depthwise_cases(), st.integers(1, 3))
def test_separable_conv_shape_and_macs_are_those_of_its_two_factors(case, c_out):
    """The composed matrix has a product in every entry, so the oracle is the two factor
    matrices (depthwise, then pointwise), whose product must be the layer's matrix."""
    c, m, shape = case["in_shape"][0], case["m"], case["in_shape"]
    (w_dw, w_pw, _), m_dw, m_pw, mid = separable_parts(case, c_out)
    separable = separable_layer(case, w_dw, w_pw)
    np.testing.assert_allclose(equivalent_matrix(separable, shape), m_pw @ m_dw, atol=1e-12)
    # a separable layer costs its two factors (as snippets/params/separable.py sums them)
    depthwise_args = (shape, case["k"], case["s"], case["p"], case["d"], m)
    assert (formulas.depthwise_conv2d_macs_excluding_padding(*depthwise_args) + formulas.pointwise_conv2d_macs(mid, c_out)
            == np.count_nonzero(m_dw) + np.count_nonzero(m_pw))
    assert (formulas.depthwise_conv2d_macs(*depthwise_args) + formulas.pointwise_conv2d_macs(mid, c_out)
            == loop_conv_macs(shape, c * m, *geometry(case), c) + loop_conv_macs(mid, c_out, 1, 1, 0, 1))
    assert formulas.conv2d_output_shape(shape, c_out, *geometry(case)) == separable(np.zeros((1, *shape))).shape[1:]


@SWEEP
@given(depthwise_cases(max_padding=0), st.integers(1, 3), st.booleans())
def test_separable_conv_params_are_those_of_its_two_factors(case, c_out, bias):
    (w_dw, w_pw, b), m_dw, m_pw, _ = separable_parts(case, c_out)
    affine = separable_layer(case, w_dw, w_pw, b if bias else None)
    free = distinct_weights(m_dw) + distinct_weights(m_pw) + distinct_biases(affine, case["in_shape"])
    c = case["in_shape"][0]
    assert (formulas.depthwise_conv2d_params(c, case["k"], case["m"], bias=False)
            + formulas.pointwise_conv2d_params(c * case["m"], c_out, bias)) == free


# --- locally connected --------------------------------------------------------------------


def locally_connected_parts(case):
    """Untied weights (H_out, W_out, C_out, C_in, kh, kw), biases, reference layer maker."""
    shape, c_out = case["in_shape"], case["c_out"]
    _, h_out, w_out = L.conv2d(np.zeros((1, *shape)), np.zeros((c_out, shape[0], *case["k"])),
                               stride=case["s"], padding=case["p"], dilation=case["d"]).shape[1:]
    rng = rng_for(*case.values())
    w, b = random(rng, (h_out, w_out, c_out, shape[0], *case["k"])), random(rng, (c_out, h_out, w_out))
    kwargs = dict(stride=case["s"], padding=case["p"], dilation=case["d"])
    return w, b, lambda bias=None: (lambda x: L.locally_connected2d(x, w, bias, **kwargs))


@SWEEP
@given(conv_cases(groups=False))
def test_locally_connected_shape_and_macs(case):
    _, _, layer = locally_connected_parts(case)
    args = (case["in_shape"], case["c_out"], *geometry(case))
    assert formulas.conv2d_output_shape(*args) == (case["c_out"], *enumerated_shape(case))
    assert formulas.conv2d_output_shape(*args) == layer()(np.zeros((1, *case["in_shape"]))).shape[1:]
    assert formulas.locally_connected2d_macs_excluding_padding(*args) == nonzeros(layer(), case["in_shape"])
    assert formulas.locally_connected2d_macs(*args) == loop_conv_macs(*args)


@SWEEP
@given(conv_cases(max_padding=0, groups=False), st.booleans())
def test_locally_connected_params(case, bias):
    _, b, layer = locally_connected_parts(case)
    expected = free_parameters(layer(), layer(b if bias else None), case["in_shape"])
    assert formulas.locally_connected2d_params(case["in_shape"], case["c_out"], *geometry(case), bias) == expected


# --- transposed convolution ---------------------------------------------------------------


@st.composite
def transpose_cases(draw, max_padding=2):
    case = draw(conv_cases(max_padding=max_padding))
    s, d = case["s"], case["d"]
    op = tuple(draw(st.integers(0, max(si, di) - 1)) for si, di in zip(s, d))
    # The output must be at least one pixel: (H-1)s - 2p + d(k-1) + op + 1 >= 1.
    h, w = case["in_shape"][1:]
    sizes = [(n - 1) * si - 2 * pi + di * (ki - 1) + oi + 1
             for n, si, pi, di, ki, oi in zip((h, w), s, case["p"], d, case["k"], op)]
    if min(sizes) < 1:
        case["p"] = (0, 0)
    return {**case, "op": op}


def transpose_layer(case, w, b=None):
    return lambda x: L.conv_transpose2d(x, w, b, stride=case["s"], padding=case["p"], output_padding=case["op"],
                                        dilation=case["d"], groups=case["g"])


def transpose_weights(case):
    rng = rng_for(*case.values())
    c_in, c_out, g = case["in_shape"][0], case["c_out"], case["g"]
    return random(rng, (c_in, c_out // g, *case["k"])), random(rng, c_out)


@SWEEP
@given(transpose_cases())
def test_conv_transpose2d_shape_and_macs(case):
    shape, c_out, g = case["in_shape"], case["c_out"], case["g"]
    linear = transpose_layer(case, transpose_weights(case)[0])
    full = (case["k"], case["s"], case["p"], case["op"], case["d"])
    assert formulas.conv_transpose2d_output_shape(shape, c_out, *full) == linear(np.zeros((1, *shape))).shape[1:]
    assert formulas.conv_transpose2d_macs_excluding_padding(shape, c_out, *full, g) == nonzeros(linear, shape)
    assert formulas.conv_transpose2d_macs(shape, c_out, case["k"], g) == loop_conv_transpose_macs(shape, c_out, case["k"], g)


@SWEEP
@given(transpose_cases(max_padding=0), st.booleans())
def test_conv_transpose2d_params(case, bias):
    w, b = transpose_weights(case)
    linear, affine = transpose_layer(case, w), transpose_layer(case, w, b if bias else None)
    expected = free_parameters(linear, affine, case["in_shape"])
    assert formulas.conv_transpose2d_params(case["in_shape"][0], case["c_out"], case["k"], case["g"], bias) == expected


# --- one-axis helpers ---------------------------------------------------------------------


@SWEEP
@given(st.integers(1, 40), st.integers(1, 7), st.integers(1, 4), st.integers(1, 3))
def test_same_padding_gives_ceil_of_size_over_stride(size, kernel, stride, dilation):
    """TensorFlow's documented rule for 'same': output = ceil(size / stride). Pad as
    returned (asymmetric allowed), then run an unpadded reference convolution."""
    before, after = formulas.same_padding(size, kernel, stride, dilation)
    assert 0 <= after - before <= 1
    x = np.pad(np.zeros((1, 1, 1, size)), ((0, 0), (0, 0), (0, 0), (before, after)))
    out = L.conv2d(x, np.zeros((1, 1, 1, kernel)), stride=(1, stride), dilation=(1, dilation))
    assert out.shape[3] == -(-size // stride)


@SWEEP
@given(n=st.integers(1, 40), k=st.integers(1, 7), stride=st.integers(1, 5),
       padding=st.integers(0, 4), dilation=st.integers(1, 4))
def test_output_size_counts_the_window_positions(n, k, stride, padding, dilation):
    """The one output-size rule of the Python code (the snippets, `windows` and the layers
    use it) against the window starts counted one by one."""
    span = dilation * (k - 1) + 1
    starts = range(0, n + 2 * padding - span + 1, stride)  # where a window fits
    if len(starts):
        assert formulas.conv_output_size(n, k, stride, padding, dilation) == len(starts)
    else:
        with pytest.raises(ValueError, match="does not fit"):
            formulas.conv_output_size(n, k, stride, padding, dilation)


def test_output_size_of_published_layers():
    assert formulas.conv_output_size(227, 11, stride=4) == 55  # AlexNet conv1
    assert formulas.conv_output_size(224, 7, stride=2, padding=3) == 112  # ResNet conv1
    assert formulas.conv_output_size(32, 3, padding=2, dilation=2) == 32  # dilated "same"


def test_output_size_refuses_a_window_that_does_not_fit():
    with pytest.raises(ValueError):
        formulas.conv_output_size(4, 3, dilation=2)


def test_flops_are_two_per_multiply_add():
    """The stated convention: a dot product of n terms accumulated into a sum that starts
    at zero costs n multiplications and n additions."""
    n = 7
    multiplications, additions = n, len(range(n))  # one of each per term
    assert formulas.flops(formulas.dense_macs(n, 1)) == multiplications + additions
