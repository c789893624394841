/**
 * The course's own behavioural test suites (CheckList's idea, our templates), for its three domains: movie reviews
 * (SST-2), financial news (Financial PhraseBank) and banking queries (Banking77). Templates are expanded over every
 * combination of their slots (`{adj}`), then, when there are more than `maxCases`, a seeded sample is kept.
 * Sentiment labels are named `positive` / `negative` (both SST-2 and FPB use these names; FPB's `neutral` is never
 * an expected label here).
 */
import { Rng } from "../core/rng";
import type { BehaviouralTest, MftCase, PairCase } from "./checklist";
import { addTypos, lowerCase, swapWord, togglePunctuation, upperCase, charNoise } from "./perturb";

/**
 * Every filling of `template`'s `{slot}`s from `fills` (cartesian product, in order).
 * @throws when the template names a slot `fills` lacks
 */
export function expandTemplate(template: string, fills: Readonly<Record<string, readonly string[]>>): string[] {
  const slot = /\{(\w+)\}/.exec(template);
  if (slot === null) return [template];
  const values = fills[slot[1] as string];
  if (values === undefined) throw new Error(`template "${template}": no values for {${slot[1]}}; add it to the fills`);
  return values.flatMap((v) => expandTemplate(template.replace(slot[0], v), fills));
}

/** Seeded sample of at most `max` items (all of them, in order, when there are fewer). */
function sample<T>(items: readonly T[], max: number, rng: Rng): T[] {
  return items.length <= max ? [...items] : rng.shuffle([...items]).slice(0, max);
}

const mft = (templates: readonly [string, string][], fills: Record<string, readonly string[]>, max: number, rng: Rng): MftCase[] =>
  sample(templates.flatMap(([t, label]) => expandTemplate(t, fills).map((text) => ({ text, label }))), max, rng);

/** Word lists of one sentiment domain. */
interface Domain {
  fills: Record<string, readonly string[]>;
  /** `[template, label]` pairs: plain sentiment, negation, intensifiers, domain words. */
  plain: [string, string][];
  negation: [string, string][];
  intensifiers: [string, string][];
  domainWords: [string, string][];
}

const MOVIES: Domain = {
  fills: {
    noun: ["movie", "film", "plot", "acting", "script", "soundtrack"],
    pos: ["good", "great", "wonderful", "moving", "funny", "beautiful"],
    neg: ["bad", "awful", "boring", "dull", "terrible", "predictable"],
    intens: ["very", "really", "incredibly", "extremely"],
  },
  plain: [["The {noun} was {pos}.", "positive"], ["The {noun} was {neg}.", "negative"]],
  negation: [["The {noun} was not {pos}.", "negative"], ["The {noun} was not {neg} at all.", "positive"], ["I did not think the {noun} was {pos}.", "negative"]],
  intensifiers: [["The {noun} was {intens} {pos}.", "positive"], ["The {noun} was {intens} {neg}.", "negative"]],
  domainWords: [
    ["A {noun} that drags on forever.", "negative"],
    ["The {noun} is a masterpiece.", "positive"],
    ["Two hours of my life I will never get back.", "negative"],
    ["The {noun} kept me on the edge of my seat.", "positive"],
  ],
};

const FINANCE: Domain = {
  fills: {
    company: ["Nokia", "the company", "Acme Oyj", "the group", "the bank"],
    metric: ["operating profit", "net sales", "revenue", "earnings per share", "order intake"],
    up: ["rose", "increased", "grew", "jumped"],
    down: ["fell", "decreased", "declined", "dropped"],
    intens: ["sharply", "significantly", "strongly"],
  },
  plain: [["The {metric} of {company} {up} in the third quarter.", "positive"], ["The {metric} of {company} {down} in the third quarter.", "negative"]],
  negation: [["The {metric} of {company} did not increase.", "negative"], ["The {metric} of {company} did not fall.", "positive"]],
  intensifiers: [["The {metric} of {company} {up} {intens}.", "positive"], ["The {metric} of {company} {down} {intens}.", "negative"]],
  domainWords: [
    ["{company} issued a profit warning.", "negative"],
    ["{company} raised its full-year guidance.", "positive"],
    ["{company} will lay off staff to cut costs.", "negative"],
    ["{company} won a major new contract.", "positive"],
    ["{company} swung to a loss.", "negative"],
  ],
};

/** The sentiment MFTs of a domain: plain sentiment, negation, intensifiers, domain words. */
export function sentimentMfts(domain: "movies" | "finance", options: { maxCases?: number; seed?: number } = {}): BehaviouralTest[] {
  const { maxCases = 60, seed = 0 } = options;
  const d = domain === "movies" ? MOVIES : FINANCE;
  const rng = new Rng(seed);
  return [
    { type: "MFT", name: `${domain}: plain sentiment`, capability: "vocabulary", cases: mft(d.plain, d.fills, maxCases, rng) },
    { type: "MFT", name: `${domain}: negation`, capability: "negation", cases: mft(d.negation, d.fills, maxCases, rng) },
    { type: "MFT", name: `${domain}: intensifiers`, capability: "vocabulary", cases: mft(d.intensifiers, d.fills, maxCases, rng) },
    { type: "MFT", name: `${domain}: domain words`, capability: "domain", cases: mft(d.domainWords, d.fills, maxCases, rng) },
  ];
}

