/**
 * How much arithmetic a BERT training step costs, for throughput and MFU (model FLOPs utilisation) readouts.
 * Counting multiply-adds as 2 FLOPs, a dense layer costs 2·in·out per token forward and twice that backward,
 * so 6·params per token for training (Kaplan et al. 2020, §2.1); attention adds 2·2·T·H per token per layer
 * forward (QKᵀ and the weighted sum of V), ×3 with backward; the MLM head runs only on the masked fraction
 * (gathered first): H² + H·V per masked token.
 */
import type { BertConfig } from "./config";

/** Training FLOPs per input token (forward + backward) at sequence length `seqLength`. */
export function trainingFlopsPerToken(config: BertConfig, seqLength: number, maskRate = 0.15): number {
  const { hiddenSize: H, intermediateSize: I, numLayers: L, vocabSize: V } = config;
  const denseParams = L * (4 * H * H + 2 * H * I); // Q, K, V, output + the two FFN matrices, per layer
  const attention = L * 2 * 2 * seqLength * H; // QKᵀ and probs·V, forward
  const head = config.causal ? H * H + H * V : maskRate * (H * H + H * V); // causal LM predicts every token
  return 6 * denseParams + 3 * attention + 6 * head;
}

/** Model FLOPs utilisation: achieved training FLOP/s over a peak (e.g. a measured matmul GFLOP/s). */
export function mfu(tokensPerSecond: number, flopsPerToken: number, peakGflops: number): number {
  return (tokensPerSecond * flopsPerToken) / (peakGflops * 1e9);
}
