/** Each `peft_type` and the function that rebuilds it from `adapter_config.json` and saved tensors. */
import { AdaLora } from "./adalora";
import { Bottleneck } from "./bottleneck";
import { Ia3 } from "./ia3";
import { Lora } from "./lora";
import type { PeftMethodLoader, PeftType } from "./method";
import { PrefixTuning } from "./prefix-tuning";
import { PromptTuning } from "./prompt-tuning";

export const PEFT_LOADERS: Partial<Record<PeftType, PeftMethodLoader>> = {
  LORA: Lora.load,
  ADALORA: AdaLora.load,
  IA3: Ia3.load,
  PROMPT_TUNING: PromptTuning.load,
  PREFIX_TUNING: PrefixTuning.load,
  BOTTLENECK: Bottleneck.load,
};
