"""Seeds trained side by side against the same seeds trained one at a time by nets.train."""
import numpy as np
import pytest

from snippets.lib import nets, side_by_side

SEEDS = 3


def conv_gap(rng):
    return nets.Sequential(nets.Conv(1, 4, 3, rng, padding=1, padding_mode="circular"), nets.ReLU(),
                           nets.GlobalAvgPool(), nets.Dense(4, 3, rng))


def local_flat(rng):
    return nets.Sequential(nets.LocallyConnected(1, 2, 3, (6, 6), rng, padding=1), nets.ReLU(), nets.Flatten(),
                           nets.Dense(2 * 6 * 6, 3, rng))


def blurred(rng):
    return nets.Sequential(nets.Conv(1, 4, 3, rng, padding=1, padding_mode="circular"), nets.ReLU(),
                           nets.WindowMax(), nets.BlurPool(4), nets.Conv(4, 3, 3, rng, padding=1), nets.ReLU(),
                           nets.MaxPool(3), nets.Flatten(), nets.Dense(3, 3, rng))


def max_pooled(rng):  # WindowMax and Subsample: one max pooling side by side
    return nets.Sequential(nets.Conv(1, 4, 3, rng, padding=1, padding_mode="circular"), nets.ReLU(),
                           nets.WindowMax(), nets.Subsample(), nets.Conv(4, 3, 3, rng, padding=1), nets.ReLU(),
                           nets.WindowMax(), nets.GlobalAvgPool(), nets.Dense(3, 3, rng))


def dense(rng):
    return nets.Sequential(nets.Flatten(), nets.Dense(36, 5, rng), nets.ReLU(), nets.Dense(5, 3, rng))


@pytest.mark.parametrize("build", [conv_gap, local_flat, blurred, max_pooled, dense])
@pytest.mark.parametrize("per_seed_data", [False, True])
def test_side_by_side_equals_one_at_a_time(build, per_seed_data):
    data = np.random.default_rng(0)
    x, y = data.normal(size=(SEEDS, 20, 1, 6, 6)), data.integers(0, 3, (SEEDS, 20))
    if not per_seed_data:
        x, y = x[0], y[0]
    test = data.normal(size=(7, 1, 6, 6))
    alone = []
    for s in range(SEEDS):
        rng = np.random.default_rng(s)
        model = build(rng)
        nets.train(model, x[s] if per_seed_data else x, y[s] if per_seed_data else y, rng,
                   epochs=3, batch_size=8, lr=0.01)
        alone.append(model)
    rngs = [np.random.default_rng(s) for s in range(SEEDS)]
    together = side_by_side.stack([build(r) for r in rngs])
    side_by_side.train(together, x, y, rngs, epochs=3, batch_size=8, lr=0.01)
    logits = together.logits(test)
    for s, model in enumerate(alone):
        np.testing.assert_allclose(logits[:, s], model.forward(test), rtol=1e-9, atol=1e-12)
    assert (side_by_side.predict(together, test) == np.stack([nets.predict(m, test) for m in alone], axis=1)).all()


@pytest.mark.parametrize("build", [conv_gap, local_flat, blurred, max_pooled, dense])
def test_single_precision_stays_single_and_close_to_double(build):
    data = np.random.default_rng(1)
    x, y, test = data.normal(size=(20, 1, 6, 6)), data.integers(0, 3, 20), data.normal(size=(7, 1, 6, 6))
    logits = {}
    for dtype in (np.float64, np.float32):
        rngs = [np.random.default_rng(s) for s in range(SEEDS)]
        model = side_by_side.stack([build(r) for r in rngs], dtype)
        side_by_side.train(model, x, y, rngs, epochs=3, batch_size=8, lr=0.01)
        assert {a.dtype for a in model.params + model.grads} == {np.dtype(dtype)}  # no silent upcast
        logits[dtype] = model.logits(test)
        assert logits[dtype].dtype == dtype
    np.testing.assert_allclose(logits[np.float32], logits[np.float64], rtol=1e-3, atol=1e-4)
