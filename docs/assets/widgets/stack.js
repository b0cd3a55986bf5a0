// Layer-stack arithmetic (no DOM): the JavaScript twin of snippets/lib/accounting.py `walk`
// (over specs.py and formulas.py) and of snippets/lib/receptive.py `fields`;
// tests/site/test_widgets.py checks it against them.
//
// walk([H, W, C], layers) -> one {shape, params, nontrainable, macs, rf, jump, start} per layer.
// Floor convention: out = floor((n + 2p - d(k-1) - 1) / s) + 1. Multiply-adds of the linear
// part only. rf/jump/start are [h, w] pairs (start = minus the effective padding), null
// from the first flat layer on. An invalid stack throws an Error naming the layer.

const pair = (v, name) => {
  const p = Array.isArray(v) ? v : [v, v];
  if (p.length !== 2 || !p.every(Number.isInteger)) throw new Error(`${name} must be an integer or an [h, w] pair`);
  return p;
};

const positive = (v, name) => {
  if (!Number.isInteger(v) || v < 1) throw new Error(`${name} must be a positive integer, not ${v}`);
  return v;
};

// Sliding-window geometry of a layer as [kernel, stride, padding, dilation] pairs.
function geometry(layer) {
  const kernel = pair(layer.kernel ?? 1, "kernel");
  const stride = pair(layer.stride ?? ((layer.op === "maxpool" || layer.op === "avgpool" || layer.op === "subsample") ? kernel : 1), "stride");
  const padding = pair(layer.padding ?? 0, "padding");
  const dilation = pair(layer.dilation ?? 1, "dilation");
  kernel.forEach(v => positive(v, "kernel"));
  stride.forEach(v => positive(v, "stride"));
  dilation.forEach(v => positive(v, "dilation"));
  padding.forEach(v => { if (v < 0) throw new Error(`padding must not be negative, not ${v}`); });
  return [kernel, stride, padding, dilation];
}

export function outputSize(n, k, s = 1, p = 0, d = 1) {
  return Math.floor((n + 2 * p - d * (k - 1) - 1) / s) + 1;
}

function windowed(shape, g) {
  const [kernel, stride, padding, dilation] = g;
  const out = [0, 1].map(a => outputSize(shape[a], kernel[a], stride[a], padding[a], dilation[a]));
  out.forEach((o, a) => {
    if (o < 1) {
      const span = dilation[a] * (kernel[a] - 1) + 1;
      throw new Error(`a window of span ${span} does not fit in ${shape[a]} + 2·${padding[a]} pixels`);
    }
  });
  return out;
}

const featureMap = (shape, op) => {
  if (shape.length !== 3) throw new Error(`${op} needs an H×W×C feature map, not a flat vector`);
};
const vector = (shape, op) => {
  if (shape.length !== 1) throw new Error(`${op} needs a flat vector: add a flatten layer`);
  return shape[0];
};

// One layer: [out shape, trainable params, non-trainable params, MACs, geometry or null].
function count(layer, shape) {
  const op = layer.op;
  const bias = layer.bias ?? true;
  if (op === "conv") {
    featureMap(shape, op);
    const g = geometry(layer), [kh, kw] = g[0], c = shape[2];
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
    const [ho, wo] = windowed(shape, g);
    return [[ho, wo, out], links * kh * kw + (bias ? out : 0), 0, ho * wo * kh * kw * links, g];
  }
  if (op === "maxpool" || op === "avgpool" || op === "subsample") {
    featureMap(shape, op);
    const g = geometry(layer), [ho, wo] = windowed(shape, g), c = shape[2];
    if (op === "subsample") return [[ho, wo, c], 2 * c, 0, ho * wo * c * g[0][0] * g[0][1], g];
    return [[ho, wo, c], 0, 0, 0, g];
  }
  if (op === "batchnorm") {  // per channel, or per feature of a flat vector
    const c = shape[shape.length - 1];
    return [shape, 2 * c, 2 * c, 0, null];
  }
  if (op === "relu") return [shape, 0, 0, 0, null];
  if (op === "flatten") return [[shape.reduce((a, b) => a * b, 1)], 0, 0, 0, null];
  if (op === "dense" || op === "rbf") {
    const d = vector(shape, op), out = positive(layer.out, "out");
    if (op === "rbf") return [[out], 0, d * out, d * out, null];
    return [[out], d * out + (bias ? out : 0), 0, d * out, null];
  }
  throw new Error(`unknown op ${JSON.stringify(op)}`);
}

export function walk(input, layers) {
  if (!Array.isArray(input) || input.length !== 3) throw new Error("input must be [H, W, C]");
  input.forEach((v, i) => positive(v, ["H", "W", "C"][i]));
  let shape = input.slice(), field = { rf: [1, 1], jump: [1, 1], start: [0, 0] };
  return layers.map((layer, index) => {
    let counted;
    try {
      counted = count(layer, shape);
    } catch (error) {
      throw new Error(`layer ${index + 1} (${layer.op}): ${error.message}`);
    }
    const [out, params, nontrainable, macs, g] = counted;
    if (out.length !== 3) field = null;  // flat: every unit sees the whole input
    else if (g) {
      const [k, s, p, d] = g;
      field = {
        rf: field.rf.map((n, a) => n + d[a] * (k[a] - 1) * field.jump[a]),
        jump: field.jump.map((j, a) => j * s[a]),
        start: field.start.map((st, a) => st - p[a] * field.jump[a]),
      };
    }
    shape = out;
    return { shape: out, params, nontrainable, macs, rf: field && field.rf, jump: field && field.jump, start: field && field.start };
  });
}

export function totals(rows) {
  return rows.reduce((t, r) => ({ params: t.params + r.params, nontrainable: t.nontrainable + r.nontrainable, macs: t.macs + r.macs }),
    { params: 0, nontrainable: 0, macs: 0 });
}
