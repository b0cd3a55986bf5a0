"""Fixtures of the equivariance tests: every experiment's claims are checked on the page's
draws and on a held-out block. A test module names its snippet as `snippet`."""
import pytest

from conftest import SEED_BLOCKS


@pytest.fixture(scope="module")
def held_out(request):
    """Every value of the module's snippet, measured on the held-out draws (1000–1009)."""
    snippet = request.module.snippet
    return snippet.measure(snippet.HELD_OUT_DRAWS)


@pytest.fixture(params=SEED_BLOCKS)
def blocks(request):
    """[(values, draws)] of one block, the page's or the held-out one: every claim is
    checked on both (a list, so that a test reads the same for one block or several)."""
    snippet = request.module.snippet
    if request.param == "page":
        return [(request.getfixturevalue("values"), snippet.PAGE_DRAWS)]
    return [(request.getfixturevalue("held_out"), snippet.HELD_OUT_DRAWS)]
