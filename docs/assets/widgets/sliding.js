// The sliding filter: input channels with their padding, each filter's kernel slices and
// its output, one step at a time. Point at an output to jump to it; point at a kernel
// weight to light every input cell it multiplies, at every position.
//
// Each page configures it (pipeline/macros.py `widget("sliding", ...)`):
//   data      [{image, kernel}]: the page's own example (then the sizes are fixed: no size controls)
//   controls  the controls shown (default: all but those in `more`)
//   more      controls behind a "More controls" switch, off by default: what the page has
//             not taught yet (default: dilation, groups and the transposed convolution)
//   flip      show the cross-correlation / convolution switch (default: off)
import { slideChannels, reach, plan, image, kernel } from "./conv.js";
import { tapFill } from "./palette.js";
import { h, s, field, number, minus, select, expose } from "./dom.js";

const slide = (x, w, options) => {  // one channel, one filter: what the tests and the console call
  const r = slideChannels([x], [[w]], options);
  return r.error ? r : { ...r, cells: r.cells[0], out: r.out[0] };
};
expose("sliding", { slide, slideChannels, reach, plan, image, kernel });

const CELL = 20;  // SVG units; drawn 1.25 times larger, smaller on phones
const RANGES = { n: ["Input size", 3, 9, 4], k: ["Kernel size", 1, 5, 3], stride: ["Stride", 1, 3, 1],
  padding: ["Padding", 0, 3, 0], channels: ["Input channels", 1, 3, 1], filters: ["Filters", 1, 2, 1],
  dilation: ["Dilation", 1, 3, 1], groups: ["Groups", 1, 3, 1], outputPadding: ["Output padding", 0, 2, 0] };
const SWITCHES = ["bias", "transposed"];
const MORE = ["dilation", "groups", "transposed", "outputPadding"];

const weightMark = tap => ({ cls: "sw-tap", style: `fill: ${tapFill(tap)}; fill-opacity: 0.45` });
const term = v => (v < 0 ? `(${minus(v)})` : String(v));

// A grid of cells as SVG. `pick(r, c)` makes each cell a focusable button (arrow keys move).
function grid(cells, { label, mark = () => null, text = () => "", cls = () => "sw-cell", pick = null, focus = null }) {
  const rows = cells.length, cols = cells[0].length;
  const svg = s("svg", { viewBox: `-1 -1 ${cols * CELL + 2} ${rows * CELL + 2}`, width: cols * CELL * 1.25 + 2, role: pick ? "group" : "img", "aria-label": label });
  cells.forEach((row, r) => row.forEach((cell, c) => {
    const x = c * CELL, y = r * CELL;
    svg.append(s("rect", { x, y, width: CELL, height: CELL, class: cls(cell, r, c) }));
    const m = mark(r, c);
    if (m) svg.append(s("rect", { x: x + 1.5, y: y + 1.5, width: CELL - 3, height: CELL - 3, class: m.cls || m, style: m.style }));
    const t = text(cell, r, c);
    if (t !== "") svg.append(s("text", { x: x + CELL / 2, y: y + CELL / 2 + 3.5, "text-anchor": "middle", text: t }));
    if (pick) {
      const [name, pressed] = pick(r, c);
      const target = s("rect", { x, y, width: CELL, height: CELL, class: "sw-target", role: "button", "aria-label": name,
        "aria-pressed": String(pressed), tabindex: (focus ? focus[0] === r && focus[1] === c : r + c === 0) ? "0" : "-1" });
      target.addEventListener("click", () => target.dispatchEvent(new CustomEvent("sw-pick", { bubbles: true, detail: [r, c] })));
      target.addEventListener("keydown", event => {
        const move = { ArrowLeft: [0, -1], ArrowRight: [0, 1], ArrowUp: [-1, 0], ArrowDown: [1, 0] }[event.key];
        if (event.key === "Enter" || event.key === " ") { event.preventDefault(); target.dispatchEvent(new CustomEvent("sw-pick", { bubbles: true, detail: [r, c] })); }
        if (!move) return;
        event.preventDefault();
        const [nr, nc] = [r + move[0], c + move[1]];
        if (nr >= 0 && nr < rows && nc >= 0 && nc < cols) target.dispatchEvent(new CustomEvent("sw-pick", { bubbles: true, detail: [nr, nc], }));
      });
      svg.append(target);
    }
  }));
  return h("figure", { class: "sw-grid" }, svg, h("figcaption", { text: label }));
}

