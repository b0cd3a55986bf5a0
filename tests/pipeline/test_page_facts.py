"""A page's facts for the template (pipeline/page_facts.py), as the plugin hands them over:
in the template context, with the page's own metadata left as the page wrote it."""
from types import SimpleNamespace

from pipeline.plugin import SharedWeights

WORD_RUN = "word " * 199  # with a one-word title, READING_SPEED words: one minute exactly, a 201st makes two


def context_for(tmp_path, src_uri, content, meta=None, source=None):
    docs = tmp_path / "docs"
    if source is not None:
        (docs / src_uri).parent.mkdir(parents=True, exist_ok=True)
        (docs / src_uri).write_text(source, encoding="utf-8")
    page = SimpleNamespace(file=SimpleNamespace(src_uri=src_uri), content=content, meta=dict(meta or {}))
    context = SharedWeights().on_page_context({"page": page}, page=page, config=SimpleNamespace(docs_dir=str(docs)), nav=None)
    return context, page


def test_facts_go_to_the_context_and_the_page_is_left_alone(tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(365 * 86400))  # 1971-01-01, a day counted by hand
    content = (f"<h1>Title</h1><p>{WORD_RUN}<span class=\"arithmatex\">x + y</span>"
               "<span data-sw-search-text hidden>x + y plus words</span></p>"
               "<details><summary>Proof</summary><p>folded words</p></details>")
    context, page = context_for(tmp_path, "page.md", content, meta={"assumes": "a perceptron"}, source="# Title\n")
    # "Title" and the 199 words: one minute; the hidden search copy of the formula (four more words) is not read
    assert context["page_facts"] == {"reading_minutes": 1, "folded_minutes": 1, "updated": "1971-01-01",
                                     "assumes": "a perceptron"}
    assert page.meta == {"assumes": "a perceptron"} and page.content == content


def test_a_notebook_says_what_it_assumes_in_its_jupytext_header(tmp_path):
    header = '# ---\n# jupyter:\n#   assumes: "the basics page"\n# ---\n\n# %% [markdown]\n# Text\n'
    context, _ = context_for(tmp_path, "notebooks/n.py", "<p>Text</p>", source=header)
    assert context["page_facts"]["assumes"] == "the basics page"


def test_a_generated_page_has_no_facts(tmp_path):
    context, _ = context_for(tmp_path, "sources/basics_stride.md", f"<p>{WORD_RUN}</p>")
    assert context["page_facts"] == {}
