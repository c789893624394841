/**
 * Which of BERT's Linears a method adapts, by module name as `peft`'s `target_modules` matches them: a target
 * matches a module whose full name equals it or ends in `.target` (`"query"` → every layer's
 * `attention.self.query`; `"attention.output.dense"` → only that one of the three `dense`s).
 * Only encoder Linears are candidates (the pooler and MLM head are not adapted).
 */
import type { BertConfig } from "../model/config";

/** The encoder's Linears per layer, with `[in, out]` sizes. */
export function encoderLinears(config: BertConfig): { name: string; inSize: number; outSize: number }[] {
  const { hiddenSize: H, intermediateSize: I } = config;
  const out: { name: string; inSize: number; outSize: number }[] = [];
  for (let i = 0; i < config.numLayers; i++) {
    const layer = `bert.encoder.layer.${i}`;
    for (const part of ["query", "key", "value"]) out.push({ name: `${layer}.attention.self.${part}`, inSize: H, outSize: H });
    out.push({ name: `${layer}.attention.output.dense`, inSize: H, outSize: H });
    out.push({ name: `${layer}.intermediate.dense`, inSize: H, outSize: I });
    out.push({ name: `${layer}.output.dense`, inSize: I, outSize: H });
  }
  return out;
}

/**
 * The encoder Linears `targets` select, in model order.
 * @throws when a target matches nothing (a typo would otherwise train only the head), naming the candidates
 */
export function matchTargets(config: BertConfig, targets: readonly string[]): { name: string; inSize: number; outSize: number }[] {
  if (targets.length === 0) throw new Error("target_modules is empty: name at least one Linear (BERT: query, key, value, dense)");
  const linears = encoderLinears(config);
  const matches = (name: string, target: string) => name === target || name.endsWith(`.${target}`);
  for (const target of targets) {
    if (!linears.some((l) => matches(l.name, target))) throw new Error(`target module "${target}" matches no Linear of this BERT (try query, key, value, attention.output.dense, intermediate.dense, output.dense)`);
  }
  return linears.filter((l) => targets.some((t) => matches(l.name, t)));
}
