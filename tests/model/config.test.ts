/**
 * Issue #11 part 2, config.json: every key either maps onto BertConfig, is accepted only at the one value we
 * implement, or is inert; a key that changes the computation is never accepted silently.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { bertConfig, configFromHf, configToHf } from "../../lib/model";

const base = configToHf(bertConfig("tiny", { vocabSize: 50 }));

test("our own config.json reads back without a warning (every key we write is known)", (t) => {
  const warn = t.mock.method(console, "warn", () => {});
  assert.deepEqual(configFromHf(base), bertConfig("tiny", { vocabSize: 50 }));
  assert.equal(warn.mock.callCount(), 0);
});

test("keys that change what BERT computes are refused at any value we do not implement, naming file, key and value", () => {
  const refused: [string, unknown, RegExp][] = [
    ["position_embedding_type", "relative_key_query", /relative_key/],
    ["hidden_act", "gelu_new", /exact \(erf\) "gelu"/],
    ["add_cross_attention", true, /cross-attention/],
    ["is_encoder_decoder", true, /encoder–decoder/],
    ["tie_word_embeddings", false, /always tied/],
    ["pruned_heads", { "0": [1] }, /pruned attention heads/],
    ["classifier_dropout", 0.3, /hidden_dropout_prob/],
    ["problem_type", "multi_label_classification", /single-label/],
    ["output_attentions", true, /attention weights/],
    ["model_type", "roberta", /only BERT/],
  ];
  for (const [key, value, why] of refused) {
    assert.throws(
      () => configFromHf({ ...base, [key]: value }, "m/config.json"),
      (e: Error) => e.message.startsWith(`m/config.json: ${key} is ${JSON.stringify(value)}, which is not supported: `) && why.test(e.message),
      key,
    );
  }
});

test("keys we implement change the config: layer_norm_eps, type_vocab_size, is_decoder, dropouts, max positions", () => {
  const c = configFromHf({ ...base, layer_norm_eps: 1e-5, type_vocab_size: 1, is_decoder: true, hidden_dropout_prob: 0.2, attention_probs_dropout_prob: 0, max_position_embeddings: 64, pad_token_id: 3 });
  assert.deepEqual([c.layerNormEps, c.typeVocabSize, c.causal, c.hiddenDropout, c.attentionDropout, c.maxPositions, c.padTokenId], [1e-5, 1, true, 0.2, 0, 64, 3]);
  assert.throws(() => configFromHf({ ...base, is_decoder: "yes" }, "c.json"), /c\.json: "is_decoder" must be true or false/);
  assert.throws(() => configFromHf({ ...base, layer_norm_eps: "1e-5" }, "c.json"), /c\.json: "layer_norm_eps" must be a number/);
});

test("inert keys (bert-base-chinese's pooler_*, torch_dtype, id2label, ...) pass quietly; unknown keys are named", (t) => {
  const warn = t.mock.method(console, "warn", () => {});
  configFromHf({ ...base, pooler_type: "first_token_transform", directionality: "bidi", torch_dtype: "float32", id2label: { "0": "a" }, use_cache: true });
  assert.equal(warn.mock.callCount(), 0);
  configFromHf({ ...base, rope_theta: 10000 }, "u.json");
  assert.equal(warn.mock.callCount(), 1);
  assert.match(String(warn.mock.calls[0]?.arguments[0]), /u\.json: key\(s\) this library does not know.*rope_theta/);
  assert.throws(() => configFromHf({ ...base, rope_theta: 10000 }, "u.json", { unknownKeys: "error" }), /u\.json: key\(s\) this library does not know.*: rope_theta$/);
});
