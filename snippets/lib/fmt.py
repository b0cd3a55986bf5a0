"""Number formatting: the one place that decides how a value is printed.

Integers get thousands separators, floats a number of significant digits, shapes
are joined with a multiplication sign, and very small or very large floats use a
power of ten. A measurement (`measurement.measure`: a quantity over several seeds) prints as
its mean and the half-width of its 95% interval, both to the interval's second
significant digit, and how many seeds: "53.1 ± 2.9% (10 seeds)". Pages, tables and the
command line all format through `text`.
"""
import math
from decimal import ROUND_HALF_UP, Decimal

from snippets.lib import measurement

NARROW_SPACE = "\u202f"  # between a number and its unit; never breaks a line
SUPERSCRIPT = str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹")


def text(value, digits=None, unit=None, pct=False, signed=False, count=True):
    """Format a value for reading: 34944 -> '34,944', (55, 55, 96) -> '55×55×96'.
    `count=False` leaves out a measurement's "(10 seeds)", for a section that says its
    seed count once."""
    if measurement.is_measurement(value):
        return _measurement(value, digits, unit, pct, signed, count)
    if pct:
        body = _float(value * 100, digits or 3, signed) + "%"
    elif isinstance(value, bool):
        body = "yes" if value else "no"
    elif isinstance(value, int):
        body = f"{value:+,}" if signed else f"{value:,}"
    elif isinstance(value, float):
        body = _float(value, digits or 3, signed)
    elif isinstance(value, (tuple, list)) and all(isinstance(n, int) for n in value):
        body = "×".join(str(n) for n in value)
    elif isinstance(value, str):
        body = value
    else:
        raise TypeError(f"cannot format {type(value).__name__} value {value!r}")
    return f"{body}{NARROW_SPACE}{unit}" if unit else body


def _measurement(m, digits, unit, pct, signed, count=True):
    """'mean ± half-width[%][ unit] (n seeds)': the half-width to `digits` (2) significant
    digits, the mean to the same decimal place; without '(n seeds)' if not `count`."""
    scale = 100 if pct else 1
    mean, half = m["mean"] * scale, measurement.half_width(m) * scale
    exponent = math.floor(math.log10(max(abs(mean), half))) if max(abs(mean), half) > 0 else 0
    if exponent < -4:  # tiny, as plain floats print: "(8.66 ± 0.21) × 10⁻¹⁵"
        power = 10.0 ** exponent
        tiny = _measurement({**m, "mean": mean / power, "low": (mean - half) / power, "high": (mean + half) / power},
                            digits, None, False, signed, count=False)
        body = f"({tiny}) × 10{str(exponent).translate(SUPERSCRIPT)}" + ("%" if pct else "")
        body += f"{NARROW_SPACE}{unit}" if unit else ""
        return f"{body} ({m['n']} {m['over']})" if count else body
    if half > 0:
        decimals = max((digits or 2) - 1 - math.floor(math.log10(half)), 0)
        body = f"{_fixed(mean, decimals, signed)} ± {_fixed(half, decimals, False)}"
    else:
        body = f"{_float(mean, digits or 3, signed)} ± 0"
    body += "%" if pct else ""
    body += f"{NARROW_SPACE}{unit}" if unit else ""
    return f"{body} ({m['n']} {m['over']})" if count else body


def _fixed(x, decimals, signed):
    """x to `decimals` places, half away from zero, with thousands separators."""
    rounded = Decimal(repr(float(x))).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    return ("+" if signed and x > 0 else "") + f"{rounded:,.{decimals}f}"


def _float(x, digits, signed):
    """Significant digits; a power of ten outside [1e-4, 1e9); no trailing zeros."""
    if not math.isfinite(x):
        raise ValueError(f"refusing to print a non-finite number: {x}")
    sign = "+" if signed and x > 0 else ""
    if x == 0:
        return "0"
    exponent = math.floor(math.log10(abs(x)))
    if exponent < -4 or exponent >= 9:
        mantissa = f"{x / 10**exponent:.{digits - 1}f}".rstrip("0").rstrip(".")
        return f"{sign}{mantissa} × 10{str(exponent).translate(SUPERSCRIPT)}"
    decimals = max(digits - 1 - exponent, 0)
    # Half away from zero on the shortest decimal that reads back as x: 54.25 -> 54.3, as
    # a reader rounds (round() would give 54.2, rounding the binary value half to even).
    rounded = Decimal(repr(x)).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    body = f"{rounded:,.{decimals}f}"
    if "." in body:
        body = body.rstrip("0").rstrip(".")
    return sign + body
