/** The addon's functions (src/addon.c, elementwise.h, fused.h, movement.h); offsets are byte offsets into the wasm heap. */
export interface NativeKernels {
  batchMatMul(
    heap: Uint8Array, aOffsets: Float64Array, bOffsets: Float64Array, outOffset: number, m: number, n: number, k: number,
    transposeA: boolean, transposeB: boolean, biasOffsets: Float64Array | null, biasRows: number, biasCols: number,
    activation: number, alpha: number, preluOffsets: Float64Array | null, preluRows: number, preluCols: number,
  ): void;
  /** `op`: 0 exp, 1 erf; `count` float32 values from `xOffset` to `outOffset` (which may alias). */
  unary(heap: Uint8Array, op: number, xOffset: number, outOffset: number, count: number): void;
  /** Softmax over the last axis of a row-major `[rows, cols]` float32 matrix. */
  softmax(heap: Uint8Array, xOffset: number, outOffset: number, rows: number, cols: number): void;
  /** `out[o, i] = Σ_m x[o, m, i]` over a row-major `[outer, mid, inner]` float32 tensor (double accumulator). */
  sum(heap: Uint8Array, xOffset: number, outOffset: number, outer: number, mid: number, inner: number): void;
  /** `out = a ∘ b` (op 0 add, 1 sub, 2 mul, 3 div); `dims` = [size, strideA, strideB] per output dimension. */
  binary(heap: Uint8Array, op: number, aOffset: number, bOffset: number, outOffset: number, dims: Float64Array): void;
  /** LayerNorm over the last axis of `[rows, cols]`; writes `out` and the row `mean` and `rstd` = 1/√(var + eps). */
  layerNorm(heap: Uint8Array, x: number, gamma: number, beta: number, out: number, mean: number, rstd: number, rows: number, cols: number, eps: number): void;
  /** LayerNorm's backward: dx `[rows, cols]`, dgamma and dbeta `[cols]` from dy, x, gamma and the saved mean and rstd. */
  layerNormGrad(heap: Uint8Array, dy: number, x: number, gamma: number, mean: number, rstd: number, dx: number, dgamma: number, dbeta: number, rows: number, cols: number): void;
  /** `dx = y·(dy − Σ dy·y)` over the last axis of `[rows, cols]` (the gradient of softmax output `y`). */
  softmaxGrad(heap: Uint8Array, y: number, dy: number, dx: number, rows: number, cols: number): void;
  /** Mean softmax cross-entropy of `[rows, cols]` logits against int32 labels (outside `[0, cols)`: ignored) into a scalar. */
  crossEntropy(heap: Uint8Array, logits: number, labels: number, loss: number, rows: number, cols: number): void;
  /** Its gradient: `(softmax − onehot)·dy/#labelled` on labelled rows, 0 elsewhere; `dy` is a scalar's offset. */
  crossEntropyGrad(heap: Uint8Array, logits: number, labels: number, dy: number, dlogits: number, rows: number, cols: number): void;
  /** AdamW in place over `count` floats of parameter `p` and moments `m`, `v` with gradient `g`. */
  adamw(heap: Uint8Array, p: number, m: number, v: number, g: number, count: number, lr: number, beta1: number, beta2: number,
    epsilon: number, weightDecay: number, correction1: number, correction2: number): void;
  /** Exact GELU `0.5·x·(1 + erf(x/√2))` over `count` floats. */
  gelu(heap: Uint8Array, x: number, out: number, count: number): void;
  /** Its gradient `dy·(Φ(x) + x·φ(x))`. */
  geluGrad(heap: Uint8Array, x: number, dy: number, dx: number, count: number): void;
  /** `count` inverted-dropout mask values (0 or 1/(1−rate)) from sfc32 state `[a, b, c, d]`, advanced in place. */
  dropoutMask(heap: Uint8Array, out: number, count: number, rate: number, state: Uint32Array): void;
  /**
   * `out[b, o, i, :] = x[b, o, indices[b, i], :]` over x `[batch, outer, dimSize, slice]`, int32 indices
   * `[batch, count]`, elements of `bytes` (4 or 1). Returns −1, or the position of the first index outside
   * `[0, dimSize)` (then nothing is written).
   */
  gather(heap: Uint8Array, x: number, indices: number, out: number, batch: number, outer: number, dimSize: number, slice: number, count: number, bytes: number): number;
  /** Contiguous `out` = x read with `dims` (`[size, stride]` per output dimension, strides in elements of `bytes`, 4 or 1). */
  transpose(heap: Uint8Array, x: number, out: number, dims: Float64Array, bytes: number): void;
  /** float32 `out [segments, inner]` = Σ of the rows of x `[rows, inner]` by int32 id (ids outside `[0, segments)` dropped). */
  segmentSum(heap: Uint8Array, x: number, ids: number, out: number, rows: number, inner: number, segments: number): void;
  setThreads(threads: number): void;
  getThreads(): number;
  config(): string;
}

/** The addon, when it built and loaded. */
export declare const native: NativeKernels | undefined;
/** Why it is not here and the one command that fixes it. */
export declare const unavailable: { reason: string; fix: string } | undefined;
/** OPENBLAS_CORETYPE as the addon loaded (set by it to Cooperlake on AVX-512 BF16 CPUs when unset), else undefined. */
export declare const coreType: string | undefined;
