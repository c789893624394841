/**
 * A first-order cost model of distributed training: compute time from FLOPs and a device's sustained rate,
 * communication time from the α–β model of ring collectives (Thakur, Rabenseifner & Gropp 2005; Patarasuk &
 * Yuan 2009). For N ranks, a message of `bytes`, link bandwidth β (bytes/s, one direction) and per-step
 * latency α:
 *
 *   ring all-reduce      2(N−1)/N · bytes/β + 2(N−1)·α       (reduce-scatter then all-gather, N−1 steps each)
 *   reduce-scatter or all-gather   (N−1)/N · bytes/β + (N−1)·α
 *   point to point       bytes/β + α
 *
 * Assumptions, stated once: communication does not overlap computation (an upper bound on step time: DDP and
 * Megatron overlap part of it); every rank sustains the same rate; the slowest link of the ring sets its pace
 * (across nodes, the network card, not NVLink); activations and gradients travel in 2-byte bf16.
 */
import type { BertConfig } from "../model/config";
import { parameterShapes } from "../model/bert";
import { trainingFlopsPerToken } from "../model/flops";

/** An accelerator: peak dense bf16 rate and what share of it a training step sustains. */
export interface Accelerator {
  name: string;
  /** Peak dense FLOP/s at training precision. */
  peakFlops: number;
  source: string;
}

/** A link between ranks. */
export interface Link {
  name: string;
  /** Bytes per second in one direction, per GPU. */
  bandwidth: number;
  /** Seconds per step of a ring (software + hardware latency). */
  latency: number;
  source: string;
}

/** Named hardware with the figures of their vendors' datasheets (latencies are assumptions, see `latency`). */
export const ACCELERATORS: Readonly<Record<"a100" | "h100", Accelerator>> = Object.freeze({
  a100: { name: "NVIDIA A100 SXM", peakFlops: 312e12, source: "NVIDIA A100 Tensor Core GPU datasheet: BF16 312 TFLOPS dense" },
  h100: { name: "NVIDIA H100 SXM", peakFlops: 989e12, source: "NVIDIA H100 Tensor Core GPU datasheet: BF16 1,979 TFLOPS with sparsity, 989 dense" },
});

export const LINKS: Readonly<Record<"nvlink3" | "nvlink4" | "pcie4" | "ibHdr" | "ibNdr", Link>> = Object.freeze({
  nvlink3: { name: "NVLink 3 (A100)", bandwidth: 300e9, latency: 10e-6, source: "A100 datasheet: 600 GB/s NVLink, i.e. 300 GB/s each way; α assumed 10 µs" },
  nvlink4: { name: "NVLink 4 (H100)", bandwidth: 450e9, latency: 10e-6, source: "H100 datasheet: 900 GB/s NVLink, i.e. 450 GB/s each way; α assumed 10 µs" },
  pcie4: { name: "PCIe 4.0 x16", bandwidth: 32e9, latency: 10e-6, source: "PCIe 4.0: 16 GT/s × 16 lanes ≈ 32 GB/s each way (A100 PCIe datasheet: 64 GB/s both ways); α assumed" },
  ibHdr: { name: "InfiniBand HDR, 1 NIC per GPU", bandwidth: 25e9, latency: 20e-6, source: "200 Gb/s = 25 GB/s per port (NVIDIA ConnectX-6; DGX A100 has one per GPU); α assumed 20 µs" },
  ibNdr: { name: "InfiniBand NDR, 1 NIC per GPU", bandwidth: 50e9, latency: 20e-6, source: "400 Gb/s = 50 GB/s per port (NVIDIA ConnectX-7; DGX H100 has one per GPU); α assumed 20 µs" },
});

/** Seconds for a ring all-reduce of `bytes` over `ranks` (0 for one rank). */
export function ringAllReduceSeconds(bytes: number, ranks: number, link: Pick<Link, "bandwidth" | "latency">): number {
  if (ranks <= 1) return 0;
  return ((2 * (ranks - 1)) / ranks) * (bytes / link.bandwidth) + 2 * (ranks - 1) * link.latency;
}

