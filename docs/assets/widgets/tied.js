// The tied matrix at a size the reader chooses: three matrices coloured by free parameter.
// Point at a kernel weight (the legend) to light every matrix entry that holds it and every
// input pixel it multiplies; point at an output to light its row and the window it reads.
import { matrices, reach, windowOf } from "./matrix.js";
import { tapFill, idFill, weightName } from "./palette.js";
import { h, s, field, number, int, expose } from "./dom.js";

expose("tied", { matrices, reach, windowOf });

const RANGES = { n: ["Image size", 3, 9, 5], k: ["Kernel size", 1, 5, 3], stride: ["Stride", 1, 3, 1], padding: ["Padding", 0, 2, 0] };
const LAYERS = [["dense", "dense"], ["local", "locally connected"], ["conv", "convolution"]];

// One matrix as SVG: a path per colour (fast at 81 × 49 entries), and the selection on top.
function draw(m, layer, n, chosen) {
  const paths = new Map();
  const ids = m[layer].ids, taps = m.conv.taps;
  ids.forEach((id, e) => {
    if (id < 0) return;
    const key = layer === "conv" ? taps[e] : layer === "dense" ? 0 : id;
    const x = e % m.cols, y = Math.floor(e / m.cols);
    paths.set(key, (paths.get(key) || "") + `M${x} ${y}h1v1h-1z`);
  });
  const name = layer === "local" ? "locally connected layer" : layer === "conv" ? "convolution" : "dense layer";
  const svg = s("svg", { viewBox: `-0.5 -0.5 ${m.cols + 1} ${m.rows + 1}`, width: Math.min(680, Math.max(300, m.cols * 14)), role: "img",
    "aria-label": `${m.rows} by ${m.cols} matrix of the ${name}, coloured by free parameter` });
  svg.append(s("rect", { x: 0, y: 0, width: m.cols, height: m.rows, class: "sw-matrix" }));
  for (const [key, d] of paths) {
    const fill = layer === "dense" ? "var(--md-default-fg-color--lighter)" : layer === "conv" ? tapFill(key) : idFill(key);
    const dim = chosen && chosen.kind === "weight" && layer === "conv" && key !== chosen.tap;
    svg.append(s("path", { d, style: `fill: ${fill}`, opacity: dim ? 0.15 : 1 }));
  }
  for (let c = n; c < m.cols; c += n) svg.append(s("line", { x1: c, x2: c, y1: 0, y2: m.rows, class: "sw-rule" }));
  if (chosen && chosen.kind === "output") svg.append(s("rect", { class: "sw-now", x: 0, y: chosen.row, width: m.cols, height: 1, fill: "none" }));
  return svg;
}

// The input image with the pixels a weight or an output touches, coloured by the weight.
function inputPicture(m, n, k, chosen) {
  const lit = new Map();
  if (chosen && chosen.kind === "weight") reach(m, chosen.tap).forEach(p => lit.set(p, chosen.tap));
  if (chosen && chosen.kind === "output") windowOf(m, chosen.row).forEach(([p, tap]) => lit.set(p, tap));
  const cells = [];
  for (let p = 0; p < n * n; p++) {
    const x = p % n, y = Math.floor(p / n);
    cells.push(s("rect", { x: x * 10, y: y * 10, width: 10, height: 10, class: "sw-cell",
      style: lit.has(p) ? `fill: ${tapFill(lit.get(p))}` : null }));
    if (lit.has(p) && k > 1) cells.push(s("text", { x: x * 10 + 5, y: y * 10 + 6.5, "text-anchor": "middle", class: "sw-label", style: "font-size: 3.6px", text: weightName(lit.get(p), k).slice(1) }));
  }
  return s("svg", { viewBox: `-1 -1 ${n * 10 + 2} ${n * 10 + 2}`, width: Math.min(200, n * 22), role: "img",
    "aria-label": `The ${n}×${n} input image; ${lit.size} pixel${lit.size === 1 ? "" : "s"} lit` }, cells);
}

// A grid of buttons moved through with the arrow keys (one tab stop: roving tabindex).
function buttonGrid(rows, cols, label, text, style, onPick, current) {
  const grid = h("div", { class: "sw-pick", role: "group", "aria-label": label, style: `grid-template-columns: repeat(${cols}, 2.2em)` });
  const buttons = [];
  for (let i = 0; i < rows * cols; i++) {
    const b = h("button", { type: "button", class: "sw-pick-cell", text: text(i), "aria-pressed": String(i === current),
      "aria-label": `${label.replace(/s$/, "")} ${text(i)}`, tabindex: i === Math.max(current, 0) ? "0" : "-1", style: style(i) });
    b.addEventListener("click", () => onPick(i, true));  // the grid is drawn anew: keep the focus on the pick
    b.addEventListener("keydown", event => {
      const step = { ArrowLeft: -1, ArrowRight: 1, ArrowUp: -cols, ArrowDown: cols }[event.key];
      if (step === undefined) return;
      event.preventDefault();
      const next = i + step;
      if (next >= 0 && next < rows * cols) onPick(next, true);
    });
    buttons.push(b);
  }
  grid.append(...buttons);
  return grid;
}

