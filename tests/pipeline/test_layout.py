"""The layout contract: the tree shows which code serves which page.

- every snippet lives in a topic package whose docstring names the page(s) it feeds;
- a snippet imports only `snippets.lib` and its own topic's `_common` (and, to run from
  the shell, `pipeline.cli`);
- tests mirror snippets one to one (`tests/<topic>/test_<stem>.py`), and a test module
  imports no other test module (shared oracles live in `tests/oracles/`).
"""
import ast
import io
import re
import tokenize

import pytest

from pipeline.discovery import discover, snippet_file, topics
from pipeline.paths import COMMON, ROOT, SNIPPET_DIR, TEST_DIR

NOT_TOPICS = {"lib", "oracles", "pipeline", "site"}  # test folders that mirror no topic


def imports_of(path):
    """(module, line) of every import in the file, absolute or relative."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from ((alias.name, node.lineno) for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            module = "." * node.level + (node.module or "")
            if node.module in ("snippets", f"snippets.{path.parent.name}") or node.level:
                yield from ((f"{module}.{alias.name}", node.lineno) for alias in node.names)
            else:
                yield module, node.lineno


def allowed(module, topic):
    ours = module.split(".")[0] in ("snippets", "pipeline") or module.startswith(".")
    return (not ours or module == "snippets.lib" or module.startswith("snippets.lib.")
            or module in (f"snippets.{topic}.{COMMON}", "pipeline.cli", "pipeline.cli.show"))


def violations(file, topic):
    return [f"{file.relative_to(ROOT)}:{line} imports {module}" for module, line in imports_of(file)
            if not allowed(module, topic)]


@pytest.mark.parametrize("name", discover())
def test_a_snippet_imports_only_lib_and_its_own_topic(name):
    path = snippet_file(name)
    assert not violations(path, path.parent.name)


@pytest.mark.parametrize("topic", topics())
def test_a_topics_common_module_imports_only_lib(topic):
    common = SNIPPET_DIR / topic / f"{COMMON}.py"
    if common.is_file():
        assert not violations(common, topic)


def test_the_import_check_catches_a_snippet_importing_another(tmp_path):
    topic = tmp_path / "equiv"
    topic.mkdir()
    (topic / "bad.py").write_text("from snippets.equiv import exact\nfrom snippets.params.reuse import x\n"
                                  "from snippets.equiv._common import on_canvas\nfrom snippets.lib import fmt\n"
                                  "import snippets.rf.dilation\nfrom pipeline.building import build\n")
    found = violations_in(topic / "bad.py", "equiv", tmp_path)
    assert [v.split(" imports ")[1] for v in found] == [
        "snippets.equiv.exact", "snippets.params.reuse", "snippets.rf.dilation", "pipeline.building"]


def violations_in(file, topic, root):
    return [f"{file.relative_to(root)}:{line} imports {module}" for module, line in imports_of(file)
            if not allowed(module, topic)]


@pytest.mark.parametrize("topic", topics())
def test_every_topic_names_its_pages(topic):
    doc = ast.get_docstring(ast.parse((SNIPPET_DIR / topic / "__init__.py").read_text(encoding="utf-8")))
    assert doc and "docs/" in doc, f"snippets/{topic}/__init__.py must name the page(s) it feeds"
    for page in re.findall(r"docs/[\w/.-]+\.(?:md|py)", doc):
        assert (ROOT / page).is_file(), f"snippets/{topic}/__init__.py names {page}, which does not exist"


def test_every_snippet_has_its_test_file():
    missing = [f"tests/{p.parent.name}/test_{p.stem}.py" for p in map(snippet_file, discover())
               if not (TEST_DIR / p.parent.name / f"test_{p.stem}.py").is_file()]
    assert not missing, f"snippets without a test file: {missing}"


def test_every_topic_test_file_has_its_snippet():
    topic_tests = [p for p in TEST_DIR.glob("*/test_*.py") if p.parent.name not in NOT_TOPICS]
    orphans = [p.relative_to(ROOT).as_posix() for p in topic_tests
               if not (SNIPPET_DIR / p.parent.name / f"{p.stem.removeprefix('test_')}.py").is_file()]
    assert not orphans, f"test files that mirror no snippet: {orphans}"


def test_no_test_module_imports_another():
    offenders = [f"{p.relative_to(ROOT)}:{line} imports {module}" for p in TEST_DIR.rglob("test_*.py")
                 for module, line in imports_of(p) if module.split(".")[0].startswith("test_")]
    assert not offenders


# Paths of our code named in prose: `tests/lib/test_fmt.py`, `snippets/lib/formulas.py`.
# Templates (`snippets/<topic>/<stem>.py`) do not match: `<` is not a path character.
CODE_PATH = re.compile(r"(?<![\w./-])(?:tests|snippets|benchmarks|pipeline|hooks)/[\w./-]*\.py\b")
PROSE = ["README.md", "CONTRIBUTING.md", "docs/**/*.md", "docs/notebooks/*.py", "docs/assets/**/*.css",
         "docs/assets/**/*.js"]
CODE = ["snippets/**/*.py", "tests/**/*.py", "benchmarks/**/*.py", "pipeline/**/*.py", "hooks/**/*.py"]
# Names of our library in prose: `formulas.conv_output_size`, `snippets.lib.specs.ConvSpec`. A backticked
# `module.name` whose module is one of these must name something the module defines or imports.
LIBRARIES = {p.stem: p for folder in ("snippets/lib", "tests/oracles", "pipeline") for p in (ROOT / folder).glob("*.py")
             if p.stem != "__init__"}
NAMED_SYMBOL = re.compile(r"`(?:snippets\.lib\.|tests\.oracles\.|pipeline\.)?(\w+)\.(?!py\b)(\w+)")


def named_code_paths(text):
    return CODE_PATH.findall(text)


def prose_of_code(path):
    return prose_of_code_text(path.read_text(encoding="utf-8"))


def prose_of_code_text(source):
    """The docstrings and comments of Python source: what a reader takes as prose."""
    docs = [ast.get_docstring(node) or "" for node in ast.walk(ast.parse(source))
            if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef))]
    comments = [tok.string for tok in tokenize.generate_tokens(io.StringIO(source).readline)
                if tok.type == tokenize.COMMENT]
    return "\n".join(docs + comments)


def defined_names(path):
    names = set()
    for node in ast.parse(path.read_text(encoding="utf-8")).body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names.add(node.name)
        elif isinstance(node, (ast.Assign, ast.AnnAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            names |= {n.id for t in targets for n in ast.walk(t) if isinstance(n, ast.Name)}
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            names |= {(a.asname or a.name).split(".")[0] for a in node.names}
    return names


def missing_symbols(text):
    return [f"{module}.{name}" for module, name in NAMED_SYMBOL.findall(text)
            if module in LIBRARIES and name not in defined_names(LIBRARIES[module])]


def test_every_code_path_named_in_prose_exists():
    files = sorted({p for pattern in PROSE for p in ROOT.glob(pattern)})
    code = sorted({p for pattern in CODE for p in ROOT.glob(pattern)} - set(files))
    assert any(p.name == "CONTRIBUTING.md" for p in files) and any(p.suffix == ".md" and "docs" in p.parts for p in files)
    texts = [(p, p.read_text(encoding="utf-8")) for p in files] + [(p, prose_of_code(p)) for p in code]
    missing = [f"{p.relative_to(ROOT)}: {path}" for p, text in texts
               for path in named_code_paths(text) if not (ROOT / path).is_file()]
    missing += [f"{p.relative_to(ROOT)}: {symbol}" for p, text in texts for symbol in missing_symbols(text)]
    assert not missing, f"prose names code that does not exist: {missing}"


def test_the_path_check_finds_paths_and_skips_templates():
    text = ("checked in `tests/test_learning_models.py`, see snippets/lib/formulas.py; "
            "run `python snippets/<topic>/<stem>.py` or benchmarks/learning_runs.py.")
    assert named_code_paths(text) == ["tests/test_learning_models.py", "snippets/lib/formulas.py",
                                      "benchmarks/learning_runs.py"]


def test_the_symbol_check_finds_names_a_module_lacks_and_skips_file_names():
    text = "see `specs.ZeroPadSpec`, `architectures.ZeroPad`, `snippets.lib.accounting.walk`, `fmt.py`, `np.pad`"
    assert missing_symbols(text) == ["architectures.ZeroPad"]
    source = '"""Uses `counting.walk` and snippets/lib/counting.py."""\nx = "snippets/lib/gone.py"  # see tests/gone.py\n'
    assert "snippets/lib/counting.py" in prose_of_code_text(source) and "gone.py\"" not in prose_of_code_text(source)
