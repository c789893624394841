/**
 * Splitting a global batch into per-worker shards, plain arrays in and out (no tensors).
 */

type Rows = unknown[] | ArrayLike<number>;

function isRows(value: unknown): value is Rows {
  return Array.isArray(value) || ArrayBuffer.isView(value);
}

function rowCount(value: Rows): number {
  return value.length;
}

function sliceRows(value: Rows, start: number, end: number): Rows {
  return Array.isArray(value) ? value.slice(start, end) : (value as unknown as Float32Array).slice(start, end);
}

/**
 * Splits `batch` into `parts` contiguous shards along its first axis; shard sizes differ by at most one (the
 * first `rows % parts` shards get the extra row). A batch is an array of rows, or an object whose array fields
 * (`inputIds`, `attentionMask`, `labels`, … as `number[][]` or typed arrays) all have the same number of rows;
 * its other fields (numbers, strings, config) are copied into every shard.
 * @throws when array fields disagree on the row count, or there are fewer rows than parts.
 */
export function splitBatch<Batch>(batch: Batch, parts: number): Batch[] {
  if (!Number.isInteger(parts) || parts < 1) throw new Error(`splitBatch: parts must be a positive integer, got ${parts}`);
  if (isRows(batch)) return splitBy(rowCount(batch), parts, (s, e) => sliceRows(batch, s, e) as Batch);
  if (batch === null || typeof batch !== "object") throw new Error(`splitBatch: a batch must be an array or an object of arrays, got ${typeof batch}`);
  const fields = Object.entries(batch as Record<string, unknown>);
  const arrays = fields.filter(([, value]) => isRows(value)) as [string, Rows][];
  if (arrays.length === 0) throw new Error("splitBatch: the batch has no array field to split (give shards yourself to `stepShards`)");
  const rows = rowCount(arrays[0]![1]);
  const ragged = arrays.find(([, value]) => rowCount(value) !== rows);
  if (ragged) throw new Error(`splitBatch: field "${ragged[0]}" has ${rowCount(ragged[1])} rows but "${arrays[0]![0]}" has ${rows} (every array field is split by rows)`);
  return splitBy(rows, parts, (start, end) => {
    const shard: Record<string, unknown> = {};
    for (const [name, value] of fields) shard[name] = isRows(value) ? sliceRows(value, start, end) : value;
    return shard as Batch;
  });
}

function splitBy<T>(rows: number, parts: number, slice: (start: number, end: number) => T): T[] {
  if (rows < parts) throw new Error(`splitBatch: ${rows} rows cannot feed ${parts} workers (use a batch of at least ${parts} rows, or fewer workers)`);
  const base = Math.floor(rows / parts);
  const extra = rows % parts;
  const shards: T[] = [];
  let start = 0;
  for (let i = 0; i < parts; i++) {
    const end = start + base + (i < extra ? 1 : 0);
    shards.push(slice(start, end));
    start = end;
  }
  return shards;
}
