/**
 * Several training runs' curves of one metric on shared axes, the way TensorBoard's scalar dashboard overlays
 * runs: each run one colour, optionally smoothed with TensorBoard's debiased exponential moving average (the raw
 * points then stay as a faint line of the same colour).
 */
import { showPlot, type PlotLayout, type PlotTrace } from "./plotly";

/** One run's curve: plain arrays (e.g. `runSeries(readRun(dir), "loss")` with a name). */
export interface RunCurve {
  name: string;
  /** Steps. */
  x: readonly number[];
  y: readonly number[];
}

export interface CompareRunsOptions {
  title?: string;
  xLabel?: string;
  yLabel?: string;
  /** Log-scale y axis (losses over many orders, perplexity). */
  logY?: boolean;
  /** TensorBoard's smoothing weight in [0, 1) (default 0: raw points only; TensorBoard's own default is 0.6). */
  smoothing?: number;
}

/** plotly's default colour cycle (D3 category10): a run keeps its colour in its raw and smoothed lines. */
const COLOURS = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"];

/**
 * TensorBoard's smoothing: an exponential moving average debiased like Adam's moments, so the first points are not
 * pulled toward zero (`classicSmoothing` in TensorBoard's `webapp/widgets/line_chart_v2/data_transformer.ts`:
 * `last = last·w + (1−w)·y; out = last / (1 − wᵏ)`);
 * non-finite values pass through unsmoothed.
 * @param weight in [0, 1); 0 returns the values unchanged
 */
export function smoothCurve(values: readonly number[], weight: number): number[] {
  if (!(weight >= 0 && weight < 1)) throw new Error(`smoothCurve: the weight must be in [0, 1), got ${weight}`);
  let last = 0;
  let k = 0;
  return values.map((y) => {
    if (!Number.isFinite(y)) return y;
    last = last * weight + (1 - weight) * y;
    k++;
    return weight === 0 ? y : last / (1 - weight ** k);
  });
}

/**
 * The figure comparing `runs` on one metric.
 * @returns plotly traces and layout for `showPlot`
 * @throws when `runs` is empty or a run's `x` and `y` differ in length
 */
export function compareRunsPlot(runs: readonly RunCurve[], options: CompareRunsOptions = {}): { data: PlotTrace[]; layout: PlotLayout } {
  const { title = "", xLabel = "step", yLabel = "", logY = false, smoothing = 0 } = options;
  if (runs.length === 0) throw new Error("compareRuns: no runs given; pass one { name, x, y } per run");
  const data: PlotTrace[] = [];
  runs.forEach((run, i) => {
    if (run.x.length !== run.y.length) throw new Error(`compareRuns: run "${run.name}" has ${run.x.length} steps but ${run.y.length} values`);
    const color = COLOURS[i % COLOURS.length];
    const mode = run.x.length === 1 ? "markers" : "lines";
    if (smoothing > 0) {
      data.push({ type: "scatter", mode, name: `${run.name} (raw)`, x: run.x, y: run.y, line: { color, width: 1 }, opacity: 0.3, showlegend: false, hoverinfo: "skip" });
      data.push({ type: "scatter", mode, name: run.name, x: run.x, y: smoothCurve(run.y, smoothing), line: { color, width: 2 } });
    } else {
      data.push({ type: "scatter", mode, name: run.name, x: run.x, y: run.y, line: { color, width: 2 } });
    }
  });
  const layout: PlotLayout = {
    title: { text: title },
    xaxis: { title: { text: xLabel } },
    yaxis: { title: { text: yLabel }, type: logY ? "log" : "linear" },
    hovermode: "x unified",
  };
  return { data, layout };
}

/** Shows `runs`' curves of one metric on shared axes (see `compareRunsPlot`). */
export function compareRuns(runs: readonly RunCurve[], options: CompareRunsOptions = {}): void {
  const { data, layout } = compareRunsPlot(runs, options);
  showPlot(data, layout);
}
