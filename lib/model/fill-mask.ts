/**
 * Fill-mask, as transformers.js's `pipeline("fill-mask")` answers it: for the first `[MASK]` of a text, the
 * `topK` most likely tokens with their probabilities and the completed text.
 */
import * as tf from "@tensorflow/tfjs";
import type { BertTokenizer } from "../text/tokenizer";
import type { BertModel } from "./bert";
import { tidyData } from "../core/tidy-data";

export interface FillMaskResult {
  score: number;
  token: number;
  token_str: string;
  sequence: string;
}

/** Leaves no tensor behind. @throws when the text has no `[MASK]`. */
export function fillMask(model: BertModel, tokenizer: BertTokenizer, text: string, options: { topK?: number } = {}): FillMaskResult[] {
  const { topK = 5 } = options;
  const encoding = tokenizer.encode(text, null, { maxLength: model.config.maxPositions, truncation: true });
  const maskId = tokenizer.tokenToId(tokenizer.maskToken);
  const position = encoding.inputIds.indexOf(maskId ?? -1);
  if (position < 0) throw new Error(`fill-mask: "${text}" has no ${tokenizer.maskToken} token`);
  const probs = tidyData(() => {
    const ids = tf.tensor2d([encoding.inputIds], [1, encoding.inputIds.length], "int32");
    const { hidden } = model.encode({ inputIds: ids }); // [1, T, H]
    const h = hidden.slice([0, position, 0], [1, 1, model.config.hiddenSize]).reshape([1, model.config.hiddenSize]);
    return tf.softmax(model.mlmLogits(h)); // [V]
  });
  const order = Array.from(probs.keys()).sort((a, b) => (probs[b] as number) - (probs[a] as number)).slice(0, topK);
  return order.map((token) => {
    const ids = [...encoding.inputIds];
    ids[position] = token;
    return { score: probs[token] as number, token, token_str: tokenizer.idToToken(token) ?? "", sequence: tokenizer.decode(ids, { skipSpecialTokens: true }) };
  });
}
