// The tied matrix (no DOM): a dense, a locally connected and a convolutional layer on an
// n×n single-channel image, each written as the matrix it multiplies the flattened image
// by, every entry labelled with the free parameter it holds (-1: a structural zero).
// Parameters are numbered in order of first appearance, reading the matrix row by row,
// as snippets/lib/dense_equivalent.py parameter_index_matrix numbers them; tests/site/test_widgets.py
// compares the two for every control combination. The convolution's entries also carry the
// kernel tap a·k + b they hold (`conv.taps`), so a weight keeps its colour when padding
// changes the numbering, and `reach` and `windowOf` say what a weight or an output touches.

// The one output-size rule of the widgets.
import { outputSize } from "./stack.js";

function renumber(raw) {
  const seen = new Map();
  return raw.map(id => (id < 0 ? -1 : seen.has(id) ? seen.get(id) : (seen.set(id, seen.size), seen.size - 1)));
}

function summary(ids) {
  const nonzero = ids.filter(i => i >= 0).length, free = Math.max(-1, ...ids) + 1;
  return { ids, free, nonzero };
}

export function matrices(n, k, { stride = 1, padding = 0 } = {}) {
  const out = outputSize(n, k, stride, padding);
  if (out < 1) return { error: `a ${k}×${k} window does not fit in the ${n + 2 * padding}×${n + 2 * padding} padded image` };
  const rows = out * out, cols = n * n;
  const dense = [], local = new Array(rows * cols).fill(-1), conv = new Array(rows * cols).fill(-1);
  const taps = new Array(rows * cols).fill(-1);
  for (let e = 0; e < rows * cols; e++) dense.push(e);
  for (let i = 0; i < out; i++) {
    for (let j = 0; j < out; j++) {
      const row = i * out + j;
      for (let a = 0; a < k; a++) {
        for (let b = 0; b < k; b++) {
          const r = i * stride + a - padding, c = j * stride + b - padding;
          if (r < 0 || c < 0 || r >= n || c >= n) continue;  // a tap on padding: no entry
          local[row * cols + r * n + c] = row * k * k + a * k + b;
          conv[row * cols + r * n + c] = a * k + b;
          taps[row * cols + r * n + c] = a * k + b;
        }
      }
    }
  }
  return {
    out, rows, cols,
    dense: summary(dense), local: summary(renumber(local)), conv: { ...summary(renumber(conv)), taps },
  };
}

// The input pixels (row-major indices) that kernel tap `tap` multiplies at some output position.
export function reach(m, tap) {
  const pixels = new Set();
  m.conv.taps.forEach((t, e) => { if (t === tap) pixels.add(e % m.cols); });
  return [...pixels].sort((x, y) => x - y);
}

// The input pixels that output `row` reads, each with the tap that multiplies it: [[pixel, tap], ...].
export function windowOf(m, row) {
  const found = [];
  for (let c = 0; c < m.cols; c++) {
    const t = m.conv.taps[row * m.cols + c];
    if (t >= 0) found.push([c, t]);
  }
  return found;
}
