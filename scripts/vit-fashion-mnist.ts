/**
 * The ViT of notebook 11 in full mode, outside a kernel: trains `VIT_FASHION_MNIST` on all 60,000 Fashion-MNIST
 * training images and scores the 10,000 test images, printing one JSON line (accuracy with its 95% bootstrap
 * interval, seconds, images/s). Progress (loss, images/s, `tf.memory()`'s tensor count) every 100 steps on stderr.
 * Usage: npx tsx scripts/vit-fashion-mnist.ts [epochs=10] [batchSize=128] [lr=3e-3]
 * (the defaults are notebook 11's full config; `COURSE_THREADS=1` for a measurement on a shared machine)
 */
import * as tf from "@tensorflow/tfjs";
import { accuracyInterval, initBackend, describeBackend, Rng, loadFashionMnist, channelStats, VisionTransformer, VIT_FASHION_MNIST, trainImageClassifier, evaluateImageClassifier } from "../lib";

async function main(): Promise<void> {
  const [epochs = 10, batchSize = 128, lr = 3e-3] = process.argv.slice(2).map(Number);
  const backend = describeBackend(await initBackend());
  const data = await loadFashionMnist();
  const { mean, std } = channelStats(data.train.pixels);
  const preprocessing = { size: VIT_FASHION_MNIST.imageSize, mean, std };
  const model = VisionTransformer.init(VIT_FASHION_MNIST, new Rng(0));
  const trained = trainImageClassifier(model, data.train, preprocessing, {
    epochs, batchSize, lr, seed: 0,
    onStep: (r) => { if (r.step % 100 === 0) process.stderr.write(`step ${r.step} loss ${r.loss.toFixed(3)} ${r.throughput.toFixed(0)} img/s ${tf.memory().numTensors} tensors\n`); },
  });
  const began = performance.now();
  const test = evaluateImageClassifier(model, data.test, preprocessing);
  const trainAccuracy = evaluateImageClassifier(model, { ...data.train, count: 10000, pixels: data.train.pixels.subarray(0, 10000 * 784), labels: data.train.labels.subarray(0, 10000) }, preprocessing).accuracy;
  console.log(JSON.stringify({ date: new Date().toISOString(), backend, epochs, batchSize, lr, parameters: model.numParams(), steps: trained.steps, trainSeconds: trained.seconds, imagesPerSecond: (epochs * data.train.count) / trained.seconds, testAccuracy: test.accuracy, testInterval: accuracyInterval(test.predictions, Array.from(data.test.labels)), trainAccuracyFirst10k: trainAccuracy, evalSeconds: (performance.now() - began) / 1000 }));
  model.dispose();
}

void main();
