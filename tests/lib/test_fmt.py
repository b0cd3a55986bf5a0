"""Number formatting, against strings written out by hand."""
import pytest

from snippets.lib import fmt


@pytest.mark.parametrize("value, kwargs, expected", [
    (34944, {}, "34,944"),
    (-1200, {}, "-1,200"),
    (3, {"signed": True}, "+3"),
    ((55, 55, 96), {}, "55×55×96"),
    (54.25, {"digits": 4}, "54.25"),
    (54.25, {}, "54.3"),  # half away from zero, as a reader rounds
    (2.675, {"digits": 3}, "2.68"),  # its binary value is 2.67499…, but it reads 2.675
    (-0.125, {"digits": 2}, "-0.13"),
    (999.96, {}, "1,000"),
    (0.5, {}, "0.5"),
    (1234.5678, {}, "1,235"),
    (0.12345, {"pct": True}, "12.3%"),
    (2.5e-16, {}, "2.5 × 10⁻¹⁶"),
    (1.5e10, {"digits": 2}, "1.5 × 10¹⁰"),
    (0.0, {}, "0"),
    (True, {}, "yes"),
    ("VGG-16", {}, "VGG-16"),
    (12.0, {"unit": "ms"}, "12\u202fms"),
])
def test_text(value, kwargs, expected):
    assert fmt.text(value, **kwargs) == expected


def test_refuses_what_it_cannot_print():
    with pytest.raises(ValueError):
        fmt.text(float("nan"))
    with pytest.raises(TypeError):
        fmt.text({"a": 1})
