// The layer-stack calculator: the reader edits a stack (or pastes a model), stack.js walks it.
// The stack lives in the page's address (#stack=...), so a link or a reload keeps it.
import { walk, totals } from "./stack.js";
import { readModel, parseModel } from "./parse.js";
import { PRESETS } from "./presets.js";
import { h, s, field, select, int, minus, expose } from "./dom.js";

expose("calculator", { walk, presets: PRESETS, parseModel, readModel });

const OPS = [["conv", "convolution"], ["convtranspose", "transposed convolution"], ["maxpool", "max pool"],
  ["avgpool", "average pool"], ["globalavgpool", "global average pool"], ["adaptiveavgpool", "adaptive average pool"],
  ["flatten", "flatten"], ["dense", "dense"], ["relu", "ReLU"], ["activation", "other activation"], ["dropout", "dropout"],
  ["batchnorm", "batch norm"], ["subsample", "subsampling (LeNet)"], ["rbf", "RBF units (LeNet)"]];
const ADDABLE = OPS.slice(0, 12);
// The settings the editor shows for each op (stack.js KEYS has every key an op takes).
const FIELDS = {
  conv: ["out", "kernel", "stride", "padding", "dilation", "groups", "bias"],
  convtranspose: ["out", "kernel", "stride", "padding", "output_padding", "dilation", "groups", "bias"],
  maxpool: ["kernel", "stride", "padding", "dilation"], avgpool: ["kernel", "stride", "padding"],
  subsample: ["kernel", "stride"], adaptiveavgpool: ["out"], dense: ["out", "bias"], rbf: ["out"],
};
const NAMES = { out: "output channels or units", kernel: "kernel size", stride: "stride", padding: "padding",
  output_padding: "output padding", dilation: "dilation", groups: "groups", bias: "bias", in: "declared input channels" };
const SHORT = { out: "out", kernel: "k", stride: "s", padding: "p", output_padding: "op", dilation: "d", groups: "g", in: "in" };
const DEFAULTS = { out: 16, kernel: 3, stride: 1, padding: 0, output_padding: 0, dilation: 1, groups: 1, bias: true };
const EMPTY = { input: [32, 32, 3], layers: [] };
const POOLS = ["maxpool", "avgpool", "subsample"];

const copy = value => JSON.parse(JSON.stringify(value));
const shape = v => v.length === 3 ? v.join("×") : `${int(v[0])} (flat)`;
const num = v => minus(Number.isInteger(v) ? v : v.toFixed(1));
const pairText = p => p ? (p[0] === p[1] ? num(p[0]) : `${num(p[0])}×${num(p[1])}`) : "—";
const sizeText = v => Array.isArray(v) ? v.join(",") : String(v);
// "3" -> 3, "3,5" / "3×5" / "3 5" / "[3, 5]" -> [3, 5]; anything else -> undefined.
function readSize(text) {
  const parts = text.replace(/[[\]]/g, "").trim().split(/\s*[,×x\s]\s*/i).filter(Boolean);
  if (!parts.length || parts.length > 2 || !parts.every(p => /^\d+$/.test(p))) return undefined;
  const values = parts.map(Number);
  return values.length === 1 || values[0] === values[1] ? values[0] : values;
}
// "conv 3×3/2, 64, 2 groups": a layer in a few words.
function describe(l) {
  const k = l.kernel ?? 1, size = Array.isArray(k) ? k.join("×") : `${k}×${k}`;
  const stride = l.stride ?? (POOLS.includes(l.op) ? k : 1), st = String(stride) === "1" ? "" : `/${sizeText(stride)}`;
  const name = (OPS.find(([op]) => op === l.op) || [l.op, l.op])[1];
  if (l.op === "conv" || l.op === "convtranspose") {
    return `${l.op === "conv" ? "conv" : "transposed conv"} ${size}${st}, ${l.out}` + ((l.groups ?? 1) > 1 ? `, ${l.groups} groups` : "")
      + (String(l.dilation ?? 1) !== "1" ? `, dilation ${sizeText(l.dilation)}` : "") + (typeof l.padding === "string" ? `, '${l.padding}'` : "");
  }
  if (POOLS.includes(l.op)) return `${name} ${size}${st}`;
  if (l.op === "adaptiveavgpool") return `${name} to ${sizeText(l.out)}`;
  if (l.op === "activation") return l.name || name;
  if (l.op === "dense" || l.op === "rbf") return `${name}, ${l.out}`;
  return name;
}
const RESULTS = ["output", "parameters", "multiply-adds", "field", "jump", "start", "centre"];

