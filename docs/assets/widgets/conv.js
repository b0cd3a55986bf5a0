// One filter sliding over one image (no DOM): the arithmetic behind the sliding-filter
// widget, checked by tests/site/test_widgets.py against snippets/lib/layers.py conv2d and
// conv_transpose2d for every control combination.
//
// A convolution slides a k×k kernel (taps d apart) over the image padded by p, s pixels
// at a time. A transposed convolution is drawn as the convolution it equals: the image
// stretched (s − 1 zeros between pixels), padded by d(k − 1) − p (cropped if negative),
// swept at stride 1 by the kernel turned half a turn.
//
// `convolve` computes convolution in the signal-processing sense instead of the
// cross-correlation that libraries call convolution: the kernel turned half a turn first
// (for the transposed convolution, turned back: the two half turns cancel).

export function plan(n, k, { stride: s = 1, padding: p = 0, dilation: d = 1, transposed = false, convolve = false } = {}) {
  const span = d * (k - 1) + 1;
  if (transposed) {
    const stretched = (n - 1) * s + 1, border = d * (k - 1) - p, size = stretched + 2 * border;
    const out = size - span + 1;  // = (n − 1)s − 2p + d(k − 1) + 1
    if (out < 1) return { error: `the output would have ${out} pixels: (n − 1)·s − 2p + d(k − 1) + 1 = (${n} − 1)·${s} − 2·${p} + ${d}·(${k} − 1) + 1 is less than 1` };
    return { n, k, span, size, out, step: 1, dilation: d, gap: s, border, flip: !convolve };
  }
  const size = n + 2 * p;
  if (span > size) return { error: `the window spans ${span} pixels (d(k − 1) + 1 = ${d}·(${k} − 1) + 1), more than the padded input's ${size} (n + 2p = ${n} + 2·${p})` };
  if ((size - span) % s) {
    const fraction = (size - span) / s + 1;
    return { error: `the output size (n + 2p − d(k − 1) − 1)/s + 1 = (${n} + 2·${p} − ${span})/${s} + 1 = ${+fraction.toFixed(2)} is not an integer: the last ${(size - span) % s} pixel(s) would never be read (PyTorch rounds down to ${Math.floor(fraction)})` };
  }
  return { n, k, span, size, out: (size - span) / s + 1, step: s, dilation: d, gap: 1, border: p, flip: convolve };
}

// Where input pixel r sits on the canvas (may be outside when the border is negative).
const place = (g, r) => g.border + r * g.gap;

// The canvas the window slides over: {value, kind} with kind "input", "hole" (a zero
// between stretched pixels) or "pad".
export function canvas(x, g) {
  const cells = Array.from({ length: g.size }, () => Array.from({ length: g.size }, () => ({ value: 0, kind: "pad" })));
  const inside = v => v >= 0 && v < g.size;
  for (let r = 0; r < (g.n - 1) * g.gap + 1; r++) {
    for (let c = 0; c < (g.n - 1) * g.gap + 1; c++) {
      const [cr, cc] = [g.border + r, g.border + c];
      if (!inside(cr) || !inside(cc)) continue;
      const real = r % g.gap === 0 && c % g.gap === 0;
      cells[cr][cc] = real ? { value: x[r / g.gap][c / g.gap], kind: "input" } : { value: 0, kind: "hole" };
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

// Every output: its value and the products that give it.
export function slide(x, w, options) {
  const g = plan(x.length, w.length, options);
  if (g.error) return g;
  const cells = canvas(x, g);
  const out = [], steps = [];
  for (let i = 0; i < g.out; i++) {
    out.push([]);
    for (let j = 0; j < g.out; j++) {
      const products = taps(g, i, j).map(t => ({ ...t, x: cells[t.row][t.col].value, w: w[t.a][t.b] }));
      const sum = products.reduce((total, t) => total + t.w * t.x, 0);
      out[i].push(sum);
      steps.push({ i, j, products, sum });
    }
  }
  return { ...g, cells, out, steps };
}

// The widget's small integer image and kernel (the tests pass their own).
export const image = n => Array.from({ length: n }, (_, r) => Array.from({ length: n }, (_, c) => (3 * r + 5 * c + r * c) % 4));
export const kernel = k => Array.from({ length: k }, (_, a) => Array.from({ length: k }, (_, b) => ((2 * a + 3 * b + 1) % 4) - 1));
