/**
 * A cloze template (PET's "pattern", LM-BFF's "template"): the input text placed into a sentence with one `[MASK]`,
 * e.g. `"{text} It was [MASK]."` (Gao et al. 2021, Table 1, SST-2). The text is truncated — never the template —
 * so the `[MASK]` always survives `maxLength`. Plain arrays out (`[CLS] prefix text suffix [SEP]` ids), no tensors.
 */
import type { BertTokenizer } from "../text/tokenizer";

/** The placeholder a template puts the input text at. */
export const TEXT_SLOT = "{text}";

/** A parsed template: the pieces before and after the text, and the `[MASK]` id. */
export interface PromptTemplate {
  template: string;
  prefixIds: number[];
  suffixIds: number[];
  maskId: number;
}

/**
 * Parses `template` for `tokenizer`.
 * @throws when the template lacks `{text}` or has it twice, or has no `[MASK]` / more than one, or the tokenizer has
 *   no mask token — naming the template and the way out
 */
export function parseTemplate(tokenizer: BertTokenizer, template: string): PromptTemplate {
  const parts = template.split(TEXT_SLOT);
  if (parts.length !== 2) throw new Error(`prompt template "${template}": needs ${TEXT_SLOT} exactly once (it has it ${parts.length - 1} times), e.g. "${TEXT_SLOT} It was ${tokenizer.maskToken}."`);
  const maskId = tokenizer.tokenToId(tokenizer.maskToken);
  if (maskId === undefined) throw new Error(`prompt template: the tokenizer has no ${tokenizer.maskToken} token; a cloze prompt needs an MLM tokenizer`);
  const prefixIds = tokenizer.pieces(parts[0] as string).ids;
  const suffixIds = tokenizer.pieces(parts[1] as string).ids;
  const masks = [...prefixIds, ...suffixIds].filter((id) => id === maskId).length;
  if (masks !== 1) throw new Error(`prompt template "${template}": needs exactly one ${tokenizer.maskToken} (it has ${masks}); the verbalizer's words are scored there`);
  return { template, prefixIds, suffixIds, maskId };
}

/**
 * `[CLS] prefix text suffix [SEP]` ids of one text, the text cut to fit `maxLength` (special tokens included).
 * @throws when the template alone does not fit `maxLength`, or the text itself contains the mask token
 */
export function encodePrompt(tokenizer: BertTokenizer, template: PromptTemplate, text: string, maxLength: number): number[] {
  const cls = tokenizer.tokenToId(tokenizer.clsToken);
  const sep = tokenizer.tokenToId(tokenizer.sepToken);
  if (cls === undefined || sep === undefined) throw new Error(`encodePrompt: the tokenizer lacks ${tokenizer.clsToken} or ${tokenizer.sepToken}`);
  const budget = maxLength - 2 - template.prefixIds.length - template.suffixIds.length;
  if (budget < 1) throw new Error(`encodePrompt: template "${template.template}" takes ${maxLength - budget} of maxLength ${maxLength} tokens; raise maxLength or shorten the template`);
  const textIds = tokenizer.pieces(text, budget).ids.slice(0, budget);
  if (textIds.includes(template.maskId)) throw new Error(`encodePrompt: the text "${text.slice(0, 60)}" contains ${tokenizer.maskToken} itself; remove it so the prompt has one mask`);
  return [cls, ...template.prefixIds, ...textIds, ...template.suffixIds, sep];
}
