/**
 * Text perturbations for invariance tests (Ribeiro et al. 2020, CheckList §2, "INV"): each returns the perturbed
 * text, or `null` when it does not apply (no name to swap, no punctuation to change). Randomness from the `Rng`
 * passed in. Words are matched on `\b` boundaries, so they work on ASCII English; that is what the course's English
 * tasks hold.
 */
import type { Rng } from "../core/rng";

const KEYBOARD_NEIGHBOURS = "qwertyuiopasdfghjklzxcvbnm";

/** Letter positions of `text` (where a typo can go). */
function letters(text: string): number[] {
  const out: number[] = [];
  for (let i = 0; i < text.length; i++) if (/[a-z]/i.test(text[i] as string)) out.push(i);
  return out;
}

/**
 * `count` typos: each swaps a letter with the next one when both are letters (CheckList's `Perturb.add_typos`).
 */
export function addTypos(text: string, rng: Rng, count = 1): string | null {
  let out = text;
  for (let k = 0; k < count; k++) {
    const spots = letters(out).filter((i) => /[a-z]/i.test(out[i + 1] ?? "") && out[i] !== out[i + 1]);
    if (spots.length === 0) return k === 0 ? null : out;
    const i = spots[rng.int(spots.length)] as number;
    out = out.slice(0, i) + out[i + 1] + out[i] + out.slice(i + 2);
  }
  return out;
}

/**
 * Character noise at `rate` (the share of letters hit, in [0, 1]): each hit letter is deleted, replaced by a random
 * letter, or has a random letter inserted after it, with equal chance. `rate` is the perturbation strength of
 * robustness curves.
 */
export function charNoise(text: string, rng: Rng, rate: number): string {
  if (!(rate >= 0 && rate <= 1)) throw new Error(`charNoise: rate must be in [0, 1], got ${rate}`);
  let out = "";
  for (const ch of text) {
    if (!/[a-z]/i.test(ch) || rng.uniform() >= rate) {
      out += ch;
      continue;
    }
    const op = rng.int(3);
    const random = KEYBOARD_NEIGHBOURS[rng.int(KEYBOARD_NEIGHBOURS.length)] as string;
    if (op === 1) out += random;
    else if (op === 2) out += ch + random;
    // op 0: deleted
  }
  return out;
}

/** Replaces the first whole-word occurrence of any of `from` by a different member of `to`, or null when none occurs. */
export function swapWord(text: string, from: readonly string[], to: readonly string[], rng: Rng): string | null {
  for (const word of from) {
    const re = new RegExp(`\\b${word.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}\\b`);
    if (re.test(text)) {
      const choices = to.filter((w) => w !== word);
      if (choices.length === 0) return null;
      return text.replace(re, choices[rng.int(choices.length)] as string);
    }
  }
  return null;
}

/** Lower-cases the text, or null when it already is. */
export function lowerCase(text: string): string | null {
  const out = text.toLowerCase();
  return out === text ? null : out;
}

/** Upper-cases the text (shouting), or null when it already is. */
export function upperCase(text: string): string | null {
  const out = text.toUpperCase();
  return out === text ? null : out;
}

/** Strips the final punctuation, or adds a full stop when there is none (CheckList's `Perturb.punctuation`). */
export function togglePunctuation(text: string): string {
  const trimmed = text.trimEnd();
  return /[.!?]$/.test(trimmed) ? trimmed.slice(0, -1).trimEnd() : `${trimmed}.`;
}
