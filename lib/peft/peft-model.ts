/**
 * A frozen BERT with one or more named adapters, each a `PeftMethod` plus its own copy of the classifier head
 * (`peft`'s `modules_to_save`), switched per request — `peft`'s `PeftModelForSequenceClassification` /
 * `...ForTokenClassification` with `add_adapter` / `set_adapter`. It is a `TaskModel` whose `params` are only the
 * active adapter's tensors and head: the trainer differentiates and keeps AdamW moments for those alone, so the
 * base gets no gradients and no optimiser state.
 * Shape legend: `B` batch, `T` sequence, `P` virtual tokens, `H` hidden, `C` classes.
 */
import * as tf from "@tensorflow/tfjs";
import type { Rng } from "../core/rng";
import type { BertInputs, BertModel } from "../model/bert";
import { dropout, linear } from "../nn/layers";
import { countParams, disposeParams, param, type Params } from "../nn/params";
import type { TaskKind, TaskModel } from "../tasks/heads";
import type { PeftMethod } from "./method";

/** One named adapter: its method and its head (plus any other `modules_to_save`, e.g. a freshly drawn pooler). */
export interface Adapter {
  method: PeftMethod;
  /** Trainable copies of whole modules, by parameter name (`classifier.weight`, `classifier.bias`, maybe `bert.pooler.dense.*`). */
  modules: Params;
  /** `peft`'s `modules_to_save` names (`classifier`, maybe `pooler`). */
  modulesToSave: string[];
}

/** `peft`'s `task_type` for our heads. */
export const TASK_TYPES = { sequence: "SEQ_CLS", token: "TOKEN_CLS" } as const;

export class PeftModel implements TaskModel {
  private readonly adapters = new Map<string, Adapter>();
  private activeName: string | undefined;

  /**
   * Takes over `bert` (disposes it with the model) and freezes it: its variables are marked non-trainable and
   * never appear in `params`. Each adapter brings its own head, so adapters of different label sets share a base.
   */
  constructor(
    readonly bert: BertModel,
    readonly kind: TaskKind,
  ) {
    for (const v of bert.params.values()) v.trainable = false;
  }

  /** Classes of the active adapter's head. */
  get numLabels(): number {
    return (param(this.adapter().modules, "classifier.weight").shape[1] as number);
  }

  /** Adds adapter `name` (taking over `method` and `modules`) and makes it active. @throws when the name is taken. */
  addAdapter(name: string, method: PeftMethod, modules: Params, modulesToSave: string[] = ["classifier"]): void {
    if (this.adapters.has(name)) throw new Error(`adapter "${name}" already exists on this model (names: ${[...this.adapters.keys()].join(", ")})`);
    if (!modules.has("classifier.weight") || !modules.has("classifier.bias")) throw new Error(`adapter "${name}": its modules need classifier.weight and classifier.bias`);
    this.adapters.set(name, { method, modules, modulesToSave });
    this.setAdapter(name);
  }

  /** Makes adapter `name` the one `logits`, `params` and `head` use. @throws naming the adapters that exist. */
  setAdapter(name: string): void {
    if (!this.adapters.has(name)) throw new Error(`no adapter "${name}" (have: ${[...this.adapters.keys()].join(", ") || "none"})`);
    this.activeName = name;
  }

  /** The active adapter's name. */
  get activeAdapter(): string {
    if (this.activeName === undefined) throw new Error("this PeftModel has no adapter yet (addAdapter first)");
    return this.activeName;
  }

  /** The names of all adapters. */
  get adapterNames(): string[] {
    return [...this.adapters.keys()];
  }

  /** Adapter `name` (default: the active one). */
  adapter(name = this.activeAdapter): Adapter {
    const a = this.adapters.get(name);
    if (a === undefined) throw new Error(`no adapter "${name}" (have: ${[...this.adapters.keys()].join(", ")})`);
    return a;
  }

  /** The active adapter's classifier (`classifier.weight` `[H, C]`, `classifier.bias` `[C]`). */
  get head(): Params {
    const modules = this.adapter().modules;
    return new Map([...modules].filter(([n]) => n.startsWith("classifier.")));
  }

