"""Every source the site cites is in References, with a link, and every citation links
to its entry (issue 19, item 8).

How a citation is written on the pages:

- **author and year**: "Luo et al. (2016)", "(He et al., 2015)", "Goodfellow, Bengio and
  Courville (2016)", "Zhang (2019, "Making ...")", "LeCun's "Generalization ..." (1989)":
  the authors are a link to `references.md#<key>` (at least their first name is inside the
  link), and the entry's year is the citation's year. Every such citation, not only the first;
- **by name**, for a source without an author-year form (SOURCES: cs231n, torchvision,
  the Deep Learning book, ...): its first mention on a page links to its entry.

Prose is read as the reading-path test reads it: without headings (and the titles of
folded blocks, which hold no links), code, formulas, generated values and tables. Every entry of References names a year or is software, and
holds a link out: a DOI, an arXiv number, or the repository or documentation.
"""
import posixpath
import re
from urllib.parse import urljoin, urlsplit

import pytest
import yaml
from bs4 import BeautifulSoup

from pipeline.paths import ROOT

pytestmark = pytest.mark.site

NAME = r"(?:van\s+|de\s+|von\s+)?[A-Z][a-zA-Z\u00C0-\u017F'-]+"
AUTHORS = rf"{NAME}(?:\s+et\s+al\.|(?:,\s+{NAME})*\s+and\s+{NAME})?"  # a name may break across lines
# authors, then within the same clause the year: "X (2016", "X, 2016", "X's "Title" (1989"
CITATION = re.compile(rf"\b(?P<authors>{AUTHORS})(?:(?:'s|,)?\s+\"[^\"]{{1,120}}\")?,?\s+\(?(?P<year>(?:19|20)\d\d)\b")
# Capitalised words followed by a year that are no citation: a network's name with its year
# ("AlexNet (2012)", the site's name for the original network beside torchvision's), a month.
NOT_AUTHORS = {"In", "From", "Since", "Until", "The", "December", "January", "June", "July", "May", "March", "AlexNet"}

# Sources cited by name: (how the name is written; the entry its first mention on a page links to).
SOURCES = [
    (r"cs231n", "cs231n"),
    (r"[Tt]he Deep Learning book", "goodfellow2016"),
    (r"\bd2l\b|Dive into Deep Learning", "d2l"),
    (r"convolution-arithmetic guide", "dumoulin2016"),
    (r"cuda-convnet", "cuda-convnet"),
    (r"torchvision", "torchvision"),
    (r"\bKeras\b", "keras"),
    (r"Distill article", "araujo2019"),
    (r"`?receptive_field`? library", "receptive-field-library"),
    (r"[Tt]he ResNet paper", "he2016"),
]
SPACES = r"\s+"  # a name may break across lines
SOURCE = re.compile("|".join(f"(?P<s{i}>{pattern.replace(' ', SPACES)})" for i, (pattern, _) in enumerate(SOURCES)))
HIDDEN = ("pre, code:not(a code), script, style, .katex, .arithmatex, .sw-table, [data-value], .headerlink, h1, h2, h3, h4, h5, h6, summary,"
          " .md-content__button, .sw-download, .jp-InputArea:not(:has(.jp-RenderedMarkdown)), .jp-OutputArea")
OUT = re.compile(r"https?://(?:doi\.org/|arxiv\.org/abs/|github\.com/|[\w.-]+/)")


class _Loader(yaml.SafeLoader):
    pass


_Loader.add_multi_constructor("", lambda loader, suffix, node: None)


def pages():
    nav = yaml.load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"), Loader=_Loader)["nav"]
    urls = []
    for item in nav:
        page = next(iter(item.values()))
        stem = re.sub(r"\.(md|py)$", "", page)
        urls.append("" if stem == "index" else stem + "/")
    return [url for url in urls if url not in ("references/", "provenance/")]


def read(site, url):
    return BeautifulSoup((site / url / "index.html").read_text(encoding="utf-8"), "html.parser")


def entries(soup):
    """{key: (the entry's title, its year or None, its links out)} of the References page."""
    found = {}
    for dt in soup.select("article dt[id]"):
        title = " ".join(dt.get_text(" ").replace("¶", "").split())
        year = re.search(r"\b(?:19|20)\d\d\b", title)
        links = [a["href"] for a in dt.find_next_sibling("dd").select("a[href]") if OUT.match(a["href"])]
        found[dt["id"]] = (title, year[0] if year else None, links)
    return found


def reference_of(page_url, href):
    """The References key a link goes to, or None."""
    parts = urlsplit(urljoin(f"http://site/{page_url}", href))
    path = posixpath.normpath(parts.path).strip("/")
    return parts.fragment if parts.netloc == "site" and path == "references" and parts.fragment else None


def prose(soup):
    """(text, owner) where owner[i] is the string node of text[i]."""
    article = BeautifulSoup(str(soup.select_one("article")), "html.parser")
    for hidden in article.select(HIDDEN):
        hidden.decompose()
    text, owner = "", []
    for string in article.find_all(string=True):
        text += str(string)
        owner += [string] * len(str(string))
    return text, owner


