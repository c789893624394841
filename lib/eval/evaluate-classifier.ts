/**
 * One classifier's evaluation report, as `course evaluate` writes it: test scores with intervals, and on request
 * calibration (ECE before and after temperature scaling fitted on validation), behavioural tests, a counterfactual
 * gender/name swap test, and out-of-domain accuracy on another task's test set.
 */
import type { TaskModel } from "../tasks/heads";
import type { BertTokenizer } from "../text/tokenizer";
import type { TextExample } from "../data/examples";
import type { BootstrapOptions, Interval } from "./bootstrap";
import { calibration, type CalibrationReport } from "./calibration";
import { runBehaviouralTests, type BehaviouralResult, type BehaviouralTest } from "./checklist";
import { bankingMfts, directionalTests, invarianceTests, nameTemplates, sentimentMfts } from "./checklist-suites";
import { classifierPredictor } from "./classifier-predictor";
import { counterfactualTest, type CounterfactualResult } from "./counterfactual";
import { classificationIntervals } from "./metric-intervals";
import { outOfDomainAccuracy, type OutOfDomainResult } from "./out-of-domain";
import { applyTemperature, fitTemperature, type TemperatureFit } from "./temperature";
import { bestClass } from "../tasks/predict";

/** Options of {@link evaluateClassifier}. */
export interface EvaluateOptions extends BootstrapOptions {
  /** Run calibration (needs `validation`). */
  calibration?: boolean;
  /** Run behavioural tests for this domain; `"banking"` for Banking77 intents. */
  checklist?: "movies" | "finance" | "banking";
  /** Out-of-domain test set: its name and examples with label names. */
  ood?: { task: string; examples: readonly { text: string; label: string }[] };
  /** Test texts used by the invariance, directional and counterfactual tests (default 200). */
  behaviouralSample?: number;
}

/** The report (JSON-safe: NaN bins become null when serialised). */
export interface EvaluationReport {
  labels: string[];
  test: { examples: number; accuracy: Interval; macroF1: Interval };
  calibration?: { temperature: TemperatureFit; before: CalibrationReport; after: CalibrationReport; note: string };
  checklist?: BehaviouralResult[];
  counterfactual?: CounterfactualResult;
  ood?: OutOfDomainResult & { task: string };
}

/**
 * Evaluates a sequence classifier.
 * @param labels the model's label names (class order)
 * @param data test (and, for calibration, validation) examples with class indices in `labels`' order
 * @throws when calibration is asked without validation examples
 */
export function evaluateClassifier(model: TaskModel, tokenizer: BertTokenizer, labels: readonly string[], data: { test: readonly TextExample[]; validation?: readonly TextExample[] }, options: EvaluateOptions = {}): EvaluationReport {
  const { behaviouralSample = 200 } = options;
  const predictor = classifierPredictor(model, tokenizer);
  const testLogits = predictor.logits(data.test.map((e) => e.text));
  const gold = data.test.map((e) => e.label);
  const ci = classificationIntervals(testLogits.map(bestClass), gold, labels.length, options);
  const report: EvaluationReport = { labels: [...labels], test: { examples: gold.length, accuracy: ci.accuracy, macroF1: ci.macroF1 } };
  if (options.calibration === true) {
    if (data.validation === undefined || data.validation.length === 0) throw new Error("evaluateClassifier: calibration needs validation examples (the temperature is fitted there, never on test)");
    const fit = fitTemperature(predictor.logits(data.validation.map((e) => e.text)), data.validation.map((e) => e.label));
    report.calibration = {
      temperature: fit,
      before: calibration(applyTemperature(testLogits, 1), gold),
      after: calibration(applyTemperature(testLogits, fit.temperature), gold),
      note: "ECE on test, 15 equal-width bins; temperature fitted on validation NLL by exact 1-D search",
    };
  }
  if (options.checklist !== undefined) {
    const sample = data.test.slice(0, behaviouralSample).map((e) => e.text);
    const domain = options.checklist;
    const tests: BehaviouralTest[] = domain === "banking" ? [...bankingMfts(), ...invarianceTests(sample)] : [...sentimentMfts(domain), ...invarianceTests([...sample, ...nameTemplates(domain)]), ...directionalTests(sample, domain)];
    report.checklist = runBehaviouralTests(predictor.predict, labels, tests);
    if (domain !== "banking") report.counterfactual = counterfactualTest(predictor.predict, [...sample, ...nameTemplates(domain)], labels);
  }
  if (options.ood !== undefined) {
    const probs = predictor.predict(options.ood.examples.map((e) => e.text));
    report.ood = { task: options.ood.task, ...outOfDomainAccuracy(probs, labels, options.ood.examples.map((e) => e.label), options) };
  }
  return report;
}
