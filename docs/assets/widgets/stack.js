// Layer-stack arithmetic (no DOM): the JavaScript twin of snippets/lib/accounting.py `walk`
// (over specs.py and formulas.py) and of snippets/lib/receptive.py `fields`;
// tests/site/test_widgets.py and tests/site/test_calculator_model.py check it against them.
//
// walk([H, W, C], layers) -> one {shape, params, nontrainable, macs, rf, jump, start, centre} per layer.
// Floor convention: out = floor((n + 2p - d(k-1) - 1) / s) + 1; padding "same" is TensorFlow's
// rule (output ceil(n / s), the odd pixel after), "valid" is 0. Multiply-adds of the linear
// part only. rf/jump/start/centre are [h, w] pairs (start: the top and left edge of unit 0's
// field, minus the padding before; centre: the middle of that field), null from the
// first flat layer on and after a transposed convolution (its units see different numbers
// of inputs). An invalid stack throws an Error naming the layer: what PyTorch refuses, and
// any key the op does not have (a misspelt `paddding` is an error, never padding 0).

// The keys each op takes (PyTorch's names; `in` is the input channels or features a pasted
// model declares, checked against the tensor that reaches the layer).
export const KEYS = {
  conv: ["out", "kernel", "stride", "padding", "dilation", "groups", "bias", "table", "in"],
  convtranspose: ["out", "kernel", "stride", "padding", "output_padding", "dilation", "groups", "bias", "in"],
  maxpool: ["kernel", "stride", "padding", "dilation"],
  avgpool: ["kernel", "stride", "padding"],
  subsample: ["kernel", "stride"],
  globalavgpool: [],
  adaptiveavgpool: ["out"],
  batchnorm: ["in"],
  relu: [], activation: ["name"], dropout: ["p"], flatten: [],
  dense: ["out", "bias", "in"],
  rbf: ["out"],
};

const pair = (v, name) => {
  const p = Array.isArray(v) ? v : [v, v];
  if (p.length !== 2 || !p.every(Number.isInteger)) throw new Error(`${name} must be an integer or an [h, w] pair, not ${JSON.stringify(v)}`);
  return p;
};

const positive = (v, name) => {
  if (!Number.isInteger(v) || v < 1) throw new Error(`${name} must be a positive integer, not ${JSON.stringify(v)}`);
  return v;
};

const WINDOWED = ["conv", "convtranspose", "maxpool", "avgpool", "subsample"];
const POOLS = ["maxpool", "avgpool", "subsample"];

// The output size of a sliding window along one axis, padded `before` and `after`.
export function outputSize(n, k, s = 1, p = 0, d = 1, after = p) {
  return Math.floor((n + p + after - d * (k - 1) - 1) / s) + 1;
}

// TensorFlow's 'same' padding [before, after] along one axis: output ceil(n / s), odd pixel after.
export function samePadding(n, k, s = 1, d = 1) {
  const total = Math.max((Math.ceil(n / s) - 1) * s + d * (k - 1) + 1 - n, 0);
  return [Math.floor(total / 2), total - Math.floor(total / 2)];
}

// Sliding-window geometry of a layer on an [H, W] map: {kernel, stride, before, after, dilation}, pairs each.
function geometry(layer, hw) {
  const kernel = pair(layer.kernel ?? 1, "kernel");
  const stride = pair(layer.stride ?? (POOLS.includes(layer.op) ? kernel : 1), "stride");
  const dilation = pair(layer.dilation ?? 1, "dilation");
  kernel.forEach(v => positive(v, "kernel"));
  stride.forEach(v => positive(v, "stride"));
  dilation.forEach(v => positive(v, "dilation"));
  let before, after;
  if (layer.padding === "same" || layer.padding === "valid") {
    if (layer.op !== "conv" && layer.op !== "maxpool" && layer.op !== "avgpool") throw new Error(`padding "${layer.padding}" is for convolutions and pooling (Keras); give a number`);
    const sides = [0, 1].map(a => layer.padding === "same" ? samePadding(hw[a], kernel[a], stride[a], dilation[a]) : [0, 0]);
    [before, after] = [sides.map(x => x[0]), sides.map(x => x[1])];
  } else {
    before = after = pair(layer.padding ?? 0, "padding");
    before.forEach(v => { if (v < 0) throw new Error(`padding must not be negative, not ${v}`); });
  }
  if ((layer.op === "maxpool" || layer.op === "avgpool") && typeof layer.padding !== "string") {  // PyTorch: "pad should be at most half of (effective) kernel size"
    [0, 1].forEach(a => {
      const span = dilation[a] * (kernel[a] - 1) + 1;
      if (2 * before[a] > span) throw new Error(`padding ${before[a]} is more than half the window (${span}); PyTorch refuses it`);
    });
  }
  return { kernel, stride, before, after, dilation };
}

