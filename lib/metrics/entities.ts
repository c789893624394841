/**
 * Entity-level (chunk) precision, recall and F1 for sequence labelling, as the CoNLL `conlleval` perl script and
 * seqeval count them. Tags are `O` or `PREFIX-TYPE`; the type may itself contain hyphens (`B-MISC-X` has type
 * `MISC-X`: conlleval splits on the first hyphen).
 *
 * Two ways to read a tag sequence into entities:
 * - `"conlleval"` (default; seqeval's default mode): conlleval's `endOfChunk`/`startOfChunk`. An `I-X` that does
 *   not continue a chunk of type X starts a new chunk, a type change ends a chunk, `B-X` always starts one. For
 *   IOB1 and IOB2 the same rules apply (conlleval is never told the scheme). conlleval has no `S-` tag, so IOBES
 *   uses seqeval's extension of the rules (`E-`/`S-` end a chunk, `S-` starts one).
 * - `"strict"` (seqeval `mode="strict"`): an entity must be spelled exactly as the scheme says. IOB2: `B-X I-X*`
 *   (an `I-` without `B-` is no entity). IOBES: `S-X`, or `B-X I-X* E-X` (an unfinished `B-X I-X` is no entity).
 *
 * An entity is correct when type, start and end all match (conlleval's `correctChunk`); sentences never share one.
 */

/** Tagging schemes: IOB1 (`B-` only between two same-type chunks), IOB2 (`B-` starts every chunk), IOBES. */
export type TagScheme = "IOB1" | "IOB2" | "IOBES";

/** How tags are read into entities: conlleval's lenient rules or seqeval's strict mode. */
export type EntityMode = "conlleval" | "strict";

/** An entity: its type and token span `[start, end)` (end exclusive). */
export interface Entity {
  type: string;
  start: number;
  end: number;
}

/** A tag split into its prefix (`O`, `B`, `I`, `E`, `S`) and type (`""` for `O`). */
interface Tag {
  prefix: string;
  type: string;
}

const ALLOWED: { [s in TagScheme]: string } = { IOB1: "BI", IOB2: "BI", IOBES: "BIES" };

/** Splits `tag` like conlleval (`^([^-]*)-(.*)$`) and checks the prefix against the scheme. */
function parseTag(tag: string, scheme: TagScheme, where: string): Tag {
  if (tag === "O") return { prefix: "O", type: "" };
  const dash = tag.indexOf("-");
  const prefix = dash < 0 ? tag : tag.slice(0, dash);
  const type = dash < 0 ? "" : tag.slice(dash + 1);
  const allowed = ALLOWED[scheme];
  if (allowed === undefined) throw new Error(`unknown tag scheme ${JSON.stringify(scheme)}; use "IOB1", "IOB2" or "IOBES".`);
  if (prefix.length !== 1 || !allowed.includes(prefix) || type === "") {
    const forms = ["O", ...allowed.split("").map((p) => `${p}-TYPE`)].join(", ");
    throw new Error(`${where}: tag ${JSON.stringify(tag)} is not valid in ${scheme} (expected ${forms}); check the scheme option or the label list.`);
  }
  return { prefix, type };
}

/** conlleval's `endOfChunk` (+ seqeval's `E`/`S` rules): does a chunk end just before `tag`? */
function endOfChunk(prev: Tag, tag: Tag): boolean {
  if (prev.prefix === "E" || prev.prefix === "S") return true;
  if ((prev.prefix === "B" || prev.prefix === "I") && (tag.prefix === "B" || tag.prefix === "S" || tag.prefix === "O")) return true;
  return prev.prefix !== "O" && prev.type !== tag.type; // a type change ends the chunk
}

/** conlleval's `startOfChunk` (+ seqeval's `E`/`S` rules): does a chunk start at `tag`? */
function startOfChunk(prev: Tag, tag: Tag): boolean {
  if (tag.prefix === "B" || tag.prefix === "S") return true;
  if ((prev.prefix === "O" || prev.prefix === "E" || prev.prefix === "S") && (tag.prefix === "I" || tag.prefix === "E")) return true;
  return tag.prefix !== "O" && prev.type !== tag.type; // an `I-X` after a chunk of another type starts one
}

