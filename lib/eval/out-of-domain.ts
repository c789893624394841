/**
 * Out-of-domain evaluation between tasks whose label sets differ (e.g. a model fine-tuned on SST-2 movie reviews
 * read on Financial PhraseBank news, and the reverse). Labels are matched **by name**; the mapping is stated in the
 * result:
 * - test examples whose gold label the model does not have are dropped (FPB's `neutral` for an SST-2 model);
 * - the prediction is the most probable of the model's labels that the test set has (an FPB model read on SST-2
 *   chooses between `negative` and `positive`; its `neutral` probability is set aside and its rate reported).
 */
import type { BootstrapOptions, Interval } from "./bootstrap";
import { accuracyInterval } from "./metric-intervals";
import { bestClass } from "../tasks/predict";

/** The result of {@link outOfDomainAccuracy}. */
export interface OutOfDomainResult {
  accuracy: Interval;
  /** Examples scored, and dropped because the model lacks their label (by label name). */
  scored: number;
  dropped: Record<string, number>;
  /** Labels shared by name (the ones predictions are restricted to). */
  sharedLabels: string[];
  /** Share of scored examples whose unrestricted top label was one the test set lacks (e.g. `neutral`). */
  unmappedTopRate: number;
  /** The mapping in words, for reports. */
  mapping: string;
}

/**
 * Accuracy of a model on another task's test set, labels matched by name (see the file header).
 * @param probabilities the model's probabilities on the test texts, `[n][model labels]`
 * @param modelLabels the model's label names
 * @param goldLabels each test example's gold label name
 * @throws when fewer than two labels are shared or nothing is left to score
 */
export function outOfDomainAccuracy(probabilities: readonly (readonly number[])[], modelLabels: readonly string[], goldLabels: readonly string[], options: BootstrapOptions = {}): OutOfDomainResult {
  if (probabilities.length !== goldLabels.length) throw new Error(`outOfDomainAccuracy: ${probabilities.length} probability rows for ${goldLabels.length} examples`);
  const testLabels = [...new Set(goldLabels)];
  const sharedLabels = modelLabels.filter((l) => testLabels.includes(l));
  if (sharedLabels.length < 2) throw new Error(`outOfDomainAccuracy: the model's labels (${modelLabels.join(", ")}) and the test set's (${testLabels.join(", ")}) share ${sharedLabels.length} name(s); an out-of-domain accuracy needs at least 2`);
  const shared = sharedLabels.map((l) => modelLabels.indexOf(l));
  const dropped: Record<string, number> = {};
  const predicted: number[] = [];
  const gold: number[] = [];
  let unmappedTop = 0;
  goldLabels.forEach((g, i) => {
    const k = modelLabels.indexOf(g);
    if (k < 0) {
      dropped[g] = (dropped[g] ?? 0) + 1;
      return;
    }
    const row = probabilities[i] as readonly number[];
    const top = bestClass(row);
    if (!shared.includes(top)) unmappedTop++;
    predicted.push(shared.reduce((best, j) => ((row[j] as number) > (row[best] as number) ? j : best), shared[0] as number));
    gold.push(k);
  });
  if (gold.length === 0) throw new Error("outOfDomainAccuracy: every example was dropped (no gold label the model has)");
  const droppedText = Object.entries(dropped).map(([l, n]) => `${n} "${l}" examples dropped (the model has no such label)`);
  const setAside = modelLabels.filter((l) => !sharedLabels.includes(l));
  const mapping = [`labels matched by name: ${sharedLabels.join(", ")}`, ...droppedText, ...(setAside.length ? [`model's ${setAside.join(", ")} set aside: prediction = most probable shared label`] : [])].join("; ");
  return { accuracy: accuracyInterval(predicted, gold, options), scored: gold.length, dropped, sharedLabels, unmappedTopRate: unmappedTop / gold.length, mapping };
}
