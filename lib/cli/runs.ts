/**
 * `course runs list | show RUN | compare RUN...`: the training runs under a folder (default the course's `out/`),
 * read from what the trainer wrote in each run folder (`metrics.jsonl`, `run.json`, `tb/`, `metrics.json`).
 */
import type { Command } from "commander";
import { resolve } from "node:path";
import { writeFileAtomic } from "../core/atomic";
import { courseOutDir } from "../core/paths";
import { compareRunsPlot, formatCell, plotBundle, tableText } from "../plot";
import { configDifferences, findRun, listRuns, readEventFile, runMetrics, runSeries, type RunRecord } from "../track";

/** One line per run: what `list` and `compare` tabulate. */
function overview(run: RunRecord): Record<string, unknown> {
  const losses = run.steps.map((s) => s.loss).filter((v): v is number => typeof v === "number");
  const lastEval = run.evaluations.at(-1)?.metrics ?? {};
  return {
    run: run.name,
    kind: run.kind,
    started: run.info?.startedAt.replace("T", " ").slice(0, 19) ?? "",
    steps: run.steps.at(-1)?.step ?? 0,
    "final loss": losses.at(-1) ?? null,
    "min loss": losses.length ? Math.min(...losses) : null,
    ...Object.fromEntries(Object.entries(lastEval).map(([k, v]) => [`eval/${k}`, v])),
    ...Object.fromEntries(Object.entries(run.test ?? {}).filter(([, v]) => typeof v === "number").map(([k, v]) => [`test/${k}`, v])),
    events: run.eventFiles.length,
  };
}

/** `show`'s report of one run. */
function details(run: RunRecord): string {
  const lines = [`${run.name} (${run.dir})`, `kind: ${run.kind}`];
  if (run.info) lines.push(`started: ${run.info.startedAt} on ${run.info.host}${run.info.resumedFrom > 0 ? `, resumed from step ${run.info.resumedFrom}` : ""}`);
  const steps = run.steps;
  if (steps.length > 0) {
    const seconds = steps.reduce((n, s) => n + (s.seconds ?? 0), 0);
    const items = steps.reduce((n, s) => n + (s.throughput ?? 0) * (s.seconds ?? 0), 0);
    lines.push(`steps: ${steps.at(-1)?.step} logged (${seconds.toFixed(1)} s of updates, ${Math.round(seconds > 0 ? items / seconds : 0)} tokens/s)`);
  }
  const metrics = runMetrics(run);
  const summary = metrics.map((metric) => {
    const { x, y } = runSeries(run, metric);
    // Each cell formatted alone: one column holds losses, learning rates and seconds.
    const cells = Object.fromEntries(Object.entries({ first: y[0], last: y.at(-1), min: Math.min(...y), max: Math.max(...y) }).map(([k, v]) => [k, formatCell(v)]));
    return { metric, points: y.length, ...cells, "last step": x.at(-1) ?? null };
  });
  if (summary.length) lines.push("", tableText(summary, { maxRows: 100 }));
  if (run.info) lines.push("", "config:", JSON.stringify({ trainer: run.info.trainer, run: run.info.run }, null, 2));
  lines.push("", run.eventFiles.length ? "TensorBoard event files:" : "no TensorBoard event files (tb/)");
  for (const file of run.eventFiles) {
    try {
      const { events, tornBytes } = readEventFile(file);
      lines.push(`  ${file}: ${events.length} events${tornBytes ? `, ${tornBytes} bytes of a torn last record` : ""}`);
    } catch (error) {
      lines.push(`  damaged: ${(error as Error).message}`);
    }
  }
  if (run.eventFiles.length) lines.push(`view: tensorboard --logdir ${resolve(run.dir, "tb")}`);
  return lines.join("\n");
}

/** Registers `course runs`. */
export function registerRuns(program: Command): void {
  const runs = program.command("runs").description("list, show and compare training runs (metrics.jsonl, run.json, TensorBoard events)");
  const dirOption = ["--dir <folder>", "folder the runs are under (searched 4 levels deep)", courseOutDir()] as const;

  runs
    .command("list")
    .description("one line per run folder under --dir")
    .option(...dirOption)
    .option("--json", "print the runs as JSON lines")
    .action((o: { dir: string; json?: boolean }) => {
      const found = listRuns(o.dir, { onError: (dir, error) => console.error(`course runs: left out ${dir}: ${error.message}`) });
      if (o.json) for (const run of found) console.log(JSON.stringify(overview(run)));
      else console.log(found.length ? tableText(found.map(overview), { maxRows: 1000 }) : `no runs under ${o.dir} (a run folder has metrics.jsonl or run.json)`);
    });

  runs
    .command("show <run>")
    .description("a run's config, metrics and event files (RUN: its folder, or its name under --dir)")
    .option(...dirOption)
    .option("--json", "print the run's record as JSON")
    .action((name: string, o: { dir: string; json?: boolean }) => {
      const run = findRun(name, o.dir);
      console.log(o.json ? JSON.stringify(run) : details(run));
    });

  runs
    .command("compare <runs...>")
    .description("runs side by side: final metrics and the config entries that differ; --html plots a metric")
    .option(...dirOption)
    .option("--metric <name>", "metric of the --html plot: loss, lr, gradNorm, throughput, eval/<name>", "loss")
    .option("--smoothing <w>", "TensorBoard's smoothing weight for the --html plot, in [0, 1)", "0.6")
    .option("--html <file>", "write a standalone page with the runs' curves of --metric")
    .option("--json", "print the comparison as JSON")
    .action((names: string[], o: { dir: string; metric: string; smoothing: string; html?: string; json?: boolean }) => {
      const found = names.map((n) => findRun(n, o.dir));
      const differences = configDifferences(found);
      if (o.json) {
        console.log(JSON.stringify({ runs: found.map(overview), differences }));
      } else {
        console.log(tableText(found.map(overview), { maxRows: 1000 }));
        const table = differences.map(({ key, values }) => ({ config: key, ...Object.fromEntries(found.map((r, i) => [r.name, JSON.stringify(values[i]) ?? "—"])) }));
        console.log(table.length ? `\nconfig that differs:\n${tableText(table, { maxRows: 1000 })}` : "\nsame config");
      }
      if (o.html !== undefined) {
        const smoothing = Number(o.smoothing);
        const curves = found.map((r) => ({ name: r.name, ...runSeries(r, o.metric) }));
        if (curves.every((c) => c.x.length === 0)) throw new Error(`--metric ${o.metric}: none of the runs has it (they have: ${[...new Set(found.flatMap(runMetrics))].join(", ")})`);
        const { data, layout } = compareRunsPlot(curves, { title: o.metric, yLabel: o.metric, smoothing });
        const html = plotBundle(data, layout, { includePlotly: true })["text/html"] as string;
        writeFileAtomic(o.html, `<!doctype html>\n<html><head><meta charset="utf-8"><title>${o.metric}</title></head><body>\n${html}</body></html>\n`);
        console.error(`wrote ${o.html}`);
      }
    });
}
