import type { Command } from "commander";
import { initBackend, describeBackend } from "../core";

/** `course env [--json]`: the backend report (what computes, threads, GPU found or not and why, versions). */
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
      console.log(`GPU: ${report.gpu.found ? "found" : "not found"}${report.gpu.reason ? ` (${report.gpu.reason})` : ""}`);
      for (const why of report.tried.filter((t) => t !== report.gpu.reason)) console.log(`passed over: ${why}`);
      for (const [name, version] of Object.entries(report.versions)) console.log(`${name}: ${version}`);
    });
}
