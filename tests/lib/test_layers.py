"""Tests of snippets/lib/layers.py, and of the equivalent matrices of
snippets/lib/dense_equivalent.py built from those layers, against independent oracles.

Oracles: Python loops written from the definitions (here, or `oracles.loops.conv2d_loop`), dense matrices
built entry by entry, central finite differences and the adjoint identity. Random draws are seeded; hypothesis is derandomized.

Finite-difference tolerance: every loss below is linear in the perturbed argument (or,
for max pooling, linear on a region wider than the step), so a central difference has
no truncation error; what remains is rounding, about eps * |loss| / h ~ 1e-16 * 1e2 /
1e-3 = 1e-11. We allow 1e-7: far above rounding, far below any real mistake (O(1)).
"""
import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

from oracles.differences import central_difference
from oracles.free_parameters import count_free_parameters
from oracles.loops import conv2d_loop, depthwise_conv2d_loop, separable_conv2d_loop
from snippets.lib import layers as L
from snippets.lib.dense_equivalent import distinct_biases, distinct_weights, equivalent_matrix, parameter_index_matrix
from snippets.lib.formulas import conv_output_size

FD_TOL = 1e-7
# Two ways of summing the same few hundred O(1) float64 products differ by ~1e-14.
CLOSE = dict(rtol=1e-12, atol=1e-12)
SWEEP = settings(max_examples=25, deadline=None, derandomize=True)


# --- independent oracles ------------------------------------------------------------


def source_pixel(o_pos, tap, size, stride, padding, dilation, mode):
    """Input index read by output position o_pos through tap, or None for a padding zero."""
    i = o_pos * stride - padding + tap * dilation
    if mode == "circular":
        return i % size
    return i if 0 <= i < size else None


def conv_matrix_entry_by_entry(in_shape, w, stride, padding, dilation, groups, mode):
    """The dense matrix of a bias-free conv2d, one weight written into one entry at a time."""
    c_in, h, wd = in_shape
    c_out, c_per_group, kh, kw = w.shape
    ho = len(range(0, h + 2 * padding[0] - dilation[0] * (kh - 1), stride[0]))
    wo = len(range(0, wd + 2 * padding[1] - dilation[1] * (kw - 1), stride[1]))
    m = np.zeros((c_out * ho * wo, c_in * h * wd))
    for o in range(c_out):
        group = o // (c_out // groups)
        for oy in range(ho):
            for ox in range(wo):
                row = (o * ho + oy) * wo + ox
                for c in range(c_per_group):
                    for i in range(kh):
                        for j in range(kw):
                            iy = source_pixel(oy, i, h, stride[0], padding[0], dilation[0], mode)
                            ix = source_pixel(ox, j, wd, stride[1], padding[1], dilation[1], mode)
                            if iy is None or ix is None:
                                continue
                            col = ((group * c_per_group + c) * h + iy) * wd + ix
                            m[row, col] += w[o, c, i, j]
    return m, (c_out, ho, wo)


def conv_transpose_by_stamping(x, w, b, stride, padding, output_padding, dilation, groups):
    """Transposed convolution as usually drawn: every input pixel stamps a scaled kernel."""
    n, c_in, h, wd = x.shape
    _, out_per_group, kh, kw = w.shape
    in_per_group = c_in // groups
    size = [(s - 1) * st_ - 2 * p + d * (k - 1) + op + 1 for s, st_, p, d, k, op
            in zip((h, wd), stride, padding, dilation, (kh, kw), output_padding)]
    # Stamp onto a canvas with a margin of `padding`, then crop it off.
    canvas = np.zeros((n, out_per_group * groups, size[0] + 2 * padding[0],
                       size[1] + 2 * padding[1]))
    for c in range(c_in):
        group = c // in_per_group
        for y in range(h):
            for x_ in range(wd):
                for o in range(out_per_group):
                    for i in range(kh):
                        for j in range(kw):
                            cy = y * stride[0] + i * dilation[0]
                            cx = x_ * stride[1] + j * dilation[1]
                            if cy < canvas.shape[2] and cx < canvas.shape[3]:
                                canvas[:, group * out_per_group + o, cy, cx] += (
                                    x[:, c, y, x_] * w[c, o, i, j])
    out = canvas[:, :, padding[0]:padding[0] + size[0], padding[1]:padding[1] + size[1]]
    return out + b[:, None, None]


