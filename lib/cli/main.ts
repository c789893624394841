/**
 * The `course` CLI. Each subcommand lives in its own file and registers itself here.
 */
import { Command } from "commander";
import { registerEnv } from "./env";
import { registerTokenizer } from "./tokenizer";
import { registerData } from "./data";
import { registerNotebooks } from "./notebooks";
import { registerForward } from "./forward";
import { registerCourseModel, registerPretrain } from "./pretrain";
import { registerFillMask } from "./fill-mask";
import { registerBench } from "./bench";
import { registerFinetune } from "./finetune";
import { registerExportOnnx } from "./export-onnx";
import { registerEvaluate } from "./evaluate";
import { registerRuns } from "./runs";
import { registerBot, registerServe } from "./bot";
import { registerMonitor } from "./monitor";
import { registerRecommend } from "./recommend";
import { registerAssign, registerCheck, registerGrade } from "./grade";

const program = new Command("course").description("A TypeScript course on large language models").showHelpAfterError();
registerEnv(program);
registerTokenizer(program);
registerData(program);
registerNotebooks(program);
registerForward(program);
registerPretrain(program);
registerCourseModel(program);
registerFillMask(program);
registerBench(program);
registerFinetune(program);
registerExportOnnx(program);
registerEvaluate(program);
registerRuns(program);
registerBot(program);
registerServe(program);
registerMonitor(program);
registerRecommend(program);
registerAssign(program);
registerCheck(program);
registerGrade(program);

program.parseAsync(process.argv).catch((error: unknown) => {
  console.error(`course: ${(error as Error).message}`);
  process.exit(1);
});
