"""A reader who has only trained an MLP can follow every page (issues 14 and 19).

Over the built site, for every content page from *Convolution from scratch* on, in the
order of the navigation: the first time the page's prose uses a term the site teaches,
the term is inside a link to a place that defines it (its glossary entry, a place the
glossary entry links to as teaching it, or a page that teaches it), or the page has already
defined it itself (in bold, `**term**`, at or before that use), or the use is in the section
that the glossary names as teaching the term. A reader who lands on any page can reach
every word's meaning in one click.

The terms come from the site itself, not from a hand-kept list:

- every glossary entry: the names of its `dt`, split at commas, parentheses left out
  ("Kernel, filter" is *kernel* and *filter*; a last word may take a plural s);
- every bold definition on a page (a short `**phrase**` in a paragraph) must be one of
  them, unless EMPHASIS says why it is only emphasis;
- every label of a widget's controls, as the browser shows them once mounted, must hold
  one of them or be an everyday word (EVERYDAY), and its term must be taught before the
  widget: on an earlier page of the navigation, or above it on its own page (in bold, in
  the section that teaches it, or in a link to its definition: a label cannot link).

TERMS adds the spellings the names do not give (plurals, "MACs", "He" in capitals,
"max pooling" for pooling) and, with no entry, words that are not uses ("parameter
arithmetic", a page's name).

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
from bs4 import BeautifulSoup

from conftest import WIDGETS_MOUNTED
from layout import DESKTOP
from pipeline.paths import ROOT

pytestmark = pytest.mark.site

# Spellings the glossary's names do not give: (how the term is written, as a regular
# expression; its glossary entry). They are tried before the names, longer terms first where
# one contains another, so "global average pooling" is not also "pooling".
# Case-insensitive, except where the pattern says (?-i:) ("He", "MAC").
TERMS = [
    (r"parameter arithmetic", None),  # a page's name, not a use of "parameter"
    (r"global average pooling", "global-average-pooling"),
    (r"(?:local )?max(?:imum)? pool(?:ing|ed)?|average pool(?:ing|ed)?", "pooling"),
    (r"pooling", "pooling"),
    (r"effective receptive fields?", "effective-receptive-field"),
    (r"receptive fields?", "receptive-field"),
    (r"(?-i:ERFs?)", "effective-receptive-field"),
    (r"effective strides?|jumps?", "effective-stride"),
    (r"effective paddings?|(?:the |its |a )?field'?s start|start of (?:its|the|a|each) (?:receptive )?field",
     "effective-padding"),
    (r"depth slices?", "depth-slice"),
    (r"feature maps?|activation maps?", "feature-map"),
    (r"kernels?|filters?", "kernel"),
    (r"channels?|(?:input|output) depths?", "channel"),
    (r"volumes?", "volume"),
    (r"parameters?|biases|bias", "parameter"),
    (r"circular padding|circularly padded", "circular-padding"),  # before "padding"
    (r"padding", "padding"),
    (r"strides?", "stride"),
    (r"multiply-adds?|(?-i:MACs?)|G?FLOP[Ss]?|computational cost", "multiply-add"),
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
    (r"recurrent (?:neural )?(?:networks?|layers?)|(?-i:RNNs?)|backpropagation through time|(?-i:BPTT)",
     "recurrent-network"),
    (r"dense layers?|fully connected", "dense"),
    (r"grouped convolutions?|depthwise(?:-separable)?(?: convolutions?)?", "grouped"),
    (r"transposed convolutions?", "transposed-convolution"),
    (r"dilat(?:ion|ions|ed)", "dilation"),
    (r"1[×x]1 convolutions?|pointwise convolutions?|1[×x]1 layers?", "one-by-one-convolution"),
    (r"lifting layers?|lifting", "lifting-layer"),
    (r"group convolutions?|group equivariant", "group-convolution"),
    (r"cross-correlation|convolutions?", "convolution"),
    (r"equivariance|equivariant", "equivariance"),
    (r"paired differences?", "paired-difference"),
    (r"confidence intervals?", "confidence-interval"),
    (r"invariance|invariant", "invariance"),
    (r"anti-aliasing(?: blur)?", "anti-aliasing"),
    (r"aliasing", "aliasing"),
    (r"shift consistency", "shift-consistency"),
    (r"(?-i:p4) layers?", "group-convolution"),
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


def names_of(title):
    """The names a glossary entry's title gives its term: split at commas, parenthetical
    remarks left out ("Dense (fully connected) layer" is "Dense layer")."""
    title = re.sub(r"\([^)]*\)", " ", title)
    return [" ".join(name.split()) for name in title.split(",") if name.strip()]


def spelling(name):
    """A name as a pattern: its words as written, the last one with an optional plural."""
    words = [re.escape(word) for word in name.lower().split()]
    words[-1] += r"(?:s|es)?"
    return SPACE.join(words)


# Glossary names too common to check as written, and why (TERMS may spell them in context).
GENERIC = {
    "depth": "also a network's number of layers; TERMS checks 'input depth' and 'output depth'",
    "start": "an everyday word; TERMS checks 'the field's start', 'start of its field'",
    "group": "also the groups of a grouped convolution; TERMS checks 'group of transformations' and p4",
}


class Terms:
    """Every term the site teaches: the TERMS spellings, then each glossary name."""

    def __init__(self, glossary_titles):
        pairs = [(spaced(pattern), entry) for pattern, entry in TERMS]
        named = [(spelling(name), entry) for entry, title in glossary_titles.items() for name in names_of(title)
                 if name.lower() not in GENERIC]
        pairs += sorted(set(named), key=lambda pair: -len(pair[0]))  # longer first
        self.pairs = pairs
        self.names = {name.lower(): entry for entry, title in glossary_titles.items() for name in names_of(title)}
        self.regex = re.compile("|".join(rf"(?P<t{i}>\b(?:{pattern})\b)" for i, (pattern, _) in enumerate(pairs)),
                                re.IGNORECASE)

    def finditer(self, text):
        """(match, glossary entry or None) for every use of a term in `text`."""
        for match in self.regex.finditer(text):
            yield match, self.pairs[int(match.lastgroup[1:])][1]

    def entry_of(self, phrase):
        """The glossary entry that `phrase` as a whole names, or None."""
        phrase = " ".join(phrase.split()).strip(" .:'\u2019\u2018")
        match = self.regex.fullmatch(phrase)
        return self.pairs[int(match.lastgroup[1:])][1] if match else self.names.get(phrase.lower())

    def entries_in(self, text):
        return [entry for _, entry in self.finditer(text) if entry]


# The words this test does not hold to the rule, and why.
NOT_CHECKED = {
    "convolution": "the site's subject: every page names it in its first sentence, and the basics page is "
                   "'Convolution from scratch', first in the navigation",
    "weight-sharing": "the site's subject, in every page's title or first sentence",
}
GENERATED = ("glossary.md", "references.md", "provenance.md")  # the definitions; the sources; the list of every value
HEADINGS = ["h1", "h2", "h3", "h4", "h5", "h6"]
# .sw-page-facts: what a page assumes names words taught before it, by definition (no links)
HIDDEN = ("pre, code, script, style, .katex, .arithmatex, .sw-table, [data-value], .headerlink, .sw-page-facts, .sw-print-footer,"
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
CHECKED = [page for page in PAGES[PAGES.index("basics.md"):] if page not in GENERATED]


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
        places = [target("glossary/", a["href"]) for a in definition.select("a[href]")]
        entries[term["id"]] = [place for place in places if place and not place.startswith("references/")]  # a source, not a lesson
    return entries


def glossary_titles(soup):
    """{glossary anchor: the entry's title, as the glossary shows it}."""
    return {dt["id"]: " ".join(dt.get_text(" ").replace("¶", "").split()) for dt in soup.select("article dt[id]")}


OUTLINE = "What you will learn"  # a page's opening outline announces the words it is about to teach


def in_outline(string):
    paragraph = string.find_parent(["p", "li"])
    return paragraph is not None and paragraph.get_text(" ").strip().startswith(OUTLINE)


def first_uses(soup, page_url, terms, taught_here=()):
    """{glossary anchor: (the text of its first use, where that use links to or None,
    whether the page defines the term in bold at or before it, the page's section it is
    in as 'page/#anchor')} for the page's prose. The page's outline ("What you will
    learn: ...") may announce the terms in `taught_here` before teaching them."""
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
    for match, entry in terms.finditer(text):
        if entry is None:
            continue
        string = owner[match.start()]
        if string.find_parent(["strong", "dfn"]) is not None:
            defined.add(entry)
        if entry in taught_here and in_outline(string) and entry not in defined:
            continue
        if entry in found:
            continue
        link = string.find_parent("a", href=True)
        heading = string.find_previous(HEADINGS, id=True)
        section = f"{page_url}#{heading['id']}" if heading is not None else page_url
        found[entry] = (match.group(), target(page_url, link["href"]) if link else None, entry in defined, section)
    return found


def unexplained(soup, page_url, glossary, terms):
    """[(term, what is wrong)] for the first uses on a page that neither link to a
    definition nor follow the page's own."""
    problems = []
    sections_that_teach = {place for places in glossary.values() for place in places if "#" in place}
    taught_here = {entry for entry, places in glossary.items() if places and places[0].startswith(page_url + "#")}
    for entry, (word, link, defined_here, section) in first_uses(soup, page_url, terms, taught_here).items():
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


@pytest.fixture(scope="module")
def terms(site):
    return Terms(glossary_titles(read(site, "glossary/")))


def test_every_spelling_here_names_a_glossary_entry(glossary):
    unknown = sorted({entry for _, entry in TERMS if entry} - set(glossary))
    assert not unknown, f"TERMS spells terms that the glossary has no entry for: {unknown}"


def test_every_glossary_name_is_found_as_its_own_entry(site, terms):
    """Each name an entry's title gives is read as that entry (no TERMS spelling or longer
    name takes it over), so a use of it is checked against the right definition."""
    wrong = [(entry, name, terms.entry_of(name)) for entry, title in glossary_titles(read(site, "glossary/")).items()
             for name in names_of(title) if name.lower() not in GENERIC and terms.entry_of(name) != entry]
    assert not wrong, f"glossary names read as another entry (entry, name, read as): {wrong}"


def test_every_glossary_entry_links_to_where_its_term_is_taught(site, glossary, terms):
    """Every link of each entry resolves; the first goes to a section that uses the term
    (or is titled by it), on the earliest page of the navigation that defines the term in
    bold in a paragraph (a bold label of a list item is not a definition)."""
    order = [url_of(page) for page in PAGES]
    names = {dt["id"]: " ".join(dt.get_text(" ").split()).lower() for dt in read(site, "glossary/").select("article dt[id]")}
    def spellings(entry):  # a generic name ("start") counts here: the section is about the term
        return [p for p, e in terms.pairs if e == entry] + [spelling(n) for n, e in terms.names.items()
                                                            if e == entry and n in GENERIC]

    patterns = {entry: re.compile(rf"\b(?:{'|'.join(spellings(entry))})\b", re.IGNORECASE) for entry in glossary}
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
def test_every_term_is_explained_at_its_first_use(site, glossary, terms, page):
    problems = unexplained(read(site, url_of(page)), url_of(page), glossary, terms)
    assert not problems, f"{page}: " + "; ".join(f"{word!r} {why}" for word, why in problems)


def test_every_page_from_the_basics_on_is_checked():
    assert CHECKED[0] == "basics.md" and "weight-sharing-in-numbers.md" in CHECKED and "audit.md" in CHECKED
    assert "statistical-efficiency.md" in CHECKED and "notebooks/learning-curves.py" in CHECKED


# --- bold definitions: each is a glossary term ----------------------------------------------

# Bold phrases that are not definitions, and why. A new bold phrase is either a term (give
# it a glossary entry) or added here.
EMPHASIS = {
    "valid": "a kind of padding, named in the glossary's 'Padding (valid, same, full)'",
    "same": "a kind of padding, named in the glossary's 'Padding (valid, same, full)'",
    "full": "a kind of padding, named in the glossary's 'Padding (valid, same, full)'",
    "'valid'": "a kind of padding, named in the glossary's 'Padding (valid, same, full)'",
    "'same' padding": "a kind of padding, named in the glossary's 'Padding (valid, same, full)'",
    "tensorflow's 'same'": "TensorFlow's version of same padding, under the glossary's Padding",
    "same formula": "emphasis: pooling's output size follows the convolution's formula",
    "sharing": "short for weight sharing, paired with Locality",
    "two flops per multiply-add": "emphasis on the convention of the glossary's Multiply-add entry",
    "distinct free entries": "emphasis: the two ways of counting a matrix's entries",
    "nonzero entries": "emphasis: the two ways of counting a matrix's entries",
    "non-trainable": "a column of the totals table; the glossary's Batch norm entry says what it counts",
    "matches": "a verdict of the audit, defined where the verdicts are listed",
    "wrong": "a verdict of the audit, defined where the verdicts are listed",
    "differs by accounting": "a verdict of the audit, defined where the verdicts are listed",
    "differs by design": "a verdict of the audit, defined where the verdicts are listed",
    "strides break": "emphasis, a section's lead-in",
    "three ways out": "emphasis, a section's lead-in",
}
DEFINITION = re.compile(r"[^\d.:?!]{2,40}")  # short, no number, not a sentence or a lead-in label


def bold_definitions(soup):
    """The short bold phrases of a page's paragraphs and list items, which is how a page
    defines a term (`**stride**`)."""
    found = []
    for node in soup.select("article p strong, article p dfn, article li > strong, article dd strong"):
        text = " ".join(node.get_text(" ").split())
        if DEFINITION.fullmatch(text) and len(text.split()) <= 4 and node.find_parent("table") is None:
            found.append(text)
    return found


@pytest.mark.parametrize("page", CHECKED)
def test_every_bold_definition_is_in_the_glossary(site, terms, page):
    missing = [text for text in bold_definitions(read(site, url_of(page)))
               if terms.entry_of(text) is None and text.lower() not in EMPHASIS]
    assert not missing, (f"{page} defines in bold what the glossary does not hold: {missing} "
                         "(give each a glossary entry, or list it in EMPHASIS if it is only emphasis)")


# --- widget controls: their labels are terms taught before the widget -----------------------

# Labels made only of everyday words, measurements and the names of things the pages show
# (AlexNet, a preset's name) need no glossary entry. Matched against the whole label, after
# removing ranges like "(1-5)" and numbers.
EVERYDAY = {
    "play", "pause", "next step", "previous step", "add layer", "remove", "remove layer", "✕", "#", "total", "layer",
    "settings", "output", "input", "preset", "new layer", "input size", "image size", "input height", "input width",
    "shift to the right", "digit moved px", "flatten", "relu", "example stack", "type", "layer type",
    "your stack, from input to output", "what each layer gives and costs", "rbf units", "more controls",
    "the outputs: pick one", "the input pixels it touches", "start from", "an empty stack", "read model",
    "other activation", "insert", "at the end", "centre", "download csv", "compute",
}
# A widget's short forms of a term, read only in labels ("Transposed" beside "Stride").
LABEL_WORDS = [
    (r"\btransposed\b", "transposed-convolution"),
    (r"\bcircular\b", "circular-padding"),
    (r"\bzeros\b", "padding"),
    (r"\bdense\b", "dense"),
    (r"\bgroups\b", "grouped"),
    (r"\bsubsampling\b", "pooling"),
    (r"\bfield\b", "receptive-field"),
]
NAMES = re.compile(r"\b(?:AlexNet|LeNet(?:-5)?|VGG-16|MobileNet V1|ResNet-50)\b")

# Every text of a mounted widget that a reader reads as a label: a control's accessible
# name (aria-label, or its <label>), the choices of a select, table headers and captions.
WIDGET_LABELS = """() => Array.from(document.querySelectorAll('article .sw-widget')).map(widget => {
  const shown = el => el.getClientRects().length > 0 || (el.tagName === 'OPTION' && el.closest('select').getClientRects().length > 0);
  const name = el => el.getAttribute('aria-label') || (el.labels && el.labels[0] ? el.labels[0].textContent : el.textContent);
  const labels = Array.from(widget.querySelectorAll('input, select, button, option, th, caption, figcaption, legend'))
    .filter(shown).map(el => name(el).trim()).filter(text => text);
  return {id: widget.id, labels: Array.from(new Set(labels))};
})"""


def plain_label(label):
    """A label without the names of networks, its ranges, numbers, arrows and layer numbers."""
    label = NAMES.sub(" ", label)
    label = re.sub(r"\([^)]*\)|\bLayer \d+\b|[◀▶]|\d+(?:\s*[×x,]\s*\d+)*", " ", label)
    return " ".join(label.split()).strip(" :,").lower()


def label_problems(labels, page_url, widget_id, soup, terms, glossary, order):
    """[(label, what is wrong)] for the labels of one widget of the page at `page_url`:
    a label is a glossary term or holds one, or is everyday words; its terms are taught on
    an earlier page of the navigation, or above the widget on this page (a bold definition,
    a section the glossary names as teaching it, or a link to its definition)."""
    problems = []
    widget = soup.find(id=widget_id)
    bold_above = {terms.entry_of(" ".join(b.get_text(" ").split())) for b in widget.find_all_previous(["strong", "dfn"])} \
        if widget else set()
    sections_above = {f"{page_url}#{h['id']}" for h in widget.find_all_previous(HEADINGS, id=True)} if widget else set()
    linked_above = {target(page_url, a["href"]) for a in widget.find_all_previous("a", href=True)} if widget else set()
    here = order.index(page_url)
    for label in labels:
        plain = plain_label(label)
        found = terms.entries_in(plain) + [entry for pattern, entry in LABEL_WORDS if re.search(pattern, plain)]
        found = found or ([terms.names[plain]] if plain in terms.names else [])
        entries = [entry for entry in dict.fromkeys(found) if entry not in NOT_CHECKED]
        if not entries:
            if plain and plain not in EVERYDAY and not found:
                problems.append((label, "is no glossary term and not in EVERYDAY"))
            continue
        for entry in entries:
            teaching = [place.partition("#")[0] for place in glossary.get(entry, [])]
            earlier = any(page in order and order.index(page) < here for page in teaching)
            definitions = {f"glossary/#{entry}", *glossary.get(entry, [])}
            if not (earlier or entry in bold_above or (sections_above | linked_above) & definitions):
                problems.append((label, f"uses {entry!r} before it is taught"
                                        f" (first taught on {teaching[0] if teaching else 'no page'})"))
    return problems


@pytest.mark.browser
def test_every_widget_label_is_a_term_taught_before_it(site, server, browser, glossary, terms):
    order = [url_of(page) for page in PAGES]
    context = browser.new_context(viewport=DESKTOP)
    tab = context.new_page()
    problems = []
    try:
        for page in CHECKED:
            url = url_of(page)
            if not read(site, url).select("[data-sw-widget]"):
                continue
            tab.goto(server + url, wait_until="networkidle")
            tab.wait_for_function(WIDGETS_MOUNTED)
            for widget in tab.evaluate(WIDGET_LABELS):
                problems += [(url, widget["id"], label, why) for label, why in
                             label_problems(widget["labels"], url, widget["id"], read(site, url), terms, glossary, order)]
    finally:
        context.close()
    assert not problems, "widget labels:\n" + "\n".join(f"{u} {w}: {label!r} {why}" for u, w, label, why in problems)


# --- the check itself, on tiny pages written here ------------------------------------------------

FAKE_GLOSSARY = {"stride": ["basics/#stride"], "padding": ["basics/#padding"], "pooling": ["basics/#pooling"],
                 "global-average-pooling": ["basics/#global-average-pooling"]}

FAKE_TERMS = Terms({"stride": "Stride", "padding": "Padding (valid, same, full)", "pooling": "Pooling (max, average)",
                    "global-average-pooling": "Global average pooling", "dilation": "Dilation, dilated convolution"})


def fake_page(body):
    return BeautifulSoup(f'<html><body><article><h1>Stride and padding</h1>{body}</article></body></html>', "html.parser")


def test_the_check_catches_an_unlinked_first_use():
    page = fake_page('<p>A stride of 2 halves the map.</p><p>The <a href="../basics/#stride">stride</a> again.</p>')
    assert unexplained(page, "some-page/", FAKE_GLOSSARY, FAKE_TERMS) == [("stride", "first used without a link")]


def test_the_check_catches_a_link_to_the_wrong_place():
    page = fake_page('<p>A <a href="../basics/#padding">stride</a> of 2.</p>')
    assert unexplained(page, "some-page/", FAKE_GLOSSARY, FAKE_TERMS) == [
        ("stride", "first used in a link to basics/#padding, which is not where it is defined")]


def test_the_check_accepts_a_link_the_glossary_or_the_pages_own_definition():
    page = fake_page('<p>With <a href="../glossary/#padding">padding</a> and a <strong>stride</strong>, a '
                     'stride of 2.</p><p><a href="../basics/#global-average-pooling">Global average pooling</a>'
                     ' differs from <a href="../basics/#pooling">max pooling</a>.</p>'
                     '<pre>stride = 2</pre><h2>Pooling</h2>')
    assert unexplained(page, "some-page/", FAKE_GLOSSARY, FAKE_TERMS) == []


def test_the_check_ignores_headings_code_and_formulas_but_not_captions():
    page = fake_page('<h2>Stride</h2><pre>stride</pre><code>padding</code><span class="katex">pooling</span>'
                     '<figure><figcaption>A stride of 2.</figcaption></figure>')
    assert unexplained(page, "some-page/", FAKE_GLOSSARY, FAKE_TERMS) == [("stride", "first used without a link")]


def test_the_check_accepts_a_use_in_the_section_that_teaches_the_term():
    page = fake_page('<h2 id="stride">Stride</h2><p>The stride is the step.</p>'
                     '<h2 id="after">After</h2><p>Then padding.</p>')
    assert unexplained(page, "basics/", FAKE_GLOSSARY, FAKE_TERMS) == [("padding", "first used without a link")]


def test_the_terms_come_from_the_glossarys_names():
    assert names_of("Dense (fully connected) layer") == ["Dense layer"]
    assert names_of("Kernel, filter") == ["Kernel", "filter"]
    assert FAKE_TERMS.entry_of("dilated convolutions") == "dilation"
    assert FAKE_TERMS.entry_of("Dilation") == "dilation"
    assert FAKE_TERMS.entry_of("valid") is None  # a parenthetical remark is no name


def test_a_term_only_the_glossary_names_is_checked():
    page = fake_page('<p>With a dilation of 2 the kernel spreads.</p>')
    glossary = {**FAKE_GLOSSARY, "dilation": ["receptive-fields/#dilation"], "kernel": ["basics/#kernel"]}
    terms = Terms({"dilation": "Dilation, dilated convolution", "kernel": "Kernel, filter"})
    assert unexplained(page, "some-page/", glossary, terms) == [
        ("dilation", "first used without a link"), ("kernel", "first used without a link")]


def test_bold_definitions_are_short_bold_phrases():
    page = fake_page('<p>A <strong>dilated convolution</strong> skips. <strong>Two ways out.</strong> '
                     '<strong>34,944 parameters</strong></p><li><strong>Dense:</strong> all</li>')
    assert bold_definitions(page) == ["dilated convolution"]


def test_a_widget_label_must_be_taught_before_the_widget():
    glossary = {**FAKE_GLOSSARY, "dilation": ["receptive-fields/#dilation"]}
    order = ["basics/", "weight-sharing/", "receptive-fields/"]
    page = fake_page('<h2 id="stride">Stride</h2><p>Text.</p><div id="w"></div>')
    labels = ["Stride (1–3)", "Dilation (1–3)", "Play", "Layer 1 dilation", "Wobble"]
    assert label_problems(labels, "weight-sharing/", "w", page, FAKE_TERMS, glossary, order) == [
        ("Dilation (1–3)", "uses 'dilation' before it is taught (first taught on receptive-fields/)"),
        ("Layer 1 dilation", "uses 'dilation' before it is taught (first taught on receptive-fields/)"),
        ("Wobble", "is no glossary term and not in EVERYDAY")]
    # defined in bold above the widget on its own page, or linked to its definition: taught
    page = fake_page('<p>A <strong>dilation</strong> of 2.</p><div id="w"></div>')
    assert label_problems(["Dilation (1–3)"], "weight-sharing/", "w", page, FAKE_TERMS, glossary, order) == []
    page = fake_page('<p>A <a href="../receptive-fields/#dilation">dilation</a> of 2.</p><div id="w"></div>')
    assert label_problems(["Dilation (1–3)"], "weight-sharing/", "w", page, FAKE_TERMS, glossary, order) == []


def test_no_two_glossary_entries_share_an_anchor(site):
    """Two branches adding the same term make two entries with one id: the link reaches
    only the first, and the strict build does not notice."""
    ids = [dt["id"] for dt in read(site, "glossary/").select("article dt[id]")]
    assert len(ids) == len(set(ids)), f"glossary anchors used twice: {sorted({i for i in ids if ids.count(i) > 1})}"
