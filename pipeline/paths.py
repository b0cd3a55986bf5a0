"""Where the project's parts are."""
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = "snippets"  # topic packages snippets/<topic>/ and the shared library snippets/lib/
SNIPPET_DIR = ROOT / PACKAGE
LIB = "lib"  # snippets/lib/: code that several topics use; not a topic
COMMON = "_common"  # snippets/<topic>/_common.py: code shared inside one topic
TEST_DIR = ROOT / "tests"
CACHE_DIR = ROOT / ".cache" / "snippets"
