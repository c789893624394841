/**
 * The methods by their command-line names (`course finetune --peft NAME`), each built from one options object:
 * what `runTask`'s `adapt` and the CLI use.
 */
import { Rng } from "../core/rng";
import type { TaskBase } from "../tasks/base-model";
import type { TaskModel } from "../tasks/heads";
import { createPeftModel } from "./create";
import { Lora, type LoraConfig } from "./lora";
import type { PeftModel } from "./peft-model";

/** `--peft` values. */
export const PEFT_METHODS = ["lora"] as const;
export type PeftMethodName = (typeof PEFT_METHODS)[number];

/** Options of every method (each reads its own). */
export interface PeftOptions {
  lora?: LoraConfig;
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
    switch (name as PeftMethodName) {
      case "lora":
        return createPeftModel(model, (c) => new Lora(c, options.lora ?? {}, rng), { initialized: base.initialized });
    }
  };
}
