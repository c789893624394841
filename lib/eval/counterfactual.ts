/**
 * Counterfactual fairness test for a classifier (in the spirit of Garg et al. 2019, "Counterfactual Fairness in
 * Text Classification"): swap gendered words (`he` ↔ `she`, `man` ↔ `woman`, …) and first names (a male name ↔ a
 * female one) in each text; the sentiment of a text must not depend on them, so a changed prediction is a failure.
 * `her` maps to `his` (it can also be `him`: the swap is approximate, as all word-list swaps are). Case is kept.
 */
import type { PredictFn } from "./checklist";
import { bestClass } from "../tasks/predict";

/** Pairs swapped both ways. */
export const GENDER_PAIRS: readonly (readonly [string, string])[] = [
  ["he", "she"], ["him", "her"], ["his", "her"], ["himself", "herself"], ["man", "woman"], ["men", "women"], ["boy", "girl"], ["boys", "girls"],
  ["father", "mother"], ["son", "daughter"], ["brother", "sister"], ["husband", "wife"], ["king", "queen"], ["mr", "mrs"], ["actor", "actress"], ["chairman", "chairwoman"],
  ["john", "mary"], ["james", "linda"], ["michael", "susan"], ["david", "sarah"], ["ahmed", "aisha"], ["carlos", "maria"], ["pekka", "anna"], ["wei", "mei"],
];

function swapTable(): Map<string, string> {
  const table = new Map<string, string>();
  for (const [a, b] of GENDER_PAIRS) {
    if (!table.has(a)) table.set(a, b);
    if (!table.has(b)) table.set(b, a); // "her" → "him" first listed wins: see the file header
  }
  table.set("her", "his");
  return table;
}

const TABLE = swapTable();

/** The text with every listed word swapped (whole words, case kept), or null when it has none. */
export function genderSwap(text: string): string | null {
  let changed = false;
  const out = text.replace(/\b[A-Za-z]+\b/g, (word) => {
    const swap = TABLE.get(word.toLowerCase());
    if (swap === undefined) return word;
    changed = true;
    if (word === word.toUpperCase() && word.length > 1) return swap.toUpperCase();
    return word[0] === word[0]!.toUpperCase() ? swap[0]!.toUpperCase() + swap.slice(1) : swap;
  });
  return changed ? out : null;
}

/** The result of {@link counterfactualTest}. */
export interface CounterfactualResult {
  /** Texts with something to swap. */
  tested: number;
  /** Of those, how many changed their predicted label, and the rate. */
  flipped: number;
  flipRate: number;
  /** Mean |Δ P(label)| of the original prediction's label. */
  meanShift: number;
  examples: { original: string; swapped: string; before: string; after: string }[];
}

/**
 * Predicts each text and its gender-swapped counterpart; texts with nothing to swap are skipped.
 * @param labels the model's label names (for the examples)
 */
export function counterfactualTest(predict: PredictFn, texts: readonly string[], labels: readonly string[], options: { maxExamples?: number } = {}): CounterfactualResult {
  const { maxExamples = 5 } = options;
  const pairs = texts.flatMap((t) => {
    const s = genderSwap(t);
    return s === null ? [] : [[t, s] as const];
  });
  if (pairs.length === 0) return { tested: 0, flipped: 0, flipRate: 0, meanShift: 0, examples: [] };
  const probs = predict([...pairs.map((p) => p[0]), ...pairs.map((p) => p[1])]);
  let flipped = 0;
  let shift = 0;
  const examples: CounterfactualResult["examples"] = [];
  pairs.forEach(([original, swapped], i) => {
    const a = probs[i] as number[];
    const b = probs[pairs.length + i] as number[];
    const ka = bestClass(a);
    const kb = bestClass(b);
    shift += Math.abs((a[ka] as number) - (b[ka] as number));
    if (ka !== kb) {
      flipped++;
      if (examples.length < maxExamples) examples.push({ original, swapped, before: labels[ka] ?? String(ka), after: labels[kb] ?? String(kb) });
    }
  });
  return { tested: pairs.length, flipped, flipRate: flipped / pairs.length, meanShift: shift / pairs.length, examples };
}
