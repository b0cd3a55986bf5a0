// A pasted model, read as the calculator's layer list (no DOM, no eval: a small parser of
// the Python that people write for a sequential model).
//
// readModel(text) -> {framework: "pytorch" | "keras", input: [H, W, C] or null, layers, lines}
//   PyTorch: nn.Sequential(nn.Conv2d(3, 16, 3, padding=1), nn.ReLU(), ...)
//   Keras:   keras.Sequential([layers.Conv2D(16, 3, padding="same", input_shape=(32, 32, 3)), ...])
// parseModel(text) -> the layers alone, the list walk() in stack.js takes.
// Positional and keyword arguments, tuples, True/False/None, strings and integer arithmetic
// (32 * 8 * 8) are understood; anything else throws an Error naming the line and the layer.
// The layers carry `in` (input channels or features) where the model says it, so walk()
// refuses a layer that disagrees with the tensor reaching it. tests/site/test_calculator_model.py
// prints the presets and random stacks in both dialects and checks the round trip.

class ModelError extends Error {}

// --- tokens and expressions ------------------------------------------------------------------

const TOKEN = /\s*(?:(#[^\n]*)|(\d+\.\d*(?:e[-+]?\d+)?|\.\d+(?:e[-+]?\d+)?|\d+(?:e[-+]?\d+)?)|([A-Za-z_][\w.]*)|("(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*')|(\/\/|\*\*|[()[\],=*\/+\-%]))/y;

function tokenize(text) {
  const tokens = [];
  const lineAt = index => 1 + countLines(text.slice(0, index));
  let at = 0;
  while (!/^\s*$/.test(text.slice(at))) {
    TOKEN.lastIndex = at;
    const m = TOKEN.exec(text);
    const start = at + text.slice(at).match(/^\s*/)[0].length;
    if (!m) throw new ModelError(`line ${lineAt(start)}: cannot read ${JSON.stringify(text.slice(start, start + 12))}`);
    const [, , num, name, str, punct] = m, line = lineAt(start);  // group 1, a comment, adds no token
    if (num !== undefined) tokens.push({ kind: "num", value: Number(num), line });
    else if (name !== undefined) tokens.push({ kind: "name", value: name, line });
    else if (str !== undefined) tokens.push({ kind: "str", value: str.slice(1, -1).replace(/\\(.)/g, "$1"), line });
    else if (punct !== undefined) tokens.push({ kind: "punct", value: punct, line });
    at = TOKEN.lastIndex;
  }
  tokens.push({ kind: "end", value: "end of text", line: lineAt(text.length) });
  return tokens;
}

const countLines = s => (s.match(/\n/g) || []).length;

function parser(tokens) {
  let i = 0;
  const peek = () => tokens[i];
  const next = () => tokens[i++];
  const is = (value) => tokens[i].kind === "punct" && tokens[i].value === value;
  const expect = (value) => {
    if (!is(value)) throw new ModelError(`line ${peek().line}: expected "${value}", found ${JSON.stringify(peek().value)}`);
    return next();
  };

  // expression := term (("+" | "-") term)*; term := unary (("*" | "//" | "/" | "%") unary)*
  function expression() {
    let value = term();
    while (is("+") || is("-")) {
      const op = next().value, right = term();
      value = arithmetic(op, value, right);
    }
    return value;
  }
  function term() {
    let value = unary();
    while (is("*") || is("//") || is("/") || is("%")) {
      const op = next().value, right = unary();
      value = arithmetic(op, value, right);
    }
    return value;
  }
  function unary() {
    if (is("-")) { next(); return arithmetic("-", 0, unary()); }
    if (is("+")) { next(); return unary(); }
    return atom();
  }
  function arithmetic(op, a, b) {
    const line = peek().line;
    if (typeof a !== "number" || typeof b !== "number") throw new ModelError(`line ${line}: arithmetic needs numbers`);
    if ((op === "//" || op === "%") && b === 0) throw new ModelError(`line ${line}: division by zero`);
    return { "+": a + b, "-": a - b, "*": a * b, "/": a / b, "//": Math.floor(a / b), "%": ((a % b) + b) % b }[op];
  }
  function atom() {
    const token = next();
    if (token.kind === "num" || token.kind === "str") return token.value;
    if (token.kind === "name") {
      if (token.value === "True") return true;
      if (token.value === "False") return false;
      if (token.value === "None") return null;
      if (is("(")) return call(token);
      throw new ModelError(`line ${token.line}: unknown name ${token.value} (only numbers, strings, True, False, None and layer calls are read)`);
    }
    if (token.kind === "punct" && (token.value === "(" || token.value === "[")) {
      const close = token.value === "(" ? ")" : "]", items = [];
      let comma = false;
      while (!is(close)) {
        items.push(expression());
        if (is(",")) { next(); comma = true; } else break;
      }
      expect(close);
      return token.value === "(" && items.length === 1 && !comma ? items[0] : items;
    }
    throw new ModelError(`line ${token.line}: unexpected ${JSON.stringify(token.value)}`);
  }
  function call(name) {
    expect("(");
    const args = [], kwargs = {};
    while (!is(")")) {
      if (peek().kind === "name" && tokens[i + 1].kind === "punct" && tokens[i + 1].value === "=") {
        const key = next().value;
        next();
        if (Object.hasOwn(kwargs, key)) throw new ModelError(`line ${name.line}: ${short(name.value)} is given ${key} twice`);
        kwargs[key] = expression();
      } else {
        if (Object.keys(kwargs).length) throw new ModelError(`line ${peek().line}: a positional argument after a keyword argument`);
        args.push(expression());
      }
      if (is(",")) next(); else break;
    }
    expect(")");
    return { call: name.value, args, kwargs, line: name.line };
  }
  // program := [name "="] expression end   (import lines are skipped before tokenizing)
  function program() {
    if (peek().kind === "name" && tokens[i + 1].kind === "punct" && tokens[i + 1].value === "=") { next(); next(); }
    const value = expression();
    if (peek().kind !== "end") throw new ModelError(`line ${peek().line}: expected the end after the model, found ${JSON.stringify(peek().value)}`);
    return value;
  }
  return { program };
}

const short = name => name.split(".").pop();

// --- arguments of one layer --------------------------------------------------------------------

// Bind a call's arguments to a signature (PyTorch's or Keras' order); unknown keywords are errors.
function bind(node, signature) {
  const name = short(node.call);
  if (node.args.length > signature.length) throw new ModelError(`${name} takes at most ${signature.length} positional arguments, not ${node.args.length}`);
  const bound = {};
  node.args.forEach((v, k) => { bound[signature[k]] = v; });
  for (const [key, value] of Object.entries(node.kwargs)) {
    if (!signature.includes(key)) throw new ModelError(`${name} has no argument "${key}"`);
    if (Object.hasOwn(bound, key)) throw new ModelError(`${name} is given ${key} twice`);
    bound[key] = value;
  }
  return bound;
}

function integer(value, what) {
  if (!Number.isInteger(value)) throw new ModelError(`${what} must be an integer, not ${JSON.stringify(value)}`);
  return value;
}
// An integer or a pair (PyTorch and Keras both take either for a window size).
function size(value, what) {
  if (Array.isArray(value)) {
    if (value.length !== 2) throw new ModelError(`${what} must be an integer or a pair, not ${value.length} numbers`);
    value.forEach(v => integer(v, what));
    return value[0] === value[1] ? value[0] : value.slice();
  }
  return integer(value, what);
}
function flag(value, what) {
  if (typeof value !== "boolean") throw new ModelError(`${what} must be True or False, not ${JSON.stringify(value)}`);
  return value;
}
function need(bound, key, layer) {
  if (bound[key] === undefined) throw new ModelError(`${layer} needs ${key}`);
  return bound[key];
}
const given = (bound, key) => bound[key] !== undefined && bound[key] !== null;

// --- PyTorch -----------------------------------------------------------------------------------

const TORCH_ACTIVATIONS = ["ReLU", "ReLU6", "LeakyReLU", "PReLU", "ELU", "SELU", "CELU", "GELU", "SiLU", "Mish", "Sigmoid",
  "Tanh", "Hardtanh", "Hardswish", "Hardsigmoid", "Softplus", "Softmax", "LogSoftmax", "Identity"];

const TORCH = {
  Conv2d(b) {
    const layer = { op: "conv", in: integer(need(b, "in_channels", "Conv2d"), "in_channels"),
      out: integer(need(b, "out_channels", "Conv2d"), "out_channels"), kernel: size(need(b, "kernel_size", "Conv2d"), "kernel_size") };
    if (given(b, "stride")) layer.stride = size(b.stride, "stride");
    if (given(b, "padding")) {
      if (b.padding === "same" || b.padding === "valid") {
        if (b.padding === "same" && [].concat(layer.stride ?? 1).some(s => s !== 1)) throw new ModelError(`padding='same' is not supported for strided convolutions (PyTorch refuses it)`);
        layer.padding = b.padding;
      } else layer.padding = size(b.padding, "padding");
    }
    if (given(b, "dilation")) layer.dilation = size(b.dilation, "dilation");
    if (given(b, "groups")) layer.groups = integer(b.groups, "groups");
    if (given(b, "bias")) layer.bias = flag(b.bias, "bias");
    paddingMode(b);
    return [layer];
  },
  ConvTranspose2d(b) {
    const layer = { op: "convtranspose", in: integer(need(b, "in_channels", "ConvTranspose2d"), "in_channels"),
      out: integer(need(b, "out_channels", "ConvTranspose2d"), "out_channels"),
      kernel: size(need(b, "kernel_size", "ConvTranspose2d"), "kernel_size") };
    for (const key of ["stride", "padding", "output_padding", "dilation"]) if (given(b, key)) layer[key] = size(b[key], key);
    if (given(b, "groups")) layer.groups = integer(b.groups, "groups");
    if (given(b, "bias")) layer.bias = flag(b.bias, "bias");
    paddingMode(b);
    return [layer];
  },
  MaxPool2d(b) {
    const layer = pool("maxpool", b);
    if (given(b, "dilation")) layer.dilation = size(b.dilation, "dilation");
    if (b.return_indices !== undefined) flag(b.return_indices, "return_indices");
    return [layer];
  },
  AvgPool2d(b) {
    if (b.count_include_pad !== undefined) flag(b.count_include_pad, "count_include_pad");
    if (given(b, "divisor_override")) integer(b.divisor_override, "divisor_override");
    return [pool("avgpool", b)];
  },
  AdaptiveAvgPool2d(b) {
    const out = need(b, "output_size", "AdaptiveAvgPool2d");
    if (Array.isArray(out) && out.some(v => v === null)) throw new ModelError("an output_size of None (keep that side) is not supported");
    const o = size(out, "output_size");
    return [(o === 1) ? { op: "globalavgpool" } : { op: "adaptiveavgpool", out: o }];
  },
  BatchNorm2d: b => batchnorm(b, "BatchNorm2d"),
  BatchNorm1d: b => batchnorm(b, "BatchNorm1d"),
  Flatten(b) {
    if ((b.start_dim ?? 1) !== 1 || (b.end_dim ?? -1) !== -1) throw new ModelError("only Flatten() of everything but the batch is supported");
    return [{ op: "flatten" }];
  },
  Linear(b) {
    const layer = { op: "dense", in: integer(need(b, "in_features", "Linear"), "in_features"), out: integer(need(b, "out_features", "Linear"), "out_features") };
    if (given(b, "bias")) layer.bias = flag(b.bias, "bias");
    return [layer];
  },
  Dropout: b => [{ op: "dropout", p: probability(b.p ?? 0.5) }],
  Dropout2d: b => [{ op: "dropout", p: probability(b.p ?? 0.5) }],
};
const TORCH_SIGNATURES = {
  Conv2d: ["in_channels", "out_channels", "kernel_size", "stride", "padding", "dilation", "groups", "bias", "padding_mode", "device", "dtype"],
  ConvTranspose2d: ["in_channels", "out_channels", "kernel_size", "stride", "padding", "output_padding", "groups", "bias", "dilation", "padding_mode", "device", "dtype"],
  MaxPool2d: ["kernel_size", "stride", "padding", "dilation", "return_indices", "ceil_mode"],
  AvgPool2d: ["kernel_size", "stride", "padding", "ceil_mode", "count_include_pad", "divisor_override"],
  AdaptiveAvgPool2d: ["output_size"],
  BatchNorm2d: ["num_features", "eps", "momentum", "affine", "track_running_stats", "device", "dtype"],
  BatchNorm1d: ["num_features", "eps", "momentum", "affine", "track_running_stats", "device", "dtype"],
  Flatten: ["start_dim", "end_dim"],
  Linear: ["in_features", "out_features", "bias", "device", "dtype"],
  Dropout: ["p", "inplace"],
  Dropout2d: ["p", "inplace"],
};

function paddingMode(b) {
  if (given(b, "padding_mode") && !["zeros", "reflect", "replicate", "circular"].includes(b.padding_mode)) {
    throw new ModelError(`padding_mode must be 'zeros', 'reflect', 'replicate' or 'circular', not ${JSON.stringify(b.padding_mode)}`);
  }
}
function pool(op, b) {
  const layer = { op, kernel: size(need(b, "kernel_size", op === "maxpool" ? "MaxPool2d" : "AvgPool2d"), "kernel_size") };
  if (given(b, "stride")) layer.stride = size(b.stride, "stride");
  if (given(b, "padding")) layer.padding = size(b.padding, "padding");
  if (given(b, "ceil_mode") && flag(b.ceil_mode, "ceil_mode")) throw new ModelError("ceil_mode=True is not supported (the calculator rounds output sizes down, as PyTorch does by default)");
  return layer;
}
function batchnorm(b, name) {
  const layer = { op: "batchnorm", in: integer(need(b, "num_features", name), "num_features") };
  if (given(b, "affine") && !flag(b.affine, "affine")) throw new ModelError("affine=False (no trainable scale and shift) is not supported");
  if (given(b, "track_running_stats") && !flag(b.track_running_stats, "track_running_stats")) throw new ModelError("track_running_stats=False is not supported");
  return [layer];
}
function probability(p) {
  if (typeof p !== "number" || p < 0 || p > 1) throw new ModelError(`a dropout probability must be between 0 and 1, not ${JSON.stringify(p)}`);
  return p;
}

// --- Keras -------------------------------------------------------------------------------------

const KERAS_SIGNATURES = {
  Conv2D: ["filters", "kernel_size", "strides", "padding", "data_format", "dilation_rate", "groups", "activation", "use_bias"],
  MaxPooling2D: ["pool_size", "strides", "padding", "data_format"],
  AveragePooling2D: ["pool_size", "strides", "padding", "data_format"],
  GlobalAveragePooling2D: ["data_format", "keepdims"],
  BatchNormalization: ["axis", "momentum", "epsilon", "center", "scale"],
  Flatten: ["data_format"],
  Dense: ["units", "activation", "use_bias"],
  Dropout: ["rate", "noise_shape", "seed"],
  Activation: ["activation"],
  ReLU: ["max_value", "negative_slope", "threshold"],
  InputLayer: ["shape", "input_shape", "batch_size"],
  Input: ["shape", "batch_size", "name", "dtype"],
};
// Keyword arguments every Keras layer takes that change no count.
const KERAS_COMMON = ["name", "input_shape", "kernel_initializer", "bias_initializer", "kernel_regularizer",
  "bias_regularizer", "activity_regularizer", "kernel_constraint", "bias_constraint", "trainable", "dtype",
  "beta_initializer", "gamma_initializer", "moving_mean_initializer", "moving_variance_initializer",
  "beta_regularizer", "gamma_regularizer", "beta_constraint", "gamma_constraint", "synchronized"];

function kerasPadding(b) {
  const p = b.padding ?? "valid";
  if (p !== "same" && p !== "valid") throw new ModelError(`padding must be "same" or "valid", not ${JSON.stringify(p)}`);
  return p;
}
function channelsLast(b) {
  if (given(b, "data_format") && b.data_format !== "channels_last") throw new ModelError("only data_format='channels_last' is supported");
}
function activation(b) {
  const a = b.activation;
  if (a === undefined || a === null || a === "linear") return [];
  if (typeof a !== "string") throw new ModelError("activation must be a name such as 'relu'");
  return [{ op: "activation", name: a }];
}
function kerasPool(op, b) {
  channelsLast(b);
  const layer = { op, kernel: size(b.pool_size ?? 2, "pool_size") };
  if (given(b, "strides")) layer.stride = size(b.strides, "strides");
  layer.padding = kerasPadding(b);
  return [layer];
}

const KERAS = {
  Conv2D(b) {
    channelsLast(b);
    const layer = { op: "conv", out: integer(need(b, "filters", "Conv2D"), "filters"), kernel: size(need(b, "kernel_size", "Conv2D"), "kernel_size") };
    if (given(b, "strides")) layer.stride = size(b.strides, "strides");
    layer.padding = kerasPadding(b);
    if (given(b, "dilation_rate")) layer.dilation = size(b.dilation_rate, "dilation_rate");
    if ([].concat(layer.stride ?? 1).some(s => s !== 1) && [].concat(layer.dilation ?? 1).some(d => d !== 1)) {
      throw new ModelError("strides > 1 together with dilation_rate > 1 is not supported by Keras");
    }
    if (given(b, "groups")) layer.groups = integer(b.groups, "groups");
    if (given(b, "use_bias")) layer.bias = flag(b.use_bias, "use_bias");
    return [layer, ...activation(b)];
  },
  MaxPooling2D: b => kerasPool("maxpool", b),
  AveragePooling2D: b => kerasPool("avgpool", b),
  GlobalAveragePooling2D(b) {
    channelsLast(b);
    if (given(b, "keepdims") && flag(b.keepdims, "keepdims")) throw new ModelError("keepdims=True is not supported");
    return [{ op: "globalavgpool" }, { op: "flatten" }];  // Keras' global pooling returns a flat vector per image
  },
  BatchNormalization(b) {
    if (given(b, "axis") && b.axis !== -1 && b.axis !== 3) throw new ModelError("only axis=-1 (channels last) is supported");
    if ((given(b, "center") && !flag(b.center, "center")) || (given(b, "scale") && !flag(b.scale, "scale"))) {
      throw new ModelError("center=False or scale=False is not supported");
    }
    return [{ op: "batchnorm" }];
  },
  Flatten(b) { channelsLast(b); return [{ op: "flatten" }]; },
  Dense(b) {
    const layer = { op: "dense", out: integer(need(b, "units", "Dense"), "units") };
    if (given(b, "use_bias")) layer.bias = flag(b.use_bias, "use_bias");
    return [layer, ...activation(b)];
  },
  Dropout: b => [{ op: "dropout", p: probability(need(b, "rate", "Dropout")) }],
  Activation: b => activation({ activation: need(b, "activation", "Activation") }),
  ReLU: () => [{ op: "activation", name: "relu" }],
};

function inputShape(value, what) {
  if (!Array.isArray(value) || value.length !== 3) throw new ModelError(`${what} must be (height, width, channels)`);
  value.forEach(v => { if (!Number.isInteger(v) || v < 1) throw new ModelError(`${what} must hold positive integers (None is not supported)`); });
  return value.slice();
}

// --- the model ---------------------------------------------------------------------------------

const TORCH_SEQUENTIAL = /^(?:torch\.)?(?:nn\.)?Sequential$/;
const KERAS_SEQUENTIAL = /^(?:tf\.)?(?:keras\.)?(?:models\.)?Sequential$/;

function layersOf(model) {
  if (model === null || typeof model !== "object" || Array.isArray(model) || !model.call) {
    throw new ModelError("expected a model: nn.Sequential(...) or keras.Sequential([...])");
  }
  if (KERAS_SEQUENTIAL.test(model.call) && model.args.length && Array.isArray(model.args[0])) return ["keras", model.args[0]];
  if (TORCH_SEQUENTIAL.test(model.call)) {
    if (Object.keys(model.kwargs).length) throw new ModelError(`line ${model.line}: nn.Sequential takes layers, not keyword arguments`);
    return ["pytorch", model.args];
  }
  throw new ModelError(`line ${model.line}: ${model.call} is not nn.Sequential(...) or keras.Sequential([...])`);
}

function layerName(node, framework) {
  const parts = node.call.split(".");
  const name = parts.pop();
  const prefix = parts.join(".");
  const ok = framework === "pytorch" ? /^(?:(?:torch\.)?nn)?$/.test(prefix) : /^(?:(?:tf\.)?keras\.)?(?:layers)?$/.test(prefix) || prefix === "keras" || prefix === "tf.keras";
  if (!ok) throw new ModelError(`${node.call}: not a ${framework === "pytorch" ? "torch.nn" : "Keras"} layer`);
  return name;
}

export function readModel(text) {
  if (typeof text !== "string") throw new ModelError("the model must be text");
  // Import lines change nothing; blank them so line numbers stay those of the pasted text.
  const kept = text.split("\n").map(l => (/^\s*(?:import|from)\s/.test(l) ? "" : l)).join("\n");
  const [framework, nodes] = layersOf(parser(tokenize(kept)).program());
  if (!nodes.length) throw new ModelError("the model has no layers");
  const layers = [], lines = [];
  let input = null;
  nodes.forEach((node, index) => {
    const where = node && node.line ? `line ${node.line}, layer ${index + 1}` : `layer ${index + 1}`;
    try {
      if (node === null || typeof node !== "object" || Array.isArray(node) || !node.call) throw new ModelError("expected a layer call");
      const name = layerName(node, framework);
      let made;
      if (framework === "pytorch") {
        if (TORCH_ACTIVATIONS.includes(name)) made = [{ op: name === "ReLU" ? "relu" : "activation", ...(name === "ReLU" ? {} : { name: name.toLowerCase() }) }];
        else if (TORCH[name]) made = TORCH[name](bind(node, TORCH_SIGNATURES[name]));
        else throw new ModelError(`${name} is not a layer the calculator knows (Conv2d, ConvTranspose2d, MaxPool2d, AvgPool2d, AdaptiveAvgPool2d, BatchNorm2d, BatchNorm1d, activations, Flatten, Linear, Dropout)`);
      } else {
        if (name === "Input" || name === "InputLayer") {
          if (index !== 0) throw new ModelError(`${name} must come first`);
          const b = bind(node, KERAS_SIGNATURES[name].concat(["name", "dtype"]));
          input = inputShape(b.shape ?? b.input_shape, "shape");
          made = [];
        } else if (KERAS[name]) {
          const b = bind(node, KERAS_SIGNATURES[name].concat(KERAS_COMMON));
          if (given(b, "input_shape")) {
            if (index !== 0 && layers.length) throw new ModelError("input_shape belongs on the first layer");
            input = inputShape(b.input_shape, "input_shape");
          }
          made = KERAS[name](b);
        } else throw new ModelError(`${name} is not a layer the calculator knows (Input, Conv2D, MaxPooling2D, AveragePooling2D, GlobalAveragePooling2D, BatchNormalization, Flatten, Dense, Dropout, Activation, ReLU)`);
      }
      made.forEach(layer => { layers.push(layer); lines.push(node.line); });
    } catch (error) {
      if (!(error instanceof ModelError)) throw error;
      const label = node && node.call ? ` (${short(node.call)})` : "";
      throw new ModelError(`${where}${label}: ${error.message}`);
    }
  });
  return { framework, input, layers, lines };
}

export function parseModel(text) {
  return readModel(text).layers;
}
