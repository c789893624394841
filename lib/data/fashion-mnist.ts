/**
 * Fashion-MNIST (Xiao, Rasul, Vollgraf 2017, arXiv:1708.07747): 70,000 grayscale 28×28 images of clothing in ten
 * classes, 60,000 train / 10,000 test, as four gzip-compressed IDX files (`./idx.ts`). Pixels are unsigned bytes,
 * 0 = background … 255 = brightest; every class has 6,000 train and 1,000 test images.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { DataFormatError } from "./errors";
import { datasetDir, type LoadOptions } from "./files";
import { decodeIdx } from "./idx";

/** Class names: `FASHION_MNIST_LABELS[label]`. */
export const FASHION_MNIST_LABELS = ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"] as const;

/** A split of images: `count` images of `rows × cols` pixels, row-major, one byte each, and a label per image. */
export interface ImageSplit {
  /** `[count · rows · cols]` unsigned bytes, image after image. */
  pixels: Uint8Array;
  /** `[count]` class ids. */
  labels: Uint8Array;
  count: number;
  rows: number;
  cols: number;
}

/** Both splits and the class names. */
export interface ImageClassificationData {
  train: ImageSplit;
  test: ImageSplit;
  labels: string[];
}

/**
 * Pairs an images file with a labels file.
 * @throws DataFormatError when the images are not `[n, rows, cols]`, the labels not `[n]`, the counts differ or a
 *   label is out of range
 */
export function imageSplit(images: { dims: number[]; data: Uint8Array }, labels: { dims: number[]; data: Uint8Array }, numClasses: number, files: { images: string; labels: string }): ImageSplit {
  if (images.dims.length !== 3) throw new DataFormatError(files.images, 0, `expected 3 dimensions (count, rows, cols), found [${images.dims}]; is this a labels file?`);
  if (labels.dims.length !== 1) throw new DataFormatError(files.labels, 0, `expected 1 dimension (count), found [${labels.dims}]; is this an images file?`);
  const [count, rows, cols] = images.dims as [number, number, number];
  if (labels.dims[0] !== count) throw new DataFormatError(files.labels, 0, `${labels.dims[0]} labels for ${count} images in ${files.images}.`);
  const bad = labels.data.findIndex((l) => l >= numClasses);
  if (bad >= 0) throw new DataFormatError(files.labels, 0, `label ${labels.data[bad]} of item ${bad} is not below ${numClasses}.`);
  return { pixels: images.data, labels: labels.data, count, rows, cols };
}

/**
 * Fashion-MNIST from the registry (or `options.dir`).
 * @param options `limit` keeps the first N images of each split (the files are shuffled, so these are a fair sample)
 */
export async function loadFashionMnist(options: LoadOptions & { limit?: { train?: number; test?: number } } = {}): Promise<ImageClassificationData> {
  const { limit, ...rest } = options;
  const dir = await datasetDir("fashion_mnist", rest);
  const read = (name: string) => decodeIdx(new Uint8Array(readFileSync(join(dir, name))), { file: join(dir, name) });
  const split = (prefix: string, keep?: number): ImageSplit => {
    const files = { images: `${prefix}-images-idx3-ubyte.gz`, labels: `${prefix}-labels-idx1-ubyte.gz` };
    const full = imageSplit(read(files.images), read(files.labels), FASHION_MNIST_LABELS.length, { images: join(dir, files.images), labels: join(dir, files.labels) });
    return keep === undefined ? full : takeImages(full, keep);
  };
  return { train: split("train", limit?.train), test: split("t10k", limit?.test), labels: [...FASHION_MNIST_LABELS] };
}

/** The first `n` images of a split (views, no copy). */
export function takeImages(split: ImageSplit, n: number): ImageSplit {
  const count = Math.min(n, split.count);
  const size = split.rows * split.cols;
  return { ...split, count, pixels: split.pixels.subarray(0, count * size), labels: split.labels.subarray(0, count) };
}
