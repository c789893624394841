// A BERT whose every parameter is random and distinct (biases and LayerNorm included), so that a swapped,
// untransposed or dropped tensor changes the outputs — `BertModel.init`'s zeros and ones would hide it.
import * as tf from "@tensorflow/tfjs";
import { Rng } from "../../lib/core/rng";
import { BertModel, type BertConfig } from "../../lib/model";
import type { Params } from "../../lib/nn/params";

/** `BertModel.init`, then every variable redrawn (`randomizeParams`). Caller disposes. */
export function randomBert(config: BertConfig, seed: number): BertModel {
  const rng = new Rng(seed);
  const model = BertModel.init(config, rng);
  randomizeParams(model.params, rng);
  return model;
}

/** Redraws every variable in place: weights N(0, 0.05²), biases N(0, 0.1²), LayerNorm gains 1 + N(0, 0.1²). */
export function randomizeParams(params: Params, rng: Rng): void {
  for (const [name, variable] of params) {
    const std = name.endsWith(".bias") || name.includes("LayerNorm") ? 0.1 : 0.05;
    const offset = name.includes("LayerNorm") && name.endsWith(".weight") ? 1 : 0;
    const values = rng.truncatedNormal(variable.size, std).map((v) => v + offset);
    tf.tidy(() => variable.assign(tf.tensor(values, variable.shape)));
  }
}