def uncited(soup, page_url, refs):
    """[(citation text, what is wrong)] for one page."""
    text, owner = prose(soup)
    problems = []
    for match in CITATION.finditer(text):
        if match["authors"].split()[0].rstrip(",") in NOT_AUTHORS:
            continue
        link = owner[match.start()].find_parent("a", href=True)
        key = reference_of(page_url, link["href"]) if link else None
        cited = " ".join(match[0].split())
        if key is None:
            problems.append((cited, "does not link to References"))
        elif key not in refs:
            problems.append((cited, f"links to references/#{key}, which is no entry"))
        elif refs[key][1] != match["year"]:
            problems.append((cited, f"links to references/#{key}, whose year is {refs[key][1]}"))
    seen = set()
    for match in SOURCE.finditer(text):
        index = int(match.lastgroup[1:])
        if index in seen:
            continue
        seen.add(index)
        link = owner[match.end() - 1].find_parent("a", href=True)  # "the [Deep Learning book](...)"
        key = reference_of(page_url, link["href"]) if link else None
        if key != SOURCES[index][1]:
            problems.append((match[0], f"first mention does not link to references/#{SOURCES[index][1]}"))
    return problems


@pytest.fixture(scope="module")
def refs(site):
    return entries(read(site, "references/"))


def test_every_entry_has_a_link_out(refs):
    assert refs, "References has no entries"
    bare = [key for key, (_, _, links) in refs.items() if not links]
    assert not bare, f"References entries without a DOI, arXiv or repository link: {bare}"


def test_every_named_source_has_an_entry(refs):
    missing = sorted({key for _, key in SOURCES} - set(refs))
    assert not missing, f"SOURCES names entries that References does not have: {missing}"


@pytest.mark.parametrize("page", pages(), ids=lambda p: p or "home")
def test_every_citation_links_to_its_entry(site, refs, page):
    problems = uncited(read(site, page), page, refs)
    assert not problems, f"/{page}: " + "; ".join(f"{text!r} {why}" for text, why in problems)


def test_references_is_in_the_navigation_next_to_the_glossary():
    nav = yaml.load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"), Loader=_Loader)["nav"]
    files = [next(iter(item.values())) for item in nav]
    assert files.index("references.md") == files.index("glossary.md") + 1


# --- the check itself, on a tiny page ---------------------------------------------------------

REFS = {"luo2016": ("Luo et al. (2016)", "2016", ["https://arxiv.org/abs/1701.04128"]),
        "cs231n": ("cs231n", None, ["https://cs231n.github.io/"])}


def page(body):
    return BeautifulSoup(f"<html><body><article><h1>Cited</h1>{body}</article></body></html>", "html.parser")


def test_the_check_finds_unlinked_and_misdated_citations():
    body = ('<p>Luo et al. (2016) showed it. <a href="../references/#luo2016">Luo et al.</a> (2017) again. '
            'As (<a href="../references/#luo2016">Luo et al.</a>, 2016) say, and cs231n too; '
            '<a href="../references/#cs231n">cs231n</a> later. In 2019 nothing.</p>'
            '<h2>Goodfellow (2016)</h2><pre>He et al. (2015)</pre>')
    assert uncited(page(body), "x/", REFS) == [
        ("Luo et al. (2016", "does not link to References"),
        ("Luo et al. (2017", "links to references/#luo2016, whose year is 2016"),
        ("cs231n", "first mention does not link to references/#cs231n")]


def test_the_citation_forms():
    found = [m[0] for m in CITATION.finditer(
        'Goodfellow, Bengio and Courville (2016) and (He et al., 2015); Kayhan and van Gemert, 2020; '
        'LeCun\'s "Generalization and network design strategies" (1989); Zhang (2019, "Making"); '
        'LeCun, "Generalization" (1989)')]
    assert found == ["Goodfellow, Bengio and Courville (2016", "He et al., 2015", "Kayhan and van Gemert, 2020",
                     'LeCun\'s "Generalization and network design strategies" (1989', "Zhang (2019",
                     'LeCun, "Generalization" (1989']


# --- terms of reuse -------------------------------------------------------------------------


def test_the_licence_says_which_licence_covers_what():
    text = (ROOT / "LICENSE").read_text(encoding="utf-8")
    assert "MIT License" in text and "Permission is hereby granted" in text  # the code
    assert "CC BY 4.0" in text and "creativecommons.org/licenses/by/4.0/legalcode" in text  # text and figures
    for folder in ("snippets/", "pipeline/", "hooks/", "docs/*.md", "docs/assets/katex/"):
        assert folder in text, f"LICENSE does not say which licence covers {folder}"


def test_the_citation_file_is_valid_cff():
    cff = yaml.safe_load((ROOT / "CITATION.cff").read_text(encoding="utf-8"))
    for key in ("cff-version", "message", "title", "authors"):  # required by CFF 1.2.0
        assert cff.get(key), f"CITATION.cff has no {key}"
    assert cff["cff-version"] == "1.2.0" and all("name" in a or "family-names" in a for a in cff["authors"])
    assert set(cff["license"]) == {"MIT", "CC-BY-4.0"}
    config = yaml.load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"), Loader=_Loader)
    assert cff["url"] == config["site_url"] and cff["repository-code"] == config["repo_url"]
