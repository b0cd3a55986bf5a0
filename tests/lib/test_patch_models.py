"""The three learning-curve models trained side by side (snippets/lib/patch_models.py)
against the reference: each seed alone, as a nets model trained by nets.train."""
import numpy as np
import pytest
import threadpoolctl

from snippets.learning import _common as learning
from snippets.lib import digits, nets, patch_models

SEEDS = 3


def patches_by_loop(images, window):
    """(N, P, D + 1): every window at stride 1, row by row, flattened, then a 1."""
    h, w = images.shape[2:]
    out = []
    for image in images[:, 0]:
        rows = [list(image[i:i + window, j:j + window].ravel()) + [1.0]
                for i in range(h - window + 1) for j in range(w - window + 1)]
        out.append(rows)
    return np.array(out)


@pytest.mark.parametrize("window", [learning.KERNEL, learning.CANVAS])
def test_patches_are_every_window_and_a_one(window):
    images = np.random.default_rng(0).random((3, 1, learning.CANVAS, learning.CANVAS))
    assert np.array_equal(patch_models.patches(images, window), patches_by_loop(images, window))


@pytest.mark.parametrize("name", learning.MODELS)
def test_the_logits_are_those_of_each_nets_model(name):
    rng = np.random.default_rng(1)
    images = rng.random((5, 1, learning.CANVAS, learning.CANVAS))
    models = [learning.build(name, np.random.default_rng(seed)) for seed in range(SEEDS)]
    for model in models:  # nonzero biases, so that a misplaced bias would show
        for p in model.params:
            p += rng.normal(0, 0.1, p.shape)
    logits, _ = patch_models.forward(patch_models.stacked_weights(models), patch_models.patches(images, learning.window(name)))
    for s, model in enumerate(models):
        assert np.allclose(logits[s], model.forward(images), rtol=1e-12, atol=1e-12)


def train_both_ways(name, data, per_class):
    """The same seeds trained side by side and one at a time: (stacked params, models)."""
    chosen = np.stack([digits.balanced_subset(data.y_train, per_class, np.random.default_rng((9, s)))
                       for s in range(SEEDS)])
    epochs = learning.epochs_for(chosen.shape[1])
    alone = []
    for s in range(SEEDS):
        rng = np.random.default_rng((7, s))
        model = learning.build(name, rng)
        nets.train(model, data.x_train[chosen[s]], data.y_train[chosen[s]], rng, epochs=epochs,
                   batch_size=learning.BATCH, lr=learning.LEARNING_RATE)
        alone.append(model)
    rngs = [np.random.default_rng((7, s)) for s in range(SEEDS)]
    together = patch_models.train([learning.build(name, rng) for rng in rngs], patch_models.patches(data.x_train, learning.window(name)),
                            data.y_train, chosen, rngs, epochs, learning.BATCH, learning.LEARNING_RATE)
    return together, alone


@pytest.mark.parametrize("name", learning.MODELS)
def test_training_side_by_side_equals_each_seed_trained_alone(name):
    """Every weight, after a whole training run whose last minibatch is a partial one
    (50 examples, batches of 32), and the accuracies that follow from them."""
    data = learning.split()
    with threadpoolctl.threadpool_limits(limits=1):
        together, alone = train_both_ways(name, data, per_class=5)
    for mine, theirs in zip(together, patch_models.stacked_weights(alone)):
        assert np.allclose(mine, theirs, rtol=1e-9, atol=1e-12)
    test = patch_models.patches(data.x_test, learning.window(name))
    expected = [nets.accuracy(model, data.x_test, data.y_test) for model in alone]
    assert patch_models.accuracy(together, test, data.y_test).tolist() == expected


@pytest.mark.parametrize("name", ["locally connected", "convolutional"])
def test_tied_maxima_pass_their_gradient_to_the_first_place_as_nets_does(name):
    """On blank images every place ties; with positive biases the maximum is the bias,
    and nets' max pooling gives the whole gradient to the first place."""
    rng = np.random.default_rng(2)
    blank = np.zeros((4, 1, learning.CANVAS, learning.CANVAS))
    model = learning.build(name, rng)
    first, _ = (layer for layer in model.layers if layer.params)
    first.params[1][...] = 0.5
    labels = np.array([0, 1, 2, 3])
    _, grad = nets.softmax_cross_entropy(model.forward(blank), labels)
    model.backward(grad, input_grad=False)
    params = patch_models.stacked_weights([model])
    x = patch_models.patches(blank, learning.window(name))[None]
    logits, cache = patch_models.forward(params, x)
    grad_w = patch_models.gradients(params, x, labels[None], logits, cache)[0][0]
    bias_grad = grad_w[:, -1]  # the bias row: (places, C)
    if name == "locally connected":
        expected = first.grads[1].reshape(len(first.grads[1]), -1).T  # (C, H', W') -> (places, C)
        assert np.count_nonzero(np.abs(expected).sum(axis=1)) == 1  # one place only: the first
        assert np.abs(expected[0]).sum() > 0
    else:
        expected = first.grads[1][None]
    assert np.allclose(bias_grad, expected, rtol=1e-12, atol=1e-15)
