/**
 * The `course` CLI. Each subcommand lives in its own file and registers itself here.
 */
import { Command } from "commander";
import { registerEnv } from "./env";

const program = new Command("course").description("A TypeScript course on large language models").showHelpAfterError();
registerEnv(program);

program.parseAsync(process.argv).catch((error: unknown) => {
  console.error(`course: ${(error as Error).message}`);
  process.exit(1);
});
