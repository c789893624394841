/**
 * The text `conlleval` prints (CoNLL-2000 perl script, default non-LaTeX output), from an {@link EntityReport}:
 *
 *     processed 51362 tokens with 5942 phrases; found: 5923 phrases; correct: 5316.
 *     accuracy:  97.82%; precision:  89.75%; recall:  89.46%; FB1:  89.61
 *                   LOC: precision:  91.67%; recall:  92.87%; FB1:  92.27  1862
 *
 * Per-type lines end with the number of PREDICTED entities of that type (the script's `foundGuessed`), not the
 * support. Numbers use perl's `%6.2f`, which rounds an exact tie to even (12.125 → "12.12"; JS `toFixed` gives 12.13).
 */
import type { EntityReport } from "./entities";
import { printfFixed } from "./format";

const pct = (percent: number): string => printfFixed(percent, 2).padStart(6);

/** conlleval's `calcMetrics`, in percent and in its order of operations (100*a/b, then FB1 from the percentages). */
function calcMetrics(correct: number, found: number, gold: number): [number, number, number] {
  const precision = found > 0 ? (100 * correct) / found : 0;
  const recall = gold > 0 ? (100 * correct) / gold : 0;
  const fb1 = precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : 0;
  return [precision, recall, fb1];
}

/**
 * The report in the `conlleval` script's layout (percentages with 2 decimals, types sorted).
 * @returns the text, ending in a newline
 */
export function conllevalReport(report: EntityReport): string {
  const { overall, tokens } = report;
  const correctTags = Math.round(report.tokenAccuracy * tokens);
  const [p, r, f] = calcMetrics(overall.correct, overall.predicted, overall.support);
  const lines = [
    `processed ${tokens} tokens with ${overall.support} phrases; found: ${overall.predicted} phrases; correct: ${overall.correct}.`,
    `accuracy: ${pct((100 * correctTags) / tokens)}%; precision: ${pct(p)}%; recall: ${pct(r)}%; FB1: ${pct(f)}`,
  ];
  for (const type of Object.keys(report.perType).sort()) {
    const s = report.perType[type]!;
    const [tp, tr, tf] = calcMetrics(s.correct, s.predicted, s.support);
    lines.push(`${type.padStart(17)}: precision: ${pct(tp)}%; recall: ${pct(tr)}%; FB1: ${pct(tf)}  ${s.predicted}`);
  }
  return lines.join("\n") + "\n";
}
