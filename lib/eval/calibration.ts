/**
 * Calibration: does a model that says "90% sure" get 90% right? (Guo et al. 2017, §2.)
 *
 * **Expected calibration error** with **equal-width** binning: the confidence (the top class's probability) of each
 * example falls in one of `M` bins `((m−1)/M, m/M]` (default M = 15, Guo et al.'s choice; the first bin also takes
 * 0); `ECE = Σ_m |B_m|/n · |acc(B_m) − conf(B_m)|`, with `acc` the share of correct top-class predictions and `conf`
 * the mean confidence in the bin. Empty bins add nothing. ECE depends on M (and on equal-width vs equal-mass bins),
 * so a number means little without them: the result carries `bins` and `binning`.
 */
import { showPlot, type PlotLayout, type PlotTrace } from "../plot";

/** One bin of a reliability diagram. */
export interface ReliabilityBin {
  /** The bin is `(low, high]` (the first also holds `low`). */
  low: number;
  high: number;
  count: number;
  /** Share of the bin's examples whose top class is the label (NaN when empty). */
  accuracy: number;
  /** Mean top-class probability in the bin (NaN when empty). */
  confidence: number;
}

/** Reliability diagram data and the ECE read from it. */
export interface CalibrationReport {
  ece: number;
  /** Largest |acc − conf| over non-empty bins (maximum calibration error). */
  mce: number;
  bins: ReliabilityBin[];
  binning: "equal-width";
  /** Number of examples. */
  n: number;
}

/** The index and value of the largest entry (first on ties, as argmax). */
function top(row: readonly number[]): [number, number] {
  let k = 0;
  for (let j = 1; j < row.length; j++) if ((row[j] as number) > (row[k] as number)) k = j;
  return [k, row[k] as number];
}

/**
 * Reliability diagram and ECE of predicted probabilities.
 * @param probabilities `[n][C]` each row a probability vector (softmax output)
 * @param labels `[n]` gold class indices
 * @param options `bins` (default 15)
 * @throws on mismatched lengths, no examples, a row that is not a probability vector (entries in [0, 1], sum 1 ± 1e-3)
 */
export function calibration(probabilities: readonly (readonly number[])[], labels: readonly number[], options: { bins?: number } = {}): CalibrationReport {
  const { bins: m = 15 } = options;
  if (probabilities.length !== labels.length) throw new Error(`calibration: ${probabilities.length} probability rows but ${labels.length} labels`);
  if (labels.length === 0) throw new Error("calibration: no examples");
  if (!Number.isInteger(m) || m < 1) throw new Error(`calibration: bins must be a positive integer, got ${m}`);
  const count = new Array<number>(m).fill(0);
  const correct = new Array<number>(m).fill(0);
  const confSum = new Array<number>(m).fill(0);
  probabilities.forEach((row, i) => {
    const sum = row.reduce((s, p) => s + p, 0);
    if (Math.abs(sum - 1) > 1e-3 || row.some((p) => !(p >= 0 && p <= 1))) throw new Error(`calibration: row ${i} is not a probability vector (sums to ${sum}); pass softmax outputs, not logits`);
    const [k, p] = top(row);
    const b = Math.min(m - 1, Math.max(0, Math.ceil(p * m) - 1)); // (b/M, (b+1)/M]
    count[b]!++;
    confSum[b]! += p;
    if (k === labels[i]) correct[b]!++;
  });
  const n = labels.length;
  let ece = 0;
  let mce = 0;
  const bins = count.map((c, b) => {
    const accuracy = c === 0 ? NaN : correct[b]! / c;
    const confidence = c === 0 ? NaN : confSum[b]! / c;
    if (c > 0) {
      ece += (c / n) * Math.abs(accuracy - confidence);
      mce = Math.max(mce, Math.abs(accuracy - confidence));
    }
    return { low: b / m, high: (b + 1) / m, count: c, accuracy, confidence };
  });
  return { ece, mce, bins, binning: "equal-width", n };
}

/**
 * Plotly traces of a reliability diagram: accuracy per bin as bars, the diagonal (perfect calibration), and each
 * bin's mean confidence as points; give several reports (e.g. before and after temperature scaling) to overlay them.
 */
export function reliabilityTraces(reports: readonly { name: string; report: CalibrationReport }[]): { data: PlotTrace[]; layout: PlotLayout } {
  const data: PlotTrace[] = [{ type: "scatter", mode: "lines", x: [0, 1], y: [0, 1], name: "perfectly calibrated", line: { dash: "dash", color: "#888" } }];
  for (const { name, report } of reports) {
    const used = report.bins.filter((b) => b.count > 0);
    data.push({
      type: "bar",
      x: used.map((b) => (b.low + b.high) / 2),
      y: used.map((b) => b.accuracy),
      width: used.map((b) => (b.high - b.low) * 0.9),
      name: `${name} (ECE ${report.ece.toFixed(3)})`,
      opacity: 0.6,
      customdata: used.map((b) => [b.count, b.confidence]),
      hovertemplate: "accuracy %{y:.3f}<br>mean confidence %{customdata[1]:.3f}<br>%{customdata[0]} examples<extra></extra>",
    });
  }
  const layout: PlotLayout = {
    title: `Reliability diagram (${reports[0]?.report.bins.length ?? 0} equal-width bins)`,
    xaxis: { title: "confidence (top-class probability)", range: [0, 1] },
    yaxis: { title: "accuracy", range: [0, 1] },
    barmode: "overlay",
  };
  return { data, layout };
}

/** Shows a reliability diagram in the notebook (see {@link reliabilityTraces}). */
export function showReliabilityDiagram(reports: readonly { name: string; report: CalibrationReport }[]): void {
  const { data, layout } = reliabilityTraces(reports);
  showPlot(data, layout);
}
