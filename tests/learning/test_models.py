"""The three models: backprop against finite differences, parameter counts against closed forms."""
import numpy as np
import pytest

from snippets.learning import _common as learning
from snippets.lib import accounting, specs
from oracles.differences import max_relative_error

CANVAS = 12  # the experiment's canvas (learning.CANVAS)


def model_specs(name, canvas=CANVAS):
    """The model as layer specs (snippets/lib/specs.py): 32 units or channels, 5×5 windows, global max."""
    if name == "dense":
        first = [specs.FlattenSpec(), specs.DenseSpec(32), specs.ReLUSpec()]
    else:
        layer = specs.LocallyConnectedSpec if name == "locally connected" else specs.ConvSpec
        first = [layer(32, 5), specs.ReLUSpec(), specs.MaxPoolSpec(canvas - 4), specs.FlattenSpec()]
    return first + [specs.DenseSpec(10)]


def closed_form(name, canvas=CANVAS):
    return accounting.walk(model_specs(name, canvas), (1, canvas, canvas))


@pytest.mark.parametrize("name", learning.MODELS)
def test_backprop_of_the_exact_model_matches_finite_differences(name):
    rng = np.random.default_rng(11)
    model = learning.build(name, rng)
    for p in model.params:  # biases start at zero; nonzero ones keep pre-activations off ReLU's kink
        p += rng.normal(0, 0.1, p.shape)
    x, y = rng.normal(size=(4, 1, CANVAS, CANVAS)), rng.integers(0, 10, size=4)
    # Central differences with h = 1e-5 on float64: a correct gradient agrees to about 1e-7
    # (test_nets.py explains the 1e-5 bound); a wrong one is off by order one.
    assert max_relative_error(model, x, y, rng) < 1e-5


@pytest.mark.parametrize("name", learning.MODELS)
def test_every_model_maps_a_canvas_to_ten_scores_through_thirty_two_features(name):
    model = learning.build(name, np.random.default_rng(0))
    x = np.zeros((3, 1, CANVAS, CANVAS))
    for layer in model.layers[:-1]:
        x = layer.forward(x)
    assert x.shape == (3, 32)
    assert model.layers[-1].forward(x).shape == (3, 10)


@pytest.mark.covers("learning_models", "models", "params_dense", "params_local", "params_conv", "kernel", "width")
def test_parameter_counts_equal_the_closed_forms_of_counting_py(values):
    assert values["kernel"] == 5 and values["width"] == 32
    rows = {row["model"]: row for row in values["models"]}
    assert list(rows) == list(learning.MODELS)
    for name, key in zip(learning.MODELS, ("params_dense", "params_local", "params_conv")):
        walked = closed_form(name)
        weight_layers = [r.params for r in walked if r.params]
        assert [rows[name]["first layer"], rows[name]["classifier"]] == weight_layers
        assert values[key] == rows[name]["parameters"] == accounting.totals(walked).params
        # and the weight arrays of the built model have exactly that many entries
        assert learning.build(name, np.random.default_rng(0)).count_params() == values[key]
    assert "5×5" in rows["convolutional"]["first layer sees"] and "5×5" in rows["locally connected"]["first layer sees"]


@pytest.mark.covers("learning_models", "window_positions", "local_over_dense", "dense_over_conv", "local_over_conv_first")
def test_ratios_and_the_number_of_windows(values):
    out = closed_form("convolutional")[0].out_shape  # (32, 8, 8): one output per window
    assert values["window_positions"] == out[1] * out[2] == 8 * 8
    # By hand: dense 144·32 + 32 + 33·10; locally connected 64 windows · 32 · (25 + 1) + 330;
    # convolutional 32 · (25 + 1) + 330.
    dense, local, conv = 144 * 32 + 32 + 330, 64 * 32 * 26 + 330, 32 * 26 + 330
    assert values["local_over_dense"] == pytest.approx(local / dense, rel=1e-12)
    assert values["dense_over_conv"] == pytest.approx(dense / conv, rel=1e-12)
    # Untying the convolution copies its filter bank (and biases) to every window.
    assert values["local_over_conv_first"] == values["window_positions"]


@pytest.mark.covers("learning_models", "larger_canvas", "larger_params_local", "larger_params_conv")
def test_a_larger_canvas_grows_only_the_untied_model(values):
    side = values["larger_canvas"][0]
    assert tuple(values["larger_canvas"]) == (side, side) and side == 16
    assert values["larger_params_local"] == accounting.totals(closed_form("locally connected", side)).params
    assert values["larger_params_local"] == 12 * 12 * 32 * 26 + 330  # 12×12 windows on 16×16
    assert values["larger_params_conv"] == accounting.totals(closed_form("convolutional", side)).params == 32 * 26 + 330


def test_unknown_models_are_refused():
    with pytest.raises(ValueError, match="model must be one of"):
        learning.build("recurrent", np.random.default_rng(0))
