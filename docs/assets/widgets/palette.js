// One colour per kernel weight, the same in every widget: weight (a, b) of a k×k kernel is
// tap a·k + b, and its hue depends on the tap alone, so it stays when padding or stride
// renumber the free parameters. Lightness comes from the palette (--sw-param-l in site.css).
const GOLDEN = 137.508;  // degrees: neighbouring taps get far-apart hues

export const tapHue = tap => (tap * GOLDEN + 210) % 360;
export const tapFill = tap => `hsl(${tapHue(tap).toFixed(1)} 70% var(--sw-param-l))`;
export const idFill = id => `hsl(${((id * GOLDEN) % 360).toFixed(1)} 70% var(--sw-param-l))`;
// "w₁,₂": a weight's name as the legend and the sentences write it.
const SUB = "₀₁₂₃₄₅₆₇₈₉";
export const weightName = (tap, k) => `w${[Math.floor(tap / k), tap % k].map(v => String(v).split("").map(d => SUB[d]).join("")).join(",")}`;
