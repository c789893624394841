/**
 * Seeded stratified train/validation/test splits for datasets that ship without them (Financial PhraseBank) or
 * without a validation set (Banking77): each class is shuffled and cut on its own, so every split keeps the
 * class proportions; then each split is shuffled so classes are not in blocks.
 */
import type { Rng } from "../core/rng";

/** Train, validation and test parts of one list. */
export interface Splits<T> {
  train: T[];
  validation: T[];
  test: T[];
}

/** Fractions of each class that go to validation and test; the rest is train. */
export interface SplitFractions {
  validation?: number;
  test?: number;
}

/**
 * Splits `items` by class.
 * @param items the examples (not modified)
 * @param labelOf the class of an example
 * @param rng the seeded generator (the same seed gives the same split)
 * @param fractions `validation` and `test` (defaults 0.1 and 0.1), rounded per class
 */
export function stratifiedSplit<T>(items: readonly T[], labelOf: (item: T) => string | number, rng: Rng, fractions: SplitFractions = {}): Splits<T> {
  const { validation = 0.1, test = 0.1 } = fractions;
  if (!(validation >= 0 && test >= 0 && validation + test <= 1)) {
    throw new Error(`stratifiedSplit: need validation >= 0, test >= 0 and validation + test <= 1, got ${validation} and ${test}`);
  }
  const byClass = new Map<string | number, T[]>();
  for (const item of items) {
    const label = labelOf(item);
    const group = byClass.get(label);
    if (group) group.push(item);
    else byClass.set(label, [item]);
  }
  const out: Splits<T> = { train: [], validation: [], test: [] };
  // Classes in sorted order so the draw sequence does not depend on which class came first in the file.
  const labels = [...byClass.keys()].sort((a, b) => String(a).localeCompare(String(b)));
  for (const label of labels) {
    const group = rng.shuffle([...(byClass.get(label) as T[])]);
    const nTest = Math.round(group.length * test);
    const nValidation = Math.round(group.length * validation);
    out.test.push(...group.slice(0, nTest));
    out.validation.push(...group.slice(nTest, nTest + nValidation));
    out.train.push(...group.slice(nTest + nValidation));
  }
  rng.shuffle(out.train);
  rng.shuffle(out.validation);
  rng.shuffle(out.test);
  return out;
}
