/**
 * Checks for notebook exercises: each throws a `CheckError` whose message tells the learner what was expected,
 * what they returned and where the first difference is, and returns nothing when the answer is right.
 *
 * A graded test cell (nbgrader's schema: `nbgrader.grade: true`) passes when it runs without throwing, so these are
 * what the course's exercises call in their public and hidden tests. Numbers compare with NumPy's `isclose` rule
 * `|a − e| ≤ atol + rtol·|e|` (numpy.isclose documentation); tensors are read with `dataSync()` and compared by shape
 * and values; nothing is disposed (the caller owns its tensors).
 */
import * as tf from "@tensorflow/tfjs";

/** Thrown by every `check…` helper; `name` is "CheckError" so a grader can tell a failed check from a crash. */
export class CheckError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "CheckError";
  }
}

/** Options of `checkClose`: tolerances as in `numpy.isclose` (defaults: float32 round-off on small sums). */
export interface CloseOptions {
  atol?: number;
  rtol?: number;
}

type Numeric = number | tf.Tensor | NumericArray;
interface NumericArray extends ReadonlyArray<number | NumericArray> {}

/** Shape and flat values of a number, a (nested) array or a tensor; ragged arrays are an error. */
function flatten(value: Numeric, what: string): { shape: number[]; values: number[] } {
  if (typeof value === "number") return { shape: [], values: [value] };
  if (value instanceof tf.Tensor) return { shape: value.shape.slice(), values: Array.from(value.dataSync()) };
  if (!Array.isArray(value)) throw new CheckError(`${what}: expected a number, an array of numbers or a tensor, got ${describe(value)}`);
  if (value.length === 0) return { shape: [0], values: [] };
  const parts = value.map((item: number | NumericArray, i: number) => flatten(item as Numeric, `${what}[${i}]`));
  const inner = parts[0]!.shape;
  parts.forEach((part, i) => {
    if (part.shape.join() !== inner.join()) throw new CheckError(`${what}: ragged array — item 0 has shape [${inner}] but item ${i} has [${part.shape}]`);
  });
  return { shape: [value.length, ...inner], values: parts.flatMap((part) => part.values) };
}

/** Row-major index → `[i, j, …]` for messages. */
function position(flatIndex: number, shape: number[]): string {
  const index: number[] = [];
  for (let axis = shape.length - 1, rest = flatIndex; axis >= 0; axis--) {
    index.unshift(rest % shape[axis]!);
    rest = Math.floor(rest / shape[axis]!);
  }
  return `[${index.join(", ")}]`;
}

function describe(value: unknown): string {
  if (value instanceof tf.Tensor) return `a tensor of shape [${value.shape}]`;
  if (typeof value === "string") return JSON.stringify(value.length > 80 ? `${value.slice(0, 77)}...` : value);
  if (value === undefined) return "undefined (did the function return its result?)";
  const text = JSON.stringify(value);
  return text === undefined ? String(value) : text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

/**
 * Checks `actual ≈ expected` elementwise: same shape, and `|a − e| ≤ atol + rtol·|e|` everywhere (NaN equals only NaN).
 * @param actual a number, a (nested) array of numbers or a tensor.
 * @param expected the same kinds; its shape must match `actual`'s.
 * @param what the name shown in the message, e.g. "masked_fraction".
 * @throws CheckError naming the first index that differs, both values and the tolerance.
 */
export function checkClose(actual: Numeric, expected: Numeric, what: string, options: CloseOptions = {}): void {
  const { atol = 1e-6, rtol = 1e-5 } = options;
  const a = flatten(actual, what);
  const e = flatten(expected, `expected ${what}`);
  if (a.shape.join() !== e.shape.join()) throw new CheckError(`${what}: expected shape [${e.shape}], got [${a.shape}]`);
  for (let i = 0; i < e.values.length; i++) {
    const [x, y] = [a.values[i]!, e.values[i]!];
    const close = Number.isNaN(y) ? Number.isNaN(x) : Math.abs(x - y) <= atol + rtol * Math.abs(y);
    if (!close) {
      const where = e.shape.length === 0 ? "" : ` at ${position(i, e.shape)}`;
      throw new CheckError(`${what}${where}: expected ${y}, got ${x} (tolerance ${atol} + ${rtol}·|expected|)`);
    }
  }
}

/**
 * Checks deep equality of plain values (numbers, strings, booleans, arrays, plain objects) with `Object.is` on leaves.
 * @throws CheckError naming the first path that differs (e.g. `tokens[3]`, `counts.positive`).
 */
export function checkEqual(actual: unknown, expected: unknown, what: string): void {
  const difference = firstDifference(actual, expected, what);
  if (difference) throw new CheckError(difference);
}

function firstDifference(actual: unknown, expected: unknown, path: string): string | undefined {
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual)) return `${path}: expected an array of length ${expected.length}, got ${describe(actual)}`;
    if (actual.length !== expected.length) return `${path}: expected length ${expected.length}, got ${actual.length} (${describe(actual)})`;
    for (let i = 0; i < expected.length; i++) {
      const difference = firstDifference(actual[i], expected[i], `${path}[${i}]`);
      if (difference) return difference;
    }
    return undefined;
  }
  if (expected !== null && typeof expected === "object") {
    if (actual === null || typeof actual !== "object" || Array.isArray(actual)) return `${path}: expected an object, got ${describe(actual)}`;
    const expectedKeys = Object.keys(expected).sort();
    const actualKeys = Object.keys(actual).sort();
    const missing = expectedKeys.filter((key) => !actualKeys.includes(key));
    const extra = actualKeys.filter((key) => !expectedKeys.includes(key));
    if (missing.length > 0 || extra.length > 0) return `${path}: keys differ — missing [${missing.join(", ")}], unexpected [${extra.join(", ")}]`;
    for (const key of expectedKeys) {
      const difference = firstDifference((actual as Record<string, unknown>)[key], (expected as Record<string, unknown>)[key], `${path}.${key}`);
      if (difference) return difference;
    }
    return undefined;
  }
  return Object.is(actual, expected) ? undefined : `${path}: expected ${describe(expected)}, got ${describe(actual)}`;
}

/**
 * Checks a tensor's (or nested array's) shape.
 * @param expected the shape; `-1` matches any size on that axis.
 * @throws CheckError with both shapes.
 */
export function checkShape(actual: tf.Tensor | NumericArray, expected: readonly number[], what: string): void {
  const shape = actual instanceof tf.Tensor ? actual.shape : flatten(actual, what).shape;
  const ok = shape.length === expected.length && expected.every((size, axis) => size === -1 || size === shape[axis]);
  if (!ok) throw new CheckError(`${what}: expected shape [${expected.map((size) => (size === -1 ? "any" : size)).join(", ")}], got [${shape}]`);
}

/**
 * Checks a condition a learner can fix by reading the message.
 * @throws CheckError(message) when `condition` is false.
 */
export function checkTrue(condition: boolean, message: string): void {
  if (!condition) throw new CheckError(message);
}

/**
 * Checks that `fn` throws an error whose message matches `pattern`.
 * @throws CheckError when it returns normally or throws something else.
 */
export function checkThrows(fn: () => unknown, pattern: RegExp, what: string): void {
  try {
    fn();
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    if (!pattern.test(message)) throw new CheckError(`${what}: expected an error matching ${pattern}, got "${message}"`);
    return;
  }
  throw new CheckError(`${what}: expected an error matching ${pattern}, but it returned normally`);
}
