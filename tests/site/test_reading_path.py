"""A reader who has only trained an MLP can follow every page (issue 14).

Over the built site, for every content page after *Convolution from scratch* in the
order of the navigation: the first time the page's prose uses a term the site teaches,
the term is inside a link to a place that defines it (its glossary entry, a place the
glossary entry links to as teaching it, or a page that teaches it), or the page has already defined it itself
(in bold, `**term**`, at or before that use), or the use is in the section that the
glossary names as teaching the term. A reader who lands on any page can reach
every word's meaning in one click.

The terms are the glossary's: TERMS maps each way of writing a term to its glossary
entry, and a test fails when the glossary has an entry that TERMS does not know (or the
other way round), so a new glossary entry must say how its term is written.

Prose is the article's text without headings (a title is not where a word is explained;
the first use under it is), code, formulas, tables of generated values (their column
names are value keys), generated values (a measurement prints as "47.7 ± 3.9% (10 seeds)":
its words are its unit, and it links to the script that computed it), the permalink signs and, on notebook pages, anything but the
Markdown cells. Figure captions and collapsed answers are prose: a reader reads them.
"""
import posixpath
import re
from functools import cache
from urllib.parse import urljoin, urlsplit

import pytest
import yaml
from bs4 import BeautifulSoup, NavigableString

from pipeline.paths import ROOT

pytestmark = pytest.mark.site

# (how the term is written, as a regular expression; its glossary entry). Longer terms come
# first where one contains another, so "global average pooling" is not also "pooling".
# Case-insensitive, except where the pattern says (?-i:) ("He", "MAC").
TERMS = [
    (r"parameter arithmetic", None),  # a page's name, not a use of "parameter"
    (r"global average pooling", "global-average-pooling"),
    (r"max(?:imum)? pooling|average pooling", "pooling"),
    (r"pooling", "pooling"),
    (r"effective receptive fields?", "effective-receptive-field"),
    (r"receptive fields?", "receptive-field"),
    (r"effective strides?|jumps?", "effective-stride"),
    (r"effective paddings?", "effective-padding"),
    (r"depth slices?", "depth-slice"),
    (r"feature maps?|activation maps?", "feature-map"),
    (r"kernels?|filters?", "kernel"),
    (r"channels?", "channel"),
    (r"volumes?", "volume"),
    (r"parameters?|biases|bias", "parameter"),
    (r"circular padding|circularly padded", "circular-padding"),  # before "padding"
    (r"padding", "padding"),
    (r"strides?", "stride"),
    (r"multiply-adds?|(?-i:MACs?)|FLOPs?|computational cost", "multiply-add"),
    (r"blocks?|stages?", "block"),
    (r"batch norm(?:ali[sz]ation)?", "batch-norm"),
    (r"(?-i:He) initiali[sz]ation|(?-i:He)-scaled", "he-initialisation"),
    (r"end-points?", "end-point"),
    (r"TF-slim", "tf-slim"),
    (r"(?:random )?seeds?", "random-seed"),
    (r"weight sharing|parameter sharing", "weight-sharing"),
    (r"locally connected", "locally-connected-layer"),
    (r"CoordConv", "coordconv"),
    (r"binomial tests?", "binomial-test"),
    (r"arithmetic intensity", "arithmetic-intensity"),
    (r"recurrent (?:networks?|layers?)|backpropagation through time", "recurrent-network"),
    (r"dense layers?|fully connected", "dense"),
    (r"grouped convolutions?|depthwise(?:-separable)?(?: convolutions?)?", "grouped"),
    (r"transposed convolutions?", "transposed-convolution"),
    (r"dilat(?:ion|ions|ed)", "dilation"),
    (r"group convolutions?|group equivariant", "group-convolution"),
    (r"cross-correlation|convolutions?", "convolution"),
    (r"equivariance|equivariant", "equivariance"),
    (r"paired differences?", "paired-difference"),
    (r"confidence intervals?", "confidence-interval"),
    (r"invariance|invariant", "invariance"),
    (r"anti-aliasing(?: blur)?", "anti-aliasing"),
    (r"aliasing", "aliasing"),
    (r"shift consistency", "shift-consistency"),
    (r"symmetry groups?|groups? of (?:transformations|symmetries)|(?-i:p4)", "group"),  # not a grouped convolution's "groups"
    (r"statistical efficiency|overfitting", "statistical-efficiency"),
    (r"orbits?", "orbit"),
    (r"permutations?", "permutation"),
    (r"tokens?", "token"),
    (r"(?:self-)?attention", "attention"),
    (r"(?:position |token )?embeddings?", "embedding"),
]
SPACE = r"[\s-]+"  # a term may break across lines, or be hyphenated ("receptive-field size")


def spaced(pattern):
    return pattern.replace(" ", SPACE)


TERM = re.compile("|".join(rf"(?P<t{i}>\b(?:{spaced(pattern)})\b)" for i, (pattern, _) in enumerate(TERMS)),
                  re.IGNORECASE)

