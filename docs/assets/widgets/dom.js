// Tiny DOM helpers shared by the widgets' user interfaces.
const SVG = "http://www.w3.org/2000/svg";

function build(node, attrs, children) {
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === false || value == null) continue;
    if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
    else if (key === "text") node.textContent = value;
    else node.setAttribute(key, value === true ? "" : value);
  }
  for (const child of children.flat()) if (child != null && child !== false) node.append(child);
  return node;
}

export const h = (tag, attrs, ...children) => build(document.createElement(tag), attrs, children);
export const s = (tag, attrs, ...children) => build(document.createElementNS(SVG, tag), attrs, children);

let counter = 0;
export const uid = prefix => `sw-${prefix}-${++counter}`;

// A labelled control: <label for> + <input|select>; returns [wrapper, control].
export function field(label, control) {
  control.id = control.id || uid("c");
  return [h("span", { class: "sw-field" }, h("label", { for: control.id, text: label }), control), control];
}

export function number(value, min, max, attrs = {}) {
  return h("input", { type: "number", inputmode: "numeric", value, min, max, step: 1, ...attrs });
}

export function select(options, value, attrs = {}) {
  const el = h("select", attrs, options.map(([v, text]) => h("option", { value: v, text })));
  el.value = value;
  return el;
}

export const int = n => n.toLocaleString("en-US");
export const minus = v => String(v).replace("-", "\u2212");

export const reducedMotion = () => window.matchMedia("(prefers-reduced-motion: reduce)").matches;

// What a widget computes, on window.sharedWeights.<widget> for tests and for the curious.
// One namespace per widget: two widgets on one page may export the same name (sliding.js's
// and tied.js's `reach` differ), and a flat object kept whichever module loaded last.
export function expose(widget, values) {
  window.sharedWeights = window.sharedWeights || {};
  window.sharedWeights[widget] = values;
}
