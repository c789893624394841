// 95% percentile bootstrap intervals for accuracies reported without predictions (README tables): resampling n
// test examples of which k = round(accuracy·n) are right is exactly what `accuracyInterval` does with the
// predictions (only the count of correct examples matters), so the interval follows from accuracy and n.
// Usage: npx tsx scripts/accuracy-intervals.ts fpb=0.850,0.779 banking77=0.769,0.712 ...
import { accuracyInterval, formatEstimate } from "../lib/eval";
import { taskSpec } from "../lib/tasks";

async function main(): Promise<void> {
  for (const arg of process.argv.slice(2)) {
    const [task, values] = arg.split("=") as [string, string];
    const data = await taskSpec(task).load();
    const n = data.test.length;
    const cells = values.split(",").map((v) => {
      const k = Math.round(Number(v) * n);
      const labels = new Array<number>(n).fill(1);
      const predictions = labels.map((_, i) => (i < k ? 1 : 0));
      return formatEstimate(accuracyInterval(predictions, labels));
    });
    console.log(`${task} (n = ${n}): ${cells.join(" | ")}`);
  }
}
void main();
