"""mkdocs-macros glue (`module_name: pipeline/macros` in mkdocs.yml): each snippet is a
template variable; `figure(...)` and `widget(...)` are macros. Everything it reads and
records belongs to the build's plugin (pipeline/plugin.py), whose on_config runs first."""
import html
import json

from pipeline import plugin, render


def define_env(env):
    owner = plugin.of(env.conf)
    results = owner.results
    for name, result in results.items():
        if name in env.variables:
            raise render.UnknownName(f"snippet name {name!r} collides with a template variable")
        env.variables[name] = render.Snippet(result, owner.pages)

    @env.macro
    def figure(ref, caption=""):
        """Insert a figure, both palettes, with a caption naming its script."""
        return render.figure_markdown(results, owner.pages, ref, caption)

    @env.macro
    def widget(name, fallback="", **config):
        """Insert an interactive figure: the one line a page needs (see CONTRIBUTING.md).

        `name` is a module in docs/assets/widgets/ (`calculator`, `sliding`, `tied`, `shift`);
        `config` is passed to its mount(); `data` names a snippet value given to it as
        JSON. The container stays hidden until the module mounts it, so without JavaScript
        the page shows only its static figures and the `fallback` sentence."""
        if "data" in config:
            ref = config.pop("data")
            snippet, key = ref.split(".", 1)
            if snippet not in results or key not in results[snippet].values:
                owner.pages.fail(f"widget {name!r}: unknown value {ref!r}")
            owner.pages.record(ref)
            config["data"] = results[snippet].values[key]
        depth = env.page.url.count("/") if env.page.url else 0
        owner.widgets[name] = owner.widgets.get(name, 0) + 1
        count = owner.widgets[name]
        ident = f"sw-{name}" + (f"-{count}" if count > 1 else "")  # ids stay unique on a page
        attrs = f'data-sw-config="{html.escape(json.dumps(config, sort_keys=True, separators=(",", ":")))}"' if config else ""
        note = f'{fallback}\n{{: .sw-fallback data-sw-fallback="{ident}" }}\n\n' if fallback else ""
        return (f'{note}<div class="sw-widget" id="{ident}" data-sw-widget="{name}" {attrs} hidden></div>\n'
                f'<script type="module" src="{"../" * depth}assets/widgets/boot.js"></script>\n')


def on_pre_page_macros(env):
    owner = plugin.of(env.conf)
    owner.pages.set_page(env.page.file.src_path)
    owner.widgets.clear()