/** Banking77 intents from templates (the intent model's MFT). */
export function bankingMfts(options: { maxCases?: number; seed?: number } = {}): BehaviouralTest[] {
  const { maxCases = 60, seed = 0 } = options;
  const fills = { card: ["card", "debit card", "new card"], money: ["money", "funds", "my payment"], when: ["yet", "after two weeks", "still"] };
  const templates: [string, string][] = [
    ["I lost my {card}.", "lost_or_stolen_card"],
    ["Someone stole my {card}, what should I do?", "lost_or_stolen_card"],
    ["My {card} has not arrived {when}.", "card_arrival"],
    ["How do I cancel a transfer I just made?", "cancel_transfer"],
    ["What exchange rate do you use?", "exchange_rate"],
    ["My {card} is not working.", "card_not_working"],
    ["The {money} I sent has not reached the recipient {when}.", "transfer_not_received_by_recipient"],
    ["My PIN is blocked.", "pin_blocked"],
  ];
  return [{ type: "MFT", name: "banking: intents from templates", capability: "vocabulary", cases: mft(templates, fills, maxCases, new Rng(seed)) }];
}

const NAMES = ["John", "Mary", "Ahmed", "Mei", "Olga", "Carlos", "Aisha", "Pekka"];
const LOCATIONS = ["Finland", "Helsinki", "London", "Nigeria", "China", "Brazil", "Chicago", "India"];

/**
 * Invariance tests on real texts (e.g. a test-set sample): one typo, 5% character noise, name swap, location swap,
 * lower case, upper case, punctuation. A perturbation that does not apply to a text (no name in it) skips the text.
 */
export function invarianceTests(texts: readonly string[], options: { seed?: number } = {}): BehaviouralTest[] {
  const { seed = 0 } = options;
  const rng = new Rng(seed);
  const pairs = (edit: (t: string) => string | null): PairCase[] =>
    texts.flatMap((original) => {
      const edited = edit(original);
      return edited === null || edited === original ? [] : [{ original, edited }];
    });
  const tests: BehaviouralTest[] = [
    { type: "INV", name: "one typo", capability: "robustness", cases: pairs((t) => addTypos(t, rng, 1)) },
    { type: "INV", name: "5% character noise", capability: "robustness", cases: pairs((t) => charNoise(t, rng, 0.05)) },
    { type: "INV", name: "swap a person's name", capability: "fairness / NER", cases: pairs((t) => swapWord(t, NAMES, NAMES, rng)) },
    { type: "INV", name: "swap a location", capability: "fairness / NER", cases: pairs((t) => swapWord(t, LOCATIONS, LOCATIONS, rng)) },
    { type: "INV", name: "lower case", capability: "robustness", cases: pairs(lowerCase) },
    { type: "INV", name: "upper case", capability: "robustness", cases: pairs(upperCase) },
    { type: "INV", name: "toggle final punctuation", capability: "robustness", cases: pairs(togglePunctuation) },
  ];
  return tests.filter((t) => t.cases.length > 0);
}

/** Person-name and location texts for the swap tests when the test set has few (templated, domain-neutral). */
export function nameTemplates(domain: "movies" | "finance"): string[] {
  const fills = { name: NAMES.slice(0, 4), place: LOCATIONS.slice(0, 4) };
  const templates = domain === "movies"
    ? ["{name} said the film shot in {place} was wonderful.", "{name} found the movie set in {place} boring."]
    : ["{name}, the CEO, said sales in {place} rose.", "{name} said the plant in {place} will close."];
  return templates.flatMap((t) => expandTemplate(t, fills));
}

/**
 * Directional tests: append a clearly positive clause (the positive probability must not drop by more than the
 * tolerance) and a clearly negative one (likewise for negative).
 */
export function directionalTests(texts: readonly string[], domain: "movies" | "finance", options: { seed?: number } = {}): BehaviouralTest[] {
  const { seed = 0 } = options;
  const rng = new Rng(seed);
  const clauses = domain === "movies"
    ? { positive: ["I loved it.", "Highly recommended.", "A real joy to watch."], negative: ["I hated it.", "A complete waste of time.", "Avoid it."] }
    : { positive: ["Profit more than doubled.", "The outlook is excellent.", "Sales beat expectations."], negative: ["The company expects a large loss.", "Sales collapsed.", "The outlook is bleak."] };
  const append = (list: readonly string[]): PairCase[] => texts.map((t) => ({ original: t, edited: `${t.trimEnd()} ${list[rng.int(list.length)]}` }));
  return [
    { type: "DIR", name: "add a positive clause", capability: "vocabulary", towards: "positive", cases: append(clauses.positive) },
    { type: "DIR", name: "add a negative clause", capability: "vocabulary", towards: "negative", cases: append(clauses.negative) },
  ];
}
