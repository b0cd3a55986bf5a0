"""What keeps a rebuild under `mkdocs serve` fast (issue 11) must never serve stale results:
the covering tests are parsed once per version of a test file."""
from snippets import _engine


def test_covering_tests_sees_an_edited_test_file(tmp_path, monkeypatch):
    monkeypatch.setattr(_engine, "ROOT", tmp_path)
    monkeypatch.setattr(_engine, "TEST_DIR", tmp_path / "tests")
    test_file = tmp_path / "tests" / "test_x.py"
    test_file.parent.mkdir()
    test_file.write_text('import pytest\n\n@pytest.mark.covers("snip", "a")\ndef test_a(values):\n    pass\n')
    assert _engine.covering_tests() == {"snip.a": ["tests/test_x.py::test_a"]}
    assert _engine.covering_tests() == {"snip.a": ["tests/test_x.py::test_a"]}  # from the parse cache
    test_file.write_text(test_file.read_text() + '\n\n@pytest.mark.covers("snip", "a", "b")\ndef test_ab(values):\n    pass\n')
    assert _engine.covering_tests() == {"snip.a": ["tests/test_x.py::test_a", "tests/test_x.py::test_ab"],
                                        "snip.b": ["tests/test_x.py::test_ab"]}
    test_file.unlink()
    assert _engine.covering_tests() == {}

