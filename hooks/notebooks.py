"""MkDocs glue for notebooks: make mkdocs-jupyter's pages fit this site.

- mkdocs-jupyter caches a converted notebook by the notebook's own bytes; a notebook
  that imports `snippets` must rerun when those modules change, so the key also
  hashes every project module the notebook imports (the same key as the snippets').
- nbconvert adds a MathJax 2 block (and a Mermaid loader from a CDN) to every page;
  math here is typeset by the vendored KaTeX (docs/assets/math.js), so both go.
- nbconvert inlines its stylesheets into every notebook page; they are moved into one
  shared, content-named file that the browser caches once.
- each notebook page offers its notebook as an `.ipynb` download.
"""
import hashlib
import posixpath
import re
from pathlib import Path

import jupytext
import mkdocs_jupyter.plugin

from snippets import _engine

_mkdocs_jupyter_key = mkdocs_jupyter.plugin._compute_cache_key


def _key_with_project_imports(nb_path, config, exec_nb):
    own = _mkdocs_jupyter_key(nb_path, config, exec_nb)
    return hashlib.sha256(f"{own}\n{_engine.content_key(nb_path)}".encode()).hexdigest()


# mkdocs-jupyter 0.26.x looks this function up at call time; pinned in requirements.txt.
mkdocs_jupyter.plugin._compute_cache_key = _key_with_project_imports

NOT_FOR_THIS_SITE = re.compile(
    r'<script src="">\s*</script>'  # MathJax 2, with custom_mathjax_url left empty
    r'|<script type="text/x-mathjax-config">.*?</script>'
    r'|<script type="module">\s*document\.addEventListener\("DOMContentLoaded", async \(\) => \{\s*'
    r'const diagrams = document\.querySelectorAll\("\.jp-Mermaid.*?</script>'
    r"|<!-- (Load mathjax|MathJax configuration|End of mathjax configuration|End of mermaid configuration) -->",
    re.DOTALL,
)
STYLE = re.compile(r"<style[^>]*>(.*?)</style>", re.DOTALL)
CELL_ID = re.compile(r'id="cell-id=[0-9a-f-]+"')  # random per conversion: numbered instead
stylesheets = {}  # site path -> CSS text, written after the build


def is_notebook(page):
    return page.file.src_uri.endswith(".py")


def on_page_content(html, page, config, files):
    if not is_notebook(page):
        return html
    html = NOT_FOR_THIS_SITE.sub("", html)
    numbers = iter(range(1, 1_000_000))
    html = CELL_ID.sub(lambda _: f'id="cell-{next(numbers)}"', html)
    css = "\n".join(STYLE.findall(html))
    name = f"assets/notebook-{hashlib.sha256(css.encode()).hexdigest()[:12]}.css"
    stylesheets[name] = css
    stylesheet = posixpath.relpath(name, posixpath.dirname(page.file.dest_uri) or ".")
    notebook = Path(page.file.src_uri).with_suffix(".ipynb").name
    header = (
        f'<link rel="stylesheet" href="{stylesheet}">\n'
        f'<p class="sw-download"><a href="{notebook}" download>Download this notebook (.ipynb)</a>'
        f" and run it next to a checkout of the project.</p>\n"
    )
    return header + STYLE.sub("", html)


def on_post_page(output, page, config):
    if is_notebook(page):
        target = Path(page.file.abs_dest_path).parent / Path(page.file.src_uri).with_suffix(".ipynb").name
        target.parent.mkdir(parents=True, exist_ok=True)  # on_post_page runs before the page is written
        notebook = jupytext.read(page.file.abs_src_path)
        for number, cell in enumerate(notebook.cells, start=1):
            cell.id = f"cell-{number}"  # nbformat draws random ids; the site's bytes must not change
        target.write_text(jupytext.writes(notebook, fmt="ipynb"), encoding="utf-8")
    return output


def on_post_build(config):
    for name, css in stylesheets.items():
        path = Path(config.site_dir) / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(css, encoding="utf-8")
