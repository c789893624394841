/**
 * A curve with its spread as plotly traces: the mean as a line, and a shaded band between `lower` and `upper`
 * (e.g. min–max over seeds, or mean ± std). Plain arrays in; pass the traces to `showPlot`.
 */
import type { PlotTrace } from "./plotly";

/** Options of {@link bandTraces}. */
export interface BandOptions {
  /** Line and band colour as `#rrggbb`; default plotly's first colour. Give each curve its own. */
  color?: string;
  /** Band opacity in [0, 1], default 0.2. */
  opacity?: number;
}

/**
 * Three traces: the band's lower edge (invisible), its upper edge filled down to it, and the mean line on top.
 * @throws Error when the arrays differ in length
 */
export function bandTraces(name: string, x: readonly number[], mean: readonly number[], lower: readonly number[], upper: readonly number[], options: BandOptions = {}): PlotTrace[] {
  const { color = "#1f77b4", opacity = 0.2 } = options;
  const hex = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(color);
  if (!hex) throw new Error(`bandTraces(${name}): color must be #rrggbb, got "${color}".`);
  if (![mean, lower, upper].every((a) => a.length === x.length)) throw new Error(`bandTraces(${name}): x, mean, lower and upper must have the same length, got ${x.length}, ${mean.length}, ${lower.length}, ${upper.length}.`);
  const fillcolor = `rgba(${hex.slice(1).map((h) => parseInt(h, 16)).join(", ")}, ${opacity})`;
  return [
    { x, y: lower, type: "scatter", mode: "lines", line: { width: 0 }, showlegend: false, hoverinfo: "skip", legendgroup: name },
    { x, y: upper, type: "scatter", mode: "lines", line: { width: 0 }, fill: "tonexty", fillcolor, showlegend: false, hoverinfo: "skip", legendgroup: name, name: `${name} spread` },
    { x, y: mean, type: "scatter", mode: "lines+markers", name, legendgroup: name, line: { color } },
  ];
}
