# %% [markdown]
# # Learning curves: the experiment
#
# This notebook is the experiment behind the page *[Statistical efficiency](../../statistical-efficiency/)*: three models
# that differ in their first layer (dense, [locally connected](../../parameter-arithmetic/#locally-connected), convolutional; the two
# windowed ones followed by a max over positions), trained on handwritten digits that sit
# at random places on a larger canvas.
#
# The full experiment trains hundreds of models (`benchmarks/learning_runs.py` records
# them), so the notebook does not repeat it: it loads the results the site computed from
# that record (the same numbers the page shows), then builds each piece on a small scale
# so that you can change it and run it again. Run it next to a checkout of the project.

# %%
# %matplotlib inline
# %config InlineBackend.figure_formats = ["svg"]
# %config InlineBackend.print_figure_kwargs = {"bbox_inches": "tight", "metadata": {"Date": None}}
import matplotlib.pyplot as plt
import numpy as np
from IPython.display import SVG, display

from pipeline.building import load_or_run
from snippets.learning import _common as learning
from snippets.lib import digits, fmt, spread, style

plt.rcParams["svg.hashsalt"] = "learning-curves"  # the same SVG on every run

result = load_or_run("learning_curves")
values = result.values
print(f"{values['seeds']} seeds per training set size; test accuracy in percent (mean ± 95% interval):")
for row in values["test_accuracy"]:
    print("  " + ", ".join(f"{key}: {value['mean']:.1f} ± {(value['high'] - value['low']) / 2:.1f}"
                           if isinstance(value, dict) else f"{key}: {value}" for key, value in row.items()))
display(SVG(result.figures["accuracy"].svg["light"]))

# %% [markdown]
# ## The data
#
# scikit-learn ships the scanned digits inside the package. `learning.split()` pastes
# each one at a random place on the canvas and holds out a fixed test set:

# %%
data = learning.split()
print("training pool:", data.x_train.shape, " test set:", data.x_test.shape)
print("distinct places a digit sits at:", len({tuple(corner) for corner in data.positions_train}))

# The first sixteen training canvases as one image, with grey lines between them.
shown = data.x_train[:16, 0]
cell = shown.shape[-1] + 1
mosaic = np.full((2 * cell + 1, 8 * cell + 1), 0.3)
for i, image in enumerate(shown):
    top, left = 1 + cell * (i // 8), 1 + cell * (i % 8)
    mosaic[top:top + cell - 1, left:left + cell - 1] = image
with style.use("light"):
    fig, ax = style.figure(6.4, 1.8)
    ax.imshow(mosaic, cmap="gray_r", vmin=0, vmax=1, interpolation="nearest")
    ax.set_axis_off()
    display(fig)
print("their labels:", data.y_train[:8], data.y_train[8:16])

# %% [markdown]
# ## The three models
#
# Each is a `nets.Sequential` of the reference layers, with backpropagation written by
# hand. They share the classifier; the first layer differs, and the two windowed models
# take the max over positions of each [channel](../../basics/#channels) before it (the dense model needs no such
# step: its first layer already gives one number per unit).

# %%
for name in learning.MODELS:
    model = learning.build(name, np.random.default_rng(0))
    layers = " → ".join(type(layer).__name__ for layer in model.layers)
    print(f"{name:>17}: {model.count_params():>6,} parameters  ({layers})")

# %% [markdown]
# ## Train two of them on a small set
#
# Ten examples of each digit, ten [seeds](../../basics/#random-seed). `learning.measure` is the function every run of
# the experiment calls: it trains the seeds of a model side by side and returns one row
# per run, with the accuracy on the training set and on the test set. Each line gives the
# mean over the seeds and its 95% interval.

# %%
def summary(placement):
    """Train and test accuracy of two models, ten examples per digit, ten seeds."""
    runs = learning.measure(placement, (10,), 10, models=("dense", "convolutional"))
    lines = []
    for name in ("dense", "convolutional"):
        mine = [r for r in runs if r["model"] == name]
        train, test = (spread.measure([r[key] for r in mine]) for key in ("train accuracy", "test accuracy"))
        lines.append(f"{name:>13}: train {fmt.text(train, pct=True)}, test {fmt.text(test, pct=True)}")
    return "\n".join(lines)


print(summary("random"))

# %% [markdown]
# ## Change something
#
# The same two models on the same digits pasted at the centre of the canvas: position no
# longer varies, and the dense model catches up. Try other canvas sizes
# (`digits.split(canvas, test_size, seed)`), more examples per digit, or another model.

# %%
print(summary("centred"))
