import type { Command } from "commander";
import { datasetNames, datasetPath, datasetSpec, defaultCacheRoot, defaultMirrorRoot, verifyDataset } from "../data";

/**
 * `course data list | verify NAME|--all | path NAME`: the dataset registry from the shell.
 * `verify` re-hashes every file (ignoring the `.verified` stamps) and exits 1 on any mismatch or missing file.
 */
export function registerData(program: Command): void {
  const data = program.command("data").description("the dataset registry: list, verify checksums, locate or fetch datasets");

  data
    .command("list")
    .description("list registered datasets with size, license and where they are looked for")
    .action(() => {
      console.log(`cache:  ${defaultCacheRoot()}  (COURSE_DATA_CACHE)`);
      console.log(`mirror: ${defaultMirrorRoot() ?? "(none)"}  (COURSE_DATA_MIRROR)`);
      for (const name of datasetNames()) {
        const spec = datasetSpec(name);
        const bytes = spec.files.reduce((sum, f) => sum + f.size, 0);
        console.log(`\n${name}  (${spec.files.length} files, ${(bytes / 1048576).toFixed(1)} MiB)`);
        console.log(`  ${spec.description}`);
        console.log(`  license: ${spec.license}`);
      }
    });

  data
    .command("verify")
    .description("re-hash every file of a dataset (or --all) and print OK or expected vs actual")
    .argument("[name]", "dataset name")
    .option("--all", "verify every registered dataset")
    .action(async (name: string | undefined, options: { all?: boolean }) => {
      if (!options.all && name === undefined) throw new Error("give a dataset NAME or --all (see `course data list`)");
      const names = options.all ? datasetNames() : [name as string];
      let bad = 0;
      for (const n of names) {
        const { dir, files } = await verifyDataset(n);
        console.log(`${n}: ${dir ?? "not found in the cache or the mirror (run `course data path " + n + "` to fetch it)"}`);
        for (const f of files) {
          if (f.status === "ok") console.log(`  OK        ${f.path}`);
          else if (f.status === "missing") console.log(`  MISSING   ${f.path}`);
          else console.log(`  MISMATCH  ${f.path}\n            expected ${f.expected}\n            actual   ${f.actual}`);
          if (f.status !== "ok") bad++;
        }
      }
      if (bad > 0) {
        console.error(`${bad} file(s) missing or wrong`);
        process.exitCode = 1;
      }
    });

  data
    .command("path")
    .description("print the folder holding the verified files of a dataset (fetching it if needed)")
    .argument("<name>", "dataset name")
    .action(async (name: string) => {
      console.log(await datasetPath(name));
    });
}