const OUTSIDE: Tag = { prefix: "O", type: "" };

function lenientEntities(tags: readonly Tag[]): Entity[] {
  const out: Entity[] = [];
  let prev = OUTSIDE;
  let begin = 0;
  for (let i = 0; i <= tags.length; i++) {
    const tag = tags[i] ?? OUTSIDE; // one `O` past the end closes a chunk at the sentence end
    if (endOfChunk(prev, tag)) out.push({ type: prev.type, start: begin, end: i });
    if (startOfChunk(prev, tag)) begin = i;
    prev = tag;
  }
  return out;
}

/** seqeval's strict `Tokens.entities` for IOB2 and IOBES, written as the patterns it accepts. */
function strictEntities(tags: readonly Tag[], scheme: TagScheme): Entity[] {
  const out: Entity[] = [];
  let i = 0;
  while (i < tags.length) {
    const tag = tags[i]!;
    if (scheme === "IOBES" && tag.prefix === "S") {
      out.push({ type: tag.type, start: i, end: i + 1 });
      i++;
    } else if (tag.prefix === "B") {
      // Extend while the next tag continues this entity: `I-X` (IOB2), `I-X`/`E-X` after `B-X`/`I-X` (IOBES).
      let j = i + 1;
      const continues = (t: Tag, before: Tag): boolean =>
        t.type === tag.type && (scheme === "IOBES" ? (t.prefix === "I" || t.prefix === "E") && (before.prefix === "B" || before.prefix === "I") : t.prefix === "I");
      while (j < tags.length && continues(tags[j]!, tags[j - 1]!)) j++;
      // IOB2: whatever follows ends it. IOBES: only a final `E-X` makes it an entity.
      if (scheme === "IOB2" || tags[j - 1]!.prefix === "E") out.push({ type: tag.type, start: i, end: j });
      i = j;
    } else {
      i++; // `I-`/`E-` that no `B-` opened: not an entity in strict mode
    }
  }
  return out;
}

function parseAll(tags: readonly string[], scheme: TagScheme, where: string): Tag[] {
  return tags.map((t, i) => parseTag(t, scheme, `${where}, token ${i}`));
}

function decode(tags: readonly Tag[], scheme: TagScheme, mode: EntityMode): Entity[] {
  if (mode === "conlleval") return lenientEntities(tags);
  if (mode === "strict") {
    if (scheme === "IOB1") throw new Error(`strict mode is defined for IOB2 and IOBES, not IOB1; convert the tags with iob1ToIob2 (lib/data) first.`);
    return strictEntities(tags, scheme);
  }
  throw new Error(`unknown mode ${JSON.stringify(mode)}; use "conlleval" or "strict".`);
}

/**
 * The entities of one tag sequence, in order.
 * @param tags one sentence's tags, e.g. `["B-PER", "I-PER", "O"]`
 * @param scheme which prefixes are allowed (`B`/`I` for IOB1/IOB2, plus `E`/`S` for IOBES)
 * @param options mode `"conlleval"` (default) or `"strict"` (see the file header)
 * @returns entities with `end` exclusive: `B-PER I-PER O` gives `[{ type: "PER", start: 0, end: 2 }]`
 * @throws Error for a tag the scheme does not allow, or strict mode with IOB1
 */
export function extractEntities(tags: readonly string[], scheme: TagScheme, options: { mode?: EntityMode } = {}): Entity[] {
  const { mode = "conlleval" } = options;
  return decode(parseAll(tags, scheme, "extractEntities"), scheme, mode);
}

/** Entity counts and scores of one type, or of all types pooled. */
export interface EntityScores {
  precision: number;
  recall: number;
  f1: number;
  /** Gold entities (conlleval's `foundCorrect`). */
  support: number;
  /** Predicted entities (conlleval's `foundGuessed`). */
  predicted: number;
  /** Predicted entities that match a gold one in type, start and end (conlleval's `correctChunk`). */
  correct: number;
}

