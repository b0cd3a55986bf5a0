"""How many free parameters a linear layer really uses, counted from its matrix: the
brute-force count the parameter formulas are checked against.

Built from the layer's equivalent matrix (`dense_equivalent.equivalent_matrix`, one column per basis
input) and its distinct values, never from a formula.
"""
from snippets.lib.dense_equivalent import distinct_biases, distinct_weights, equivalent_matrix


def count_free_parameters(linear, in_shape, affine=None):
    """Free parameters actually used: distinct weights of the bias-free `linear`, plus the
    distinct biases of `affine` (the same layer with its bias), if given."""
    n = distinct_weights(equivalent_matrix(linear, in_shape))
    return n + (0 if affine is None else distinct_biases(affine, in_shape))
