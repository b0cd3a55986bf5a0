"""Every link of the built site resolves (issue 11).

MkDocs checks the links written in Markdown, but not those the project's plugin, the
theme and the other plugins write into the HTML (values.json, figures, notebook
downloads, stylesheets, scripts, the search worker). This reads the built site itself:
every internal `href`, `src` and `srcset` of every HTML file must name a file of the
site, and every `#anchor` an element `id` (or `<a name>`) of its target page; so must the
`url(...)` references of the site's stylesheets, the search worker named in Material's
`__config`, the pages of the sitemap and the locations of the search index.

"Internal" means relative, absolute from the host, or absolute on site_url's own host and
path, resolved as the published site would resolve them (under site_url's path, with a
directory URL meaning its index.html). A link to site_url's host outside site_url's path
leaves the published site and is reported. Not checked, because they are not files of the
site: other hosts, and mailto:, tel:, data:, javascript: and blob: URLs.
"""
import json
import posixpath
import re
from functools import cache
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

import pytest
import yaml
from bs4 import BeautifulSoup

from conftest import ROOT

NOT_FILES = ("mailto:", "tel:", "data:", "javascript:", "blob:")
CSS_URL = re.compile(r"""url\(\s*(['"]?)([^'")]+)\1\s*\)""")
LOC = re.compile(r"<loc>([^<]+)</loc>")
FONT_FACE = re.compile(r"@font-face\s*\{([^}]*)\}")
SRC = re.compile(r"(?:^|[;{\s])src\s*:([^;]*)")
FONT_SOURCE = re.compile(r"""url\(\s*(['"]?)([^'")]+)\1\s*\)\s*(?:format\(\s*['"]?([\w-]+)['"]?\s*\))?""")


class Site:
    """A built site on disk, seen as the web server of `site_url` would serve it."""

    def __init__(self, site_dir, site_url):
        self.dir = Path(site_dir)
        url = urlsplit(site_url)
        self.origin = f"{url.scheme}://{url.netloc}"
        self.base = url.path if url.path.endswith("/") else url.path + "/"

    def url_of(self, file):
        """The absolute path (under the site's path) at which `file` is served."""
        return self.base + file.relative_to(self.dir).as_posix()

    def file_for(self, path):
        """The site's file served at the absolute URL path `path`, or None."""
        if not path.startswith(self.base):
            return None
        relative = posixpath.normpath(unquote(path[len(self.base):]) or ".")
        if relative.startswith(".."):
            return None
        target = self.dir / relative
        if path.endswith("/") or target.is_dir():
            target = target / "index.html"
        return target if target.is_file() else None

    @cache
    def anchors(self, file):
        soup = BeautifulSoup(file.read_text(encoding="utf-8"), "html.parser")
        return {tag["id"] for tag in soup.find_all(id=True)} | {a["name"] for a in soup.find_all("a", attrs={"name": True})}

    def check(self, link, page_url, where):
        """None if `link`, found at `where` on the page served at `page_url`, resolves;
        else what is wrong with it."""
        link = link.strip()
        if not link or link.lower().startswith(NOT_FILES):
            return None
        absolute = urljoin(self.origin + page_url, link)
        parts = urlsplit(absolute)
        if f"{parts.scheme}://{parts.netloc}" != self.origin:
            return None  # another host: not a file of this site
        target = self.file_for(parts.path)
        if target is None:
            return f"{where}: {link} -> {parts.path} is not a file of the site"
        if parts.fragment and target.suffix == ".html":
            if unquote(parts.fragment) not in self.anchors(target):
                return f"{where}: {link} -> no id {unquote(parts.fragment)!r} in {target.relative_to(self.dir)}"
        return None


def broken_links(site_dir, site_url):
    """Every link of the site at `site_dir` (published at `site_url`) that does not resolve."""
    site = Site(site_dir, site_url)
    problems = []

    def check(link, page_url, where):
        problem = site.check(link, page_url, where)
        if problem:
            problems.append(problem)

    for file in sorted(site.dir.rglob("*.html")):
        page_url, name = site.url_of(file), file.relative_to(site.dir).as_posix()
        soup = BeautifulSoup(file.read_text(encoding="utf-8"), "html.parser")
        base = soup.find("base", href=True)
        if base:
            page_url = urlsplit(urljoin(site.origin + page_url, base["href"])).path
        for tag in soup.find_all(True):
            for attr in ("href", "src"):
                if tag.get(attr) is not None and tag.name != "base":
                    check(tag[attr], page_url, f"{name} <{tag.name} {attr}>")
            for candidate in (tag.get("srcset") or "").split(","):
                if candidate.strip():
                    check(candidate.split()[0], page_url, f"{name} <{tag.name} srcset>")
        config = soup.find("script", id="__config")  # Material: the search worker the page starts
        if config and config.string:
            worker = json.loads(config.string).get("search")
            if worker:
                check(worker, page_url, f"{name} __config search worker")
    for css in sorted(site.dir.rglob("*.css")):
        text = re.sub(r"/\*.*?\*/", "", css.read_text(encoding="utf-8", errors="replace"), flags=re.DOTALL)
        for link in css_links(text):
            check(link, site.url_of(css), f"{css.relative_to(site.dir).as_posix()} url()")
    sitemap = site.dir / "sitemap.xml"
    if sitemap.is_file():
        for loc in LOC.findall(sitemap.read_text(encoding="utf-8")):
            check(loc, site.base, "sitemap.xml <loc>")
    index = site.dir / "search" / "search_index.json"
    if index.is_file():  # Material resolves a result's location against the site's base
        for doc in json.loads(index.read_text(encoding="utf-8"))["docs"]:
            check(doc["location"] or "./", site.base, "search_index.json location")
    return problems


