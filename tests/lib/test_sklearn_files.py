"""The data that ships inside scikit-learn, read from scikit-learn's files is exactly what scikit-learn's loaders return."""
import numpy as np
from sklearn.datasets import load_digits, load_sample_image

from snippets.lib import sklearn_files


def test_digits_are_load_digits():
    images, labels = sklearn_files.digits()
    reference = load_digits()
    assert images.dtype == reference.images.dtype and np.array_equal(images, reference.images)
    assert np.array_equal(labels, reference.target)


def test_the_photograph_is_load_sample_image():
    assert np.array_equal(sklearn_files.photograph("china.jpg"), load_sample_image("china.jpg"))
