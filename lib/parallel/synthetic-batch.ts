/**
 * Masked-LM batches of random tokens, as plain rows: enough to check that a parallel computation equals the
 * single-worker one (an arithmetic identity, whatever the data) without loading a corpus.
 */
import { Rng } from "../core/rng";
import type { BertConfig } from "../model/config";
import type { MlmRowsBatch } from "./bert-stages";

/**
 * `rows` sequences of `length` tokens drawn uniformly from ids 5…V−1; row i keeps `length − (i % 3)` real tokens
 * (padding after, to exercise the attention mask) and masks each real token with probability `maskRate` (always
 * position 1), replacing it by id `maskId`. Deterministic in `seed`.
 */
export function syntheticMlmRows(config: BertConfig, rows: number, length: number, seed: number, options: { maskRate?: number; maskId?: number } = {}): MlmRowsBatch {
  const { maskRate = 0.3, maskId = 3 } = options;
  if (length < 3 || length > config.maxPositions) throw new Error(`syntheticMlmRows: length must be in 3…${config.maxPositions} (maxPositions), got ${length}`);
  const rng = new Rng(seed);
  const inputIds: number[][] = [], attentionMask: number[][] = [], labels: number[][] = [];
  for (let i = 0; i < rows; i++) {
    const real = length - (i % 3);
    const ids = Array.from({ length }, (_, j) => (j < real ? 5 + rng.int(config.vocabSize - 5) : 0));
    const lab = ids.map((id, j) => (j < real && (rng.uniform() < maskRate || j === 1) ? id : -100));
    inputIds.push(ids.map((id, j) => (lab[j] !== -100 ? maskId : id)));
    attentionMask.push(ids.map((_, j) => (j < real ? 1 : 0)));
    labels.push(lab);
  }
  return { inputIds, attentionMask, labels };
}
