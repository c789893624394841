import type { Command } from "commander";
import { initBackend } from "../core";
import { loadBertCheckpoint } from "../checkpoint";
import { fillMask, generate } from "../model";
import { loadTokenizer } from "../text";
import { Rng } from "../core/rng";
import { finiteNumber, positiveInt } from "./args";

/** `course fill-mask` and `course generate`: use a pretrained checkpoint. */
export function registerFillMask(program: Command): void {
  program
    .command("fill-mask")
    .description("the most likely tokens for the [MASK] in a text")
    .requiredOption("--model <dir>", "a checkpoint folder (config.json, model.safetensors, tokenizer files)")
    .option("--top-k <n>", "candidates to show", positiveInt("--top-k"), 5)
    .argument("<text>", 'text with one [MASK], e.g. "the [MASK] of the house"')
    .action(async (text: string, o: { model: string; topK: number }) => {
      await initBackend();
      const model = loadBertCheckpoint(o.model);
      const results = fillMask(model, loadTokenizer(o.model), text, { topK: o.topK });
      for (const r of results) console.log(`${r.score.toFixed(4)}  ${r.token_str.padEnd(14)} ${r.sequence}`);
      model.dispose();
    });

  program
    .command("generate")
    .description("continue a prompt with a causal checkpoint (course pretrain --causal)")
    .requiredOption("--model <dir>", "a causal checkpoint folder")
    .option("--max-new-tokens <n>", "tokens to generate", positiveInt("--max-new-tokens"), 30)
    .option("--temperature <t>", "0 = greedy; higher = more random", finiteNumber("--temperature"), 0.8)
    .option("--top-k <n>", "sample among the k most likely tokens (0 = all)", finiteNumber("--top-k"), 40)
    .option("--top-p <p>", "nucleus sampling mass", finiteNumber("--top-p"), 0.95)
    .option("--seed <n>", "random seed", finiteNumber("--seed"), 0)
    .argument("<prompt>", "the text to continue")
    .action(async (prompt: string, o: { model: string; maxNewTokens: number; temperature: number; topK: number; topP: number; seed: number }) => {
      await initBackend();
      const model = loadBertCheckpoint(o.model);
      const tokenizer = loadTokenizer(o.model);
      const ids = tokenizer.encode(prompt, null, { addSpecialTokens: false }).inputIds;
      const cls = tokenizer.tokenToId(tokenizer.clsToken);
      const banned = tokenizer.specialTokens.filter((t) => t !== tokenizer.sepToken).map((t) => tokenizer.tokenToId(t)!);
      const out = generate(model, cls === undefined ? ids : [cls, ...ids], {
        maxNewTokens: o.maxNewTokens,
        temperature: o.temperature,
        topK: o.topK,
        topP: o.topP,
        rng: new Rng(o.seed),
        eosTokenId: tokenizer.tokenToId(tokenizer.sepToken),
        bannedIds: banned,
      });
      console.log(`${prompt} ${tokenizer.decode(out, { skipSpecialTokens: true })}`);
      model.dispose();
    });
}
