// The shift slider: a digit moved 0…N pixels to the right, and what a convolution, local
// max pooling, global average pooling and a stride-2 convolution make of it. It only
// displays: every map and number is data computed and tested in Python (the snippet
// named in the page's widget call), embedded in the page.
import { h, s, field, minus, expose } from "./dom.js";

const CELL = 10;

function heatmap(map, label, { signed = true, scale } = {}) {
  const rows = map.length, cols = map[0].length;
  const top = scale || Math.max(1, ...map.flat().map(Math.abs));
  const svg = s("svg", { viewBox: `0 0 ${cols * CELL} ${rows * CELL}`, width: cols * CELL * (rows > 8 ? 1 : 2), role: "img", "aria-label": label });
  svg.append(s("rect", { width: cols * CELL, height: rows * CELL, class: "sw-cell" }));
  map.forEach((row, r) => row.forEach((v, c) => {
    if (!v) return;
    svg.append(s("rect", { x: c * CELL, y: r * CELL, width: CELL, height: CELL, class: !signed ? "sw-ink" : v < 0 ? "sw-neg" : "sw-pos",
      "fill-opacity": (Math.abs(v) / top).toFixed(3) }));
  }));
  return h("figure", { class: "sw-grid" }, svg, h("figcaption", { text: label }));
}

const yes = (flag, good, bad) => h("span", { class: flag ? "" : "sw-bad", text: flag ? good : bad });

export function mount(root, config) {
  const frames = config.data;
  expose({ shiftFrames: frames });
  const last = frames.length - 1;
  let padding = "circular";
  const [shiftField, slider] = field(`Shift to the right (0–${last} pixels)`, h("input", { type: "range", min: 0, max: last, step: 1, value: 0 }));
  const [paddingField, mode] = field("Padding", h("select", {}, h("option", { value: "circular", text: "circular" }), h("option", { value: "zero", text: "zeros" })));
  const figures = h("div", { class: "sw-grids" });
  const facts = h("ul", { class: "sw-status", "aria-live": "polite" });
  const scale = Math.max(...frames.flatMap(f => [f.circular, f.zero].flat(2).map(Math.abs)));

  function update() {
    const t = Number(slider.value), f = frames[t], zero = padding === "zero";
    slider.setAttribute("aria-valuetext", `${t} pixel${t === 1 ? "" : "s"}`);
    figures.replaceChildren(
      heatmap(f.image, `digit moved ${t} px`, { signed: false }),
      heatmap(zero ? f.zero : f.circular, `feature map (${zero ? "zero" : "circular"} padding)`, { scale }),
      heatmap(f.pooled, "2×2 max pooled (circular)"),
      heatmap(f.stride2, "stride-2 convolution (circular)"));
    const global = zero ? f.global_zero : f.global_circular;
    facts.replaceChildren(
      h("li", {}, "Feature map: ", yes(zero ? f.zero_follows : f.circular_follows,
        `the unshifted map moved by ${t} pixel${t === 1 ? "" : "s"}, exactly (equivariant).`,
        "not exactly the unshifted map moved: the border changes it.")),
      h("li", {}, `Local 2×2 max pooling: ${f.pooled_changed} of ${f.pooled_total} outputs differ from the unshifted ones; `,
        yes(f.pooled_follows, "the pooled map is the unshifted one moved (an even shift).", "no shift of the unshifted pooled map matches.")),
      h("li", {}, `Global average pooling: ${minus(global.toFixed(4))}, `,
        yes(global === (zero ? frames[0].global_zero : frames[0].global_circular), "the same as unshifted (invariant).", "not the same as unshifted.")),
      h("li", {}, "Stride-2 convolution: ", yes(f.stride2_follows, "its output is the unshifted output moved by a whole number of its pixels.",
        "no shift of its unshifted output matches (odd shift): equivariance holds only for even shifts.")));
  }
  slider.addEventListener("input", update);
  mode.addEventListener("change", () => { padding = mode.value; update(); });
  root.replaceChildren(h("div", { class: "sw-controls" }, shiftField, paddingField), figures, facts);
  update();
}
