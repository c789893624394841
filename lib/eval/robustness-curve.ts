/**
 * Accuracy against perturbation strength: perturb every test text at strength `s` (e.g. the character-noise rate),
 * score, and repeat for each `s`, each point with its bootstrap interval. Strength 0 should reproduce clean accuracy.
 */
import { Rng } from "../core/rng";
import { showPlot } from "../plot";
import type { BootstrapOptions, Interval } from "./bootstrap";
import type { PredictFn } from "./checklist";
import { accuracyInterval } from "./metric-intervals";
import { bestClass } from "../tasks/predict";

/** One point of the curve. */
export interface RobustnessPoint {
  strength: number;
  accuracy: Interval;
  /** One perturbed text, to show what the strength means. */
  example: string;
}

/**
 * Accuracy of `predict` on perturbed copies of `texts` at each strength.
 * @param perturb `(text, rng, strength) → text`, e.g. `charNoise`
 * @param labels gold class index per text
 * @param options `seed` (default 0) drives the perturbations and the bootstrap
 */
export function robustnessCurve(predict: PredictFn, texts: readonly string[], labels: readonly number[], strengths: readonly number[], perturb: (text: string, rng: Rng, strength: number) => string, options: BootstrapOptions = {}): RobustnessPoint[] {
  const { seed = 0 } = options;
  if (texts.length !== labels.length) throw new Error(`robustnessCurve: ${texts.length} texts but ${labels.length} labels`);
  return strengths.map((strength, k) => {
    const rng = new Rng(seed + 7919 * (k + 1));
    const perturbed = texts.map((t) => perturb(t, rng, strength));
    const probs = predict(perturbed);
    const predicted = probs.map(bestClass);
    return { strength, accuracy: accuracyInterval(predicted, labels, { ...options, seed: seed + k }), example: perturbed[0] ?? "" };
  });
}

/** Plots one or more curves with their intervals as error bars. */
export function showRobustnessCurves(curves: readonly { name: string; points: readonly RobustnessPoint[] }[], options: { xLabel?: string } = {}): void {
  const { xLabel = "perturbation strength" } = options;
  showPlot(
    curves.map(({ name, points }) => ({
      type: "scatter",
      mode: "lines+markers",
      name,
      x: points.map((p) => p.strength),
      y: points.map((p) => p.accuracy.value),
      error_y: { type: "data", symmetric: false, array: points.map((p) => p.accuracy.high - p.accuracy.value), arrayminus: points.map((p) => p.accuracy.value - p.accuracy.low) },
    })),
    { title: "Accuracy vs perturbation strength (95% bootstrap intervals)", xaxis: { title: xLabel }, yaxis: { title: "accuracy", range: [0, 1] } },
  );
}
