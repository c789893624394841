/**
 * A live training curve: while training it redraws one notebook display as an SVG line chart (cheap, no
 * script); `finish()` replaces it with an interactive plotly figure, which is what the saved notebook keeps.
 */
import { LiveDisplay, inKernel, type MimeBundle } from "./display";
import { plotBundle, markPlotlyInlined, plotlyInlinedYet } from "./plotly";
import { svgLineChart, type Series } from "./svg-chart";

export interface TrainingCurveOptions {
  title?: string;
  xLabel?: string;
  yLabel?: string;
  /** Log-scale y axis in the final figure (perplexity, say). */
  logY?: boolean;
  /** Minimum milliseconds between redraws (default 500). */
  intervalMs?: number;
}

export class TrainingCurve {
  private readonly display = new LiveDisplay();
  private readonly byName = new Map<string, Series>();
  private lastDraw = -Infinity;

  constructor(private readonly options: TrainingCurveOptions = {}) {}

  /** Adds one point per metric at `step`, e.g. `update(10, { train: 2.3, validation: 2.5 })`. */
  update(step: number, values: Record<string, number>): void {
    for (const [name, value] of Object.entries(values)) {
      let series = this.byName.get(name);
      if (series === undefined) {
        series = { name, x: [], y: [] };
        this.byName.set(name, series);
      }
      series.x.push(step);
      series.y.push(value);
    }
    const { intervalMs = 500 } = this.options;
    const now = Date.now();
    if (now - this.lastDraw < intervalMs) return;
    this.lastDraw = now;
    const { title = "", xLabel = "step", yLabel = "" } = this.options;
    const svg = svgLineChart(this.series(), { title, xLabel, yLabel });
    this.display.show({ "text/html": svg, "text/plain": this.summary() });
  }

  /** The recorded points, one series per metric. */
  series(): Series[] {
    return [...this.byName.values()];
  }

  /** "train 2.31 · validation 2.52 (step 100)". */
  summary(): string {
    const parts = this.series().map((s) => `${s.name} ${Number((s.y[s.y.length - 1] ?? NaN).toPrecision(4))}`);
    const step = Math.max(...this.series().map((s) => s.x[s.x.length - 1] ?? -Infinity));
    return `${parts.join(" · ")}${Number.isFinite(step) ? ` (step ${step})` : ""}`;
  }

  /** Replaces the live chart with the interactive figure; returns its bundle. */
  finish(): MimeBundle {
    const { title = "", xLabel = "step", yLabel = "", logY = false } = this.options;
    const traces = this.series().map((s) => ({ type: "scatter", mode: "lines", name: s.name, x: s.x, y: s.y }));
    const layout = { title: { text: title }, xaxis: { title: { text: xLabel } }, yaxis: { title: { text: yLabel }, type: logY ? "log" : "linear" } };
    const includePlotly = !plotlyInlinedYet() && inKernel();
    const bundle = plotBundle(traces, layout, { includePlotly });
    if (this.display.show(bundle) && includePlotly) markPlotlyInlined();
    return bundle;
  }
}

/** A live training curve (see `TrainingCurve`). */
export function newTrainingCurve(options: TrainingCurveOptions = {}): TrainingCurve {
  return new TrainingCurve(options);
}
