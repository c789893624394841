/**
 * The methods by their command-line names (`course finetune --peft NAME`), each built from one options object:
 * what `runTask`'s `adapt` and the CLI use.
 */
import { Rng } from "../core/rng";
import type { TaskBase } from "../tasks/base-model";
import type { TaskModel } from "../tasks/heads";
import { createPeftModel } from "./create";
import { AdaLora, type AdaLoraConfig } from "./adalora";
import { Bottleneck, type BottleneckConfig } from "./bottleneck";
import { Ia3, type Ia3Config } from "./ia3";
import { Lora, type LoraConfig } from "./lora";
import { PrefixTuning, type PrefixTuningConfig } from "./prefix-tuning";
import { PromptTuning, type PromptTuningConfig } from "./prompt-tuning";
import type { PeftModel } from "./peft-model";

/** `--peft` values. */
export const PEFT_METHODS = ["lora", "adalora", "ia3", "prompt", "prefix", "adapter"] as const;
export type PeftMethodName = (typeof PEFT_METHODS)[number];

/** Options of every method (each reads its own). */
export interface PeftOptions {
  lora?: LoraConfig;
  adalora?: AdaLoraConfig;
  ia3?: Ia3Config;
  prompt?: PromptTuningConfig;
  prefix?: PrefixTuningConfig;
  adapter?: BottleneckConfig;
  /** Seed of the method's initialisation (default 0). */
  seed?: number;
}

/**
 * A `runTask` `adapt` function wrapping the task model with method `name`.
 * @throws naming the valid methods when `name` is unknown
 */
export function peftAdapter(name: string, options: PeftOptions = {}): (model: TaskModel, base: TaskBase) => PeftModel {
  const { seed = 0 } = options;
  if (!(PEFT_METHODS as readonly string[]).includes(name)) throw new Error(`--peft ${name}: one of ${PEFT_METHODS.join(", ")}`);
  return (model, base) => {
    const rng = new Rng(seed + 3000);
    const wrap = (method: Parameters<typeof createPeftModel>[1]) => createPeftModel(model, method, { initialized: base.initialized });
    switch (name as PeftMethodName) {
      case "lora":
        return wrap((c) => new Lora(c, options.lora ?? {}, rng));
      case "adalora":
        return wrap((c) => new AdaLora(c, options.adalora ?? {}, rng));
      case "ia3":
        return wrap((c) => new Ia3(c, options.ia3 ?? {}));
      case "prompt":
        return wrap((c) => new PromptTuning(c, options.prompt ?? {}, rng, model.bert.params.get("bert.embeddings.word_embeddings.weight")));
      case "prefix":
        return wrap((c) => new PrefixTuning(c, options.prefix ?? {}, rng));
      case "adapter":
        return wrap((c, baseParams) => new Bottleneck(c, options.adapter ?? {}, rng, baseParams));
    }
  };
}