function windowed(hw, g) {
  return [0, 1].map(a => {
    const o = outputSize(hw[a], g.kernel[a], g.stride[a], g.before[a], g.dilation[a], g.after[a]);
    if (o < 1) {
      const span = g.dilation[a] * (g.kernel[a] - 1) + 1;
      throw new Error(`a window of span ${span} does not fit in ${hw[a]} + ${g.before[a] + g.after[a]} padding pixels`);
    }
    return o;
  });
}

const featureMap = (shape, op) => {
  if (shape.length !== 3) throw new Error(`${op} needs an H×W×C feature map, not a flat vector`);
};
const vector = (shape, op) => {
  if (shape.length !== 1) throw new Error(`${op} needs a flat vector: add a flatten layer`);
  return shape[0];
};
const declared = (layer, n, what) => {
  if (layer.in !== undefined && layer.in !== n) throw new Error(`it declares ${layer.in} input ${what}, but ${n} reach it`);
};

// Keys the op does not have, and values of the wrong type, are errors (never silently a default).
function checkKeys(layer) {
  if (!Object.hasOwn(KEYS, layer.op)) throw new Error(`unknown op ${JSON.stringify(layer.op)}`);
  const unknown = Object.keys(layer).filter(key => key !== "op" && !KEYS[layer.op].includes(key));
  if (unknown.length) throw new Error(`unknown key${unknown.length > 1 ? "s" : ""} ${unknown.map(k => JSON.stringify(k)).join(", ")} (${layer.op} takes ${KEYS[layer.op].join(", ") || "none"})`);
  if (layer.bias !== undefined && typeof layer.bias !== "boolean") throw new Error(`bias must be true or false, not ${JSON.stringify(layer.bias)}`);
  if (layer.in !== undefined) positive(layer.in, "in");
  if (layer.name !== undefined && typeof layer.name !== "string") throw new Error("name must be a string");
  if (layer.p !== undefined && !(typeof layer.p === "number" && layer.p >= 0 && layer.p <= 1)) throw new Error(`dropout p must be between 0 and 1, not ${JSON.stringify(layer.p)}`);
}

