// The shift slider: a digit moved 0…N pixels to the right, around the edge (circular) or
// out of the frame (zeros), and what a convolution, local max pooling, global average
// pooling and a stride-2 convolution make of it. Cells outlined differ from what
// equivariance predicts (the unshifted result, moved). It only displays: every map, cell
// and number is data computed and tested in Python (the snippet named in the page's
// widget call), embedded in the page.
import { h, s, field, minus, expose } from "./dom.js";

const CELL = 10;

function heatmap(map, label, { signed = true, scale, differs = [] } = {}) {
  const rows = map.length, cols = map[0].length;
  const top = scale || Math.max(1, ...map.flat().map(Math.abs));
  const svg = s("svg", { viewBox: `0 0 ${cols * CELL} ${rows * CELL}`, width: cols * CELL * (rows > 8 ? 1 : 2), role: "img", "aria-label": label });
  svg.append(s("rect", { width: cols * CELL, height: rows * CELL, class: "sw-cell" }));
  map.forEach((row, r) => row.forEach((v, c) => {
    if (!v) return;
    svg.append(s("rect", { x: c * CELL, y: r * CELL, width: CELL, height: CELL, class: !signed ? "sw-ink" : v < 0 ? "sw-neg" : "sw-pos",
      "fill-opacity": (Math.abs(v) / top).toFixed(3) }));
  }));
  differs.forEach(([r, c]) => svg.append(s("rect", { x: c * CELL + 1, y: r * CELL + 1, width: CELL - 2, height: CELL - 2, class: "sw-differs" })));
  return h("figure", { class: "sw-grid" }, svg, h("figcaption", { text: label }));
}

const plural = (n, one, many) => `${n} ${n === 1 ? one : many}`;

const yes = (flag, good, bad) => h("span", { class: flag ? "" : "sw-bad", text: flag ? good : bad });

export function mount(root, config) {
  const frames = config.data;
  expose("shift", { shiftFrames: frames });
  const last = frames.length - 1;
  let padding = "circular";
  const [shiftField, slider] = field(`Shift to the right (0–${last} pixels)`, h("input", { type: "range", min: 0, max: last, step: 1, value: 0 }));
  const [paddingField, mode] = field("Padding", h("select", {},
    h("option", { value: "circular", text: "circular (the digit wraps around)" }), h("option", { value: "zero", text: "zeros (the digit leaves the frame)" })));
  const figures = h("div", { class: "sw-grids" });
  const facts = h("ul", { class: "sw-status", "aria-live": "polite" });
  const scale = Math.max(...frames.flatMap(f => [f.circular_map, f.zero_map].flat(2).map(Math.abs)));

  function update() {
    const t = Number(slider.value), m = padding, f = key => frames[t][`${m}_${key}`], zero = frames[0];
    const half = Math.floor(t / 2);
    slider.setAttribute("aria-valuetext", `${t} pixel${t === 1 ? "" : "s"}`);
    figures.replaceChildren(
      heatmap(f("image"), `digit moved ${t} px`, { signed: false }),
      heatmap(f("map"), "feature map", { scale, differs: f("map_differs") }),
      heatmap(f("pooled"), "2×2 max pooled", { differs: f("pooled_differs") }),
      heatmap(f("stride2"), "stride-2 convolution", { differs: f("stride2_differs") }));
    const same = f("global") === zero[`${m}_global`];
    const strided = (name, follows, differs) => follows
      ? `equivariant at its own stride: the unshifted ${name} moved by ${plural(half, "cell", "cells")}.`
      : t % 2 ? `not equivariant: an odd shift is half a cell of its grid; ${plural(differs.length, "cell differs", "cells differ")} from the unshifted ${name} moved by ${half} (outlined).`
        : `not equivariant: ${plural(differs.length, "cell differs", "cells differ")} from the unshifted ${name} moved by ${half} (outlined), where the digit meets the edge.`;
    facts.replaceChildren(
      h("li", {}, "Feature map (equivariance): ", h("span", { class: f("map_follows") ? "" : "sw-bad",
        text: f("map_follows") ? `the unshifted map moved by ${plural(t, "pixel", "pixels")}, exactly: equivariant.`
          : `not the unshifted map moved: ${plural(f("map_differs").length, "cell differs", "cells differ")} (outlined), where the digit meets the edge.` })),
      h("li", {}, `2×2 max pooling (invariance): ${f("pooled_changed")} of ${f("pooled_total")} outputs differ from the unshifted pooled map, so it is `,
        h("span", { class: f("pooled_changed") ? "sw-bad" : "", text: f("pooled_changed") ? "not invariant" : "unchanged" }),
        `. Equivariance: ${strided("pooled map", f("pooled_follows"), f("pooled_differs"))}`),
      h("li", {}, `Global average pooling (invariance): ${minus(f("global").toFixed(4))}, `,
        h("span", { class: same ? "" : "sw-bad", text: same ? "the same as unshifted: invariant." : `not the same as unshifted (${minus(zero[`${m}_global`].toFixed(4))}).` })),
      h("li", {}, "Stride-2 convolution: ", h("span", { class: f("stride2_follows") ? "" : "sw-bad",
        text: strided("output", f("stride2_follows"), f("stride2_differs")) })));
  }
  slider.addEventListener("input", update);
  mode.addEventListener("change", () => { padding = mode.value; update(); });
  root.replaceChildren(h("div", { class: "sw-controls sw-sticky" }, shiftField, paddingField), figures, facts);
  update();
}
