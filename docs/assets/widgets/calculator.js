// The layer-stack calculator: the reader edits a stack, stack.js walks it.
import { walk, totals } from "./stack.js";
import { PRESETS } from "./presets.js";
import { h, field, number, select, int, minus, expose } from "./dom.js";

expose({ walk, presets: PRESETS });

const OPS = [["conv", "convolution"], ["maxpool", "max pool"], ["avgpool", "average pool"], ["flatten", "flatten"],
  ["dense", "dense"], ["relu", "ReLU"], ["batchnorm", "batch norm"], ["subsample", "subsampling (LeNet)"], ["rbf", "RBF units (LeNet)"]];
const FIELDS = {
  conv: ["out", "kernel", "stride", "padding", "dilation", "groups", "bias"],
  maxpool: ["kernel", "stride", "padding"], avgpool: ["kernel", "stride", "padding"], subsample: ["kernel", "stride"],
  dense: ["out", "bias"], rbf: ["out"],
};
const NAMES = { out: "output channels or units", kernel: "kernel size", stride: "stride", padding: "padding",
  dilation: "dilation", groups: "groups", bias: "bias" };
const SHORT = { out: "out", kernel: "k", stride: "s", padding: "p", dilation: "d", groups: "g" };
const DEFAULTS = { out: 16, kernel: 3, stride: 1, padding: 0, dilation: 1, groups: 1, bias: true };
const EXAMPLE = { input: [32, 32, 3], layers: [
  { op: "conv", out: 16, kernel: 3, padding: 1 }, { op: "relu" }, { op: "maxpool", kernel: 2 },
  { op: "conv", out: 32, kernel: 3, padding: 1, dilation: 2, groups: 2 }, { op: "maxpool", kernel: 2 },
  { op: "flatten" }, { op: "dense", out: 10 }] };

const copy = value => JSON.parse(JSON.stringify(value));
const shape = s => s.length === 3 ? s.join("×") : `${int(s[0])} (flat)`;
const pairText = p => p ? (p[0] === p[1] ? minus(p[0]) : `${minus(p[0])}×${minus(p[1])}`) : "—";
// "conv 3×3/2, 64, 2 groups": a layer in a few words.
function describe(l) {
  const k = l.kernel ?? 1, size = Array.isArray(k) ? k.join("×") : `${k}×${k}`;
  const stride = l.stride ?? (l.op === "conv" ? 1 : k), st = String(stride) === "1" ? "" : `/${stride}`;
  const name = (OPS.find(([op]) => op === l.op) || [l.op, l.op])[1];
  if (l.op === "conv") return `conv ${size}${st}, ${l.out}` + ((l.groups ?? 1) > 1 ? `, ${l.groups} groups` : "") + ((l.dilation ?? 1) > 1 ? `, dilation ${l.dilation}` : "");
  if (["maxpool", "avgpool", "subsample"].includes(l.op)) return `${name} ${size}${st}`;
  if (l.op === "dense" || l.op === "rbf") return `${name}, ${l.out}`;
  return name;
}
const RESULTS = ["output", "parameters", "multiply-adds", "receptive field", "jump", "start"];

