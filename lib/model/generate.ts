/**
 * Text generation with a causal (GPT-style) model: repeatedly run the model on the sequence so far, turn the
 * last position's logits into a distribution and pick the next token (Holtzman et al. 2020 for top-p).
 * No key/value cache: each step re-encodes the prefix, which is simple and fast enough for course-sized models.
 */
import * as tf from "@tensorflow/tfjs";
import type { Rng } from "../core/rng";
import type { BertModel } from "./bert";
import { tidyData } from "../core/tidy-data";

export interface GenerateOptions {
  maxNewTokens?: number;
  /** 0 = greedy (argmax); otherwise logits are divided by it before sampling. */
  temperature?: number;
  /** Keep only the `topK` most likely tokens (0 = all). */
  topK?: number;
  /** Keep the smallest set of tokens whose probabilities sum to ≥ `topP` (1 = all). */
  topP?: number;
  /** Stop after emitting this id. */
  eosTokenId?: number;
  /** Ids never generated (e.g. `[PAD]`, `[CLS]`, `[MASK]`). */
  bannedIds?: number[];
  /** Required when sampling (temperature > 0). */
  rng?: Rng;
}

/**
 * Picks the next token from `logits` (one position, `V` floats) by the options' rule.
 * Plain arrays: the rule is testable on hand-made logits.
 */
export function pickToken(logits: ArrayLike<number>, options: GenerateOptions = {}): number {
  const { temperature = 0, topK = 0, topP = 1, bannedIds = [], rng } = options;
  const banned = new Set(bannedIds);
  const candidates: { id: number; logit: number }[] = [];
  for (let id = 0; id < logits.length; id++) if (!banned.has(id)) candidates.push({ id, logit: logits[id] as number });
  candidates.sort((a, b) => b.logit - a.logit || a.id - b.id);
  if (candidates.length === 0) throw new Error("pickToken: every token is banned");
  if (temperature <= 0) return (candidates[0] as { id: number }).id;
  if (rng === undefined) throw new Error("pickToken: sampling (temperature > 0) needs an rng");
  let kept = topK > 0 ? candidates.slice(0, topK) : candidates;
  const top = (kept[0] as { logit: number }).logit;
  let weights = kept.map((c) => Math.exp((c.logit - top) / temperature)); // softmax numerators, stable
  let total = weights.reduce((a, b) => a + b, 0);
  if (topP < 1) {
    let cumulative = 0;
    let cut = kept.length;
    for (let i = 0; i < kept.length; i++) {
      cumulative += (weights[i] as number) / total;
      if (cumulative >= topP) {
        cut = i + 1;
        break;
      }
    }
    kept = kept.slice(0, cut);
    weights = weights.slice(0, cut);
    total = weights.reduce((a, b) => a + b, 0);
  }
  let r = rng.uniform() * total;
  for (let i = 0; i < kept.length; i++) {
    r -= weights[i] as number;
    if (r < 0) return (kept[i] as { id: number }).id;
  }
  return (kept[kept.length - 1] as { id: number }).id;
}

/**
 * Continues `promptIds` with a causal model (`config.causal`), up to `maxNewTokens` or `eosTokenId`.
 * @returns the new ids only. Leaves no tensor behind.
 */
export function generate(model: BertModel, promptIds: number[], options: GenerateOptions = {}): number[] {
  const { maxNewTokens = 20, eosTokenId } = options;
  if (!model.config.causal) throw new Error("generate needs a causal model (config.causal = true); a bidirectional MLM cannot continue text");
  if (promptIds.length === 0) throw new Error("generate needs a non-empty prompt");
  const ids = [...promptIds];
  const generated: number[] = [];
  for (let step = 0; step < maxNewTokens; step++) {
    const context = ids.slice(-model.config.maxPositions);
    const last = tidyData(() => {
      const { hidden } = model.encode({ inputIds: tf.tensor2d([context], [1, context.length], "int32") }); // [1, T, H]
      const h = hidden.slice([0, context.length - 1, 0], [1, 1, model.config.hiddenSize]).reshape([1, model.config.hiddenSize]); // [1, H]
      return model.mlmLogits(h); // [V]
    });
    const next = pickToken(last, options);
    ids.push(next);
    generated.push(next);
    if (next === eosTokenId) break;
  }
  return generated;
}
