"""The project's code changes no attribute of MkDocs' objects (issue 21): the plugin
(pipeline/plugin.py) returns what it changes from its events (Markdown, HTML, files, the
template context) instead of assigning `page.content`, `page.edit_url` or `page.meta[...]`.
The one patch the project keeps, hooks/render_cache.py, is measured and tested on its own
(tests/pipeline/test_serve_rebuild.py) and is left out here.

The check reads the code, as a reviewer would grep it: an assignment (or `del`, or
`setattr`/`delattr`) whose target is an attribute of a name MkDocs passes to events
(`page`, `file`, `files`, `config`, `nav`), at any depth (`page.file.url = ...`), or an
item of such an attribute (`page.meta["x"] = ...`, `config.extra["x"] = ...`).
"""
import ast

from pipeline.paths import ROOT

MKDOCS_NAMES = {"page", "file", "files", "config", "nav"}
# Attributes MkDocs documents as settable, and why each is set.
DOCUMENTED = {
    "edit_uri": 'File.edit_uri, "can be overwritten" (MkDocs 1.6): the plugin sets it on the source pages it creates',
}
PATCH = ROOT / "hooks" / "render_cache.py"  # the one patch, with its own measurement and test


def project_code():
    return sorted(p for folder in ("pipeline", "hooks") for p in (ROOT / folder).rglob("*.py") if p != PATCH)


def _root_and_attributes(node):
    """For `page.file.url` the name `page` and the attributes ['file', 'url']; None when
    the expression is not a chain of attributes (and items) on a name."""
    attributes = []
    while isinstance(node, (ast.Attribute, ast.Subscript)):
        if isinstance(node, ast.Attribute):
            attributes.insert(0, node.attr)
        node = node.value
    return (node.id, attributes) if isinstance(node, ast.Name) else None


def _written(target):
    """The text of an assignment target that changes an MkDocs object, or None."""
    if not isinstance(target, (ast.Attribute, ast.Subscript)):
        return None
    chain = _root_and_attributes(target)
    if chain is None or chain[0] not in MKDOCS_NAMES or not chain[1]:
        return None  # `config["x"] = ...` on a plain name: an item, not an attribute
    if isinstance(target, ast.Attribute) and target.attr in DOCUMENTED:
        return None
    return ast.unparse(target)


def _targets(node):
    if isinstance(node, ast.Assign):
        for target in node.targets:
            yield from (t for t in ast.walk(target) if isinstance(t, (ast.Attribute, ast.Subscript))
                        and isinstance(t.ctx, ast.Store))  # `a.b, page.c = ...` too, never a read inside a target
    elif isinstance(node, (ast.AugAssign, ast.AnnAssign)):
        yield node.target
    elif isinstance(node, ast.Delete):
        yield from node.targets
    elif isinstance(node, (ast.For, ast.AsyncFor, ast.comprehension)):
        yield from (t for t in ast.walk(node.target) if isinstance(t, (ast.Attribute, ast.Subscript)))
    elif isinstance(node, ast.With):
        yield from (item.optional_vars for item in node.items if item.optional_vars is not None)


def writes(source):
    """(line, target) of every change of an MkDocs object's attribute in Python source."""
    found = []
    for node in ast.walk(ast.parse(source)):
        for target in _targets(node):
            text = _written(target)
            if text:
                found.append((target.lineno, text))
        if (isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in ("setattr", "delattr")
                and node.args and isinstance(node.args[0], ast.Name) and node.args[0].id in MKDOCS_NAMES):
            found.append((node.lineno, ast.unparse(node)))
    return sorted(found)


def test_project_code_assigns_no_attribute_of_mkdocs_objects():
    files = project_code()
    assert ROOT / "pipeline" / "plugin.py" in files and PATCH not in files
    offenders = [f"{path.relative_to(ROOT)}:{line}: {text}" for path in files
                 for line, text in writes(path.read_text(encoding="utf-8"))]
    assert not offenders, f"project code changes MkDocs' objects (return the change from the event instead): {offenders}"


def test_the_check_finds_each_kind_of_write():
    source = '''
def on_page_context(context, page, config, nav):
    page.content = "x"
    page.meta["reading_minutes"] = 3
    page.file.url = "y"
    config.extra["k"] += 1
    del page.toc
    setattr(page, "edit_url", "z")
    for page.title in ["a"]:
        pass
    file.edit_uri = "../snippets/x.py"  # documented as settable
    context["page_facts"] = {}  # the template context is the event's to return
    config["x"] = 1  # an item of a name, not an attribute
    jupyter.config["cache_dir"] = "d"  # another plugin's option, not a name MkDocs passes
    page_file = page
'''
    assert writes(source) == [
        (3, "page.content"), (4, "page.meta['reading_minutes']"), (5, "page.file.url"), (6, "config.extra['k']"),
        (7, "page.toc"), (8, "setattr(page, 'edit_url', 'z')"), (9, "page.title")]