def css_links(text):
    """The url()s of a stylesheet that a browser fetches.

    In an @font-face `src` list a browser fetches the first source in a format it
    supports. After a WOFF2 source (every browser this site supports reads WOFF2) the
    .woff and .ttf fallbacks are never fetched; KaTeX's stylesheet names them, and the
    site ships only the WOFF2 files, so those fallbacks are not checked. Any other
    font source, and every other url(), is."""
    links = []
    for block in FONT_FACE.findall(text):
        for source in SRC.findall(block):
            alternatives = [(url, fmt) for _, url, fmt in FONT_SOURCE.findall(source)]
            if alternatives and alternatives[0][1] == "woff2":
                alternatives = alternatives[:1]
            links += [url for url, _ in alternatives]
    links += [url for _, url in CSS_URL.findall(FONT_FACE.sub("", text))]
    return [url for url in links if not url.startswith("#")]  # url(#id): an SVG filter in the same document


# --- the checker itself ------------------------------------------------------------------


def fake_site(root, pages):
    for path, html in pages.items():
        (root / path).parent.mkdir(parents=True, exist_ok=True)
        (root / path).write_text(html, encoding="utf-8")
    return root


GOOD = {
    "index.html": '<h1 id="top">Home</h1><a href="page/">page</a> <a href="page/#part">part</a> '
                  '<a href="#top">top</a> <a href="https://example.org/x">elsewhere</a> <a href="mailto:a@b.c">mail</a> '
                  '<link rel="stylesheet" href="assets/site.css"> <img src="figures/a.svg" srcset="figures/a.svg 2x"> '
                  '<a href="https://example.com/docs/page/">canonical</a> <img src="data:image/png;base64,AAAA">',
    "page/index.html": '<h2 id="part">Part</h2><a href="../values.json">values</a> <a name="old"></a> '
                       '<a href="/docs/page/#old">old anchor</a> <script src="../assets/app.js"></script>',
    "assets/site.css": "@font-face { src: url(fonts/a.woff2) format('woff2'), url(fonts/a.woff) format('woff') } "
                       "/* url(missing-but-a-comment.png) */ .x { background: url(\"../figures/a.svg\") }",
    "assets/fonts/a.woff2": "",
    "assets/app.js": "",
    "figures/a.svg": "<svg/>",
    "values.json": "[]",
}


def test_the_checker_passes_a_site_whose_links_all_resolve(tmp_path):
    assert broken_links(fake_site(tmp_path, GOOD), "https://example.com/docs/") == []


def test_the_checker_reports_a_broken_link_a_broken_anchor_and_a_link_out_of_the_site(tmp_path):
    pages = dict(GOOD)
    pages["page/index.html"] = GOOD["page/index.html"].replace("../values.json", "values.json")  # issue 11's 404
    pages["index.html"] = GOOD["index.html"] + '<a href="page/#no-such-part">x</a> <a href="../../elsewhere/">y</a>'
    pages["assets/site.css"] = "@font-face { src: url('fonts/missing.woff2') format('woff2') }"
    problems = broken_links(fake_site(tmp_path, pages), "https://example.com/docs/")
    assert len(problems) == 4, problems
    assert any("page/index.html <a href>: values.json -> /docs/page/values.json is not a file" in p for p in problems)
    assert any("no id 'no-such-part' in page/index.html" in p for p in problems)
    assert any("../../elsewhere/ -> /elsewhere/ is not a file of the site" in p for p in problems)
    assert any("assets/site.css url(): fonts/missing.woff2" in p for p in problems)


# --- the built site -----------------------------------------------------------------------------


@pytest.mark.site
def test_every_internal_link_and_anchor_of_the_built_site_resolves(site):
    site_url = yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))["site_url"]
    problems = broken_links(site, site_url)
    assert not problems, f"{len(problems)} links do not resolve:\n" + "\n".join(problems[:50])