def locally_connected_loop(x, w, b, stride, padding, dilation):
    """Locally connected layer from its definition: each output pixel has its own filters."""
    n, c_in, h, wd = x.shape
    ho, wo, c_out, _, kh, kw = w.shape
    out = np.zeros((n, c_out, ho, wo))
    for oy in range(ho):
        for ox in range(wo):
            for o in range(c_out):
                for c in range(c_in):
                    for i in range(kh):
                        for j in range(kw):
                            iy = source_pixel(oy, i, h, stride[0], padding[0], dilation[0],
                                              "zeros")
                            ix = source_pixel(ox, j, wd, stride[1], padding[1], dilation[1],
                                              "zeros")
                            if iy is not None and ix is not None:
                                out[:, o, oy, ox] += x[:, c, iy, ix] * w[oy, ox, o, c, i, j]
    return out + b


def pool_loop(x, size, stride, reduce):
    """Pooling from its definition: reduce each window, one output pixel at a time."""
    n, c, h, wd = x.shape
    ho, wo = (h - size) // stride + 1, (wd - size) // stride + 1
    out = np.zeros((n, c, ho, wo))
    for oy in range(ho):
        for ox in range(wo):
            for k in range(n):
                for ch in range(c):
                    y0, x0 = oy * stride, ox * stride
                    window = x[k, ch, y0:y0 + size, x0:x0 + size]
                    out[k, ch, oy, ox] = reduce(window)
    return out


# --- random layer configurations ----------------------------------------------------


def int_or_pair(lo, hi):
    """Draw an int or an (h, w) pair; the layers must accept both."""
    return st.one_of(st.integers(lo, hi), st.tuples(st.integers(lo, hi), st.integers(lo, hi)))


def as_pair(v):
    return (v, v) if isinstance(v, int) else v


@st.composite
def conv_configs(draw, modes=("zeros", "circular"), max_groups=3):
    """A small conv2d problem: shapes, hyperparameters and a seed for the arrays."""
    groups = draw(st.integers(1, max_groups))
    cfg = dict(
        groups=groups,
        c_in=groups * draw(st.integers(1, 2)),
        c_out=groups * draw(st.integers(1, 2)),
        k=(draw(st.integers(1, 3)), draw(st.integers(1, 3))),
        stride=draw(int_or_pair(1, 3)),
        padding=draw(int_or_pair(0, 2)),
        dilation=draw(int_or_pair(1, 2)),
        padding_mode=draw(st.sampled_from(modes)),
        seed=draw(st.integers(0, 2**32 - 1)),
    )
    # Big enough input for at least one output position, plus a few more.
    span = [d * (k - 1) + 1 - 2 * p for d, k, p in
            zip(as_pair(cfg["dilation"]), cfg["k"], as_pair(cfg["padding"]))]
    cfg["hw"] = tuple(max(1, s) + draw(st.integers(0, 4)) for s in span)
    return cfg


