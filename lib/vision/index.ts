export { channelStats, resizeImages, normalizeImages, preprocessImages } from "./preprocess";
export type { ImagePreprocessing } from "./preprocess";
export { patchify, unpatchify } from "./patches";
export { VisionTransformer, VIT_FASHION_MNIST, numPatches } from "./vit";
export type { VitConfig } from "./vit";
export { trainImageClassifier, evaluateImageClassifier } from "./train-vit";
export type { ImageTrainOptions } from "./train-vit";
export { patchAttention } from "./attention-maps";
export type { PatchAttention } from "./attention-maps";
