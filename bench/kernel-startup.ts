/**
 * Kernel start-up time: the course kernel vs tslab 1.0.22, each started `--runs` times (default 10) in
 * notebooks/ through the library's Jupyter client, from spawn to a full kernel_info handshake (what a learner
 * waits for after "Restart kernel"). Starts alternate between the two so machine load hits both alike.
 * Usage: npx tsx bench/kernel-startup.ts [--runs N]
 */
import { join } from "node:path";
import { KernelClient, courseKernelArgv, tslabArgv } from "../lib/notebook/kernel";

const runsArg = process.argv.indexOf("--runs");
const runs = runsArg > 0 ? Number(process.argv[runsArg + 1]) : 10;
const cwd = join(__dirname, "..", "notebooks");

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}

async function startOnce(argv: string[], kernelName: string): Promise<number> {
  const kernel = await KernelClient.start({ cwd, argv, kernelName });
  const ms = kernel.startupMs;
  await kernel.shutdown();
  return ms;
}

async function main(): Promise<void> {
  const course: number[] = [];
  const tslab: number[] = [];
  for (let i = 0; i < runs; i++) {
    course.push(await startOnce(courseKernelArgv(), "course-ts"));
    tslab.push(await startOnce(tslabArgv(), "tslab"));
  }
  const ours = median(course);
  const peer = median(tslab);
  console.log(`runs: ${runs} each, alternating, cwd ${cwd}`);
  console.log(`course kernel: median ${ours} ms (min ${Math.min(...course)}, max ${Math.max(...course)})`);
  console.log(`tslab 1.0.22:  median ${peer} ms (min ${Math.min(...tslab)}, max ${Math.max(...tslab)})`);
  console.log(`ratio course/tslab: ${(ours / peer).toFixed(2)}`);
}

void main();
