"""Siamese and graph networks against loops over edges and explicit renumberings."""
import numpy as np
import pytest

from snippets.beyond import graphs as snippet


def graph_loop(h, edges, w_self, w_message):
    """Node by node: its own term, plus one message per edge that touches it."""
    out = h @ w_self
    for i, j in edges:
        out[i] += h[j] @ w_message
        out[j] += h[i] @ w_message
    return np.tanh(out)


@pytest.mark.covers("beyond_graphs", "nodes", "edges", "graph_error", "graph_params", "features", "hidden")
def test_renumbering_nodes_renumbers_outputs(values):
    h, a, w_self, w_message, order, out = snippet.compute()["_graph"]
    np.testing.assert_allclose(out, graph_loop(h, snippet.EDGES, w_self, w_message), atol=1e-12)
    new_name = {int(old): new for new, old in enumerate(order)}  # node order[k] becomes node k
    renamed = [(new_name[i], new_name[j]) for i, j in snippet.EDGES]
    again = graph_loop(h[order], renamed, w_self, w_message)
    np.testing.assert_allclose(again, out[order], atol=1e-12)
    assert values["graph_error"] < 1e-12
    assert values["nodes"] == len(h) and values["edges"] == len(snippet.EDGES)
    assert values["graph_params"] == np.zeros((values["features"], values["hidden"])).size * 2


@pytest.mark.covers("beyond_graphs", "siamese_params", "siamese_symmetry", "largest_graph", "dense_params_largest")
def test_siamese_and_sizes(values):
    assert values["siamese_params"] == snippet.FEATURES * snippet.HIDDEN  # one copy for both inputs
    assert values["siamese_symmetry"] == 0
    n = values["largest_graph"]
    assert values["dense_params_largest"] == np.zeros((n * snippet.FEATURES, n * snippet.HIDDEN)).size
