"""Effective receptive fields against closed forms (uniform kernels) and the claims measured."""
import functools
import math

import numpy as np
import pytest
from numpy.polynomial import polynomial

from conftest import SEED_BLOCKS
from oracles.indices import dependencies

from snippets.lib import brute_force_fields
from snippets.lib.specs import ConvSpec
from snippets.rf import effective


def uniform_variance(kernel, depth):
    """Per-axis variance of a depth-fold k-tap uniform kernel: (k² − 1)/12 per layer, added."""
    return depth * (kernel ** 2 - 1) / 12


@pytest.mark.covers("rf_effective", "uniform_sigma", "exact_variance", "variance_table", "depth")
def test_uniform_variance_equals_the_closed_form(values):
    assert values["depth"] == 32
    assert values["exact_variance"] == pytest.approx(uniform_variance(3, 32), rel=1e-12)  # float rounding only
    assert values["uniform_sigma"] == pytest.approx(math.sqrt(uniform_variance(3, 32)), rel=1e-9)
    for row in values["variance_table"]:
        k = int(row["kernel"].split("×")[0])
        assert row["layers"] == 32
        assert row["variance by repeated convolution"] == pytest.approx(uniform_variance(k, 32), rel=1e-12)
        assert row["per layer"] == pytest.approx((k ** 2 - 1) / 12, rel=1e-12)


@pytest.mark.covers("rf_effective", "table", "theoretical_field", "relu_field", "effective_share", "stacks",
                    "first_share")
def test_effective_fields_are_a_shrinking_share_of_the_theoretical(values):
    assert values["stacks"] >= 8  # an average, not one draw
    for row in values["table"]:
        depth = row["layers"]
        measured = brute_force_fields.measured([ConvSpec(1, 3, padding=1)] * depth, 2 * depth + 8).size[0]
        assert row["theoretical field"] == measured
        # uniform: ±2σ with σ from the closed form, rounded to one decimal
        assert row["effective, uniform weights"] == pytest.approx(4 * math.sqrt(uniform_variance(3, depth)), abs=0.05)
        assert row["effective / theoretical (uniform)"] == pytest.approx(
            4 * math.sqrt(uniform_variance(3, depth)) / measured, abs=0.005)
        if depth >= 8:  # the page's claim: every kind uses well under the theoretical field
            assert row["effective, uniform weights"] < 0.75 * measured
            for kind in ("random weights", "random weights + ReLU"):
                m = row[f"effective, {kind}"]
                assert m["n"] >= 10 and m["max"] < 0.75 * measured  # on every draw
    last = values["table"][-1]
    assert values["theoretical_field"] == last["theoretical field"]
    assert values["relu_field"] == last["effective, random weights + ReLU"]
    first = values["table"][0]
    assert values["first_share"] == first["effective / theoretical (uniform)"]
    # One 3-tap window: σ = √(2/3) per axis, so ±2σ is wider than the 3 pixels (the page's remark)
    assert values["first_share"] == pytest.approx(4 * math.sqrt(2 / 3) / 3, abs=0.005) and values["first_share"] > 1
    assert values["effective_share"] == last["effective / theoretical (uniform)"] < 0.3
    shares = [r["effective / theoretical (uniform)"] for r in values["table"]]
    assert shares == sorted(shares, reverse=True)


def profile_sigma(weights_1d):
    """Standard deviation, in pixels, of a 1-D profile read as a distribution."""
    p = weights_1d / weights_1d.sum()
    x = np.arange(p.size)
    return math.sqrt(p @ (x - p @ x) ** 2)


def slope(depths, sizes):
    """Least-squares slope of log size against log depth, by the normal equations (not np.polyfit)."""
    a = np.column_stack([np.ones(len(depths)), np.log(depths)])
    return np.linalg.lstsq(a, np.log(sizes), rcond=None)[0][1]


def enumerated_paths(depth):
    """Paths from the centre unit of `depth` 3×3 'same' layers down to each input offset,
    along one axis, by following every tap (tests/oracles/indices), not by a formula."""
    paths = dependencies([ConvSpec(1, 3, padding=1)] * depth, 0)
    return np.array([paths[i] for i in range(-depth, depth + 1)], dtype=float)


FIT = [4, 8, 16, 32]
SEEDS = {"page": range(10), "held-out": range(1000, 1010)}
PAGE = SEEDS["page"]


@pytest.fixture(scope="module")
def runs():
    """Block name -> the random stacks on that block of seeds, each run when first asked for."""
    return functools.cache(lambda block: effective.run(SEEDS[block]))


def exponents_of(block):
    """Every fitted exponent of one block, recomputed from its gradient maps with this
    file's own spread and fit: per draw, then pooled over the draws."""
    found = {}
    for kind, maps in block["draws"].items():
        per_draw = [slope(FIT, [profile_sigma(m[d].sum(axis=1)) for d in FIT]) for m in maps]
        pooled = slope(FIT, [profile_sigma(np.mean([m[d] for m in maps], axis=0).sum(axis=1)) for d in FIT])
        found[kind] = (per_draw, pooled)
    return found


