import type { Command } from "commander";
import { initBackend, describeBackend, adapterLine } from "../core";

/** `course env [--json]`: the backend report (what computes, threads, GPU found or not and why, the WebGPU adapter, versions). */
export function registerEnv(program: Command): void {
  program
    .command("env")
    .description("report the compute backend, device, threads, GPU status and versions")
    .option("--json", "print the full report as JSON")
    .action(async (options: { json?: boolean }) => {
      const report = await initBackend();
      if (options.json) {
        console.log(JSON.stringify(report, null, 2));
        return;
      }
      console.log(describeBackend(report));
      // The reason is often the passed-over lines themselves (WebGPU, tfjs-node-gpu): said once, below.
      const reason = report.gpu.reason && !report.tried.some((why) => report.gpu.reason.includes(why)) ? ` (${report.gpu.reason})` : "";
      console.log(`GPU: ${report.gpu.found ? "found" : "not found"}${reason}`);
      if (report.adapter) console.log(`WebGPU adapter: ${adapterLine(report.adapter)}${report.adapter.software ? " (correct, but slower than the CPU engine)" : ""}`);
      for (const why of report.tried) console.log(`passed over: ${why}`);
      for (const [name, version] of Object.entries(report.versions)) console.log(`${name}: ${version}`);
    });
}
