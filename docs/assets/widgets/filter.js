// The filter box of "Where every number comes from": typed words narrow the lists "By page"
// (one paragraph per page) and "By snippet" (a heading per script, then a table of its
// values) to the entries that hold every word, and say how many match. Without JavaScript
// the container stays hidden and the page shows the full lists.
import { field, h, uid } from "./dom.js";

// The words of a query, lower-cased: an entry matches when its text holds every one.
export const words = query => query.toLowerCase().split(/\s+/).filter(Boolean);
export const matches = (text, terms) => terms.every(term => text.toLowerCase().includes(term));

const text = node => node.textContent.replace(/\u00b6/g, " ");  // without the permalink signs

// The entries of the page: the paragraphs after #by-page, and per snippet the nodes from its
// heading to the next one (heading, title, table) with the rows of its table.
function entries() {
  const byPage = document.getElementById("by-page");
  const bySnippet = document.getElementById("by-snippet");
  if (!byPage || !bySnippet) return null;
  const pages = [];
  for (let node = byPage.nextElementSibling; node && node !== bySnippet; node = node.nextElementSibling) {
    pages.push(...(node.tagName === "P" ? [node] : node.querySelectorAll("p")));
  }
  const snippets = [];
  for (let node = bySnippet.nextElementSibling; node && !/^H[12]$/.test(node.tagName); node = node.nextElementSibling) {
    if (node.tagName === "H3") snippets.push({ parts: [node], rows: [], head: "" });
    else if (snippets.length) snippets[snippets.length - 1].parts.push(node);
  }
  for (const snippet of snippets) {
    snippet.head = snippet.parts.filter(node => !node.querySelector("table")).map(text).join(" ");
    snippet.rows = snippet.parts.flatMap(node => Array.from(node.querySelectorAll("tbody tr")));
  }
  return { pages, snippets };
}

export function mount(el) {
  const found = entries();
  if (!found) return;
  const { pages, snippets } = found;
  const total = snippets.reduce((n, snippet) => n + snippet.rows.length, 0);
  const status = h("p", { class: "sw-status", id: uid("filter-status"), role: "status" });
  const [box, input] = field("Filter by value name, snippet or page",
    h("input", { type: "search", autocomplete: "off", spellcheck: "false", placeholder: "e.g. padding", "aria-describedby": status.id }));

  function apply() {
    const terms = words(input.value);
    let values = 0, shownSnippets = 0, shownPages = 0;
    for (const snippet of snippets) {
      let shown = 0;
      for (const row of snippet.rows) {
        const hit = matches(`${snippet.head} ${text(row)}`, terms);
        row.hidden = !hit;
        shown += hit;
      }
      const visible = shown > 0 || (snippet.rows.length === 0 && matches(snippet.head, terms));
      for (const part of snippet.parts) part.hidden = !visible;
      values += shown;
      shownSnippets += visible;
    }
    for (const page of pages) {
      const hit = matches(text(page), terms);
      page.hidden = !hit;
      shownPages += hit;
    }
    status.textContent = terms.length
      ? `${values} of ${total} values in ${shownSnippets} of ${snippets.length} snippets match; ${shownPages} of ${pages.length} pages.`
      : `${total} values in ${snippets.length} snippets, ${pages.length} pages.`;
  }

  input.addEventListener("input", apply);
  input.addEventListener("keydown", event => {
    if (event.key === "Escape" && input.value) {
      input.value = "";
      apply();
    }
  });
  el.append(h("div", { class: "sw-controls sw-filter" }, box), status);
  apply();
}
