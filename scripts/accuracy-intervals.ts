// 95% percentile bootstrap intervals for accuracies reported without predictions (README tables): with
// k = round(accuracy·n) of n test examples right, `accuracyIntervalFromCount` gives the interval the predictions
// would, up to Monte Carlo noise (only the count of correct examples matters).
// The first two values of a task are compared by McNemar's test over every pairing the two counts allow
// (`mcnemarRange`): the predictions are unknown, so the p-value is reported as the range it must lie in.
// Usage: npx tsx scripts/accuracy-intervals.ts fpb=0.850,0.779 banking77=0.769,0.712 ...
import { accuracyIntervalFromCount, formatEstimate, mcnemarRange } from "../lib/eval";
import { taskSpec } from "../lib/tasks";

const formatP = (p: number): string => (p === 0 ? "< 1e-16" : p < 1e-4 ? p.toExponential(0) : p < 0.01 ? p.toFixed(4) : p.toFixed(2));

async function main(): Promise<void> {
  for (const arg of process.argv.slice(2)) {
    const [task, values] = arg.split("=") as [string, string];
    const data = await taskSpec(task).load();
    const n = data.test.length;
    const correct = values.split(",").map((v) => Math.round(Number(v) * n));
    const cells = correct.map((k) => formatEstimate(accuracyIntervalFromCount(k, n)));
    let paired = "";
    if (correct.length >= 2) {
      const range = mcnemarRange(n, correct[0] as number, correct[1] as number);
      paired = ` | McNemar p, first vs second, over every pairing: ${formatP(range.low.pValue)}–${formatP(range.high.pValue)}`;
    }
    console.log(`${task} (n = ${n}): ${cells.join(" | ")}${paired}`);
  }
}
void main();
