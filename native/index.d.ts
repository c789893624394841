/** The addon's functions (src/addon.c, src/elementwise.h); offsets are byte offsets into the wasm heap. */
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
