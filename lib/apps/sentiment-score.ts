/**
 * FinBERT-style sentiment of a text from a 3-class financial classifier (Araci 2019, §3.4): the score
 * `P(positive) − P(negative)` in [−1, 1], and the predicted class. Labels are matched by name, so any checkpoint
 * whose `id2label` holds `negative` and `positive` (ours from `course finetune --task fpb`, or Hugging Face's) works.
 */
import type { PredictFn } from "../eval/checklist";

/** One scored text. */
export interface SentimentScore {
  /** `P(positive) − P(negative)`, in [−1, 1]. */
  score: number;
  /** `P(negative)` (its daily mean is the "soft" negative share). */
  negative: number;
  /** The most probable label. */
  label: string;
}

/**
 * Scores texts with a classifier's probability function.
 * @param predict texts → probabilities `[n][C]` (lib/eval's `classifierPredictor(...).predict`)
 * @param labels the classifier's label names, in class-id order
 * @throws when `labels` has no `negative` or no `positive` (case-insensitive), or a row's length differs from `labels`
 */
export function sentimentScores(predict: PredictFn, labels: readonly string[], texts: readonly string[]): SentimentScore[] {
  const lower = labels.map((l) => l.toLowerCase());
  const neg = lower.indexOf("negative");
  const pos = lower.indexOf("positive");
  if (neg < 0 || pos < 0) throw new Error(`sentimentScores: the classifier's labels (${labels.join(", ")}) need "negative" and "positive"; use a model fine-tuned on Financial PhraseBank (course finetune --task fpb)`);
  const probs = texts.length === 0 ? [] : predict(texts);
  return probs.map((row, i) => {
    if (row.length !== labels.length) throw new Error(`sentimentScores: text ${i} has ${row.length} probabilities for ${labels.length} labels`);
    let best = 0;
    for (let k = 1; k < row.length; k++) if ((row[k] as number) > (row[best] as number)) best = k;
    return { score: (row[pos] as number) - (row[neg] as number), negative: row[neg] as number, label: labels[best] as string };
  });
}