# The words this test does not hold to the rule, and why.
NOT_CHECKED = {
    "convolution": "the site's subject: every page names it in its first sentence, and the basics page is "
                   "'Convolution from scratch', first in the navigation",
    "weight-sharing": "the site's subject, in every page's title or first sentence",
}
GENERATED = ("glossary.md", "provenance.md")  # the definitions themselves; the list of every value
HEADINGS = ["h1", "h2", "h3", "h4", "h5", "h6"]
HIDDEN = ("pre, code, script, style, .katex, .arithmatex, .sw-table, [data-value], .headerlink,"
          " .md-content__button, .sw-download, .jp-InputArea:not(:has(.jp-RenderedMarkdown)), .jp-OutputArea")


class _Loader(yaml.SafeLoader):
    pass


_Loader.add_multi_constructor("", lambda loader, suffix, node: None)


def nav_pages():
    nav = yaml.load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"), Loader=_Loader)["nav"]
    return [next(iter(item.values())) for item in nav]


def url_of(page):
    stem = re.sub(r"\.(md|py)$", "", page)
    return "" if stem == "index" else stem.removesuffix("/index") + "/"


PAGES = nav_pages()
CHECKED = [page for page in PAGES[PAGES.index("basics.md") + 1:] if page not in GENERATED]


# A notebook links to the published site by absolute URLs (so that its links work once
# downloaded): those are links into the site too.
SITE_URL = re.search(r"^site_url:\s*(\S+)", (ROOT / "mkdocs.yml").read_text(encoding="utf-8"), re.M).group(1)


def target(page_url, href):
    """Where a link on the page at `page_url` goes, as 'page/#anchor' (site-relative)."""
    if href.startswith(SITE_URL):
        href = "/" + href[len(SITE_URL):]
    parts = urlsplit(urljoin(f"http://site/{page_url}", href))
    if parts.netloc != "site":
        return None
    path = posixpath.normpath(parts.path).lstrip("/")
    path = "" if path in (".", "") else path.removesuffix("index.html").rstrip("/") + "/"
    return f"{path}#{parts.fragment}" if parts.fragment else path


@cache
def read(site, url):
    return BeautifulSoup((site / url / "index.html").read_text(encoding="utf-8"), "html.parser")


def glossary_entries(soup):
    """{glossary anchor: [the places its entry links to, as 'page/#anchor']}."""
    entries = {}
    for term in soup.select("article dt[id]"):
        definition = term.find_next_sibling("dd")
        entries[term["id"]] = [target("glossary/", a["href"]) for a in definition.select("a[href]")]
    return entries


def first_uses(soup, page_url):
    """{glossary anchor: (the text of its first use, where that use links to or None,
    whether the page defines the term in bold at or before it, the page's section it is
    in as 'page/#anchor')} for the page's prose."""
    article = BeautifulSoup(str(soup.select_one("article")), "html.parser")
    for hidden in article.select(HIDDEN):
        hidden.decompose()
    text, owner = "", []
    for string in article.find_all(string=True):
        if string.find_parent(HEADINGS) is not None:  # a title is not prose, but it ends the text before it
            text += "\n"
            owner.append(None)
            continue
        text += str(string)
        owner += [string] * len(str(string))
    found, defined = {}, set()
    for match in TERM.finditer(text):
        entry = TERMS[int(match.lastgroup[1:])][1]
        if entry is None:
            continue
        string = owner[match.start()]
        if string.find_parent(["strong", "dfn"]) is not None:
            defined.add(entry)
        if entry in found:
            continue
        link = string.find_parent("a", href=True)
        heading = string.find_previous(HEADINGS, id=True)
        section = f"{page_url}#{heading['id']}" if heading is not None else page_url
        found[entry] = (match.group(), target(page_url, link["href"]) if link else None, entry in defined, section)
    return found


def unexplained(soup, page_url, glossary):
    """[(term, what is wrong)] for the first uses on a page that neither link to a
    definition nor follow the page's own."""
    problems = []
    sections_that_teach = {place for places in glossary.values() for place in places if "#" in place}
    for entry, (word, link, defined_here, section) in first_uses(soup, page_url).items():
        if entry in NOT_CHECKED or defined_here or section in glossary[entry]:  # used where it is taught
            continue
        definitions = {f"glossary/#{entry}", *glossary[entry]}
        teaching_pages = {place.partition("#")[0] for place in glossary[entry]}
        # a page that teaches the term, as a whole or at a section that teaches no other term
        on_a_teaching_page = link is not None and link.partition("#")[0] in teaching_pages and (
            link not in sections_that_teach)
        if link is None:
            problems.append((word, "first used without a link"))
        elif link not in definitions and not on_a_teaching_page:
            problems.append((word, f"first used in a link to {link}, which is not where it is defined"))
    return problems


@pytest.fixture(scope="module")
def glossary(site):
    return glossary_entries(read(site, "glossary/"))


def test_every_glossary_entry_has_its_terms_and_every_term_its_entry(glossary):
    entries = {entry for _, entry in TERMS if entry}
    assert set(glossary) == entries, (
        f"glossary entries without a term here: {sorted(set(glossary) - entries)}; "
        f"terms here without a glossary entry: {sorted(entries - set(glossary))}")