@pytest.mark.covers("rf_effective", "theoretical_exponent", "uniform_exponent", "fit_from",
                    "random_exponent_limit", "random_over_uniform_deepest")
def test_exact_exponents_and_the_square_root_limit(values):
    assert values["fit_from"] == FIT[0]
    # Exact cases: the theoretical radius is the depth; the uniform σ is √(2·depth/3). Tolerance: float fit only.
    assert values["theoretical_exponent"] == pytest.approx(1, abs=1e-9)
    assert values["uniform_exponent"] == pytest.approx(0.5, abs=1e-9)
    # The limit of the random linear stacks: the square root of the enumerated path counts.
    root = {d: profile_sigma(np.sqrt(enumerated_paths(d))) for d in FIT}
    assert values["random_exponent_limit"] == pytest.approx(slope(FIT, [root[d] for d in FIT]), abs=1e-9)
    plain = profile_sigma(enumerated_paths(32))
    assert values["random_over_uniform_deepest"] == pytest.approx(root[32] / plain, rel=1e-9)
    assert 1 < values["random_over_uniform_deepest"] < math.sqrt(2)  # widening towards √2: the page
    assert 0.5 < values["random_exponent_limit"] < 1  # above one half over these depths: the page


@pytest.mark.covers("rf_effective", "random_exponent", "relu_exponent", "draws", "random_exponent_pooled",
                    "relu_exponent_pooled", "pooled_stacks", "stacks", "nearer_half")
def test_measured_exponents(values, runs):
    assert values["pooled_stacks"] == values["draws"] * values["stacks"] and values["draws"] >= 10
    page = exponents_of(runs("page"))
    for kind in ("random", "relu"):
        per_draw, pooled = page[kind]
        m = values[f"{kind}_exponent"]
        assert m["n"] == values["draws"] == len(per_draw)
        assert m["mean"] == pytest.approx(np.mean(per_draw), abs=1e-9)
        assert (m["min"], m["max"]) == pytest.approx((min(per_draw), max(per_draw)), abs=1e-9)
        assert values[f"{kind}_exponent_pooled"] == pytest.approx(pooled, abs=1e-9)  # the printed pooled exponents
    check_nearer_half(values, page, "page")


def check_nearer_half(values, found, block):
    """The page's words: each exponent is nearer one half (√depth) than one (depth)."""
    every = [e for per_draw, pooled in found.values() for e in (*per_draw, pooled)]
    assert len(every) == 2 * values["draws"] + 2
    assert all(abs(e - 0.5) < abs(e - 1) for e in every), block
    assert values["nearer_half"] == f"in every one of the {2 * values['draws'] + 2} fits"


@pytest.mark.heldout
@pytest.mark.covers("rf_effective", "draws", "nearer_half", "random_exponent_pooled", "relu_exponent_pooled")
def test_the_exponents_words_hold_on_the_held_out_block(values, runs):
    held = exponents_of(runs("held-out"))
    check_nearer_half(values, held, "held-out")
    # The page does not rank the pooled exponents: their order differs between the blocks.
    page_order = values["random_exponent_pooled"] > values["relu_exponent_pooled"]
    assert page_order != (held["random"][1] > held["relu"][1])


@pytest.mark.covers("rf_effective", "table", "relu_field", "theoretical_field")
@pytest.mark.parametrize("block", SEED_BLOCKS)
def test_random_fields_are_well_inside_the_theoretical_on_both_blocks(values, runs, block):
    """The page: at 8 layers and more, the random stacks' effective fields (±2σ) are well
    under the theoretical field, on every draw of either block; on ReLU stacks 32 deep,
    under half of it."""
    for kind, maps in runs(block)["draws"].items():
        for depth in (8, 16, 32):
            widest = max(4 * profile_sigma(m[depth].sum(axis=1)) for m in maps)
            assert widest < 0.75 * (2 * depth + 1), (block, kind, depth)
    for row in values["table"]:
        for kind in ("random weights", "random weights + ReLU"):
            assert row[f"effective, {kind}"]["n"] == len(PAGE)
    assert values["relu_field"]["max"] < 0.5 * values["theoretical_field"]
    for maps in runs(block)["draws"]["relu"]:
        assert 4 * profile_sigma(maps[32].sum(axis=1)) < 0.5 * values["theoretical_field"]


@pytest.mark.covers("rf_effective", "gaussian_gap")
def test_uniform_profile_is_gaussian_to_within_one_percent_of_its_peak(values):
    exact = polynomial.polypow([1, 1, 1], 32)  # trinomial coefficients: paths to each offset
    offsets = np.arange(exact.size) - 32
    gaussian = np.exp(-offsets ** 2 / (2 * uniform_variance(3, 32)))
    gap = np.abs(exact / exact.max() - gaussian).max()
    assert values["gaussian_gap"] == pytest.approx(gap, rel=1e-6)
    assert values["gaussian_gap"] < 0.01