export function mount(root) {
  let state = copy(EXAMPLE);
  const status = h("p", { class: "sw-status", role: "status", "aria-live": "polite" });
  const body = h("tbody");
  const results = h("tbody");
  const foot = h("tfoot");
  const [presetField, preset] = field("Preset", select([["", "example stack"],
    ...Object.entries(PRESETS).map(([k, p]) => [k, p.name])], ""));
  const inputs = ["height", "width", "channels"].map((name, i) => field(`Input ${name}`, number(state.input[i], 1, 4096)));
  const [addField, addOp] = field("New layer", select(OPS.slice(0, 7), "conv"));
  const add = h("button", { type: "button", class: "md-button", text: "Add layer" });

  preset.addEventListener("change", () => {
    state = copy(preset.value ? PRESETS[preset.value] : EXAMPLE);
    inputs.forEach(([, el], i) => { el.value = state.input[i]; });
    rebuild();
  });
  inputs.forEach(([, el], i) => el.addEventListener("input", () => { state.input[i] = Number(el.value); update(); }));
  add.addEventListener("click", () => {
    const op = addOp.value, layer = { op };
    (FIELDS[op] || []).forEach(key => { layer[key] = DEFAULTS[key]; });
    if (op === "maxpool" || op === "avgpool") Object.assign(layer, { kernel: 2, stride: 2 });
    state.layers.push(layer);
    rebuild();
  });

  // The layer's settings, each a small labelled input ("k 3", "s 1", ...).
  function settings(layer, index) {
    return h("td", { class: "sw-settings" }, (FIELDS[layer.op] || []).map(key => {
      const title = `Layer ${index + 1} ${NAMES[key]}`;
      if (key === "bias") {
        const box = h("input", { type: "checkbox", "aria-label": title });
        box.checked = layer.bias ?? true;
        box.addEventListener("change", () => { layer.bias = box.checked; update(); });
        return field("bias", box)[0];
      }
      if (key === "out" && layer.table) return h("span", { class: "sw-field", text: `${layer.out} (connection table)` });
      const value = layer[key] ?? (key === "stride" && layer.op !== "conv" ? layer.kernel : DEFAULTS[key]);
      layer[key] = value;  // what the reader sees is what is computed, also after the kernel changes
      const el = number(value, key === "padding" ? 0 : 1, 9999, { "aria-label": title, class: key === "out" ? "sw-wide" : null });
      el.addEventListener("input", () => { layer[key] = el.value === "" ? NaN : Number(el.value); update(); });
      return field(SHORT[key], el)[0];
    }));
  }

  function rebuild() {
    body.replaceChildren(...state.layers.map((layer, index) => {
      const op = select(OPS, layer.op, { "aria-label": `Layer ${index + 1} type` });
      op.addEventListener("change", () => {
        const next = { op: op.value };
        (FIELDS[op.value] || []).forEach(key => { next[key] = layer[key] ?? DEFAULTS[key]; });
        state.layers[index] = next;
        rebuild();
        body.rows[index].querySelector("select").focus();
      });
      const remove = h("button", { type: "button", class: "sw-remove", "aria-label": `Remove layer ${index + 1}`, text: "✕" });
      remove.addEventListener("click", () => {
        state.layers.splice(index, 1);
        rebuild();
        (body.rows[Math.min(index, body.rows.length - 1)]?.querySelector(".sw-remove") || add).focus();
      });
      return h("tr", {}, h("th", { scope: "row", text: index + 1 }), h("td", {}, op), settings(layer, index), h("td", {}, remove));
    }));
    results.replaceChildren(...state.layers.map((layer, index) => h("tr", {}, h("th", { scope: "row", text: index + 1 }),
      h("td", { class: "sw-summary" }), RESULTS.map(() => h("td", { class: "sw-num" })))));
    update();
  }

  function update() {
    let rows = [], error = null;
    try {
      rows = walk(state.input, state.layers);
    } catch (e) {
      error = e.message;
      const bad = Number((/^layer (\d+)/.exec(error) || [])[1] || 0);
      try { rows = walk(state.input, state.layers.slice(0, Math.max(bad - 1, 0))); } catch { rows = []; }
    }
    Array.from(results.rows).forEach((tr, i) => {
      tr.cells[1].textContent = describe(state.layers[i]);
      const r = rows[i], cells = Array.from(tr.cells).slice(2);
      const text = r ? [shape(r.shape), int(r.params), int(r.macs), pairText(r.rf), pairText(r.jump), pairText(r.start)]
        : RESULTS.map((_, j) => (j === 0 && error && i === rows.length ? "error" : "—"));
      cells.forEach((td, j) => { td.textContent = text[j]; });
      tr.classList.toggle("sw-error", !r && i === rows.length && !!error);
    });
    const t = totals(rows);
    foot.replaceChildren(h("tr", {}, h("th", { scope: "row", colspan: 2, text: "Total" }),
      h("td", { class: "sw-num", text: error ? "—" : shape(rows.length ? rows[rows.length - 1].shape : state.input) }),
      h("td", { class: "sw-num", text: error ? "—" : int(t.params) }), h("td", { class: "sw-num", text: error ? "—" : int(t.macs) }),
      h("td", { colspan: 3 })));
    status.textContent = error ? `Invalid stack: ${error}.`
      : `${int(t.params)} parameters` + (t.nontrainable ? ` (plus ${int(t.nontrainable)} non-trainable)` : "")
        + `, ${int(t.macs)} multiply-adds.`;
    root.dataset.swTotals = JSON.stringify(error ? null : t);
  }

  const columns = names => h("thead", {}, h("tr", {}, names.map(t => h("th", { scope: "col" },
    t ? t : h("span", { class: "md-visually-hidden", text: "remove" })))));
  const editor = h("table", {}, h("caption", { text: "Your stack, from input to output" }),
    columns(["#", "layer", "settings", ""]), body);
  const table = h("table", {}, h("caption", { text: "What each layer gives and costs" }),
    columns(["#", "layer", ...RESULTS]), results, foot);
  const scroll = (label, content) => h("div", { class: "sw-scroll sw-table", tabindex: 0, role: "region", "aria-label": label }, content);
  root.replaceChildren(
    h("div", { class: "sw-controls" }, presetField, inputs.map(([f]) => f)),
    scroll("Layer stack editor (scrolls sideways)", editor),
    h("div", { class: "sw-controls" }, addField, add),
    scroll("Layer results (scroll sideways)", table),
    status);
  rebuild();
}