export function mount(root, config = {}) {
  const example = config.data ? config.data[0] : null;  // the page's example: {image, kernel}
  const more = config.more || MORE;
  const sized = example ? ["n", "k", "channels", "filters"] : [];  // an example fixes the sizes
  const all = Object.keys(RANGES).concat(SWITCHES).filter(key => key !== "outputPadding");
  const shown = (config.controls || all).filter(key => !more.includes(key) && !sized.includes(key));
  const values = Object.fromEntries(Object.entries(RANGES).map(([key, r]) => [key, r[3]]));
  if (example) Object.assign(values, { n: example.image.length, k: example.kernel.length });
  const flags = { bias: false, transposed: false };
  let convolve = false, step = 0, timer = null, result = null, chosen = null;  // chosen: {c, a, b}, a kernel weight
  const restart = () => { step = 0; chosen = null; stop(); compute(); };

  const inputs = {};  // controls by key, to reset the hidden ones
  const control = key => {
    if (SWITCHES.includes(key)) {
      const [wrap, box] = field(key === "bias" ? "Bias" : "Transposed", h("input", { type: "checkbox" }));
      box.addEventListener("change", () => { flags[key] = box.checked; restart(); });
      inputs[key] = box;
      return wrap;
    }
    const [label, min, max] = RANGES[key];
    const [wrap, el] = field(`${label} (${min}–${max})`, number(values[key], min, max));
    el.addEventListener("input", () => {
      const v = Number(el.value);
      const ok = el.value !== "" && Number.isInteger(v) && v >= min && v <= max;
      el.setAttribute("aria-invalid", String(!ok));
      if (ok) { values[key] = v; restart(); } else {
        announce.textContent = `${label} must be a whole number from ${min} to ${max}; the figure still shows ${values[key]}.`;
      }
    });
    inputs[key] = el;
    return wrap;
  };
  const announce = h("p", { class: "sw-status", role: "status", "aria-live": "polite" });
  const controls = shown.map(control);
  const hidden = more.filter(key => all.includes(key) || key === "outputPadding");
  const extra = hidden.map(control);
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
      for (const key of hidden) {
        if (SWITCHES.includes(key)) { flags[key] = false; inputs[key].checked = false; } else { values[key] = RANGES[key][3]; inputs[key].value = RANGES[key][3]; }
      }
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
  const status = h("p", { class: "sw-products" });  // the equation: not live, Play would read it every step
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

  // Weights in PyTorch's layout: [F][C/groups][k][k], or [C][F/groups][k][k] transposed.
  function weights() {
    if (example) return [[example.kernel]];
    const { channels: C, filters: F, groups: G, k } = values;
    const [outer, inner] = flags.transposed ? [C, Math.max(1, Math.floor(F / G))] : [F, Math.max(1, Math.floor(C / G))];
    return Array.from({ length: outer }, (_, o) => Array.from({ length: inner }, (_, i) => kernel(k, flags.transposed ? i : o, flags.transposed ? o : i)));
  }

  let geometry = null;  // plan(): the window's geometry, for reach()
  function compute() {
    const { channels: C, filters: F, groups: G } = values;
    const x = example ? [example.image] : Array.from({ length: C }, (_, c) => image(values.n, c));
    const bias = flags.bias ? Array.from({ length: example ? 1 : F }, (_, f) => f + 1) : null;
    const options = { stride: values.stride, padding: values.padding, dilation: values.dilation,
      transposed: flags.transposed, outputPadding: flags.transposed ? values.outputPadding : 0, convolve };
    geometry = plan(example ? example.image.length : values.n, example ? example.kernel.length : values.k, options);
    result = !example && (C % G || F % G) ? { error: `${G} groups must divide the ${C} input channels and the ${F} filters` }
      : slideChannels(x, weights(), { ...options, bias, groups: example ? 1 : G });
    draw();
  }

  figures.addEventListener("sw-pick", event => {
    const figure = event.target.closest("[data-sw-part]");
    if (!figure || !result || result.error) return;
    const [r, c] = event.detail;
    if (figure.dataset.swPart === "output") {  // jump to the step of that output
      stop();
      step = Number(figure.dataset.swFilter) * result.out[0].length ** 2 + r * result.out[0].length + c;
    } else {  // a kernel weight of channel c: what it multiplies
      const ch = Number(figure.dataset.swChannel);
      chosen = chosen && chosen.c === ch && chosen.a === r && chosen.b === c ? null : { c: ch, a: r, b: c };
    }
    draw();
    figures.querySelector(`[data-sw-part="${figure.dataset.swPart}"][data-sw-key="${figure.dataset.swKey}"] [aria-pressed="true"]`)?.focus();
  });

  function draw() {
    const bad = !!result.error;
    [prev, next, play].forEach(b => { b.disabled = bad; });
    if (bad) {
      figures.replaceChildren();
      status.replaceChildren(h("span", { class: "sw-bad", text: "Invalid: " }), result.error + ".");
      shared.textContent = "";
      announce.textContent = `Invalid: ${result.error}.`;
      return;
    }
    const { steps, cells, out, k, groups, channels, filters } = result, now = steps[step];
    const cin = channels / groups, group = Math.floor(now.f / (filters / groups));
    const side = out[0].length;
    const lit = chosen ? new Set(reach(geometry, chosen.a, chosen.b).map(([r, c]) => `${chosen.c},${r},${c}`)) : new Set();
    const tapAt = new Map(now.products.map(t => [`${t.c},${t.row},${t.col}`, t]));
    const parts = [];
    cells.forEach((canvas, ch) => {
      parts.push(grid(canvas, {
        label: `${channels > 1 ? `input channel ${ch + 1}` : "input"}${flags.transposed ? ", stretched and padded" : " with its padding"}`,
        cls: cell => (cell.read ? "" : "sw-unread ") + ({ input: "sw-cell", pad: "sw-pad", hole: "sw-hole" })[cell.kind],
        mark: (r, c) => lit.has(`${ch},${r},${c}`) ? "sw-reach" : tapAt.has(`${ch},${r},${c}`) && weightMark(tapAt.get(`${ch},${r},${c}`).a * k + tapAt.get(`${ch},${r},${c}`).b),
        text: cell => cell.kind === "input" ? minus(cell.value) : "",
      }));
    });
    const filterWeights = example ? [example.kernel] : Array.from({ length: cin }, (_, i) => {
      const w = weights();
      return flags.transposed ? w[group * cin + i][now.f % (filters / groups)] : w[now.f][i];
    });
    filterWeights.forEach((w0, i) => {
      const ch = group * cin + i;
      const shownW = w0.map((row, a) => row.map((v, b) => ({ value: result.flip ? w0[k - 1 - a][k - 1 - b] : v })));
      const figure = grid(shownW, { label: `${result.flip ? "kernel, turned half a turn" : "kernel"}${filters > 1 || channels > 1 ? ` (filter ${now.f + 1}, channel ${ch + 1})` : ""}`,
        mark: (a, b) => weightMark(result.flip ? (k - 1 - a) * k + (k - 1 - b) : a * k + b), text: cell => minus(cell.value),
        pick: (a, b) => {
          const [wa, wb] = result.flip ? [k - 1 - a, k - 1 - b] : [a, b];
          return [`weight (${wa}, ${wb}) of channel ${ch + 1}: show every cell it multiplies`, !!chosen && chosen.c === ch && chosen.a === wa && chosen.b === wb];
        },
        focus: chosen && chosen.c === ch ? (result.flip ? [k - 1 - chosen.a, k - 1 - chosen.b] : [chosen.a, chosen.b]) : null });
      Object.assign(figure.dataset, { swPart: "kernel", swChannel: String(ch), swKey: `k${ch}` });
      // The figure's cells are drawn in screen order; a flipped kernel's click names the weight it shows.
      figure.addEventListener("sw-pick", event => {
        if (result.flip) event.detail.splice(0, 2, k - 1 - event.detail[0], k - 1 - event.detail[1]);
      }, true);
      parts.push(figure);
    });
    out.forEach((map, f) => {
      const figure = grid(map.map(row => row.map(v => ({ value: v }))), {
        label: `output ${side}×${side}${filters > 1 ? ` of filter ${f + 1}` : ""}`,
        mark: (i, j) => {
          const index = f * side * side + i * side + j;
          return index === step ? "sw-now" : index < step ? "sw-done" : null;
        },
        text: (cell, i, j) => (f * side * side + i * side + j <= step ? minus(cell.value) : ""),
        pick: (i, j) => [`output (${i}, ${j})${filters > 1 ? ` of filter ${f + 1}` : ""}: go to its step`, f === now.f && i === now.i && j === now.j],
        focus: f === now.f ? [now.i, now.j] : null,
      });
      Object.assign(figure.dataset, { swPart: "output", swFilter: String(f), swKey: `o${f}` });
      parts.push(figure);
    });
    figures.replaceChildren(...parts);
    const terms = now.products.map(t => `${term(t.w)}·${term(t.x)}`).join(" + ") + (flags.bias ? ` + ${term(now.bias)}` : "");
    const where = `output (${now.i}, ${now.j})${filters > 1 ? ` of filter ${now.f + 1}` : ""}`;
    status.textContent = `Step ${step + 1} of ${steps.length}: ${where} = ${terms} = ${minus(now.sum)}`;
    announce.textContent = `Step ${step + 1} of ${steps.length}: ${where}.`;
    const per = cin * k * k, unread = result.read.filter(r => !r).length;
    shared.textContent = (chosen
      ? `Weight (${chosen.a}, ${chosen.b}) of channel ${chosen.c + 1} multiplies the ${lit.size} outlined cells: the same weight at every position. `
      : "")
      + `Each filter's ${per} weight${per > 1 ? "s" : ""}${channels > 1 ? ` (${k}×${k} for each of its ${cin} input channel${cin > 1 ? "s" : ""})` : ""} serve every position of its output`
      + (flags.bias ? ", plus one bias" : "") + "."
      + (unread ? ` No window reaches ${unread} padded row${unread > 1 ? "s" : ""} and as many columns: they are never read (hatched), and the output size is rounded down.` : "")
      + (flags.transposed ? " Zeros between the stretched pixels (dashed) add nothing." : "");
  }

  root.replaceChildren(
    h("div", { class: "sw-controls" }, controls, flipField, moreField),
    moreRow,
    h("div", { class: "sw-controls sw-sticky" }, prev, play, next),
    figures, status, shared, announce);
  compute();
}
