// Prompt-based few-shot learning: cloze templates, verbalizers, the MLM head as a classifier, the k-shot experiment.
export { buildVerbalizer } from "./verbalizer";
export type { Verbalizer, VerbalizerWords } from "./verbalizer";
export { parseTemplate, encodePrompt, TEXT_SLOT } from "./prompt-template";
export type { PromptTemplate } from "./prompt-template";
export { ClozeClassifier } from "./cloze";
export { sampleKShot } from "./k-shot";
export { fewShotExperiment, summarizeFewShot, FEWSHOT_PROMPTS } from "./experiment";
export type { PromptSpec, FewShotMethod, FewShotOptions, FewShotResult, FewShotSummary } from "./experiment";
