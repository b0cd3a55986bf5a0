"""The snippet pipeline: find the snippets, run them, cache their results by content,
and turn their values and figures into pages. Plain Python with no MkDocs in it, except
`plugin` and `macros`, the one way in from MkDocs, and the page work the plugin calls
(`typeset`, `notebook_pages`, `page_facts`; the first two raise MkDocs' PluginError).

One job per module:

- `paths`: where things are;
- `discovery`: which snippets exist, which project files each imports, its recorded data;
- `keys`: the content key a result is cached on;
- `running`: run one snippet (values, figures, the loud failures);
- `building`: the cache: results of many snippets; `workers`: the worker processes that
  run them, each under a time limit;
- `coverage`: which tests cover which values; `records`: one provenance record per value;
- `render`: values, tables and figures as Markdown that carries its provenance;
- `pages`: the generated pages (a source page per snippet, "Where every number comes from");
- `calculator_presets`: the calculator's presets (presets.js), generated from `snippets.lib.architectures`;
- `plugin`: the MkDocs plugin that owns a build (entry point `shared-weights`), and
  `macros`, the mkdocs-macros module that reads it;
- `typeset`: every formula typeset with the vendored KaTeX (`katex.min.js`) while the site
  is built, and kept out of the search index as TeX; `notebook_pages`: mkdocs-jupyter's
  pages made to fit the site (stylesheet, .ipynb download, code out of search);
  `page_facts`: reading time, date and what a page assumes, for the template;
- `cli`: `python -m pipeline` and `python snippets/<topic>/<stem>.py`.
"""
