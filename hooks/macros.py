"""mkdocs-macros glue: each snippet is a template variable; `figure(...)` is a macro."""
from pipeline import render, site


def define_env(env):
    results = site.results  # built by hooks/site.py, whose on_config runs first
    for name, result in results.items():
        if name in env.variables:
            raise render.UnknownName(f"snippet name {name!r} collides with a template variable")
        env.variables[name] = render.Snippet(result)

    @env.macro
    def figure(ref, caption=""):
        """Insert a figure, both palettes, with a caption naming its script."""
        return render.figure_markdown(results, ref, caption)


def on_pre_page_macros(env):
    render.PAGES.set_page(env.page.file.src_path)
