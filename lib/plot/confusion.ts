/**
 * A confusion matrix as a plotly heatmap that reads at a glance: rows are the true class, columns the
 * predicted one; white at 0 and darkest at the largest count (ColorBrewer "Blues"); the counts written in the
 * cells while they fit (up to 20 classes); and long or many labels (Banking77's 77 intents) shortened on the
 * axes, with the full names and the count in the hover text, on a figure tall enough for one row per class.
 */
import { showPlot, type PlotLayout, type PlotTrace } from "./plotly";

export interface ConfusionOptions {
  title?: string;
  /** Write the counts in the cells (default: when there are at most 20 classes). */
  showCounts?: boolean;
  /** Longest axis label before it is shortened with "…" (default 24 characters). */
  maxLabelLength?: number;
}

/** ColorBrewer's sequential "Blues", light to dark: the largest count is the darkest cell. */
const BLUES: [number, string][] = [
  [0, "#f7fbff"], [0.125, "#deebf7"], [0.25, "#c6dbef"], [0.375, "#9ecae1"], [0.5, "#6baed6"],
  [0.625, "#4292c6"], [0.75, "#2171b5"], [0.875, "#08519c"], [1, "#08306b"],
];

/** `label` cut to `max` characters with an ellipsis. */
export function shortLabel(label: string, max: number): string {
  return label.length <= max ? label : `${label.slice(0, Math.max(1, max - 1))}…`;
}

/**
 * The figure of a confusion matrix.
 * @param matrix `[K, K]` counts, `matrix[i][j]` = examples of true class i predicted as j (`confusionMatrix`'s layout)
 * @param labels the K class names
 * @returns traces, layout and height for `showPlot`
 * @throws when `matrix` is not K×K for K labels
 */
export function confusionMatrixPlot(matrix: readonly (readonly number[])[], labels: readonly string[], options: ConfusionOptions = {}): { data: PlotTrace[]; layout: PlotLayout; height: number } {
  const K = labels.length;
  const { title = "Confusion matrix", showCounts = K <= 20, maxLabelLength = 24 } = options;
  if (matrix.length !== K || matrix.some((row) => row.length !== K)) {
    throw new Error(`confusionMatrixPlot: the matrix must be ${K}×${K} for ${K} labels, got ${matrix.length}×${matrix[0]?.length ?? 0}`);
  }
  const ids = labels.map((_, k) => k); // numeric axes: two labels shortened alike stay two columns
  const ticks = labels.map((label) => shortLabel(label, maxLabelLength));
  const many = K > 20;
  const heatmap: PlotTrace = {
    type: "heatmap",
    z: matrix,
    x: ids,
    y: ids,
    zmin: 0,
    colorscale: BLUES,
    colorbar: { title: { text: "count" } },
    customdata: labels.map((trueLabel) => labels.map((predicted) => [trueLabel, predicted])),
    hovertemplate: "true: %{customdata[0]}<br>predicted: %{customdata[1]}<br>count: %{z}<extra></extra>",
    xgap: many ? 0 : 1,
    ygap: many ? 0 : 1,
    ...(showCounts ? { texttemplate: "%{z}", textfont: { size: K <= 8 ? 14 : 11 } } : {}),
  };
  const tickfont = { size: many ? 9 : 12 };
  // automargin: plotly makes room for the tick labels, and puts the axis titles beyond them.
  const axis = { tickmode: "array", tickvals: ids, ticktext: ticks, tickfont, showgrid: false, automargin: true };
  const labelsHeight = K > 6 ? Math.max(...ticks.map((t) => t.length)) * (many ? 5.5 : 7) : 0; // rotated x labels
  const height = Math.max(420, Math.min(1800, 120 + labelsHeight + K * (many ? 14 : 40)));
  const layout: PlotLayout = {
    title: { text: title },
    xaxis: { ...axis, title: { text: "predicted" }, tickangle: many ? -90 : K > 6 ? -45 : 0 },
    yaxis: { ...axis, title: { text: "true" }, autorange: "reversed" },
    margin: { t: 50, r: 20, l: 60, b: 60 },
  };
  return { data: [heatmap], layout, height };
}

/** Shows a confusion matrix (see `confusionMatrixPlot`). */
export function showConfusionMatrix(matrix: readonly (readonly number[])[], labels: readonly string[], options: ConfusionOptions = {}): void {
  const { data, layout, height } = confusionMatrixPlot(matrix, labels, options);
  showPlot(data, layout, { height });
}
