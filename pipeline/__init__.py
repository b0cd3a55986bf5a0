"""The snippet pipeline: find the snippets, run them, cache their results by content,
and turn their values and figures into pages. Plain Python with no MkDocs in it.

One job per module:

- `paths`: where things are;
- `discovery`: which snippets exist, which project files each imports, its recorded data;
- `keys`: the content key a result is cached on;
- `running`: run one snippet (values, figures, the loud failures);
- `building`: the cache and the worker pool: results of many snippets;
- `coverage`: which tests cover which values; `records`: one provenance record per value;
- `render`: values, tables and figures as Markdown that carries its provenance;
- `pages`: the generated pages (a source page per snippet, "Where every number comes from");
- `site`: the one way in from MkDocs (hooks/site.py and hooks/macros.py);
- `cli`: `python -m pipeline` and `python snippets/<topic>/<stem>.py`.
"""