  /** What training updates: the active adapter's method tensors and its `modules_to_save`. */
  get params(): Params {
    const a = this.adapter();
    return new Map([...a.method.params, ...a.modules]);
  }

  /** Trainable scalars of the active adapter: the method's alone (`method`) and with the head and other modules (`withModules`). */
  trainableCount(): { method: number; withModules: number; total: number } {
    const a = this.adapter();
    const method = countParams(a.method.params);
    const withModules = method + countParams(a.modules);
    return { method, withModules, total: this.bert.numParams() + withModules };
  }

  /**
   * Logits through adapter `adapter` (default the active one): `[B, C]` (sequence) or `[B, T, C]` (token).
   * Call inside `tf.tidy`; `rng` turns on dropout (training).
   */
  logits(inputs: BertInputs, options: { rng?: Rng; adapter?: string } = {}): tf.Tensor {
    const { rng } = options;
    const a = this.adapter(options.adapter);
    const p = a.method.virtualTokens;
    let { inputIds, attentionMask, tokenTypeIds } = inputs;
    if (p > 0) {
      // Prompt tuning: P placeholder ids in front (the hook replaces their embeddings), always attended to.
      const [b, t] = inputIds.shape;
      const limit = this.bert.config.maxPositions;
      if (t + p > limit) throw new Error(`prompt tuning: ${t} tokens + ${p} virtual tokens exceed the model's ${limit} positions; truncate to ${limit - p} (--max-length)`);
      inputIds = tf.concat([tf.zeros([b, p], "int32"), inputIds.toInt()], 1) as tf.Tensor2D; // [B, P+T]
      if (attentionMask) attentionMask = tf.concat([tf.ones([b, p], attentionMask.dtype), attentionMask], 1) as tf.Tensor2D;
      if (tokenTypeIds) tokenTypeIds = tf.concat([tf.zeros([b, p], tokenTypeIds.dtype), tokenTypeIds], 1) as tf.Tensor2D;
    }
    const { hidden } = this.bert.encode({ inputIds, attentionMask, tokenTypeIds }, { rng, hooks: a.method.hooks }); // [B, P+T, H]
    const w = param(a.modules, "classifier.weight") as tf.Tensor2D;
    const bias = param(a.modules, "classifier.bias") as tf.Tensor1D;
    const drop = (x: tf.Tensor) => dropout(x, this.bert.config.hiddenDropout, rng);
    if (this.kind === "sequence") return linear(drop(this.pool(hidden, a.modules)), w, bias); // [B, C]
    const [b, t, h] = hidden.shape;
    return linear(drop(hidden.slice([0, p, 0], [b, t - p, h])), w, bias); // [B, T, C]: virtual tokens dropped
  }

  /** The pooler, from the adapter's own copy when it saves one (`modules_to_save: pooler`). */
  private pool(hidden: tf.Tensor3D, modules: Params): tf.Tensor2D {
    const w = modules.get("bert.pooler.dense.weight");
    const b = modules.get("bert.pooler.dense.bias");
    if (w === undefined || b === undefined) return this.bert.pool(hidden);
    const [n, , h] = hidden.shape;
    return tf.tanh(linear(hidden.slice([0, 0, 0], [n, 1, h]).reshape([n, h]), w as tf.Tensor2D, b as tf.Tensor1D)) as tf.Tensor2D; // [B, H]
  }

  /** The active method's training extras (AdaLoRA's regulariser and rank schedule), for `finetune`. */
  get training(): PeftMethod["training"] {
    return this.activeName === undefined ? undefined : this.adapter().method.training;
  }

  /** Removes adapter `name`, freeing its tensors. */
  deleteAdapter(name: string): void {
    const a = this.adapter(name);
    a.method.dispose();
    disposeParams(a.modules);
    this.adapters.delete(name);
    if (this.activeName === name) this.activeName = this.adapters.keys().next().value;
  }

  /** Frees the base and every adapter. */
  dispose(): void {
    for (const name of [...this.adapters.keys()]) this.deleteAdapter(name);
    this.bert.dispose();
  }
}
