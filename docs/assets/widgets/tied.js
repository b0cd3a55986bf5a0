// The tied matrix at a size the reader chooses: three matrices coloured by free parameter.
import { matrices } from "./matrix.js";
import { h, s, field, number, int, expose } from "./dom.js";

expose({ matrices });

const RANGES = { n: ["Image size", 3, 9, 5], k: ["Kernel size", 1, 5, 3], stride: ["Stride", 1, 3, 1], padding: ["Padding", 0, 2, 0] };
const LAYERS = [["dense", "dense"], ["local", "locally connected"], ["conv", "convolution"]];
const GOLDEN = 137.508;  // degrees: neighbouring parameters get far-apart hues

function draw(m, layer, n) {
  const paths = new Map();
  m[layer].ids.forEach((id, e) => {
    if (id < 0) return;
    const x = e % m.cols, y = Math.floor(e / m.cols);
    paths.set(id, (paths.get(id) || "") + `M${x} ${y}h1v1h-1z`);
  });
  const svg = s("svg", { viewBox: `-0.5 -0.5 ${m.cols + 1} ${m.rows + 1}`, width: Math.min(680, Math.max(300, m.cols * 14)), role: "img",
    "aria-label": `${m.rows} by ${m.cols} matrix of the ${layer === "local" ? "locally connected layer" : layer === "conv" ? "convolution" : "dense layer"}, coloured by free parameter` });
  svg.append(s("rect", { x: 0, y: 0, width: m.cols, height: m.rows, class: "sw-matrix" }));
  for (const [id, d] of paths) svg.append(s("path", { d, style: `fill: hsl(${(id * GOLDEN) % 360} 70% var(--sw-param-l))` }));
  for (let c = n; c < m.cols; c += n) svg.append(s("line", { x1: c, x2: c, y1: 0, y2: m.rows, class: "sw-rule" }));
  return svg;
}

export function mount(root) {
  const values = Object.fromEntries(Object.entries(RANGES).map(([key, r]) => [key, r[3]]));
  const figures = h("div");
  const status = h("p", { class: "sw-status", "aria-live": "polite" });
  const controls = Object.entries(RANGES).map(([key, [label, min, max, value]]) => {
    const [wrap, el] = field(`${label} (${min}–${max})`, number(value, min, max));
    el.addEventListener("input", () => {
      const v = Number(el.value);
      if (Number.isInteger(v) && v >= min && v <= max) { values[key] = v; update(); }
    });
    return wrap;
  });

  function update() {
    const m = matrices(values.n, values.k, { stride: values.stride, padding: values.padding });
    if (m.error) {
      figures.replaceChildren();
      status.replaceChildren(h("span", { class: "sw-bad", text: "Invalid: " }), m.error + ".");
      return;
    }
    figures.replaceChildren(...LAYERS.map(([key, name]) => {
      const { free, nonzero } = m[key];
      return h("figure", { class: "sw-grid sw-matrix-figure" }, draw(m, key, values.n),
        h("figcaption", { text: `${name}: ${int(free)} free weight${free === 1 ? "" : "s"} in ${int(nonzero)} nonzero entr${nonzero === 1 ? "y" : "ies"}` }));
    }));
    const c = m.conv;
    status.textContent = `Each matrix has ${int(m.rows)} rows (outputs, ${m.out}×${m.out}) and ${int(m.cols)} columns (pixels, ${values.n}×${values.n}), ` +
      `${int(m.rows * m.cols)} entries. The convolution's ${int(c.nonzero)} nonzero entries are copies of ${int(c.free)} weights.`;
  }

  root.replaceChildren(h("div", { class: "sw-controls" }, controls), figures, status);
  update();
}
