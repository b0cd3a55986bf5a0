# ---
# jupyter:
#   assumes: Statistical efficiency, whose experiment it rebuilds; Python and NumPy.
# ---

# %% [markdown]
# # Learning curves: the experiment
#
# **Needs:** Python 3 with `numpy`, `matplotlib` and `scikit-learn`
# (`pip install numpy matplotlib scikit-learn`). The notebook needs nothing else: no
# checkout of the site, no download (scikit-learn ships the digits).
#
# This notebook is the experiment behind the page
# *[Statistical efficiency](https://shared-weights.github.io/shared-weights/statistical-efficiency/)*,
# on a small scale: a dense and a convolutional model (the page adds a
# [locally connected](https://shared-weights.github.io/shared-weights/parameter-arithmetic/#locally-connected)
# one) trained on handwritten digits that sit at random places on a larger canvas, with
# ten [seeds](https://shared-weights.github.io/shared-weights/basics/#random-seed). The
# code is the site's experiment written out in plain numpy: with the same seeds it trains
# the same networks and gives the same accuracies (the site's tests check that). Change
# anything and run it again.

# %%
# %matplotlib inline
import matplotlib.pyplot as plt
import numpy as np
from sklearn.datasets import load_digits

CANVAS, DIGIT, KERNEL, WIDTH, CLASSES = 12, 8, 5, 32, 10  # pixels, pixels, pixels, units, digits
TEST_SIZE, DATA_SEED, SEED = 500, 1989, 2015  # the site's test set size and seeds
LEARNING_RATE, BATCH, EPOCHS, MIN_STEPS = 0.01, 32, 20, 150

# %% [markdown]
# ## The data
#
# scikit-learn's 1,797 scanned digits are 8×8 pixels. Each is pasted at a random place on
# a blank 12×12 canvas (or, with `placement="centred"`, at the centre), and a fixed set of
# 500 is held out for testing.

