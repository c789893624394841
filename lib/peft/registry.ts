/** Each `peft_type` and the function that rebuilds it from `adapter_config.json` and saved tensors. */
import { Lora } from "./lora";
import type { PeftMethodLoader, PeftType } from "./method";

export const PEFT_LOADERS: Partial<Record<PeftType, PeftMethodLoader>> = {
  LORA: Lora.load,
};
