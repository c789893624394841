/**
 * Classification as a cloze task with the pretrained MLM head (PET, Schick & Schütze 2021; LM-BFF, Gao et al. 2021):
 *   logits[b, c] = MLM logits at the `[MASK]` of example b, for the verbalizer token of class c
 *   `[B, T]` → hidden `[B, T, H]` → h[MASK] `[B, H]` → MLM head `[B, V]` → verbalizer columns `[B, C]`
 * No new parameters: the head that pretraining trained classifies from the first example on (zero-shot), and
 * prompt-based fine-tuning trains the whole model, head included, with cross-entropy over these `C` logits
 * (LM-BFF §4; PET's L_CE). It is a sequence `TaskModel`, so `finetune` and `predictSequence` run it unchanged.
 * Shape legend: `B` batch, `T` sequence, `H` hidden, `V` vocabulary, `C` classes.
 */
import * as tf from "@tensorflow/tfjs";
import type { Rng } from "../core/rng";
import type { BertInputs, BertModel } from "../model/bert";
import type { Params } from "../nn/params";
import type { TaskModel } from "../tasks/heads";
import type { Verbalizer } from "./verbalizer";

/** A BERT with its MLM head as a classifier over the verbalizer's words. Takes over `bert` (disposes it). */
export class ClozeClassifier implements TaskModel {
  readonly kind = "sequence" as const;
  /** The MLM head (`cls.predictions.*`; its decoder is tied to the word embeddings). */
  readonly head: Params;
  readonly params: Params;
  readonly numLabels: number;

  /**
   * @param maskId the tokenizer's `[MASK]` id; every input row must hold it exactly once (`encodePrompt` does)
   * @throws when `bert` has no MLM head or a verbalizer id is outside its vocabulary
   */
  constructor(
    readonly bert: BertModel,
    readonly verbalizer: Verbalizer,
    readonly maskId: number,
  ) {
    this.head = new Map([...bert.params].filter(([name]) => name.startsWith("cls.predictions.")));
    if (this.head.size === 0) throw new Error("ClozeClassifier: the model has no MLM head (cls.predictions.*); load an MLM-pretrained checkpoint");
    const bad = verbalizer.tokenIds.filter((id) => !(id >= 0 && id < bert.config.vocabSize));
    if (bad.length > 0) throw new Error(`ClozeClassifier: verbalizer ids ${bad.join(", ")} are outside the model's vocabulary of ${bert.config.vocabSize}`);
    this.params = bert.params;
    this.numLabels = verbalizer.tokenIds.length;
  }

  /** The hidden state at each row's `[MASK]`, `[B, H]` (inside the caller's tidy). */
  maskHidden(inputs: BertInputs, options: { rng?: Rng } = {}): tf.Tensor2D {
    const { hidden } = this.bert.encode(inputs, { rng: options.rng }); // [B, T, H]
    const atMask = tf.equal(inputs.inputIds, this.maskId).toFloat().expandDims(1); // [B, 1, T] one-hot (one mask per row)
    return tf.matMul(atMask, hidden).squeeze([1]) as tf.Tensor2D; // [B, H]
  }

  /** `[B, T]` prompt inputs → logits `[B, C]` over the verbalizer tokens. Call inside `tf.tidy`; `rng` turns on dropout. */
  logits(inputs: BertInputs, options: { rng?: Rng } = {}): tf.Tensor2D {
    const vocabLogits = this.bert.mlmLogits(this.maskHidden(inputs, options)); // [B, V]
    return tf.gather(vocabLogits, tf.tensor1d(this.verbalizer.tokenIds, "int32"), 1) as tf.Tensor2D; // [B, C]
  }

  /** Frees the encoder and its MLM head. */
  dispose(): void {
    this.bert.dispose();
    this.head.clear();
  }
}