# %%
def split(placement="random", data_seed=DATA_SEED):
    """Training pool and test set: (images (N, 12, 12) in [0, 1], labels (N,)) each."""
    digits = load_digits()
    images, labels = digits.images / 16, digits.target
    rng = np.random.default_rng(data_seed)
    order = rng.permutation(len(images))
    if placement == "centred":
        corners = np.full((len(images), 2), (CANVAS - DIGIT) // 2)
    else:
        corners = rng.integers(0, CANVAS - DIGIT + 1, size=(len(images), 2))
    canvases = np.zeros((len(images), CANVAS, CANVAS))
    for canvas, image, (row, col) in zip(canvases, images[order], corners):
        canvas[row:row + DIGIT, col:col + DIGIT] = image
    y = labels[order]
    return (canvases[TEST_SIZE:], y[TEST_SIZE:]), (canvases[:TEST_SIZE], y[:TEST_SIZE])


(x_pool, y_pool), (x_test, y_test) = split()
fig, axes = plt.subplots(2, 8, figsize=(6.4, 1.9))
for ax, image, label in zip(axes.flat, x_pool, y_pool):
    ax.imshow(image, cmap="gray_r", vmin=0, vmax=1)
    ax.set_title(str(label), fontsize=9)
    ax.set_xticks([])
    ax.set_yticks([])
plt.show()
print("training pool:", x_pool.shape, " test set:", x_test.shape)

# %% [markdown]
# ## Two models that differ in one layer
#
# Both are a first layer of 32 units or [channels](https://shared-weights.github.io/shared-weights/basics/#channels), a ReLU and the same linear classifier to
# 10 digit scores. Written as patches, they are the same computation:
#
# - **dense:** one patch, the whole canvas, times one weight matrix;
# - **convolutional:** every 5×5 window of the canvas (64 places) times *one* weight matrix,
#   shared by all places, then each channel's largest response over the places
#   ([global max pooling](https://shared-weights.github.io/shared-weights/basics/#pooling)).
#
# A 1 is appended to each patch, so the last row of the weight matrix is the
# [bias](https://shared-weights.github.io/shared-weights/basics/#parameters).

# %%
def patches(images, model):
    """(N, places, pixels + 1): the whole image for the dense model, every 5×5 window for
    the convolutional one, each with a 1 at the end for the bias."""
    n = len(images)
    if model == "dense":
        flat = images.reshape(n, 1, -1)
    else:
        side = CANVAS - KERNEL + 1
        windows = [images[:, r:r + KERNEL, c:c + KERNEL].reshape(n, -1) for r in range(side) for c in range(side)]
        flat = np.stack(windows, axis=1)
    return np.concatenate([flat, np.ones((n, flat.shape[1], 1))], axis=2)


def initial_weights(model, rng):
    """He-scaled normal weights (variance 2 / inputs of a unit), zero biases."""
    pixels = CANVAS * CANVAS if model == "dense" else KERNEL * KERNEL
    first = rng.normal(0, np.sqrt(2 / pixels), (WIDTH, pixels))
    classifier = rng.normal(0, np.sqrt(2 / WIDTH), (CLASSES, WIDTH))
    return [np.vstack([first.T, np.zeros(WIDTH)]), classifier, np.zeros(CLASSES)]


def forward(params, x):
    """Scores (N, 10), and what the gradient needs."""
    w, v, c = params
    h = x @ w  # (N, places, 32): every patch times the one matrix
    where = h.argmax(axis=1)  # the place of each channel's maximum (N, 32)
    features = np.maximum(np.take_along_axis(h, where[:, None], axis=1)[:, 0], 0)
    return features @ v.T + c, (features, where)


def gradients(params, x, y, scores, cache):
    """Gradients of the mean cross-entropy, written out by hand."""
    w, v, _ = params
    features, where = cache
    g = np.exp(scores - scores.max(axis=1, keepdims=True))
    g /= g.sum(axis=1, keepdims=True)
    g[np.arange(len(y)), y] -= 1
    g /= len(y)
    g_top = (g @ v) * (features > 0)  # only a positive maximum passes the gradient back
    came_from = x[np.arange(len(x))[:, None], where]  # (N, 32, pixels + 1): the patch of each maximum
    g_w = np.einsum("nc,ncd->dc", g_top, came_from)
    return [g_w, g.T @ features, g.sum(axis=0)]


def train(model, x, y, rng):
    """Minibatch Adam (Kingma and Ba, 2015) on the cross-entropy; returns the weights."""
    params = initial_weights(model, rng)
    m, s = [np.zeros_like(p) for p in params], [np.zeros_like(p) for p in params]
    batches = -(-len(x) // BATCH)
    t = 0
    for _ in range(max(EPOCHS, -(-MIN_STEPS // batches))):  # at least 20 passes and 150 updates
        order = rng.permutation(len(x))
        for start in range(0, len(x), BATCH):
            batch = order[start:start + BATCH]
            scores, cache = forward(params, x[batch])
            t += 1
            for p, g, m_, s_ in zip(params, gradients(params, x[batch], y[batch], scores, cache), m, s):
                m_ *= 0.9
                m_ += 0.1 * g
                s_ *= 0.999
                s_ += 0.001 * g * g
                p -= LEARNING_RATE * (m_ / (1 - 0.9**t)) / (np.sqrt(s_ / (1 - 0.999**t)) + 1e-8)
    return params


def accuracy(params, x, y):
    return (forward(params, x)[0].argmax(axis=1) == y).mean()

# %% [markdown]
# ## Train them with ten seeds
#
# A seed fixes the training examples (the same number of every digit), the initial
# weights and the order of the minibatches, and both models share it, so they are compared
# seed by seed. Each line gives the mean over the seeds and its 95% interval (the t
# interval of the mean: 2.262 standard errors for ten seeds).

# %%
def training_set(y, per_class, seed):
    """Indices of per_class examples of every digit, drawn by the seed."""
    rng = np.random.default_rng((SEED, seed))
    return np.concatenate([rng.permutation(np.flatnonzero(y == digit))[:per_class] for digit in range(CLASSES)])


def test_accuracies(model, per_class, seeds, placement="random"):
    """The test accuracy of every seed."""
    (x_pool, y_pool), (x_test, y_test) = split(placement)
    pool, test = patches(x_pool, model), patches(x_test, model)
    out = []
    for seed in seeds:
        chosen = training_set(y_pool, per_class, seed)
        params = train(model, pool[chosen], y_pool[chosen], np.random.default_rng((SEED, seed, per_class)))
        out.append(accuracy(params, test, y_test))
    return np.array(out)


def mean_and_interval(samples):
    half = 2.262 * samples.std(ddof=1) / np.sqrt(len(samples))  # t quantile for 10 samples
    return f"{100 * samples.mean():.1f} ± {100 * half:.1f}%"


SEEDS = range(10)
results = {}
for placement in ("random", "centred"):
    print(f"digits placed {placement}, 10 examples of each digit, test accuracy:")
    for model in ("dense", "convolutional"):
        results[placement, model] = test_accuracies(model, 10, SEEDS, placement)
        print(f"  {model:>13}: {mean_and_interval(results[placement, model])}")
    lead = results[placement, "convolutional"] - results[placement, "dense"]
    print(f"  convolutional − dense, seed by seed: {mean_and_interval(lead)[:-1]} percentage points")

# %% [markdown]
# On shifted digits the convolutional model is far ahead; with every digit at the centre,
# position no longer varies and the dense model catches up.
#
# ## Change something
#
# Try more examples per digit (`test_accuracies("dense", 30, SEEDS)`), other seeds
# (`range(1000, 1010)`), another data split (`split(data_seed=1990)`, passed on through
# `test_accuracies`), a wider first layer (`WIDTH`) or a larger canvas (`CANVAS`).

# %%
print("per seed (percent):", ", ".join(f"{100 * a:.1f}" for a in results["random", "convolutional"]))