// One layer: [out shape, trainable params, non-trainable params, MACs, geometry or null, keeps a field].
function count(layer, shape) {
  checkKeys(layer);
  const op = layer.op;
  const bias = layer.bias ?? true;
  if (op === "conv" || op === "convtranspose") {
    featureMap(shape, op);
    const c = shape[2];
    declared(layer, c, "channels");
    const g = geometry(layer, shape), [kh, kw] = g.kernel;
    const out = positive(layer.out, "out"), groups = positive(layer.groups ?? 1, "groups");
    let links;
    if (layer.table) {
      if (layer.table.length !== out || groups !== 1) throw new Error("a connection table needs one entry per output channel and groups=1");
      if (layer.table.some(e => e.some(i => !(Number.isInteger(i) && i >= 0 && i < c)))) throw new Error("connection table names a channel that does not exist");
      links = layer.table.reduce((t, e) => t + new Set(e).size, 0);
    } else {
      if (c % groups || out % groups) throw new Error(`groups=${groups} must divide ${c} input and ${out} output channels`);
      links = out * (c / groups);
    }
    const params = links * kh * kw + (bias ? out : 0);
    if (op === "conv") {
      const [ho, wo] = windowed(shape, g);
      return [[ho, wo, out], params, 0, ho * wo * kh * kw * links, g, true];
    }
    // Transposed: out = (n - 1)s - 2p + d(k - 1) + output_padding + 1 (PyTorch's ConvTranspose2d).
    const extra = pair(layer.output_padding ?? 0, "output_padding");
    const size = [0, 1].map(a => {
      if (!(extra[a] >= 0 && extra[a] < Math.max(g.stride[a], g.dilation[a]))) throw new Error(`output_padding ${extra[a]} must be smaller than the stride or the dilation`);
      const o = (shape[a] - 1) * g.stride[a] - 2 * g.before[a] + g.dilation[a] * (g.kernel[a] - 1) + extra[a] + 1;
      if (o < 1) throw new Error(`padding ${g.before[a]} leaves no output (size ${o})`);
      return o;
    });
    return [[size[0], size[1], out], params, 0, shape[0] * shape[1] * kh * kw * links, null, false];
  }
  if (POOLS.includes(op)) {
    featureMap(shape, op);
    const g = geometry(layer, shape), [ho, wo] = windowed(shape, g), c = shape[2];
    if (op === "subsample") return [[ho, wo, c], 2 * c, 0, ho * wo * c * g.kernel[0] * g.kernel[1], g, true];
    return [[ho, wo, c], 0, 0, 0, g, true];
  }
  if (op === "globalavgpool") {
    featureMap(shape, op);
    const hw = [shape[0], shape[1]];
    return [[1, 1, shape[2]], 0, 0, 0, { kernel: hw, stride: hw, before: [0, 0], after: [0, 0], dilation: [1, 1] }, true];
  }
  if (op === "adaptiveavgpool") {
    featureMap(shape, op);
    const out = pair(layer.out, "out");
    out.forEach(v => positive(v, "out"));
    // A regular window only when the output divides the input; otherwise PyTorch's windows differ in size.
    const regular = shape[0] % out[0] === 0 && shape[1] % out[1] === 0;
    const step = [shape[0] / out[0], shape[1] / out[1]];
    return [[out[0], out[1], shape[2]], 0, 0, 0,
      regular ? { kernel: step, stride: step, before: [0, 0], after: [0, 0], dilation: [1, 1] } : null, regular];
  }
  if (op === "batchnorm") {  // per channel, or per feature of a flat vector
    const c = shape[shape.length - 1];
    declared(layer, c, shape.length === 3 ? "channels" : "features");
    return [shape, 2 * c, 2 * c, 0, null, true];
  }
  if (op === "relu" || op === "activation" || op === "dropout") return [shape, 0, 0, 0, null, true];
  if (op === "flatten") return [[shape.reduce((a, b) => a * b, 1)], 0, 0, 0, null, false];
  // dense or rbf
  const d = vector(shape, op), out = positive(layer.out, "out");
  if (op === "rbf") return [[out], 0, d * out, d * out, null, false];
  declared(layer, d, "features");
  return [[out], d * out + (bias ? out : 0), 0, d * out, null, false];
}

export function walk(input, layers) {
  if (!Array.isArray(input) || input.length !== 3) throw new Error("input must be [H, W, C]");
  input.forEach((v, i) => positive(v, ["H", "W", "C"][i]));
  if (!Array.isArray(layers)) throw new Error("layers must be a list");
  let shape = input.slice(), field = { rf: [1, 1], jump: [1, 1], start: [0, 0] };
  return layers.map((layer, index) => {
    let counted;
    try {
      if (layer === null || typeof layer !== "object" || Array.isArray(layer)) throw new Error("a layer is an object with an op");
      counted = count(layer, shape);
    } catch (error) {
      throw new Error(`layer ${index + 1} (${layer && layer.op}): ${error.message}`);
    }
    const [out, params, nontrainable, macs, g, keeps] = counted;
    if (!keeps) field = null;  // flat, or units that see different numbers of inputs
    else if (g && field) {
      field = {
        rf: field.rf.map((n, a) => n + g.dilation[a] * (g.kernel[a] - 1) * field.jump[a]),
        jump: field.jump.map((j, a) => j * g.stride[a]),
        start: field.start.map((st, a) => st - g.before[a] * field.jump[a]),
      };
    }
    shape = out;
    return { shape: out, params, nontrainable, macs, rf: field && field.rf, jump: field && field.jump, start: field && field.start,
      centre: field && field.start.map((st, a) => st + (field.rf[a] - 1) / 2) };
  });
}

export function totals(rows) {
  return rows.reduce((t, r) => ({ params: t.params + r.params, nontrainable: t.nontrainable + r.nontrainable, macs: t.macs + r.macs }),
    { params: 0, nontrainable: 0, macs: 0 });
}
