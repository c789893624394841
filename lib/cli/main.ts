/**
 * The `course` CLI. Each subcommand lives in its own file and registers itself here.
 */
import { Command } from "commander";
import { registerEnv } from "./env";
import { registerTokenizer } from "./tokenizer";
import { registerData } from "./data";
import { registerNotebooks } from "./notebooks";
import { registerForward } from "./forward";

const program = new Command("course").description("A TypeScript course on large language models").showHelpAfterError();
registerEnv(program);
registerTokenizer(program);
registerData(program);
registerNotebooks(program);
registerForward(program);

program.parseAsync(process.argv).catch((error: unknown) => {
  console.error(`course: ${(error as Error).message}`);
  process.exit(1);
});