def test_every_glossary_entry_links_to_where_its_term_is_taught(site, glossary):
    """Every link of each entry resolves; the first goes to a section that uses the term
    (or is titled by it), on the earliest page of the navigation that defines the term in
    bold in a paragraph (a bold label of a list item is not a definition)."""
    order = [url_of(page) for page in PAGES]
    names = {dt["id"]: " ".join(dt.get_text(" ").split()).lower() for dt in read(site, "glossary/").select("article dt[id]")}
    patterns = {entry: re.compile(rf"\b(?:{'|'.join(spaced(p) for p, e in TERMS if e == entry)})\b", re.IGNORECASE)
                for _, entry in TERMS if entry}
    for entry, links in glossary.items():
        assert links, f"glossary #{entry} links to no place that teaches it"
        for link in links:
            page, _, anchor = link.partition("#")
            assert (site / page / "index.html").is_file(), f"glossary #{entry}: {link} is no page"
            assert not anchor or read(site, page).find(id=anchor) is not None, f"glossary #{entry}: {link} does not exist"
        page, _, anchor = links[0].partition("#")
        assert anchor, f"glossary #{entry}: its first link, {links[0]}, names no section"
        heading = read(site, page).find(id=anchor)
        section = [heading.get_text(" ")]
        for node in heading.find_all_next():
            if re.fullmatch(r"h[1-6]", node.name or "") and node.name <= heading.name if heading.name[0] == "h" else False:
                break
            if node.name in ("p", "li", "dd", "figcaption"):
                section.append(node.get_text(" "))
            if len(section) > 40:
                break
        title = " ".join(heading.get_text(" ").replace("¶", "").split()).lower()
        named = title in names[entry]  # a section titled "Dense" for "Dense (fully connected) layer"
        assert named or patterns[entry].search(" ".join(section)), f"glossary #{entry}: {links[0]} does not use the term"
        defining = [url for url in order if url != "glossary/" and (site / url / "index.html").is_file()
                    and any(patterns[entry].fullmatch(" ".join(b.get_text(" ").split()))
                            for b in read(site, url).select("article p > strong, article p > dfn"))]
        if defining:
            assert order.index(page) <= order.index(defining[0]), (
                f"glossary #{entry} sends the reader to {page}, but {defining[0]} defines it earlier")


@pytest.mark.parametrize("page", CHECKED)
def test_every_term_is_explained_at_its_first_use(site, glossary, page):
    problems = unexplained(read(site, url_of(page)), url_of(page), glossary)
    assert not problems, f"{page}: " + "; ".join(f"{word!r} {why}" for word, why in problems)


def test_every_page_after_the_basics_is_checked():
    assert CHECKED[0] == "weight-sharing-in-numbers.md" and "audit.md" in CHECKED
    assert "statistical-efficiency.md" in CHECKED and "notebooks/learning-curves.py" in CHECKED


# --- the check itself, on tiny pages written here ------------------------------------------------

FAKE_GLOSSARY = {"stride": ["basics/#stride"], "padding": ["basics/#padding"], "pooling": ["basics/#pooling"],
                 "global-average-pooling": ["basics/#global-average-pooling"]}


def fake_page(body):
    return BeautifulSoup(f'<html><body><article><h1>Stride and padding</h1>{body}</article></body></html>', "html.parser")


def test_the_check_catches_an_unlinked_first_use():
    page = fake_page('<p>A stride of 2 halves the map.</p><p>The <a href="../basics/#stride">stride</a> again.</p>')
    assert unexplained(page, "some-page/", FAKE_GLOSSARY) == [("stride", "first used without a link")]


def test_the_check_catches_a_link_to_the_wrong_place():
    page = fake_page('<p>A <a href="../basics/#padding">stride</a> of 2.</p>')
    assert unexplained(page, "some-page/", FAKE_GLOSSARY) == [
        ("stride", "first used in a link to basics/#padding, which is not where it is defined")]


def test_the_check_accepts_a_link_the_glossary_or_the_pages_own_definition():
    page = fake_page('<p>With <a href="../glossary/#padding">padding</a> and a <strong>stride</strong>, a '
                     'stride of 2.</p><p><a href="../basics/#global-average-pooling">Global average pooling</a>'
                     ' differs from <a href="../basics/#pooling">max pooling</a>.</p>'
                     '<pre>stride = 2</pre><h2>Pooling</h2>')
    assert unexplained(page, "some-page/", FAKE_GLOSSARY) == []


def test_the_check_ignores_headings_code_and_formulas_but_not_captions():
    page = fake_page('<h2>Stride</h2><pre>stride</pre><code>padding</code><span class="katex">pooling</span>'
                     '<figure><figcaption>A stride of 2.</figcaption></figure>')
    assert unexplained(page, "some-page/", FAKE_GLOSSARY) == [("stride", "first used without a link")]


def test_the_check_accepts_a_use_in_the_section_that_teaches_the_term():
    page = fake_page('<h2 id="stride">Stride</h2><p>The stride is the step.</p>'
                     '<h2 id="after">After</h2><p>Then padding.</p>')
    assert unexplained(page, "basics/", FAKE_GLOSSARY) == [("padding", "first used without a link")]