export function mount(root) {
  const values = Object.fromEntries(Object.entries(RANGES).map(([key, r]) => [key, r[3]]));
  let chosen = null;  // {kind: "weight", tap} or {kind: "output", row}
  const figures = h("div");
  const pointing = h("div", { class: "sw-grids" });
  const status = h("p", { class: "sw-status", "aria-live": "polite" });
  const said = h("p", { class: "sw-status", "aria-live": "polite" });
  const controls = Object.entries(RANGES).map(([key, [label, min, max, value]]) => {
    const [wrap, el] = field(`${label} (${min}–${max})`, number(value, min, max));
    el.addEventListener("input", () => {
      const v = Number(el.value);
      const ok = el.value !== "" && Number.isInteger(v) && v >= min && v <= max;
      el.setAttribute("aria-invalid", String(!ok));
      if (ok) { values[key] = v; chosen = null; update(); } else {
        status.replaceChildren(h("span", { class: "sw-bad", text: `${label} must be a whole number from ${min} to ${max}` }),
          `; the figure still shows ${label.toLowerCase()} ${values[key]}.`);
      }
    });
    return wrap;
  });

  function pick(next, focus) {
    chosen = next;
    update();
    if (focus) {
      const selector = next.kind === "weight" ? `.sw-legend [aria-pressed="true"]` : `.sw-outputs [aria-pressed="true"]`;
      root.querySelector(selector)?.focus();
    }
  }

  function update() {
    const { n, k } = values;
    const m = matrices(n, k, { stride: values.stride, padding: values.padding });
    if (m.error) {
      figures.replaceChildren();
      pointing.replaceChildren();
      said.textContent = "";
      status.replaceChildren(h("span", { class: "sw-bad", text: "Invalid: " }), m.error + ".");
      return;
    }
    figures.replaceChildren(...LAYERS.map(([key, name]) => {
      const { free, nonzero } = m[key];
      return h("figure", { class: "sw-grid sw-matrix-figure" }, draw(m, key, n, chosen),
        h("figcaption", { text: `${name}: ${int(free)} free weight${free === 1 ? "" : "s"} in ${int(nonzero)} nonzero entr${nonzero === 1 ? "y" : "ies"}`
          + (key === "dense" ? " (every entry its own weight)" : key === "local" ? " (one colour per weight: none repeats)" : " (one colour per kernel weight)") }));
    }));
    const legend = buttonGrid(k, k, "Kernel weights", i => weightName(i, k), i => `border-bottom-color: ${tapFill(i)}`,
      (i, focus) => pick({ kind: "weight", tap: i }, focus), chosen && chosen.kind === "weight" ? chosen.tap : -1);
    legend.classList.add("sw-legend");
    const outputs = buttonGrid(m.out, m.out, "Outputs", i => `${Math.floor(i / m.out)},${i % m.out}`, () => null,
      (i, focus) => pick({ kind: "output", row: i }, focus), chosen && chosen.kind === "output" ? chosen.row : -1);
    outputs.classList.add("sw-outputs");
    pointing.replaceChildren(
      h("figure", { class: "sw-grid" }, legend, h("figcaption", { text: "The kernel: pick a weight" })),
      h("figure", { class: "sw-grid" }, outputs, h("figcaption", { text: "The outputs: pick one" })),
      h("figure", { class: "sw-grid" }, inputPicture(m, n, k, chosen), h("figcaption", { text: "The input pixels it touches" })));
    const c = m.conv;
    status.textContent = `Each matrix has ${int(m.rows)} rows (outputs, ${m.out}×${m.out}) and ${int(m.cols)} columns (pixels, ${n}×${n}), ` +
      `${int(m.rows * m.cols)} entries. The convolution's ${int(c.nonzero)} nonzero entries are copies of ${int(c.free)} weights.`;
    if (!chosen) said.textContent = "Pick a kernel weight or an output to see what it connects.";
    else if (chosen.kind === "weight") {
      const entries = c.taps.filter(t => t === chosen.tap).length, pixels = reach(m, chosen.tap).length;
      said.textContent = `${weightName(chosen.tap, k)} fills ${entries} entr${entries === 1 ? "y" : "ies"} of the convolution's matrix `
        + `(one per output whose window puts it on a pixel) and multiplies ${pixels} of the ${n * n} input pixels: one weight, reused.`;
    } else {
      const read = windowOf(m, chosen.row), [i, j] = [Math.floor(chosen.row / m.out), chosen.row % m.out];
      said.textContent = `Output (${i}, ${j}) is row ${chosen.row + 1} of each matrix. It reads ${read.length} pixel${read.length === 1 ? "" : "s"}`
        + (read.length < k * k ? ` (${k * k - read.length} of its ${k * k} taps fall on padding)` : "") + ", each through the kernel weight shown on it.";
    }
  }

  // A click on a matrix entry picks what it holds: a convolution weight, or the output of its row.
  figures.addEventListener("click", event => {
    const svg = event.target.closest("svg");
    if (!svg) return;
    const m = matrices(values.n, values.k, { stride: values.stride, padding: values.padding });
    const box = svg.getBoundingClientRect(), scale = (m.cols + 1) / box.width;
    const col = Math.floor((event.clientX - box.left) * scale - 0.5), row = Math.floor((event.clientY - box.top) * scale - 0.5);
    if (row < 0 || row >= m.rows || col < 0 || col >= m.cols) return;
    const tap = m.conv.taps[row * m.cols + col];
    const isConv = svg === figures.querySelectorAll("svg")[2];
    pick(isConv && tap >= 0 ? { kind: "weight", tap } : { kind: "output", row });
  });
  root.replaceChildren(h("div", { class: "sw-controls sw-sticky" }, controls), pointing, said, figures, status);
  update();
}