/** Seconds for a ring reduce-scatter or all-gather of a `bytes` tensor over `ranks`. */
export function ringGatherSeconds(bytes: number, ranks: number, link: Pick<Link, "bandwidth" | "latency">): number {
  if (ranks <= 1) return 0;
  return ((ranks - 1) / ranks) * (bytes / link.bandwidth) + (ranks - 1) * link.latency;
}

/** What one training step is made of, for the model. */
export interface Workload {
  /** Training FLOPs of one step on one rank's share when N = 1 (forward + backward). */
  flops: number;
  /** Parameters (gradients all-reduced by data parallelism). */
  params: number;
  /** Elements of one layer's activation `[B, T, H]` for the whole batch (tensor and pipeline parallelism move these). */
  activation: number;
  layers: number;
  /** Bytes per gradient / activation element on the wire (2 for bf16). */
  bytesPerElement: number;
}

/** The workload of a BERT MLM step on `batch` sequences of `seqLength` tokens. */
export function bertWorkload(config: BertConfig, batch: number, seqLength: number, bytesPerElement = 2): Workload {
  let params = 0;
  for (const [name, shape] of parameterShapes(config)) if (!name.startsWith("bert.pooler.")) params += shape.reduce((a, b) => a * b, 1); // MLM leaves the pooler without gradient
  return { flops: trainingFlopsPerToken(config, seqLength) * batch * seqLength, params, activation: batch * seqLength * config.hiddenSize, layers: config.numLayers, bytesPerElement };
}

/** One configuration's predicted step: compute and communication seconds and the scaling efficiency. */
export interface StepPrediction {
  ranks: number;
  computeSeconds: number;
  commSeconds: number;
  /** Pipeline only: the idle share `(p−1)/(m+p−1)`. */
  bubble: number;
  stepSeconds: number;
  /** Useful work over paid work: `(single-rank compute / N) / step`. */
  efficiency: number;
}

/**
 * Data parallelism, weak scaling: every rank keeps the per-rank batch of `work`; the step adds one all-reduce of
 * the gradients. `rate` is the sustained FLOP/s of one rank.
 */
export function predictDataParallel(work: Workload, ranks: number, rate: number, link: Pick<Link, "bandwidth" | "latency">): StepPrediction {
  const computeSeconds = work.flops / rate;
  const commSeconds = ringAllReduceSeconds(work.params * work.bytesPerElement, ranks, link);
  const stepSeconds = computeSeconds + commSeconds;
  return { ranks, computeSeconds, commSeconds, bubble: 0, stepSeconds, efficiency: computeSeconds / stepSeconds };
}

/** Tensor parallelism (Megatron): compute divides by N; each layer all-reduces its activation 2× forward and 2× backward. */
export function predictTensorParallel(work: Workload, ranks: number, rate: number, link: Pick<Link, "bandwidth" | "latency">): StepPrediction {
  const computeSeconds = work.flops / rate / ranks;
  const commSeconds = 4 * work.layers * ringAllReduceSeconds(work.activation * work.bytesPerElement, ranks, link);
  const stepSeconds = computeSeconds + commSeconds;
  return { ranks, computeSeconds, commSeconds, bubble: 0, stepSeconds, efficiency: work.flops / rate / ranks / stepSeconds };
}

/**
 * Pipeline parallelism (GPipe/1F1B) over `ranks` stages with `microBatches`: the stages' work runs in
 * `(m+p−1)` slots of `compute/(p·m)`; each micro-batch boundary sends its activation forward and its gradient back.
 */
export function predictPipelineParallel(work: Workload, ranks: number, microBatches: number, rate: number, link: Pick<Link, "bandwidth" | "latency">): StepPrediction {
  const slot = work.flops / rate / ranks / microBatches;
  const computeSeconds = slot * (microBatches + ranks - 1);
  const perMicro = (work.activation / microBatches) * work.bytesPerElement;
  const commSeconds = ranks > 1 ? 2 * (microBatches + ranks - 2) * (perMicro / link.bandwidth + link.latency) : 0; // sends on the critical path
  const stepSeconds = computeSeconds + commSeconds;
  return { ranks, computeSeconds, commSeconds, bubble: (ranks - 1) / (microBatches + ranks - 1), stepSeconds, efficiency: work.flops / rate / ranks / stepSeconds };
}
