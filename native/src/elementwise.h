// Element-wise and reduction kernels over the wasm heap (added as profiles show them hot).
#define ELEMENTWISE_EXPORTS
