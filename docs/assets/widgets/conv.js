// Filters sliding over an image (no DOM): the arithmetic behind the sliding-filter widget,
// checked by tests/site/test_widgets.py against snippets/lib/layers.py conv2d and
// conv_transpose2d for every control combination, channels, groups and bias included.
//
// A convolution slides a k×k kernel (taps d apart) over the image padded by p, s pixels
// at a time; as in PyTorch the output size is rounded down, and the rows and columns no
// window reaches are marked never read (`read`). A transposed convolution is drawn as the
// convolution it equals: the image stretched (s − 1 zeros between pixels), padded by
// d(k − 1) − p (cropped if negative) and by `outputPadding` more at the bottom and right,
// swept at stride 1 by the kernel turned half a turn.
//
// `convolve` computes convolution in the signal-processing sense instead of the
// cross-correlation that libraries call convolution: the kernel turned half a turn first
// (for the transposed convolution, turned back: the two half turns cancel).

// The one output-size rule of the widgets.
import { outputSize } from "./stack.js";

export function plan(n, k, { stride: s = 1, padding: p = 0, dilation: d = 1, transposed = false, convolve = false,
  outputPadding: op = 0 } = {}) {
  const span = d * (k - 1) + 1;
  if (transposed) {
    if (op >= Math.max(s, d)) return { error: `output padding ${op} must be smaller than the stride (${s}) or the dilation (${d}), as PyTorch requires` };
    const stretched = (n - 1) * s + 1, border = d * (k - 1) - p, size = stretched + 2 * border + op;
    const out = size - span + 1;  // = (n − 1)s − 2p + d(k − 1) + op + 1
    if (out < 1) return { error: `the output would have ${out} pixels: (n − 1)·s − 2p + d(k − 1) + op + 1 = (${n} − 1)·${s} − 2·${p} + ${d}·(${k} − 1) + ${op} + 1 is less than 1` };
    return { n, k, span, size, out, step: 1, dilation: d, gap: s, border, flip: !convolve, read: Array(size).fill(true) };
  }
  if (op) return { error: "output padding is for the transposed convolution only" };
  const size = n + 2 * p;
  if (span > size) return { error: `the window spans ${span} pixels (d(k − 1) + 1 = ${d}·(${k} − 1) + 1), more than the padded input's ${size} (n + 2p = ${n} + 2·${p})` };
  const out = outputSize(n, k, s, p, d);  // rounded down, as PyTorch does
  // A row no window reaches is never read: past the last window, or between windows when
  // the stride is longer than the taps cover.
  const read = Array(size).fill(false);
  for (let i = 0; i < out; i++) for (let a = 0; a < k; a++) read[i * s + a * d] = true;
  return { n, k, span, size, out, step: s, dilation: d, gap: 1, border: p, flip: convolve, read };
}

// The canvas the window slides over: {value, kind} with kind "input", "hole" (a zero
// between stretched pixels) or "pad", and `read: false` where no window reaches.
export function canvas(x, g) {
  const cells = Array.from({ length: g.size }, (_, r) => Array.from({ length: g.size }, (_, c) => ({ value: 0, kind: "pad",
    read: g.read[r] && g.read[c] })));
  const inside = v => v >= 0 && v < g.size;
  for (let r = 0; r < (g.n - 1) * g.gap + 1; r++) {
    for (let c = 0; c < (g.n - 1) * g.gap + 1; c++) {
      const [cr, cc] = [g.border + r, g.border + c];
      if (!inside(cr) || !inside(cc)) continue;
      const real = r % g.gap === 0 && c % g.gap === 0;
      Object.assign(cells[cr][cc], real ? { value: x[r / g.gap][c / g.gap], kind: "input" } : { value: 0, kind: "hole" });
    }
  }
  return cells;
}

// The taps of output (i, j): canvas cell and the kernel entry it multiplies.
export function taps(g, i, j) {
  const list = [];
  for (let a = 0; a < g.k; a++) {
    for (let b = 0; b < g.k; b++) {
      const [wa, wb] = g.flip ? [g.k - 1 - a, g.k - 1 - b] : [a, b];
      list.push({ row: i * g.step + a * g.dilation, col: j * g.step + b * g.dilation, a: wa, b: wb });
    }
  }
  return list;
}

// Several channels and filters: x is [C][n][n]; w is [F][C/groups][k][k] for a convolution
// and [C][F/groups][k][k] for a transposed one (PyTorch's layouts); bias is [F] or null.
// Every output: its value (the bias plus, over the filter's input channels, the products)
// and the products that give it, with the channel `c` each comes from.
export function slideChannels(x, w, { bias = null, groups = 1, ...options } = {}) {
  const C = x.length, n = x[0].length, k = w[0][0].length;
  const F = options.transposed ? w[0].length * groups : w.length;
  if (C % groups || F % groups) return { error: `${groups} groups must divide the ${C} input channels and the ${F} filters` };
  const g = plan(n, k, options);
  if (g.error) return g;
  const cin = C / groups, fout = F / groups;
  const cells = x.map(channel => canvas(channel, g));
  // The kernel filter f applies to input channel c (within f's group).
  const weight = (f, c) => (options.transposed ? w[c][f % fout] : w[f][c % cin]);
  const out = [], steps = [];
  for (let f = 0; f < F; f++) {
    const group = Math.floor(f / fout), map = [];
    for (let i = 0; i < g.out; i++) {
      map.push([]);
      for (let j = 0; j < g.out; j++) {
        const products = [];
        for (let c = group * cin; c < (group + 1) * cin; c++) {
          const kern = weight(f, c);
          for (const t of taps(g, i, j)) products.push({ ...t, c, x: cells[c][t.row][t.col].value, w: kern[t.a][t.b] });
        }
        const b = bias ? bias[f] : 0;
        const sum = products.reduce((total, t) => total + t.w * t.x, b);
        map[i].push(sum);
        steps.push({ f, i, j, products, bias: b, sum });
      }
    }
    out.push(map);
  }
  return { ...g, channels: C, filters: F, groups, cells, out, steps };
}

// One filter over one image (x [n][n], w [k][k]): the single-channel case, as before.
export function slide(x, w, options) {
  const r = slideChannels([x], [[w]], options);
  if (r.error) return r;
  return { ...r, cells: r.cells[0], out: r.out[0], steps: r.steps.map(({ f, bias, products, ...step }) => ({ ...step, products: products.map(({ c, ...t }) => t) })) };
}

// The canvas cells (row, col) that kernel entry (a, b) multiplies at some output position:
// the reach of one shared weight.
export function reach(g, a, b) {
  const cells = new Set();
  for (let i = 0; i < g.out; i++) {
    for (let j = 0; j < g.out; j++) {
      for (const t of taps(g, i, j)) if (t.a === a && t.b === b) cells.add(`${t.row},${t.col}`);
    }
  }
  return [...cells].map(key => key.split(",").map(Number)).sort((p, q) => p[0] - q[0] || p[1] - q[1]);
}

// The widget's small integer image and kernel (the tests pass their own); channel c and
// filter f give other numbers, so stacked slices differ.
export const image = (n, c = 0) => Array.from({ length: n }, (_, r) => Array.from({ length: n }, (_, col) => (3 * r + 5 * col + r * col + 2 * c) % 4));
export const kernel = (k, f = 0, c = 0) => Array.from({ length: k }, (_, a) => Array.from({ length: k }, (_, b) => ((2 * a + 3 * b + 1 + f + 2 * c) % 4) - 1));
