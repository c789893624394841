/**
 * The few-shot split (LM-BFF, Gao et al. 2021, §3): k examples per class drawn at random with a seed, and a
 * development set of the same size drawn the same way from held-out data — no large dev set a real few-shot user
 * would not have. Plain arrays, no tensors.
 */
import { Rng } from "../core/rng";
import type { TextExample } from "../data/examples";

/**
 * `k` examples of each of `numClasses` classes, seeded, in shuffled order.
 * @throws naming the class when it has fewer than `k` examples
 */
export function sampleKShot<T extends Pick<TextExample, "label">>(examples: readonly T[], k: number, numClasses: number, seed: number): T[] {
  if (!(Number.isInteger(k) && k >= 1)) throw new Error(`sampleKShot: k must be a positive integer, got ${k}`);
  const rng = new Rng(seed);
  const picked: T[] = [];
  for (let c = 0; c < numClasses; c++) {
    const ofClass = examples.filter((e) => e.label === c);
    if (ofClass.length < k) throw new Error(`sampleKShot: class ${c} has ${ofClass.length} examples, fewer than k = ${k}`);
    picked.push(...rng.shuffle([...ofClass]).slice(0, k));
  }
  return rng.shuffle(picked);
}

/**
 * The k-shot development set of one seed: `k` examples per class from `validation` when it has that many of every
 * class (then exactly `sampleKShot(validation, k, numClasses, seed)`), otherwise from the training examples not in
 * `picked` (the k-shot training set) — LM-BFF's own choice (§3: both sets are drawn from the original training
 * set), needed when a validation split is small (FPB's has 30 negative sentences, fewer than k = 32).
 * @returns the examples and which split they came from
 * @throws naming the class when neither split has `k` examples of it
 */
export function sampleKShotDev<T extends Pick<TextExample, "label">>(validation: readonly T[], train: readonly T[], picked: readonly T[], k: number, numClasses: number, seed: number): { dev: T[]; source: "validation" | "train" } {
  const enough = (examples: readonly T[]) => Array.from({ length: numClasses }, (_, c) => c).every((c) => examples.filter((e) => e.label === c).length >= k);
  if (enough(validation)) return { dev: sampleKShot(validation, k, numClasses, seed), source: "validation" };
  const taken = new Set(picked);
  return { dev: sampleKShot(train.filter((e) => !taken.has(e)), k, numClasses, seed), source: "train" };
}
