"""Fixtures of the equivariance tests: every experiment's claims are checked on the page's
draws and on a held-out block. A test module names its snippet as `snippet`."""
import pytest


@pytest.fixture(scope="module")
def held_out(request):
    """Every value of the module's snippet, measured on the held-out draws (1000–1009)."""
    snippet = request.module.snippet
    return snippet.measure(snippet.HELD_OUT_DRAWS)


@pytest.fixture
def blocks(request, values, held_out):
    """[(values, draws)] for the page's block and the held-out block: every claim is
    checked on both."""
    snippet = request.module.snippet
    return [(values, snippet.PAGE_DRAWS), (held_out, snippet.HELD_OUT_DRAWS)]
