// The sliding filter: input with its padding, kernel and output, one step at a time.
//
// Each page configures it (hooks/macros.py `widget("sliding", ...)`):
//   data      [{image, kernel}]: the page's own example (then the sizes are fixed: no size controls)
//   controls  the number controls shown (default: all but those in `more`)
//   more      controls behind a "More controls" switch, off by default: what the page has
//             not taught yet (default: dilation and the transposed convolution)
//   flip      show the cross-correlation / convolution switch (default: off)
import { slide, image, kernel, plan } from "./conv.js";
import { h, s, field, number, minus, select, expose } from "./dom.js";

expose({ slide, plan, image, kernel });

const CELL = 20;  // SVG units; drawn 1.25 times larger, smaller on phones
const RANGES = { n: ["Input size", 3, 9, 4], k: ["Kernel size", 1, 5, 3], stride: ["Stride", 1, 3, 1],
  padding: ["Padding", 0, 3, 0], dilation: ["Dilation", 1, 3, 1] };

function grid(cells, { label, mark = () => null, text = () => "", cls = () => "sw-cell" }) {
  const rows = cells.length, cols = cells[0].length;
  const svg = s("svg", { viewBox: `-1 -1 ${cols * CELL + 2} ${rows * CELL + 2}`, width: cols * CELL * 1.25 + 2, role: "img", "aria-label": label });
  cells.forEach((row, r) => row.forEach((cell, c) => {
    const x = c * CELL, y = r * CELL;
    svg.append(s("rect", { x, y, width: CELL, height: CELL, class: cls(cell, r, c) }));
    const m = mark(r, c);
    if (m) svg.append(s("rect", { x: x + 1.5, y: y + 1.5, width: CELL - 3, height: CELL - 3, class: m.cls || m, style: m.style }));
    const t = text(cell, r, c);
    if (t !== "") svg.append(s("text", { x: x + CELL / 2, y: y + CELL / 2 + 3.5, "text-anchor": "middle", text: t }));
  }));
  return h("figure", { class: "sw-grid" }, svg, h("figcaption", { text: label }));
}

// Each kernel weight has its own colour, in the kernel and wherever the window uses it.
const weightMark = (a, b, k) => ({ cls: "sw-tap", style: `fill: hsl(${((a * k + b) * 137.508) % 360} 70% var(--sw-param-l) / 0.35)` });

const term = v => (v < 0 ? `(${minus(v)})` : String(v));