// The stack from the address (#stack=<JSON>), or null. Only data: walk() checks every key.
function fromAddress() {
  const match = /^#stack=(.*)$/.exec(window.location.hash);
  if (!match) return null;
  try {
    const value = JSON.parse(decodeURIComponent(match[1]));
    if (value && Array.isArray(value.input) && Array.isArray(value.layers)) return value;
  } catch { /* fall through */ }
  return { error: "the address holds no stack this calculator can read" };
}

function csvCell(value) {
  const text = String(value);
  return /[",\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function mount(root) {
  const saved = fromAddress();
  let state = saved && !saved.error ? saved : copy(EMPTY);
  let selected = null;  // the layer whose field the picture shows (index), or null for the last with one
  const status = h("p", { class: "sw-status", role: "status", "aria-live": "polite" });
  const body = h("tbody");
  const results = h("tbody");
  const foot = h("tfoot");
  const [presetField, preset] = field("Start from", select([["", "an empty stack"],
    ...Object.entries(PRESETS).map(([k, p]) => [k, p.name])], ""));
  const inputs = ["height", "width", "channels"].map((name, i) => field(`Input ${name}`,
    h("input", { type: "number", inputmode: "numeric", value: state.input[i], min: 1, max: 4096, step: 1 })));
  const [addField, addOp] = field("New layer", select(ADDABLE, "conv"));
  const [whereField, where] = field("Insert", select([["end", "at the end"]], "end"));
  const add = h("button", { type: "button", class: "md-button", text: "Add layer" });
  const csv = h("button", { type: "button", class: "md-button", text: "Download CSV" });
  const pasted = h("textarea", { rows: 6, spellcheck: "false", class: "sw-paste",
    placeholder: "nn.Sequential(\n    nn.Conv2d(3, 16, 3, padding=1),\n    nn.ReLU(),\n    ...\n)" });
  const [pasteField] = field("A PyTorch nn.Sequential(...) or Keras Sequential([...]) model", pasted);
  const read = h("button", { type: "button", class: "md-button", text: "Read model" });
  const [pictureField, pictureLayer] = field("Show the field of", select([], ""));
  const picture = h("div", { class: "sw-field-picture" });
  const pictureText = h("p", { class: "sw-note" });

  preset.addEventListener("change", () => {
    state = copy(preset.value ? { input: PRESETS[preset.value].input, layers: PRESETS[preset.value].layers } : EMPTY);
    setInputs();
    selected = null;
    rebuild();
  });
  inputs.forEach(([, el], i) => el.addEventListener("input", () => { state.input[i] = Number(el.value); update(); }));
  add.addEventListener("click", () => {
    const op = addOp.value, layer = { op };
    (FIELDS[op] || []).forEach(key => { layer[key] = DEFAULTS[key]; });
    if (op === "maxpool" || op === "avgpool") Object.assign(layer, { kernel: 2, stride: 2 });
    if (op === "adaptiveavgpool") layer.out = 1;
    if (op === "activation") layer.name = "tanh";
    const at = where.value === "end" ? state.layers.length : Number(where.value);
    state.layers.splice(at, 0, layer);
    rebuild();
    body.rows[at]?.querySelector("select").focus();
  });
  read.addEventListener("click", () => {
    let model;
    try {
      model = readModel(pasted.value);
    } catch (error) {
      status.textContent = `The model could not be read: ${error.message}.`;
      return;
    }
    const first = model.layers.find(l => l.in !== undefined && ["conv", "convtranspose", "batchnorm"].includes(l.op));
    state = { input: model.input || [state.input[0], state.input[1], first ? first.in : state.input[2]], layers: model.layers };
    setInputs();
    preset.value = "";
    selected = null;
    rebuild();
  });
  csv.addEventListener("click", () => {
    const rows = [["layer", "type", ...RESULTS]];
    Array.from(results.rows).forEach(tr => rows.push(Array.from(tr.cells).map(c => c.textContent.replace(/\u2212/g, "-"))));
    const text = rows.map(r => r.map(csvCell).join(",")).join("\n") + "\n";
    const link = h("a", { href: URL.createObjectURL(new Blob([text], { type: "text/csv" })), download: "layer-stack.csv" });
    link.click();
    URL.revokeObjectURL(link.href);
  });
  pictureLayer.addEventListener("change", () => { selected = Number(pictureLayer.value); update(); });

  function setInputs() {
    inputs.forEach(([, el], i) => { el.value = state.input[i]; });
  }

  // The layer's settings, each a small labelled input ("k 3", "s 1", ...); sizes take "3" or "3,5".
  function settings(layer, index) {
    const keys = (FIELDS[layer.op] || []).concat(layer.in !== undefined ? ["in"] : []);
    return h("td", { class: "sw-settings" }, h("div", { class: "sw-settings-list" }, keys.map(key => {
      const title = `Layer ${index + 1} ${NAMES[key]}`;
      if (key === "bias") {
        const box = h("input", { type: "checkbox", "aria-label": title });
        box.checked = layer.bias ?? true;
        box.addEventListener("change", () => { layer.bias = box.checked; update(); });
        return field("bias", box)[0];
      }
      if (key === "out" && layer.table) return h("span", { class: "sw-field", text: `${layer.out} (connection table)` });
      if (key === "padding" && typeof layer.padding === "string") return h("span", { class: "sw-field", text: `p '${layer.padding}'` });
      const value = layer[key] ?? (key === "stride" && POOLS.includes(layer.op) ? layer.kernel : DEFAULTS[key]);
      layer[key] = value;  // what the reader sees is what is computed, also after the kernel changes
      const el = h("input", { type: "text", inputmode: "numeric", value: sizeText(value), "aria-label": title,
        class: key === "out" || key === "in" ? "sw-wide" : null, autocomplete: "off" });
      el.addEventListener("input", () => {
        const read = readSize(el.value);
        el.setAttribute("aria-invalid", read === undefined ? "true" : "false");
        layer[key] = read === undefined ? el.value : read;  // walk() names what is wrong with it
        update();
      });
      return field(SHORT[key], el)[0];
    })));
  }

  function rebuild() {
    body.replaceChildren(...state.layers.map((layer, index) => {
      const known = OPS.some(([op]) => op === layer.op) ? OPS : OPS.concat([[layer.op, layer.op]]);
      const op = select(known, layer.op, { "aria-label": `Layer ${index + 1} type` });
      op.addEventListener("change", () => {
        const next = { op: op.value };
        (FIELDS[op.value] || []).forEach(key => { next[key] = layer[key] ?? DEFAULTS[key]; });
        if (op.value === "adaptiveavgpool") next.out = 1;
        if (op.value === "activation") next.name = "tanh";
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
    where.replaceChildren(...[["end", "at the end"], ...state.layers.map((_, i) => [String(i), `before layer ${i + 1}`])]
      .map(([v, text]) => h("option", { value: v, text })));
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
      const text = r ? [shape(r.shape), int(r.params), int(r.macs), pairText(r.rf), pairText(r.jump), pairText(r.start), pairText(r.centre)]
        : RESULTS.map((_, j) => (j === 0 && error && i === rows.length ? "error" : "—"));
      cells.forEach((td, j) => { td.textContent = text[j]; });
      tr.classList.toggle("sw-error", !r && i === rows.length && !!error);
    });
    const t = totals(rows);
    foot.replaceChildren(h("tr", {}, h("th", { scope: "row", colspan: 2, text: "Total" }),
      h("td", { class: "sw-num", text: error ? "—" : shape(rows.length ? rows[rows.length - 1].shape : state.input) }),
      h("td", { class: "sw-num", text: error ? "—" : int(t.params) }), h("td", { class: "sw-num", text: error ? "—" : int(t.macs) }),
      h("td", { colspan: 4 })));
    status.textContent = error ? `Invalid stack: ${error}.`
      : !state.layers.length ? "No layers yet: pick a preset, paste a model or add a layer."
        : `${int(t.params)} parameters` + (t.nontrainable ? ` (plus ${int(t.nontrainable)} non-trainable)` : "")
          + `, ${int(t.macs)} multiply-adds.`;
    root.dataset.swTotals = JSON.stringify(error ? null : t);
    drawField(rows);
    // The stack in the address: a link or a reload brings it back (replaceState: no history entry per keystroke).
    const address = state.layers.length ? `#stack=${encodeURIComponent(JSON.stringify(state))}` : " ";
    try { window.history.replaceState(window.history.state, "", address === " " ? window.location.pathname + window.location.search : address); } catch { /* a sandboxed page */ }
  }

  // The receptive field of one layer's unit (0, 0), and of its neighbour, on the input grid.
  function drawField(rows) {
    const withField = rows.map((r, i) => [r, i]).filter(([r]) => r.rf);
    pictureLayer.replaceChildren(...withField.map(([, i]) => h("option", { value: String(i), text: `layer ${i + 1}: ${describe(state.layers[i])}` })));
    if (!withField.length) {
      picture.replaceChildren();
      pictureText.textContent = "No layer of this stack has a receptive field to draw yet.";
      return;
    }
    const chosen = withField.find(([, i]) => i === selected) || withField[withField.length - 1];
    const [r, index] = chosen;
    pictureLayer.value = String(index);
    const [H, W] = state.input, [fh, fw] = r.rf, [jh, jw] = r.jump, [sh, sw] = r.start;
    const top = Math.min(0, sh), left = Math.min(0, sw);
    const bottom = Math.max(H, sh + fh), right = Math.max(W, sw + jw + fw);
    const scale = 240 / Math.max(bottom - top, right - left);
    const x = c => (c - left) * scale, y = c => (c - top) * scale;
    const grid = [];
    if (H <= 64 && W <= 64) {
      for (let i = 1; i < H; i++) grid.push(s("line", { class: "sw-rule", x1: x(0), x2: x(W), y1: y(i), y2: y(i) }));
      for (let j = 1; j < W; j++) grid.push(s("line", { class: "sw-rule", y1: y(0), y2: y(H), x1: x(j), x2: x(j) }));
    }
    picture.replaceChildren(s("svg", { viewBox: `0 0 ${x(right) + 2} ${y(bottom) + 2}`, role: "img",
      "aria-label": `The input, ${H} by ${W} pixels, with the receptive field of layer ${index + 1}'s first unit and of its right-hand neighbour` },
    s("rect", { class: "sw-pad", x: 0, y: 0, width: x(right), height: y(bottom) }),
    s("rect", { class: "sw-cell", x: x(0), y: y(0), width: W * scale, height: H * scale }), grid,
    s("rect", { class: "sw-now", x: x(sw), y: y(sh), width: fw * scale, height: fh * scale }),
    s("rect", { class: "sw-hole", x: x(sw + jw), y: y(sh), width: fw * scale, height: fh * scale })));
    const outside = sh < 0 || sw < 0 || sh + fh > H || sw + fw > W;
    pictureText.textContent = `Layer ${index + 1}: each unit sees a ${fh}×${fw} window of the ${H}×${W} input (solid outline: `
      + `unit (0, 0), rows ${minus(sh)} to ${minus(sh + fh - 1)} and columns ${minus(sw)} to ${minus(sw + fw - 1)}, centred on `
      + `(${num(r.centre[0])}, ${num(r.centre[1])})). Its neighbour's window (dashed) starts ${jw} `
      + `${jw === 1 ? "pixel" : "pixels"} to the right.` + (outside ? " The shaded part outside the input is padding." : "");
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
    h("details", { class: "sw-paste-box" }, h("summary", { text: "Paste your own model" }),
      h("div", { class: "sw-controls" }, pasteField, read)),
    scroll("Layer stack editor (scrolls sideways)", editor),
    h("div", { class: "sw-controls" }, addField, whereField, add),
    scroll("Layer results (scroll sideways)", table),
    h("p", { class: "sw-note", text: "Field: the receptive field's height × width (one number if square); jump: the input "
      + "distance between neighbouring units; start and centre: the top and left edge, and the middle, of unit (0, 0)'s field, "
      + "in input coordinates (below 0 is padding)." }),
    status,
    h("div", { class: "sw-controls" }, pictureField, csv),
    picture, pictureText);
  rebuild();
  if (saved && saved.error) status.textContent = `The link's stack could not be read: ${saved.error}; starting empty.`;
}