def conv_arrays(cfg, n=2):
    rng = np.random.default_rng(cfg["seed"])
    x = rng.standard_normal((n, cfg["c_in"]) + cfg["hw"])
    w = rng.standard_normal((cfg["c_out"], cfg["c_in"] // cfg["groups"]) + cfg["k"])
    b = rng.standard_normal(cfg["c_out"])
    return x, w, b


def conv_kwargs(cfg):
    return {k: cfg[k] for k in ("stride", "padding", "dilation", "groups", "padding_mode")}


# --- shapes -------------------------------------------------------------------------


def test_a_window_larger_than_the_input_is_refused():
    with pytest.raises(ValueError):
        L.conv2d(np.zeros((1, 1, 2, 2)), np.zeros((1, 1, 3, 3)))


# --- conv2d -------------------------------------------------------------------------


@SWEEP
@given(cfg=conv_configs())
def test_conv2d_equals_the_loop_definition(cfg):
    x, w, b = conv_arrays(cfg)
    expected = conv2d_loop(x, w, b, **conv_kwargs(cfg))
    got = L.conv2d(x, w, b, **conv_kwargs(cfg))
    assert got.shape == expected.shape
    np.testing.assert_allclose(got, expected, **CLOSE)


@SWEEP
@given(cfg=conv_configs())
def test_conv2d_is_the_matrix_built_entry_by_entry(cfg):
    x, w, _ = conv_arrays(cfg)
    pairs = {k: as_pair(cfg[k]) for k in ("stride", "padding", "dilation")}
    m, out_shape = conv_matrix_entry_by_entry(x.shape[1:], w, groups=cfg["groups"],
                                              mode=cfg["padding_mode"], **pairs)
    got = L.conv2d(x, w, **conv_kwargs(cfg))
    assert got.shape[1:] == out_shape
    np.testing.assert_allclose(got.reshape(len(x), -1), x.reshape(len(x), -1) @ m.T,
                               **CLOSE)
    layer = lambda z: L.conv2d(z, w, **conv_kwargs(cfg))  # noqa: E731
    np.testing.assert_allclose(equivalent_matrix(layer, x.shape[1:]), m, rtol=0, atol=1e-14)


@pytest.mark.parametrize("groups, stride, padding_mode", [(1, 1, "zeros"), (2, 2, "circular")])
def test_conv2d_in_chunks_of_one_image_equals_the_loop(monkeypatch, groups, stride, padding_mode):
    # conv2d builds its im2col columns a cache-sized chunk of images at a time; the test
    # shapes are tiny, so shrink the cache to make every image its own chunk.
    monkeypatch.setattr(L, "CACHE_BYTES", 1)
    rng = np.random.default_rng(16)
    x, w, b = rng.standard_normal((3, 4, 6, 5)), rng.standard_normal((6, 4 // groups, 3, 2)), \
        rng.standard_normal(6)
    kw = dict(stride=stride, padding=1, groups=groups, padding_mode=padding_mode)
    np.testing.assert_allclose(L.conv2d(x, w, b, **kw), conv2d_loop(x, w, b, **kw), **CLOSE)


@pytest.mark.parametrize("n", [1, 2, 3, 5])
@pytest.mark.parametrize("stride, dilation, padding_mode", [
    (1, 1, "zeros"), (2, 1, "circular"), ((1, 2), 2, "zeros"), (1, (2, 1), "circular")])
def test_conv2d_in_chunks_of_two_images_equals_the_loop(monkeypatch, n, stride, dilation,
                                                        padding_mode):
    # conv2d builds its im2col columns (and multiplies them) a chunk of images at a time,
    # and each chunk's outputs must land on their own images. Shrink the cache to two
    # images' columns, so that batches of 3 and 5 also end on a chunk of one image.
    rng = np.random.default_rng(17)
    x, w, b = rng.standard_normal((n, 4, 7, 6)), rng.standard_normal((5, 4, 3, 2)), \
        rng.standard_normal(5)
    out_hw = [(size + 2 - d * (k - 1) - 1) // s + 1 for size, k, s, d
              in zip((7, 6), (3, 2), as_pair(stride), as_pair(dilation))]
    image_bytes = 8 * (4 * 3 * 2) * out_hw[0] * out_hw[1]
    monkeypatch.setattr(L, "CACHE_BYTES", 2 * image_bytes)
    chunks = L._image_chunks(n, image_bytes)
    assert [len(range(n)[c]) for c in chunks] == [2] * (n // 2) + [1] * (n % 2)
    kw = dict(stride=stride, padding=1, dilation=dilation, padding_mode=padding_mode)
    got = L.conv2d(x, w, b, **kw)
    assert got.shape == (n, 5, *out_hw) and got.flags.c_contiguous  # NCHW, as the loop's
    np.testing.assert_allclose(got, conv2d_loop(x, w, b, **kw), **CLOSE)


def test_conv2d_loop_known_value():
    # A hand-checkable case: a 2x2 box filter over a 3x3 ramp, stride 1, no padding.
    x = np.arange(9.0).reshape(1, 1, 3, 3)
    w = np.ones((1, 1, 2, 2))
    np.testing.assert_array_equal(conv2d_loop(x, w)[0, 0], [[8, 12], [20, 24]])
    # Circular padding of 1 wraps the last row/column around: the top-left window
    # covers x[2,2], x[2,0], x[0,2], x[0,0].
    assert conv2d_loop(x, w, padding=1, padding_mode="circular")[0, 0, 0, 0] == 8 + 6 + 2 + 0


@pytest.mark.parametrize("bad", [dict(groups=2), dict(padding_mode="reflect")])
def test_conv2d_refuses_bad_arguments(bad):
    x, w = np.zeros((1, 3, 5, 5)), np.zeros((4, 3, 3, 3))
    with pytest.raises(ValueError):
        L.conv2d(x, w, **bad)


# --- conv2d backward ----------------------------------------------------------------


@settings(max_examples=12, deadline=None, derandomize=True)
@given(cfg=conv_configs())
def test_conv2d_backward_equals_central_differences(cfg):
    x, w, b = conv_arrays(cfg, n=2)
    g = np.random.default_rng(cfg["seed"] + 1).standard_normal(
        L.conv2d(x, w, **conv_kwargs(cfg)).shape)
    loss = lambda: np.sum(L.conv2d(x, w, b, **conv_kwargs(cfg)) * g)  # noqa: E731
    grad_x, grad_w, grad_b = L.conv2d_backward(x, w, g, **conv_kwargs(cfg))
    for analytic, wrt in ((grad_x, x), (grad_w, w), (grad_b, b)):
        np.testing.assert_allclose(analytic, central_difference(loss, wrt), rtol=0, atol=FD_TOL)


@SWEEP
@given(cfg=conv_configs())
def test_conv2d_input_gradient_is_the_transposed_matrix(cfg):
    x, w, _ = conv_arrays(cfg)
    pairs = {k: as_pair(cfg[k]) for k in ("stride", "padding", "dilation")}
    m, out_shape = conv_matrix_entry_by_entry(x.shape[1:], w, groups=cfg["groups"],
                                              mode=cfg["padding_mode"], **pairs)
    g = np.random.default_rng(cfg["seed"]).standard_normal((len(x),) + out_shape)
    grad_x, _, _ = L.conv2d_backward(x, w, g, **conv_kwargs(cfg))
    np.testing.assert_allclose(grad_x.reshape(len(x), -1), g.reshape(len(x), -1) @ m,
                               **CLOSE)


# --- transposed convolution ---------------------------------------------------------


@st.composite
def transpose_configs(draw):
    cfg = draw(conv_configs(modes=("zeros",)))
    s, d = as_pair(cfg["stride"]), as_pair(cfg["dilation"])
    # PyTorch's rule: output_padding < max(stride, dilation), per axis.
    cfg["output_padding"] = tuple(draw(st.integers(0, max(a, b) - 1)) for a, b in zip(s, d))
    return cfg


def transpose_problem(cfg):
    """Arrays for conv_transpose2d(x, w): x is the *conv2d output* side."""
    rng = np.random.default_rng(cfg["seed"])
    g = cfg["groups"]
    out_hw = [(n - 1) * s - 2 * p + d * (k - 1) + op + 1 for n, s, p, d, k, op in
              zip(cfg["hw"], as_pair(cfg["stride"]), as_pair(cfg["padding"]),
                  as_pair(cfg["dilation"]), cfg["k"], cfg["output_padding"])]
    x = rng.standard_normal((2, cfg["c_in"]) + cfg["hw"])
    w = rng.standard_normal((cfg["c_in"], cfg["c_out"] // g) + cfg["k"])
    b = rng.standard_normal(cfg["c_out"])
    return x, w, b, tuple(out_hw)


def transpose_kwargs(cfg):
    return {k: cfg[k] for k in ("stride", "padding", "output_padding", "dilation", "groups")}


@SWEEP
@given(cfg=transpose_configs())
def test_conv_transpose2d_is_the_adjoint_of_conv2d(cfg):
    x, w, _, out_hw = transpose_problem(cfg)
    if min(out_hw) < 1:
        return  # padding ate the whole output
    y = np.random.default_rng(cfg["seed"] + 1).standard_normal((2, cfg["c_out"]) + out_hw)
    conv = dict(stride=cfg["stride"], padding=cfg["padding"], dilation=cfg["dilation"],
                groups=cfg["groups"])
    # <conv(y), x>; with stride <= output_padding < dilation the conv has extra output
    # positions that the transposed conv never feeds, so compare on x's positions only.
    lhs = np.sum(L.conv2d(y, w, **conv)[:, :, :x.shape[2], :x.shape[3]] * x)
    rhs = np.sum(y * L.conv_transpose2d(x, w, **transpose_kwargs(cfg)))  # <y, conv^T(x)>
    assert lhs == pytest.approx(rhs, rel=1e-12, abs=1e-12)


@SWEEP
@given(cfg=transpose_configs())
def test_conv_transpose2d_equals_stamping_kernels(cfg):
    x, w, b, out_hw = transpose_problem(cfg)
    if min(out_hw) < 1:
        return
    pairs = {k: as_pair(cfg[k]) for k in ("stride", "padding", "dilation")}
    expected = conv_transpose_by_stamping(x, w, b, output_padding=cfg["output_padding"],
                                          groups=cfg["groups"], **pairs)
    got = L.conv_transpose2d(x, w, b, **transpose_kwargs(cfg))
    assert got.shape[2:] == out_hw
    np.testing.assert_allclose(got, expected, **CLOSE)


def test_conv_transpose2d_refuses_output_padding_as_large_as_the_stride():
    with pytest.raises(ValueError):
        L.conv_transpose2d(np.zeros((1, 1, 3, 3)), np.zeros((1, 1, 3, 3)), stride=2,
                           output_padding=2)


# --- locally connected --------------------------------------------------------------


@st.composite
def lc_configs(draw):
    cfg = draw(conv_configs(modes=("zeros",), max_groups=1))
    pairs = [as_pair(cfg[k]) for k in ("stride", "padding", "dilation")]
    cfg["out_hw"] = tuple(conv_output_size(n, k, s, p, d)
                          for n, k, s, p, d in zip(cfg["hw"], cfg["k"], *pairs))
    return cfg


def lc_arrays(cfg, n=2):
    rng = np.random.default_rng(cfg["seed"])
    x = rng.standard_normal((n, cfg["c_in"]) + cfg["hw"])
    w = rng.standard_normal(cfg["out_hw"] + (cfg["c_out"], cfg["c_in"]) + cfg["k"])
    b = rng.standard_normal((cfg["c_out"],) + cfg["out_hw"])
    return x, w, b


def lc_kwargs(cfg):
    return {k: cfg[k] for k in ("stride", "padding", "dilation")}


@SWEEP
@given(cfg=lc_configs())
def test_locally_connected2d_equals_the_loop_definition(cfg):
    x, w, b = lc_arrays(cfg)
    pairs = {k: as_pair(v) for k, v in lc_kwargs(cfg).items()}
    np.testing.assert_allclose(L.locally_connected2d(x, w, b, **lc_kwargs(cfg)),
                               locally_connected_loop(x, w, b, **pairs), **CLOSE)


@SWEEP
@given(cfg=lc_configs())
def test_locally_connected2d_with_one_filter_everywhere_is_conv2d(cfg):
    # This is what weight sharing means: tie every position's filters and bias together.
    x, w, b = lc_arrays(cfg)
    conv_w, conv_b = w[0, 0], b[:, 0, 0]
    tied_w = np.broadcast_to(conv_w, w.shape)
    tied_b = np.broadcast_to(conv_b[:, None, None], b.shape)
    np.testing.assert_allclose(L.locally_connected2d(x, tied_w, tied_b, **lc_kwargs(cfg)),
                               conv2d_loop(x, conv_w, conv_b, **lc_kwargs(cfg)),
                               **CLOSE)


@SWEEP
@given(cfg=lc_configs())
def test_shared_weight_gradient_is_the_sum_of_the_untied_gradients(cfg):
    x, w, _ = lc_arrays(cfg)
    conv_w = w[0, 0]
    g = np.random.default_rng(cfg["seed"] + 1).standard_normal((2, cfg["c_out"]) + cfg["out_hw"])
    _, lc_grad_w, lc_grad_b = L.locally_connected2d_backward(
        x, np.broadcast_to(conv_w, w.shape), g, **lc_kwargs(cfg))
    _, conv_grad_w, conv_grad_b = L.conv2d_backward(x, conv_w, g, **lc_kwargs(cfg))
    np.testing.assert_allclose(lc_grad_w.sum(axis=(0, 1)), conv_grad_w, **CLOSE)
    np.testing.assert_allclose(lc_grad_b.sum(axis=(1, 2)), conv_grad_b, **CLOSE)


@settings(max_examples=8, deadline=None, derandomize=True)
@given(cfg=lc_configs())
def test_locally_connected2d_backward_equals_central_differences(cfg):
    x, w, b = lc_arrays(cfg, n=1)
    g = np.random.default_rng(cfg["seed"] + 1).standard_normal((1, cfg["c_out"]) + cfg["out_hw"])
    loss = lambda: np.sum(L.locally_connected2d(x, w, b, **lc_kwargs(cfg)) * g)  # noqa: E731
    grads = L.locally_connected2d_backward(x, w, g, **lc_kwargs(cfg))
    for analytic, wrt in zip(grads, (x, w, b)):
        np.testing.assert_allclose(analytic, central_difference(loss, wrt), rtol=0, atol=FD_TOL)


def test_locally_connected2d_refuses_weights_of_the_wrong_output_size():
    with pytest.raises(ValueError, match="do not fit output"):
        L.locally_connected2d(np.zeros((1, 2, 5, 5)), np.zeros((4, 4, 3, 2, 3, 3)))


# --- dense --------------------------------------------------------------------------


def test_dense_equals_the_sum_definition_and_its_gradients_central_differences():
    rng = np.random.default_rng(1)
    x, w, b = rng.standard_normal((3, 5)), rng.standard_normal((4, 5)), rng.standard_normal(4)
    expected = np.array([[sum(w[o, i] * x[n, i] for i in range(5)) + b[o] for o in range(4)]
                         for n in range(3)])
    np.testing.assert_allclose(L.dense(x, w, b), expected, **CLOSE)
    g = rng.standard_normal((3, 4))
    loss = lambda: np.sum(L.dense(x, w, b) * g)  # noqa: E731
    for analytic, wrt in zip(L.dense_backward(x, w, g), (x, w, b)):
        np.testing.assert_allclose(analytic, central_difference(loss, wrt), rtol=0, atol=FD_TOL)


# --- depthwise, pointwise, separable: conv2d with groups and 1×1 kernels -------------


def depthwise_problem(seed, multiplier=2, c=3, hw=(7, 6), k=3):
    rng = np.random.default_rng(seed)
    x = rng.standard_normal((2, c) + hw)
    w_dw = rng.standard_normal((c * multiplier, 1, k, k))
    return rng, x, w_dw


@pytest.mark.parametrize("seed, stride, padding, dilation", [
    (0, 1, 0, 1), (1, 2, 1, 1), (2, (1, 2), (2, 0), 2), (3, 3, 2, (2, 1))])
def test_depthwise_is_conv2d_with_one_group_per_channel(seed, stride, padding, dilation):
    rng, x, w_dw = depthwise_problem(seed)
    b = rng.standard_normal(len(w_dw))
    kw = dict(stride=stride, padding=padding, dilation=dilation)
    got = L.conv2d(x, w_dw, b, groups=3, **kw)
    np.testing.assert_allclose(got, depthwise_conv2d_loop(x, w_dw, b, **kw), **CLOSE)
    # And each channel alone, through its own two filters (multiplier 2), gives its outputs.
    for c in range(3):
        alone = conv2d_loop(x[:, c:c + 1], w_dw[2 * c:2 * c + 2], b[2 * c:2 * c + 2], **kw)
        np.testing.assert_allclose(got[:, 2 * c:2 * c + 2], alone, **CLOSE)


def test_pointwise_is_a_dense_map_over_channels_at_every_pixel():
    rng = np.random.default_rng(4)
    x = rng.standard_normal((2, 5, 4, 3))
    w, b = rng.standard_normal((7, 5)), rng.standard_normal(7)
    got = L.conv2d(x, w[:, :, None, None], b)
    for n in range(2):
        for y in range(4):
            for x_ in range(3):
                np.testing.assert_allclose(got[n, :, y, x_], w @ x[n, :, y, x_] + b, rtol=1e-12)


@pytest.mark.parametrize("seed, stride, padding, dilation", [(5, 1, 1, 1), (6, 2, 0, 2)])
def test_separable_is_depthwise_then_pointwise(seed, stride, padding, dilation):
    rng, x, w_dw = depthwise_problem(seed)
    w_pw, b = rng.standard_normal((4, 6)), rng.standard_normal(4)
    kw = dict(stride=stride, padding=padding, dilation=dilation)
    got = L.conv2d(L.conv2d(x, w_dw, groups=3, **kw), w_pw[:, :, None, None], b)
    depthwise = conv2d_loop(x, w_dw, groups=3, **kw)
    np.testing.assert_allclose(got, np.einsum("oc,nchw->nohw", w_pw, depthwise) + b[:, None, None],
                               **CLOSE)
    np.testing.assert_allclose(got, separable_conv2d_loop(x, w_dw, w_pw, b, **kw), **CLOSE)
    # The same layer as one full convolution with a rank-structured kernel:
    # full[o, c] = sum over c's depthwise filters m of w_pw[o, m] * w_dw[m].
    full = np.zeros((4, 3, 3, 3))
    for o in range(4):
        for m in range(6):
            full[o, m // 2] += w_pw[o, m] * w_dw[m, 0]
    np.testing.assert_allclose(got, conv2d_loop(x, full, b, **kw), **CLOSE)


# --- pooling and relu ---------------------------------------------------------------


def distinct_values(rng, shape):
    """Inputs whose values differ by at least 1: no ties, and a step of FD_STEP crosses
    no max-pooling kink, so max pooling is linear around them."""
    return rng.permutation(np.prod(shape)).reshape(shape).astype(float)


@pytest.mark.parametrize("size, stride", [(2, None), (3, 1), (3, 2), (2, 3)])
def test_pooling_equals_the_loop_definition(size, stride):
    x = np.random.default_rng(7).standard_normal((2, 3, 7, 8))
    s = size if stride is None else stride
    np.testing.assert_allclose(L.max_pool2d(x, size, stride), pool_loop(x, size, s, np.max))
    np.testing.assert_allclose(L.avg_pool2d(x, size, stride), pool_loop(x, size, s, np.mean),
                               rtol=1e-12)


def test_global_avg_pool_is_the_mean_of_each_channel():
    x = np.random.default_rng(8).standard_normal((2, 3, 4, 5))
    expected = [[sum(x[n, c].ravel()) / 20 for c in range(3)] for n in range(2)]
    np.testing.assert_allclose(L.global_avg_pool(x), expected, rtol=1e-12)


@pytest.mark.parametrize("size, stride", [(2, None), (3, 1), (3, 2), (2, 3)])
def test_pooling_backward_equals_central_differences(size, stride):
    rng = np.random.default_rng(9)
    x = distinct_values(rng, (1, 2, 7, 6))
    g = rng.standard_normal(L.max_pool2d(x, size, stride).shape)
    for pool, backward in ((L.max_pool2d, L.max_pool2d_backward),
                           (L.avg_pool2d, L.avg_pool2d_backward)):
        loss = lambda: np.sum(pool(x, size, stride) * g)  # noqa: E731
        np.testing.assert_allclose(backward(x, g, size, stride), central_difference(loss, x),
                                   rtol=0, atol=FD_TOL)


def test_relu_backward_equals_central_differences():
    rng = np.random.default_rng(10)
    x = distinct_values(rng, (2, 3, 4, 4)) - 47.5  # no entry within FD_STEP of the kink
    g = rng.standard_normal(x.shape)
    loss = lambda: np.sum(L.relu(x) * g)  # noqa: E731
    np.testing.assert_allclose(L.relu_backward(x, g), central_difference(loss, x),
                               rtol=0, atol=FD_TOL)


# --- equivalent matrix and counting what is shared ----------------------------------


def test_equivalent_matrix_of_a_dense_layer_is_its_weight_matrix():
    w = np.random.default_rng(11).standard_normal((4, 6))
    np.testing.assert_array_equal(equivalent_matrix(lambda x: L.dense(x, w), (6,)), w)


def test_equivalent_matrix_calls_the_layer_once_and_refuses_a_bias():
    calls = []
    w = np.random.default_rng(12).standard_normal((2, 3, 2, 2))

    def layer(x):
        calls.append(x.shape)
        return L.conv2d(x, w)

    m = equivalent_matrix(layer, (3, 4, 5))
    assert len(calls) == 1 and m.shape == (2 * 3 * 4, 3 * 4 * 5)
    with pytest.raises(ValueError):
        equivalent_matrix(lambda x: L.conv2d(x, w, np.ones(2)), (3, 4, 5))


def used_taps(h, k, stride, padding, dilation):
    """Kernel taps that land on the input (not the padding) for some output position."""
    n_out = conv_output_size(h, k, stride, padding, dilation)
    return {i for y in range(n_out) for i in range(k)
            if 0 <= y * stride - padding + i * dilation < h}


@pytest.mark.parametrize("hw, stride, padding, dilation", [
    ((6, 5), 1, 1, 1),      # every weight used
    ((3, 3), 3, 1, 1),      # one window, half in the padding: 2 of 3 taps per axis
    ((4, 6), 2, 2, (1, 2)),
])
def test_distinct_counts_are_the_conv_weights_actually_used(hw, stride, padding, dilation):
    rng = np.random.default_rng(13)
    w, b = rng.standard_normal((4, 2, 3, 3)), rng.standard_normal(4)
    kw = dict(stride=stride, padding=padding, dilation=dilation)
    s, p, d = (as_pair(v) for v in (stride, padding, dilation))
    taps = [len(used_taps(n, 3, *args)) for n, args in zip(hw, zip(s, p, d))]
    n_weights = 4 * 2 * taps[0] * taps[1]
    linear = lambda x: L.conv2d(x, w, **kw)  # noqa: E731
    affine = lambda x: L.conv2d(x, w, b, **kw)  # noqa: E731
    assert distinct_weights(equivalent_matrix(linear, (2,) + hw)) == n_weights
    assert distinct_biases(affine, (2,) + hw) == b.size
    assert count_free_parameters(linear, (2,) + hw, affine) == n_weights + b.size
    if hw == (6, 5):
        assert n_weights == w.size


def test_distinct_counts_of_unshared_and_depthwise_layers_are_their_array_sizes():
    rng = np.random.default_rng(14)
    x_shape = (2, 5, 6)
    lc_w, lc_b = rng.standard_normal((3, 4, 3, 2, 3, 3)), rng.standard_normal((3, 3, 4))
    counted = count_free_parameters(lambda x: L.locally_connected2d(x, lc_w), x_shape,
                                      lambda x: L.locally_connected2d(x, lc_w, lc_b))
    assert counted == lc_w.size + lc_b.size
    dw_w, dw_b = rng.standard_normal((4, 1, 3, 3)), rng.standard_normal(4)
    counted = count_free_parameters(lambda x: L.conv2d(x, dw_w, padding=1, groups=2), x_shape,
                                      lambda x: L.conv2d(x, dw_w, dw_b, padding=1, groups=2))
    assert counted == dw_w.size + dw_b.size
    d_w, d_b = rng.standard_normal((7, 60)), rng.standard_normal(7)
    assert count_free_parameters(lambda x: L.dense(x, d_w), (60,),
                                   lambda x: L.dense(x, d_w, d_b)) == d_w.size + d_b.size
    assert distinct_biases(lambda x: L.dense(x, d_w), (60,)) == 0


def test_parameter_index_matrix_labels_each_entry_with_its_weight():
    rng = np.random.default_rng(15)
    w = rng.standard_normal((3, 2, 2, 3))
    in_shape = (2, 4, 5)
    m = equivalent_matrix(lambda x: L.conv2d(x, w, padding=1, stride=(1, 2)), in_shape)
    # Oracle: the same matrix with each weight replaced by its flat index (+1, so 0 means
    # "no weight"), built entry by entry.
    labels, _ = conv_matrix_entry_by_entry(in_shape, np.arange(1.0, w.size + 1).reshape(w.shape),
                                           (1, 2), (1, 1), (1, 1), 1, "zeros")
    index = parameter_index_matrix(m)
    np.testing.assert_array_equal(index == -1, labels == 0)
    # Same partition of the entries: each label maps to exactly one index and back.
    pairs = set(zip(labels[labels > 0].astype(int), index[index >= 0]))
    assert len(pairs) == len({a for a, _ in pairs}) == len({b for _, b in pairs})
    # Numbered by first appearance, reading row by row.
    firsts = index[index >= 0]
    _, first_pos = np.unique(firsts, return_index=True)
    np.testing.assert_array_equal(firsts[np.sort(first_pos)], np.arange(len(first_pos)))
