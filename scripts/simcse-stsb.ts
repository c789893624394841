/**
 * Section 2 of notebook 11 in full mode, outside a kernel: STS-B test Spearman and Banking77 1-NN intent accuracy of
 * the course checkpoint's sentence embeddings ([CLS] and mean pooling), before and after unsupervised SimCSE on the
 * STS-B training sentences and the Banking77 training questions (no labels read). Prints one JSON line.
 * Usage: npx tsx scripts/simcse-stsb.ts [steps=200] [batchSize=64] [lr=1e-4] [pooling=mean] [checkpoint mode=quick]
 */
import { initBackend, describeBackend, Rng, courseCheckpoint, loadTaskBase, loadStsb, loadBanking77, sentenceEmbeddings, trainSimcse, stsCorrelation, nearestNeighbourAccuracy } from "../lib";
import type { Pooling } from "../lib";

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const [steps, batchSize, lr] = [Number(args[0] ?? 200), Number(args[1] ?? 64), Number(args[2] ?? 1e-4)];
  const pooling = (args[3] ?? "mean") as Pooling;
  const mode = (args[4] ?? "quick") as "quick" | "full";
  const backend = describeBackend(await initBackend());
  const checkpoint = await courseCheckpoint({ mode });
  const base = loadTaskBase(checkpoint);
  const sts = await loadStsb();
  const banking = await loadBanking77();
  const score = (p: Pooling) => {
    const embed = (texts: string[]) => sentenceEmbeddings(base.bert, base.tokenizer, texts, { pooling: p });
    const r = stsCorrelation(embed(sts.test.map((x) => x.sentence1)), embed(sts.test.map((x) => x.sentence2)), sts.test.map((x) => x.score));
    const nn = nearestNeighbourAccuracy(embed(banking.test.map((e) => e.text)), banking.test.map((e) => e.label), embed(banking.train.map((e) => e.text)), banking.train.map((e) => e.label));
    return { pooling: p, stsSpearman: r.spearman, stsPearson: r.pearson, banking1nn: nn.accuracy };
  };
  const before = [score("cls"), score("mean")];
  process.stderr.write(`before: ${JSON.stringify(before)}\n`);
  const texts = new Rng(3).shuffle([...new Set([...sts.train.flatMap((p) => [p.sentence1, p.sentence2]), ...banking.train.map((e) => e.text)])]);
  const trained = trainSimcse(base.bert, base.tokenizer, texts, { steps, batchSize, lr, pooling, temperature: 0.05, seed: 0, onStep: (r) => { if (r.step % 20 === 0) process.stderr.write(`step ${r.step} loss ${r.loss.toFixed(3)}\n`); } });
  const after = [score("cls"), score("mean")];
  console.log(JSON.stringify({ date: new Date().toISOString(), backend, checkpoint, steps, batchSize, lr, pooling, texts: texts.length, trainSeconds: trained.seconds, finalLoss: trained.history.at(-1)?.loss, before, after }));
  base.bert.dispose();
}

void main();