export function mount(root, config = {}) {
  const example = config.data ? config.data[0] : null;  // the page's example: {image, kernel}
  const more = config.more || ["dilation", "transposed"];
  const sized = example ? ["n", "k"] : [];  // an example fixes the input and kernel size
  const shown = (config.controls || Object.keys(RANGES)).filter(key => !more.includes(key) && !sized.includes(key));
  const values = Object.fromEntries(Object.entries(RANGES).map(([key, r]) => [key, r[3]]));
  if (example) Object.assign(values, { n: example.image.length, k: example.kernel.length });
  let transposed = false, convolve = false, step = 0, timer = null, result = null;
  const restart = () => { step = 0; stop(); compute(); };

  const inputs = {};  // number controls by key, to reset the hidden ones
  const numberField = key => {
    const [label, min, max] = RANGES[key];
    const [wrap, el] = field(`${label} (${min}–${max})`, number(values[key], min, max));
    el.addEventListener("input", () => {
      const v = Number(el.value);
      if (Number.isInteger(v) && v >= min && v <= max) { values[key] = v; restart(); }
    });
    inputs[key] = el;
    return wrap;
  };
  const controls = shown.map(numberField);
  const hiddenKeys = more.filter(key => RANGES[key]);
  const extra = hiddenKeys.map(numberField);
  let transposedBox = null;
  if (more.includes("transposed")) {
    const [transposedField, box] = field("Transposed", h("input", { type: "checkbox" }));
    box.addEventListener("change", () => { transposed = box.checked; restart(); });
    extra.push(transposedField);
    transposedBox = box;
  }
  // What the page has not taught yet waits behind a switch, off by default; switched
  // off, its controls return to their defaults, so what is hidden never acts.
  // (.sw-controls is display: flex, which would override the hidden attribute)
  const moreRow = h("div", { class: "sw-controls", style: "display: none" }, extra);
  let moreField = null;
  if (extra.length) {
    const [wrap, box] = field("More controls", h("input", { type: "checkbox" }));
    box.addEventListener("change", () => {
      moreRow.style.display = box.checked ? "" : "none";
      if (box.checked) return;
      for (const key of hiddenKeys) { values[key] = RANGES[key][3]; inputs[key].value = RANGES[key][3]; }
      if (transposedBox) transposedBox.checked = false;
      transposed = false;
      restart();
    });
    moreField = wrap;
  }
  let flipField = null;
  if (config.flip) {
    const [wrap, choice] = field("Compute", select([["correlate", "cross-correlation (what libraries call convolution)"],
      ["convolve", "convolution (kernel turned half a turn)"]], "correlate"));
    choice.addEventListener("change", () => { convolve = choice.value === "convolve"; restart(); });
    flipField = wrap;
  }
  const prev = h("button", { type: "button", text: "◀ Previous step" });
  const next = h("button", { type: "button", text: "Next step ▶" });
  const play = h("button", { type: "button", text: "Play", "aria-pressed": "false" });
  const figures = h("div", { class: "sw-grids" });
  const status = h("p", { class: "sw-products", "aria-live": "polite" });
  const shared = h("p", { class: "sw-status" });

  function stop() {
    clearInterval(timer);
    timer = null;
    play.textContent = "Play";
    play.setAttribute("aria-pressed", "false");
  }
  play.addEventListener("click", () => {
    if (timer) return stop();
    if (!result || result.error) return;
    if (step >= result.steps.length - 1) step = 0;
    play.textContent = "Pause";
    play.setAttribute("aria-pressed", "true");
    timer = setInterval(() => {
      if (!root.isConnected || step >= result.steps.length - 1) return stop();
      step++;
      draw();
    }, 700);
  });
  prev.addEventListener("click", () => { stop(); step = Math.max(0, step - 1); draw(); });
  next.addEventListener("click", () => { stop(); if (result && !result.error) step = Math.min(result.steps.length - 1, step + 1); draw(); });

  const theKernel = () => (example ? example.kernel : kernel(values.k));

  function compute() {
    const options = { stride: values.stride, padding: values.padding, dilation: values.dilation, transposed, convolve };
    result = slide(example ? example.image : image(values.n), theKernel(), options);
    draw();
  }

  function draw() {
    const bad = !!result.error;
    [prev, next, play].forEach(b => { b.disabled = bad; });
    if (bad) {
      figures.replaceChildren();
      status.replaceChildren(h("span", { class: "sw-bad", text: "Invalid: " }), result.error + ".");
      shared.textContent = "";
      return;
    }
    const { steps, cells, out, k } = result, now = steps[step];
    const tapAt = new Map(now.products.map(t => [`${t.row},${t.col}`, t]));
    const input = grid(cells, {
      label: transposed ? "input, stretched and padded" : "input with its padding",
      cls: cell => ({ input: "sw-cell", pad: "sw-pad", hole: "sw-hole" })[cell.kind],
      mark: (r, c) => tapAt.has(`${r},${c}`) && weightMark(tapAt.get(`${r},${c}`).a, tapAt.get(`${r},${c}`).b, k),
      text: cell => cell.kind === "input" ? minus(cell.value) : "",
    });
    const w0 = theKernel();
    const w = w0.map((row, a) => row.map((v, b) => ({ value: result.flip ? w0[k - 1 - a][k - 1 - b] : v })));
    const kern = grid(w, { label: result.flip ? "kernel, turned half a turn" : "kernel",
      mark: (a, b) => (result.flip ? weightMark(k - 1 - a, k - 1 - b, k) : weightMark(a, b, k)), text: cell => minus(cell.value) });
    const output = grid(out.map(row => row.map(v => ({ value: v }))), {
      label: `output ${out.length}×${out.length}`,
      mark: (i, j) => (i === now.i && j === now.j ? "sw-now" : i * out.length + j < step ? "sw-done" : null),
      text: (cell, i, j) => (i * out.length + j <= step ? minus(cell.value) : ""),
    });
    figures.replaceChildren(input, kern, output);
    const terms = now.products.map(t => `${term(t.w)}·${term(t.x)}`).join(" + ");
    status.textContent = `Step ${step + 1} of ${steps.length}: output (${now.i}, ${now.j}) = ${terms} = ${minus(now.sum)}`;
    shared.textContent = `The same ${k * k} weight${k * k > 1 ? "s" : ""} at every position: after ${step + 1} step${step ? "s" : ""}, each has been used ${step + 1} time${step ? "s" : ""}` +
      (transposed ? "; zeros between the stretched pixels (dashed) add nothing." : ".");
  }

  root.replaceChildren(
    h("div", { class: "sw-controls" }, controls, flipField, moreField),
    moreRow,
    h("div", { class: "sw-controls" }, prev, play, next),
    figures, status, shared);
  compute();
}
