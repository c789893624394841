/** Offsets are byte offsets into the wasm heap, one per output matrix. */
export interface NativeKernels {
  batchMatMul(
    heap: Uint8Array, aOffsets: Float64Array, bOffsets: Float64Array, outOffset: number, m: number, n: number, k: number,
    transposeA: boolean, transposeB: boolean, biasOffsets: Float64Array | null, biasRows: number, biasCols: number,
    activation: number, alpha: number, preluOffsets: Float64Array | null, preluRows: number, preluCols: number,
  ): void;
  setThreads(threads: number): void;
  getThreads(): number;
  config(): string;
  [kernel: string]: unknown;
}
/** The addon, when it built and loaded. */
export declare const native: NativeKernels | undefined;
/** Why it is not here and the one command that fixes it. */
export declare const unavailable: { reason: string; fix: string } | undefined;
/** OPENBLAS_CORETYPE as the addon loaded (set by it to Cooperlake on AVX-512 BF16 CPUs when unset), else undefined. */
export declare const coreType: string | undefined;
