"""mkdocs-macros glue: each snippet is a template variable; `figure(...)` is a macro."""
from snippets import _engine, _render


def define_env(env):
    results = _engine.build()  # already built by hooks/site.py: served from memory
    for name, result in results.items():
        if name in env.variables:
            raise _render.UnknownName(f"snippet name {name!r} collides with a template variable")
        env.variables[name] = _render.Snippet(result)

    @env.macro
    def figure(ref, caption=""):
        """Insert a figure, both palettes, with a caption naming its script."""
        return _render.figure_markdown(results, ref, caption)


def on_pre_page_macros(env):
    _render.PAGES.set_page(env.page.file.src_path)
