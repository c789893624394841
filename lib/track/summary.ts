/**
 * `Summary.Value`s as TensorBoard's plugins expect them: scalars as `simple_value` (what `tf.compat.v1.summary`
 * and PyTorch's `SummaryWriter.add_scalar` write; TensorBoard's scalars dashboard reads them), histograms as a
 * `HistogramProto`, and text as a rank-0 `DT_STRING` tensor tagged for the `text` plugin (Markdown).
 */
import type { HistogramProto, SummaryValue } from "./event-proto";

/** A scalar (stored as float32, the precision of `simple_value`). */
export function scalarValue(tag: string, value: number): SummaryValue {
  return { tag, simple_value: value };
}

/**
 * The histogram of `values` in `bins` equal-width buckets from their min to their max — TensorBoard's own default
 * (`tf.summary.histogram`, 30 buckets). Non-finite values are left out (`num` counts the finite ones).
 * @param values the numbers (e.g. a weight matrix's `dataSync()`)
 * @returns a `HistogramProto`: bucket `i` counts values in (`bucket_limit[i-1]`, `bucket_limit[i]`] (the first
 * bucket also holds the minimum), so `sum(bucket) === num`
 */
export function histogramOf(values: ArrayLike<number>, bins = 30): HistogramProto {
  if (!(Number.isInteger(bins) && bins >= 1)) throw new Error(`histogramOf: bins must be a positive integer, got ${bins}`);
  let min = Infinity;
  let max = -Infinity;
  let num = 0;
  let sum = 0;
  let sumSquares = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i] as number;
    if (!Number.isFinite(v)) continue;
    if (v < min) min = v;
    if (v > max) max = v;
    num++;
    sum += v;
    sumSquares += v * v;
  }
  if (num === 0) return { min: 0, max: 0, num: 0, sum: 0, sum_squares: 0, bucket_limit: [], bucket: [] };
  if (min === max) return { min, max, num, sum, sum_squares: sumSquares, bucket_limit: [max], bucket: [num] };
  const width = (max - min) / bins;
  const bucket = new Array<number>(bins).fill(0);
  for (let i = 0; i < values.length; i++) {
    const v = values[i] as number;
    if (!Number.isFinite(v)) continue;
    // ceil - 1: a value on a limit belongs to the bucket that ends there; the minimum goes to bucket 0.
    const k = Math.min(bins - 1, Math.max(0, Math.ceil((v - min) / width) - 1));
    bucket[k] = (bucket[k] as number) + 1;
  }
  const limits = bucket.map((_, k) => (k === bins - 1 ? max : min + (k + 1) * width));
  return { min, max, num, sum, sum_squares: sumSquares, bucket_limit: limits, bucket };
}

/** A histogram value (see `histogramOf`). */
export function histogramValue(tag: string, values: ArrayLike<number>, bins = 30): SummaryValue {
  return { tag, histo: histogramOf(values, bins) };
}

/** A Markdown text value for TensorBoard's Text dashboard. */
export function textValue(tag: string, markdown: string): SummaryValue {
  return {
    tag,
    // `content` is a serialized `TextPluginData` {version: 0}, which is empty on the wire.
    metadata: { plugin_data: { plugin_name: "text", content: new Uint8Array(0) } },
    tensor: { dtype: "DT_STRING", tensor_shape: {}, string_val: [new TextEncoder().encode(markdown)] },
  };
}
