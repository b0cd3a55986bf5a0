"""The widgets' pure JavaScript modules, run in V8 without a browser.

`Modules("stack", "parse")` evaluates docs/assets/widgets/stack.js and parse.js (and the
modules they import) in one mini-racer context, the engine the build already uses for
KaTeX, and calls an exported name with JSON arguments:
`call("stack.walk", [32, 32, 3], layers)`. A module is wrapped in a function scope and
its `export`s become the fields of one object per module, so two modules' private
helpers never collide; `import { a } from "./x.js"` reads x's object. Only the forms
our modules use are rewritten (named exports and named imports); anything else is left
for V8 to refuse, loudly.

presets.js is not a file of docs/: the build generates it from snippets/lib/architectures.py
(pipeline/calculator_presets.py), and so does `source` here, so the tests run what the site serves.
"""
import atexit
import json
import re

from py_mini_racer import MiniRacer

from pipeline import calculator_presets
from pipeline.paths import ROOT

WIDGETS = ROOT / "docs" / "assets" / "widgets"
IMPORT = re.compile(r'^import\s*\{([^}]*)\}\s*from\s*"\./(\w+)\.js";\s*$', re.M)
EXPORT = re.compile(r"^export\s+(?:async\s+)?(function\*?|const|let|class)\s+(\w+)", re.M)


def source(name):
    """The JavaScript of module `name` as the site serves it."""
    if name == "presets":
        return calculator_presets.presets_js()
    return (WIDGETS / f"{name}.js").read_text(encoding="utf-8")


def module_source(name, mutate=None):
    """A module as a script that defines `__sw_<name>`, the object of its exports."""
    text = source(name)
    if mutate:
        text = mutate(text)
    names = [m.group(2) for m in EXPORT.finditer(text)]
    body = EXPORT.sub(lambda m: f"{m.group(1)} {m.group(2)}", text)
    body = IMPORT.sub(lambda m: f"const {{{m.group(1)}}} = __sw_{m.group(2)};", body)
    return f"const __sw_{name} = (() => {{\n{body}\nreturn {{ {', '.join(names)} }};\n}})();\n"


def dependencies(name):
    return [m.group(2) for m in IMPORT.finditer(source(name))]


class Modules:
    """The named modules' exports in one V8 context. Close it (or use `with`): a
    mini-racer context left open at interpreter exit hangs the process."""

    def __init__(self, *names, mutate=None):
        order = []

        def visit(name):
            if name not in order:
                for dep in dependencies(name):
                    visit(dep)
                order.append(name)

        for name in names:
            visit(name)
        self.context = MiniRacer()
        atexit.register(self.close)  # a last resort: an interrupted test session
        try:
            for name in order:
                self.context.eval(module_source(name, (mutate or {}).get(name)))
        except BaseException:
            self.close()
            raise

    def __call__(self, function, *args):
        """`function` is "module.name"; returns its JSON result, or {"error": message}."""
        module, export = function.split(".")
        script = (f"(() => {{ try {{ return JSON.stringify(__sw_{module}.{export}(...{json.dumps(list(args))})); }}"
                  f" catch (e) {{ return JSON.stringify({{error: String(e && e.message || e)}}); }} }})()")
        return json.loads(self.context.eval(script))

    def evaluate(self, expression):
        """The JSON value of a JavaScript expression that may use the modules as
        `__sw_<module>` (for checks that call many exports, in one round trip)."""
        return json.loads(self.context.eval(f"JSON.stringify({expression})"))

    def value(self, name):
        """An exported constant ("module.NAME") as JSON."""
        module, export = name.split(".")
        return json.loads(self.context.eval(f"JSON.stringify(__sw_{module}.{export})"))

    def close(self):
        context, self.context = self.context, None
        if context is not None:
            context.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
