"""Siamese and graph networks: one function applied to many inputs.

A Siamese network runs the same network on two inputs and compares the results
(Bromley et al. 1993); a graph network sends a message along every edge with one message
function and sums them at each node (Gilmer et al. 2017). Renumbering the nodes of the
graph renumbers the outputs, and the weights do not depend on the size of the graph.
"""
import numpy as np

from snippets.lib import style

SEED = 1993  # Bromley et al., "Signature verification using a Siamese time delay neural network"
FEATURES, HIDDEN = 3, 4
NODES = 6
EDGES = [(0, 1), (1, 2), (2, 0), (2, 3), (3, 4), (4, 5), (5, 3)]  # two triangles joined by an edge
SIZES = (6, 60, 600)


def siamese(x1, x2, w):
    """Distance between the two inputs' features, computed by the same layer."""
    f = lambda x: np.tanh(x @ w)  # noqa: E731  one network, two inputs
    return float(np.linalg.norm(f(x1) - f(x2)))


def adjacency(n, edges):
    a = np.zeros((n, n))
    for i, j in edges:
        a[i, j] = a[j, i] = 1.0
    return a


def graph_layer(h, a, w_self, w_message):
    """Every node: its own features through w_self, plus the sum over its neighbours of
    one message function (w_message) applied on each edge."""
    return np.tanh(h @ w_self + a @ (h @ w_message))


def compute():
    rng = np.random.default_rng(SEED)
    w = rng.normal(size=(FEATURES, HIDDEN))
    x1, x2 = rng.normal(size=FEATURES), rng.normal(size=FEATURES)
    w_self, w_message = rng.normal(size=(FEATURES, HIDDEN)), rng.normal(size=(FEATURES, HIDDEN))
    h = rng.normal(size=(NODES, FEATURES))
    a = adjacency(NODES, EDGES)
    order = rng.permutation(NODES)
    p = np.eye(NODES)[order]  # row i of P h is node order[i]
    out = graph_layer(h, a, w_self, w_message)
    renumbered = graph_layer(p @ h, p @ a @ p.T, w_self, w_message)
    layer_params = w_self.size + w_message.size
    return {
        "features": FEATURES,
        "hidden": HIDDEN,
        "siamese_params": w.size,
        "siamese_symmetry": abs(siamese(x1, x2, w) - siamese(x2, x1, w)),
        "nodes": NODES,
        "edges": len(EDGES),
        "graph_error": float(np.abs(renumbered - p @ out).max()),
        "graph_params": layer_params,
        "largest_graph": SIZES[-1],
        "dense_params_largest": (SIZES[-1] * FEATURES) * (SIZES[-1] * HIDDEN),
        "_graph": (h, a, w_self, w_message, order, out),
    }


def figure_graph(v):
    """Two triangles of nodes joined by an edge; every edge is drawn in the same colour
    because every edge carries its message through the same function."""
    theme = style.current()
    fig, ax = style.figure(3.4, 2.6)
    angles = np.linspace(0, 2 * np.pi, v["nodes"], endpoint=False)
    xy = np.c_[np.cos(angles), np.sin(angles)]
    for i, j in EDGES:
        ax.plot(*xy[[i, j]].T, color=theme.series[0], linewidth=2)
    ax.scatter(*xy.T, s=260, color=theme.series[1], zorder=3)
    for k, (x, y) in enumerate(xy):
        ax.text(x, y, str(k + 1), ha="center", va="center", fontsize=8, color="black", zorder=4)
    ax.set_title(f"{v['edges']} edges, one message function", fontsize=9, loc="left")
    ax.set_axis_off()
    ax.set_aspect("equal")
    return fig


if __name__ == "__main__":
    from pipeline.cli import show

    show(__file__)
