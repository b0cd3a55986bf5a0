// Typeset math with the vendored KaTeX, loading it only on pages that contain math.
// Material may swap pages without reloading (instant navigation), so this runs on
// every page change, not once.
(function () {
  const base = new URL("katex/", document.currentScript.src);
  const loaded = {};

  function load(file) {
    loaded[file] = loaded[file] || new Promise(function (resolve, reject) {
      const url = new URL(file, base).href;
      const node = file.endsWith(".css") ? document.createElement("link") : document.createElement("script");
      if (file.endsWith(".css")) { node.rel = "stylesheet"; node.href = url; } else { node.src = url; }
      node.onload = resolve;
      node.onerror = function () { reject(new Error("could not load " + url)); };
      document.head.appendChild(node);
    });
    return loaded[file];
  }

  // Markdown pages: pymdownx.arithmatex wraps each formula as \( \) or \[ \].
  function typesetArithmatex(nodes) {
    nodes.forEach(function (node) {
      const tex = node.textContent.trim();
      const display = tex.startsWith("\\[");
      katex.render(tex.slice(2, -2), node, { displayMode: display, throwOnError: true });
    });
  }

  // Notebook pages: markdown cells keep their $...$ and $$...$$ as written.
  function typesetNotebooks(nodes) {
    return load("auto-render.min.js").then(function () {
      nodes.forEach(function (node) {
        renderMathInElement(node, {
          delimiters: [
            { left: "$$", right: "$$", display: true },
            { left: "$", right: "$", display: false },
          ],
          throwOnError: true,
        });
      });
    });
  }

  function typeset() {
    const formulas = document.querySelectorAll(".arithmatex");
    const notebooks = document.querySelectorAll(".jupyter-wrapper .jp-RenderedMarkdown");
    const hasNotebookMath = Array.from(notebooks).some(function (n) { return n.textContent.includes("$"); });
    if (!formulas.length && !hasNotebookMath) return;
    Promise.all([load("katex.min.css"), load("katex.min.js")])
      .then(function () {
        typesetArithmatex(formulas);
        if (hasNotebookMath) return typesetNotebooks(notebooks);
      })
      .catch(function (error) { console.error(error); });
  }

  if (typeof document$ !== "undefined") document$.subscribe(typeset);
  else document.addEventListener("DOMContentLoaded", typeset);
})();
