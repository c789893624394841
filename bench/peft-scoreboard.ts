/**
 * Notebook 07's PEFT scoreboard outside the notebook: `peftScoreboard(scoreboardSettings(mode))` — the same library
 * call and settings as the notebook's `full` (or `quick`) mode — over a checkpoint of your choice, printed as the
 * README's markdown table. Every method against full fine-tuning on FPB, SST-2, Banking77 and CoNLL-2003: test score
 * with its 95 % bootstrap interval, trainable % (head excluded), adapter bytes, a training step's peak memory beyond
 * the weights, AdamW state, seconds per epoch.
 *
 * Resumable per task: each task's rows go to `<out>/<mode>/<task>.json` when the task is done; a task whose file
 * exists is not run again, so `--tasks` can split the work between runs.
 *
 * Run: COURSE_THREADS=1 nice -n 10 npx tsx bench/peft-scoreboard.ts [--mode full|quick] [--from course:quick]
 *        [--tasks fpb,sst2,banking77,conll2003] [--out out/peft-scoreboard]
 * Data: lib/data's registry (mirror root: $COURSE_DATA_MIRROR).
 */
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { peftScoreboard, scoreboardSettings, type PeftScoreboardRow } from "../lib/peft";
import { resolveCheckpoint } from "../lib/tasks";

const argv = process.argv.slice(2);
const value = (name: string, fallback: string): string => {
  const at = argv.indexOf(`--${name}`);
  return at >= 0 && argv[at + 1] !== undefined ? (argv[at + 1] as string) : fallback;
};

async function main(): Promise<void> {
  const mode = value("mode", "full");
  if (mode !== "full" && mode !== "quick") throw new Error(`--mode ${mode}: full or quick`);
  const from = value("from", "course:quick");
  const settings = scoreboardSettings(mode);
  const tasks = value("tasks", settings.tasks.join(",")).split(",");
  const out = join(value("out", "out/peft-scoreboard"), mode);
  mkdirSync(out, { recursive: true });
  const checkpoint = await resolveCheckpoint(from);
  const began = performance.now();
  for (const task of tasks) {
    const file = join(out, `${task}.json`);
    if (existsSync(file)) continue;
    const { rows } = await peftScoreboard({
      ...settings, from: checkpoint, tasks: [task], saveDir: join(out, "adapters"),
      onRow: (r) => console.error(`${r.task} ${r.method}: ${r.metric} ${r.score.toFixed(3)}, ${r.secondsPerEpoch.toFixed(0)} s/epoch (${((performance.now() - began) / 1000).toFixed(0)} s so far)`),
    });
    writeFileSync(`${file}.tmp`, JSON.stringify(rows));
    renameSync(`${file}.tmp`, file);
  }
  const rows = settings.tasks.flatMap((t) => (existsSync(join(out, `${t}.json`)) ? (JSON.parse(readFileSync(join(out, `${t}.json`), "utf8")) as PeftScoreboardRow[]) : []));
  console.log(`\nScoreboard, ${mode} mode (${from}; train ${settings.trainLimit ?? "all"}, validation ≤ ${settings.validationLimit ?? "all"}, test whole; ${settings.epochs} epochs, batch ${settings.batchSize}, length ${settings.maxLength}, seed ${settings.seed})\n`);
  console.log("| task | method | test score [95 % CI] | trainable % | adapter KB | step peak MB | AdamW state MB | s / epoch |\n|---|---|---|---|---|---|---|---|");
  for (const r of rows) {
    const kb = r.adapterBytes === null ? "—" : (r.adapterBytes / 1024).toFixed(1);
    console.log(`| ${r.task} | ${r.method} | ${r.metric} ${r.score.toFixed(3)} [${r.low.toFixed(3)}, ${r.high.toFixed(3)}] | ${r.trainablePercent.toFixed(2)} | ${kb} | ${(r.stepPeakBytes / 2 ** 20).toFixed(1)} | ${(r.adamStateBytes / 2 ** 20).toFixed(2)} | ${r.secondsPerEpoch.toFixed(0)} |`);
  }
}

main().catch((error: unknown) => {
  console.error(`peft-scoreboard: ${(error as Error).stack ?? error}`);
  process.exit(1);
});
