"""The VGG-16 unit of the picture: fields by enumeration and from the published table."""
import math

import pytest
from oracles.indices import dependencies, interval

from snippets.lib import architectures
from snippets.rf.picture import up_to


@pytest.mark.covers("rf_picture", "layer", "unit", "theoretical", "effective", "effective_share")
def test_theoretical_and_effective_fields_of_the_conv5_3_unit(values):
    assert values["layer"] == "conv5_3"
    network = up_to(architectures.vgg16(), "conv5_3")
    assert tuple(values["unit"]) == (6, 6)  # the middle of 14 outputs, rounded down
    # google-research/receptive_field, RECEPTIVE_FIELD_TABLE.md: vgg_16/pool5 is 212 at stride 32; the 2×2
    # pool after conv5_3 adds one step of conv5_3's jump, 16: 212 - 16 = 196.
    assert values["theoretical"] == 212 - 16
    paths = dependencies(network, 6)  # one axis; the 2-D map is the outer product
    first, last = interval(paths)
    assert values["theoretical"] == last - first + 1
    inside = {i: n for i, n in paths.items() if 0 <= i < 224}  # the image's padding carries no gradient
    total = sum(inside.values())
    mean = sum(i * n for i, n in inside.items()) / total
    sigma = math.sqrt(sum((i - mean) ** 2 * n for i, n in inside.items()) / total)
    assert values["effective"] == pytest.approx(4 * sigma, abs=0.05)  # rounded to one decimal
    assert values["effective_share"] == pytest.approx(4 * sigma / values["theoretical"], abs=0.005)
