/**
 * Cutting an image into patches, the image counterpart of words (Dosovitskiy et al. 2021, §3.1: "we reshape the
 * image x ∈ R^{H×W×C} into a sequence of flattened 2D patches x_p ∈ R^{N×(P²·C)}", `N = HW/P²`).
 * Patches are numbered row by row; inside a patch, values are ordered (row, column, channel) — einops'
 * `b (h p1) (w p2) c -> b (h w) (p1 p2 c)`, as lucidrains' `vit-pytorch` writes it.
 * Shape legend: `B` images, `H`×`W` pixels, `C` channels, `P` patch side, `N` patches.
 */
import * as tf from "@tensorflow/tfjs";

/** `[B, H, W, C]` → `[B, N, P²·C]` (inside the caller's tidy). @throws when `P` does not divide `H` and `W` */
export function patchify(images: tf.Tensor4D, patchSize: number): tf.Tensor3D {
  const [b, h, w, c] = images.shape;
  const p = patchSize;
  if (!(Number.isInteger(p) && p >= 1) || h % p !== 0 || w % p !== 0) throw new Error(`patchify: patch size ${p} does not divide the ${h}×${w} image; resize the images to a multiple of ${p} first`);
  return images
    .reshape([b, h / p, p, w / p, p, c]) // [B, H/P, P, W/P, P, C]
    .transpose([0, 1, 3, 2, 4, 5]) // [B, H/P, W/P, P, P, C]
    .reshape([b, (h / p) * (w / p), p * p * c]) as tf.Tensor3D; // [B, N, P²·C]
}

/** The inverse: `[B, N, P²·C]` → `[B, H, W, C]` (to draw what the model sees; inside the caller's tidy). */
export function unpatchify(patches: tf.Tensor3D, patchSize: number, imageSize: [number, number], channels = 1): tf.Tensor4D {
  const [b] = patches.shape;
  const [h, w] = imageSize;
  const p = patchSize;
  return patches
    .reshape([b, h / p, w / p, p, p, channels])
    .transpose([0, 1, 3, 2, 4, 5])
    .reshape([b, h, w, channels]) as tf.Tensor4D;
}
