/**
 * Image preprocessing for a vision model, the image counterpart of tokenization: bytes → floats in [0, 1] →
 * resized to the model's input size (bilinear, half-pixel centres: PyTorch's `F.interpolate(mode="bilinear",
 * align_corners=False)`, torchvision's `Resize` without antialiasing) → normalised per channel with the training
 * set's mean and standard deviation (torchvision's `Normalize(mean, std)`).
 * Shape legend: `B` images, `H`×`W` pixels, `C` channels.
 */
import * as tf from "@tensorflow/tfjs";

/** How raw images become model inputs. */
export interface ImagePreprocessing {
  /** Model input `[height, width]` (the raw images are resized to it). */
  size: [number, number];
  /** Per-channel mean of the [0, 1] pixels, subtracted (from `channelStats` of the training set). */
  mean: number[];
  /** Per-channel standard deviation, divided by. */
  std: number[];
}

/**
 * Mean and (population) standard deviation per channel of byte images scaled to [0, 1], in float64.
 * @param pixels `[count · rows · cols · channels]` bytes, channels last
 */
export function channelStats(pixels: Uint8Array, channels = 1): { mean: number[]; std: number[] } {
  if (pixels.length === 0 || pixels.length % channels !== 0) throw new Error(`channelStats: ${pixels.length} bytes is not a positive multiple of ${channels} channels`);
  const sum = new Float64Array(channels);
  const squares = new Float64Array(channels);
  for (let i = 0; i < pixels.length; i++) {
    const v = (pixels[i] as number) / 255;
    const c = i % channels;
    sum[c] = (sum[c] as number) + v;
    squares[c] = (squares[c] as number) + v * v;
  }
  const n = pixels.length / channels;
  const mean = Array.from(sum, (s) => s / n);
  const std = Array.from(squares, (s, c) => Math.sqrt(Math.max(0, s / n - (mean[c] as number) ** 2)));
  return { mean, std };
}

/**
 * Bilinear resize `[B, H, W, C]` → `[B, h, w, C]` with half-pixel centres (no antialiasing), inside the caller's tidy.
 */
export function resizeImages(images: tf.Tensor4D, size: [number, number]): tf.Tensor4D {
  const [, h, w] = images.shape;
  if (h === size[0] && w === size[1]) return images;
  return tf.image.resizeBilinear(images, size, false, true);
}

/** `(x − mean[c]) / std[c]` over the channel axis, inside the caller's tidy. */
export function normalizeImages(images: tf.Tensor4D, mean: readonly number[], std: readonly number[]): tf.Tensor4D {
  const c = images.shape[3];
  if (mean.length !== c || std.length !== c) throw new Error(`normalizeImages: images have ${c} channel(s) but mean has ${mean.length} and std ${std.length}`);
  if (std.some((s) => !(s > 0))) throw new Error(`normalizeImages: every std must be > 0, got [${std}]`);
  return tf.div(tf.sub(images, tf.tensor1d(mean as number[])), tf.tensor1d(std as number[])) as tf.Tensor4D;
}

/**
 * Images `indices` of a byte array → the model's input `[B, h, w, C]` (inside the caller's tidy).
 * @param pixels `[count · rows · cols · channels]` bytes, row-major, channels last
 */
export function preprocessImages(pixels: Uint8Array, shape: { rows: number; cols: number; channels?: number }, indices: readonly number[], spec: ImagePreprocessing): tf.Tensor4D {
  const { rows, cols, channels = 1 } = shape;
  const size = rows * cols * channels;
  const batch = new Float32Array(indices.length * size);
  indices.forEach((index, k) => {
    if (!(index >= 0 && (index + 1) * size <= pixels.length)) throw new Error(`preprocessImages: image ${index} is outside the ${pixels.length / size} images`);
    for (let j = 0; j < size; j++) batch[k * size + j] = (pixels[index * size + j] as number) / 255;
  });
  const raw = tf.tensor4d(batch, [indices.length, rows, cols, channels]); // [B, H, W, C] in [0, 1]
  return normalizeImages(resizeImages(raw, spec.size), spec.mean, spec.std); // [B, h, w, C]
}
