// Active learning: uncertainty sampling's acquisition functions and the pool-based loop (plain TypeScript, no tensors).
export * from "./acquisition";
export * from "./loop";
