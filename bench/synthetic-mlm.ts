/**
 * The synthetic MLM task the training-throughput benchmarks time (bench/mlm-train.ts, bench/gpu-check.ts): random
 * ids stand in for text (throughput does not depend on the words), BERT masking from `lib/pretrain` (15%, the
 * masked positions gathered before the vocabulary projection), every position attended.
 */
import type { BertConfig, BertModel } from "../lib/model";
import { maskBatch, mlmLoss, mlmTensors, type MaskedBatch } from "../lib/pretrain";
import type { TrainingTask } from "../lib/train";

/**
 * @param batch sequences per (micro-)batch
 * @param seqLength tokens per sequence
 * @returns the task, and `masked()`: the masked positions drawn so far (for the FLOP count of the MLM head)
 */
export function syntheticMlmTask(model: BertModel, config: BertConfig, batch: number, seqLength: number): { task: TrainingTask<MaskedBatch>; masked: () => number } {
  const masking = { vocabSize: config.vocabSize, maskTokenId: 4, specialIds: new Set([0, 1, 2, 3, 4]), rate: 0.15 };
  const ones = Array.from({ length: batch }, () => new Array<number>(seqLength).fill(1));
  let masked = 0;
  const task: TrainingTask<MaskedBatch> = {
    params: model.params,
    nextBatch: (rng) => {
      const rows = Array.from({ length: batch }, () => Array.from({ length: seqLength }, () => 5 + rng.int(config.vocabSize - 5)));
      const b = maskBatch(rows, rng, masking);
      masked += b.flatPositions.length;
      return b;
    },
    loss: (b, rng) => mlmLoss(model, mlmTensors(b, ones), rng),
    batchSize: (b) => b.inputIds.length * seqLength,
  };
  return { task, masked: () => masked };
}
