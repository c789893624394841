/**
 * Where a ViT looks: the [CLS] token's attention over the patches, per layer (heads averaged), and the attention
 * rollout through all layers (Abnar & Zuidema 2020; `lib/eval/attention-rollout.ts` for text), each reshaped to
 * the patch grid so it can be drawn over the image (Dosovitskiy et al. 2021, Fig. 6 uses rollout).
 * Shape legend: `L` layers, `T = N + 1` tokens, `N` patches on a `rows × cols` grid.
 */
import * as tf from "@tensorflow/tfjs";
import { attentionRolloutMatrix } from "../eval/attention-rollout";
import type { VisionTransformer } from "./vit";

/** Attention of [CLS] over the patch grid of one image. */
export interface PatchAttention {
  /** `[L][rows][cols]`: layer ℓ's [CLS]→patch attention, heads averaged (a row of the grid per patch row). */
  layers: number[][][];
  /** `[rows][cols]`: the rollout from [CLS] to each patch, renormalised over the patches. */
  rollout: number[][];
  /** Patch grid size. */
  rows: number;
  cols: number;
}

/**
 * [CLS]'s attention over the patches of one preprocessed image `[1, h, w, C]`; leaves no tensor behind.
 */
export function patchAttention(model: VisionTransformer, image: tf.Tensor4D): PatchAttention {
  if (image.shape[0] !== 1) throw new Error(`patchAttention: pass one image [1, h, w, C], got a batch of ${image.shape[0]}`);
  const { imageSize, patchSize } = model.config;
  const rows = imageSize[0] / patchSize;
  const cols = imageSize[1] / patchSize;
  const grid = (values: ArrayLike<number>): number[][] => Array.from({ length: rows }, (_, r) => Array.from({ length: cols }, (_, c) => values[r * cols + c] as number));
  const { perLayer, rolled } = tf.tidy(() => {
    const { attentions } = model.encode(image, { outputAttentions: true }); // L × [1, heads, T, T]
    const maps = attentions.map((a) => a.mean(1).squeeze([0]) as tf.Tensor2D); // L × [T, T]
    const t = maps[0]?.shape[0] ?? 0;
    const cls = maps.map((m) => m.slice([0, 1], [1, t - 1]).reshape([t - 1])); // L × [N]: [CLS] row, patches only
    const r = attentionRolloutMatrix(maps).slice([0, 1], [1, t - 1]).reshape([t - 1]); // [N]
    return { perLayer: cls.map((c) => c.dataSync().slice()), rolled: r.div(r.sum()).dataSync().slice() };
  });
  return { layers: perLayer.map(grid), rollout: grid(rolled), rows, cols };
}