/** What conlleval prints, as numbers (fractions in [0, 1], not percentages). */
export interface EntityReport {
  /** One entry per type that occurs in gold or predictions, in conlleval's (sorted) order. */
  perType: Record<string, EntityScores>;
  /** Micro average over all entities (conlleval's overall line). */
  overall: EntityScores;
  /** Fraction of tokens whose predicted tag equals the gold tag exactly (`O` included; `B-X` ≠ `I-X`). */
  tokenAccuracy: number;
  /** Number of tokens. */
  tokens: number;
}

/** Options of {@link entityScores}. */
export interface EntityScoreOptions {
  scheme: TagScheme;
  /** `"conlleval"` (default, = seqeval's default mode) or `"strict"` (seqeval `mode="strict"`). */
  mode?: EntityMode;
}

function scores(correct: number, predicted: number, support: number): EntityScores {
  // conlleval's zero division: precision 0 with no predictions, recall 0 with no gold, F1 0 when both are 0.
  const precision = predicted === 0 ? 0 : correct / predicted;
  const recall = support === 0 ? 0 : correct / support;
  const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
  return { precision, recall, f1, support, predicted, correct };
}

/**
 * Entity-level precision, recall and F1 per type and overall, and token accuracy.
 * @param gold one tag array per sentence
 * @param predicted one tag array per sentence, each as long as its gold sentence
 * @param options scheme (required) and mode
 * @throws Error on a sentence count or length mismatch, no tokens at all, or a tag the scheme does not allow
 */
export function entityScores(gold: readonly (readonly string[])[], predicted: readonly (readonly string[])[], options: EntityScoreOptions): EntityReport {
  const { scheme, mode = "conlleval" } = options;
  if (gold.length !== predicted.length) {
    throw new Error(`entityScores: ${gold.length} gold sentences but ${predicted.length} predicted; pass one predicted tag array per sentence.`);
  }
  const counts = new Map<string, { correct: number; predicted: number; support: number }>();
  const count = (type: string) => {
    let c = counts.get(type);
    if (c === undefined) counts.set(type, (c = { correct: 0, predicted: 0, support: 0 }));
    return c;
  };
  let tokens = 0;
  let correctTags = 0;
  gold.forEach((goldTags, s) => {
    const predTags = predicted[s]!;
    if (predTags.length !== goldTags.length) {
      throw new Error(`entityScores: sentence ${s} has ${goldTags.length} gold tags but ${predTags.length} predicted; predict one tag per token.`);
    }
    const goldEntities = decode(parseAll(goldTags, scheme, `entityScores: gold sentence ${s}`), scheme, mode);
    const predEntities = decode(parseAll(predTags, scheme, `entityScores: predicted sentence ${s}`), scheme, mode);
    const key = (e: Entity): string => `${e.start}:${e.end}:${e.type}`;
    const goldKeys = new Set(goldEntities.map(key));
    for (const e of goldEntities) count(e.type).support++;
    for (const e of predEntities) {
      const c = count(e.type);
      c.predicted++;
      if (goldKeys.has(key(e))) c.correct++;
    }
    for (let i = 0; i < goldTags.length; i++) if (goldTags[i] === predTags[i]) correctTags++;
    tokens += goldTags.length;
  });
  if (tokens === 0) throw new Error("entityScores: no tokens (every sentence is empty); token accuracy is undefined.");
  const perType: Record<string, EntityScores> = {};
  let correct = 0;
  let found = 0;
  let support = 0;
  for (const type of [...counts.keys()].sort()) {
    const c = counts.get(type)!;
    perType[type] = scores(c.correct, c.predicted, c.support);
    correct += c.correct;
    found += c.predicted;
    support += c.support;
  }
  return { perType, overall: scores(correct, found, support), tokenAccuracy: correctTags / tokens, tokens };
}
