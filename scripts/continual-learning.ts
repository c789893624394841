/**
 * The continual-learning section of notebook 11 outside a kernel: the quick course checkpoint learns FPB → SST-2 →
 * Banking77 (first 5 intents) in sequence, one head per task, with naive fine-tuning, replay and EWC; prints the
 * score matrices, average accuracy, backward transfer and forgetting as one JSON line.
 * Usage: npx tsx scripts/continual-learning.ts [trainPerTask=800] [testPerTask=400] [epochs=2] [lr=3e-3] [lambda=1e4] [methods=naive,replay,ewc] [seed=0]
 */
import { initBackend, describeBackend, Rng, courseCheckpoint, loadTaskBase, loadTokenizer, loadFinancialPhraseBank, loadSst2, loadBanking77, encodeTexts, runContinual, averageAccuracy, backwardTransfer, forgetting } from "../lib";
import type { ContinualMethod, ContinualTask } from "../lib";

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const [trainPerTask, testPerTask, epochs, lr, lambda] = [Number(args[0] ?? 800), Number(args[1] ?? 400), Number(args[2] ?? 2), Number(args[3] ?? 3e-3), Number(args[4] ?? 1e4)];
  const methods = (args[5] ?? "naive,replay,ewc").split(",") as ContinualMethod[];
  const seed = Number(args[6] ?? 0); // heads, batch order, dropout, buffer draws and the Fisher sample; the data subsets stay fixed
  const backend = describeBackend(await initBackend());
  const checkpoint = await courseCheckpoint({ mode: "quick" });
  const tokenizer = loadTokenizer(checkpoint);
  const pick = <T,>(items: readonly T[], n: number, seed: number): T[] => new Rng(seed).shuffle([...items]).slice(0, n);
  const [fpb, sst2, banking] = [await loadFinancialPhraseBank(), await loadSst2(), await loadBanking77()];
  const intents = 5;
  const sub = (split: { text: string; label: number }[]) => split.filter((e) => e.label < intents);
  const sequence: ContinualTask[] = [
    { name: "FPB", numLabels: 3, train: fpb.train, test: fpb.test },
    { name: "SST-2", numLabels: 2, train: sst2.train, test: sst2.test },
    { name: `Banking77 (${intents} intents)`, numLabels: intents, train: sub(banking.train), test: sub(banking.test) },
  ].map((t, k) => ({ name: t.name, numLabels: t.numLabels, train: encodeTexts(tokenizer, pick(t.train, trainPerTask, k), 48), test: encodeTexts(tokenizer, pick(t.test, testPerTask, 10 + k), 48) }));
  const padId = tokenizer.tokenToId(tokenizer.padToken) ?? 0;
  const results = methods.map((method) => {
    const r = runContinual(loadTaskBase(checkpoint, { seed }).bert, sequence, { method, padId, epochs, batchSize: 16, lr, seed, replay: { capacity: 100, batchSize: 8 }, ewc: { lambda, fisherExamples: 64 }, onStage: (s, row) => process.stderr.write(`${method} stage ${s}: ${JSON.stringify(row)}\n`) });
    return { method, scores: r.scores, averageAccuracy: averageAccuracy(r.scores), backwardTransfer: backwardTransfer(r.scores), forgetting: forgetting(r.scores), seconds: r.seconds };
  });
  console.log(JSON.stringify({ date: new Date().toISOString(), backend, checkpoint, tasks: sequence.map((t) => [t.name, t.train.length, t.test.length]), epochs, lr, lambda, seed, results }));
}

void main();
