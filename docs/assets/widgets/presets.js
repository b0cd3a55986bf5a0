// The sequential networks of "Real architectures" in the calculator's layer vocabulary
// (activations, dropout and LRN left out: they change no count). tests/site/test_widgets.py
// checks that their totals equal the values that page shows.
const conv = (out, kernel, more = {}) => ({ op: "conv", out, kernel, stride: 1, padding: 0, dilation: 1, groups: 1, bias: true, ...more });
const pool = (op, kernel, stride = kernel, padding = 0) => ({ op, kernel, stride, ...(padding ? { padding } : {}) });
const dense = (out, bias = true) => ({ op: "dense", out, bias });
const FLATTEN = { op: "flatten" };

// LeNet-5's C3: the S2 maps each C3 map reads (LeCun et al. 1998, Table I).
const C3 = [[0, 1, 2], [1, 2, 3], [2, 3, 4], [3, 4, 5], [0, 4, 5], [0, 1, 5], [0, 1, 2, 3], [1, 2, 3, 4], [2, 3, 4, 5],
  [0, 3, 4, 5], [0, 1, 4, 5], [0, 1, 2, 5], [0, 1, 3, 4], [1, 2, 4, 5], [0, 2, 3, 5], [0, 1, 2, 3, 4, 5]];

function vgg16() {
  const layers = [];
  for (const [filters, convs] of [[64, 2], [128, 2], [256, 3], [512, 3], [512, 3]]) {
    for (let i = 0; i < convs; i++) layers.push(conv(filters, 3, { padding: 1 }));
    layers.push(pool("maxpool", 2));
  }
  return layers.concat([FLATTEN, dense(4096), dense(4096), dense(1000)]);
}

function mobilenetV1() {
  const bn = { op: "batchnorm" };
  const layers = [conv(32, 3, { stride: 2, padding: 1, bias: false }), bn];
  let c = 32;
  for (const [out, stride] of [[64, 1], [128, 2], [128, 1], [256, 2], [256, 1], [512, 2], [512, 1], [512, 1],
    [512, 1], [512, 1], [512, 1], [1024, 2], [1024, 1]]) {
    layers.push(conv(c, 3, { stride, padding: 1, groups: c, bias: false }), bn, conv(out, 1, { bias: false }), bn);
    c = out;
  }
  return layers.concat([pool("avgpool", 7), conv(1000, 1), FLATTEN]);
}

export const PRESETS = {
  lenet5: { name: "LeNet-5", input: [32, 32, 1], layers: [
    conv(6, 5), pool("subsample", 2), conv(16, 5, { table: C3 }), pool("subsample", 2), conv(120, 5),
    FLATTEN, dense(84), { op: "rbf", out: 10 }] },
  alexnet_2012: { name: "AlexNet (2012)", input: [227, 227, 3], layers: [
    conv(96, 11, { stride: 4 }), pool("maxpool", 3, 2), conv(256, 5, { padding: 2, groups: 2 }), pool("maxpool", 3, 2),
    conv(384, 3, { padding: 1 }), conv(384, 3, { padding: 1, groups: 2 }), conv(256, 3, { padding: 1, groups: 2 }),
    pool("maxpool", 3, 2), FLATTEN, dense(4096), dense(4096), dense(1000)] },
  vgg16: { name: "VGG-16", input: [224, 224, 3], layers: vgg16() },
  mobilenet_v1: { name: "MobileNet V1", input: [224, 224, 3], layers: mobilenetV1() },
};
