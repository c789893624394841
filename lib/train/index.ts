export { AdamW, decaysByDefault } from "./adamw";
export type { AdamWOptions } from "./adamw";
