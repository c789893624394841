/**
 * Temperature scaling (Guo et al. 2017, §4.2): divide every logit by one scalar `T > 0` fitted on **validation**
 * by minimising the negative log-likelihood; the top class (so accuracy) never changes, only confidence.
 *
 * The fit is an exact one-dimensional search. With `β = 1/T`, the mean NLL
 *   `L(β) = (1/n)·Σ_i [logsumexp(β·z_i) − β·z_{i,y_i}]`
 * is convex in β (a log-sum-exp of linear functions minus a linear one), and its derivative
 *   `L'(β) = (1/n)·Σ_i [E_{softmax(β z_i)}[z_i] − z_{i,y_i}]`
 * is non-decreasing. So we bracket the root of `L'` (doubling from β = 1) and bisect it to machine precision: the
 * global minimum, with no learning rate or iteration budget. `T = 1` (β = 1) is always a candidate, so the fitted
 * validation NLL is never above the unscaled one — a property a gradient fit from a fixed start with a step budget
 * lacks (the widely copied `temperature_scaling.py` starts at T = 1.5 and runs L-BFGS with lr 0.01 and 50
 * iterations; tests/eval/temperature.test.ts shows it ending above T = 1's NLL).
 */

/** Mean NLL of `softmax(logits / temperature)` at the labels (natural log, per example). */
export function temperatureNll(logits: readonly (readonly number[])[], labels: readonly number[], temperature: number): number {
  if (!(temperature > 0)) throw new Error(`temperatureNll: temperature must be > 0, got ${temperature}`);
  return nllAndSlope(logits, labels, 1 / temperature)[0];
}

/** `[L(β), L'(β)]` (see the file header), computed stably (max subtracted). */
function nllAndSlope(logits: readonly (readonly number[])[], labels: readonly number[], beta: number): [number, number] {
  let nll = 0;
  let slope = 0;
  for (let i = 0; i < logits.length; i++) {
    const z = logits[i] as readonly number[];
    let max = -Infinity;
    for (const v of z) max = Math.max(max, beta * v);
    let sum = 0;
    let weighted = 0;
    for (const v of z) {
      const e = Math.exp(beta * v - max);
      sum += e;
      weighted += e * v;
    }
    const y = z[labels[i] as number] as number;
    nll += max + Math.log(sum) - beta * y;
    slope += weighted / sum - y;
  }
  return [nll / logits.length, slope / logits.length];
}

/** The result of {@link fitTemperature}. */
export interface TemperatureFit {
  temperature: number;
  /** Validation NLL before (T = 1) and after. */
  nllBefore: number;
  nllAfter: number;
}

/**
 * Fits the temperature on validation logits by the exact search of the file header.
 * @param logits `[n][C]` validation logits (not probabilities)
 * @param labels `[n]` gold classes
 * @returns `T` with `nllAfter ≤ nllBefore`; `T = ∞` is capped at 1e6 (all logits tie the label's: any T fits)
 * @throws on mismatched lengths, no examples, a label outside a row, or a non-finite logit
 */
export function fitTemperature(logits: readonly (readonly number[])[], labels: readonly number[]): TemperatureFit {
  if (logits.length !== labels.length) throw new Error(`fitTemperature: ${logits.length} logit rows but ${labels.length} labels`);
  if (labels.length === 0) throw new Error("fitTemperature: no validation examples");
  logits.forEach((row, i) => {
    const y = labels[i] as number;
    if (!Number.isInteger(y) || y < 0 || y >= row.length) throw new Error(`fitTemperature: label ${y} of example ${i} is not a class of its ${row.length} logits`);
    if (row.some((v) => !Number.isFinite(v))) throw new Error(`fitTemperature: example ${i} has a non-finite logit; pass logits, not log-probabilities with -Infinity`);
  });
  const f = (beta: number) => nllAndSlope(logits, labels, beta);
  const nllBefore = f(1)[0];
  // Bracket the root of the non-decreasing slope: lo has slope < 0 (or is ~0), hi has slope ≥ 0.
  let lo = 0;
  let hi = 1;
  if (f(1)[1] < 0) {
    lo = 1;
    hi = 2;
    while (f(hi)[1] < 0 && hi < 1e6) [lo, hi] = [hi, hi * 2]; // L keeps falling: sharpen (T → 0 when data separable)
  }
  // f'(0) = mean(mean_c z − z_y) ≥ 0 means even the uniform prediction is at least as good: β* = 0 (T = ∞).
  for (let k = 0; k < 200 && hi - lo > 1e-12 * Math.max(1, hi); k++) {
    const mid = (lo + hi) / 2;
    if (f(mid)[1] < 0) lo = mid;
    else hi = mid;
  }
  let beta = (lo + hi) / 2;
  if (beta < 1e-6) beta = 1e-6;
  let nllAfter = f(beta)[0];
  if (nllAfter > nllBefore) {
    beta = 1; // rounding at a flat minimum: keep the unscaled model rather than report a worse one
    nllAfter = nllBefore;
  }
  return { temperature: 1 / beta, nllBefore, nllAfter };
}

/** `softmax(logits / T)` per row: the calibrated probabilities. */
export function applyTemperature(logits: readonly (readonly number[])[], temperature: number): number[][] {
  if (!(temperature > 0)) throw new Error(`applyTemperature: temperature must be > 0, got ${temperature}`);
  return logits.map((z) => {
    const scaled = z.map((v) => v / temperature);
    const max = Math.max(...scaled);
    const e = scaled.map((v) => Math.exp(v - max));
    const s = e.reduce((a, b) => a + b, 0);
    return e.map((v) => v / s);
  });
}
