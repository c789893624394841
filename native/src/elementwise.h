// Element-wise and row-wise kernels over the wasm heap, for the ops a profile of a training step shows hot
// (bench/mlm-train.ts): `Exp` (softmax backward, cross-entropy, GELU backward), `Erf` (GELU), `Softmax`, `Sum`,
// and the binary `Add`, `Sub`, `Multiply`, `RealDiv` (LayerNorm, GELU, dropout, AdamW).
//
// The exp below is Cephes' `expf` (range reduction by ln 2 split in two parts, a degree-6 polynomial, the
// exponent written into the bits), about 1 ulp, written without branches so that the compiler vectorises it
// (AVX-512: 16 lanes); glibc's `expf` is a call per element. `Erf` is Abramowitz & Stegun 7.1.26, the formula
// tfjs's own cpu and wasm kernels use, so results agree with them to float rounding.
//
// Exports:
//   unary(heap, op, xOffset, outOffset, count)        op: 0 exp, 1 erf; out may alias x
//   softmax(heap, xOffset, outOffset, rows, cols)     softmax over the last axis of [rows, cols]
//   sum(heap, xOffset, outOffset, outer, mid, inner)  sum over the middle axis of [outer, mid, inner]
//   binary(heap, op, aOffset, bOffset, outOffset, dims) add/sub/mul/div with broadcasting

// A reduction loop the compiler may vectorise (reassociate) although the flags keep IEEE order elsewhere:
// `-fopenmp-simd` (binding.gyp) turns these pragmas on without OpenMP's runtime.
#define PRAGMA(x) _Pragma(#x)
#define SIMD_REDUCE(clause) PRAGMA(omp simd reduction(clause))

static inline float exp_cephes(float x) {
  // Domain: above ln(FLT_MAX) the result is +Inf; below ln(smallest subnormal / 2) it is 0; between, the
  // exponent n ∈ [−150, 128] is applied in two halves so that each 2^half is a normal float (gradual underflow
  // gives the subnormal results tfjs's cpu backend returns).
  const float hi = 88.72283935546875f, lo = -103.97208404541016f;
  float xc = x > hi ? hi : x;
  xc = xc < lo ? lo : xc;
  float n = floorf(xc * 1.44269504088896341f + 0.5f);
  float r = xc - n * 0.693359375f;
  r = r - n * -2.12194440e-4f;
  float p = 1.9875691500E-4f;
  p = p * r + 1.3981999507E-3f;
  p = p * r + 8.3334519073E-3f;
  p = p * r + 4.1665795894E-2f;
  p = p * r + 1.6666665459E-1f;
  p = p * r + 5.0000001201E-1f;
  p = p * r * r + r + 1.0f;
  int32_t ni = (int32_t)n;
  int32_t half = ni >> 1; // floor(n / 2)
  union { int32_t i; float f; } s1, s2;
  s1.i = (half + 127) << 23;
  s2.i = (ni - half + 127) << 23;
  float y = p * s1.f * s2.f;
  y = x < lo ? 0.0f : y;         // underflow
  y = x > hi ? INFINITY : y;     // overflow
  return x != x ? x : y;         // NaN stays NaN
}

static inline float erf_as(float x) {
  // Abramowitz & Stegun 7.1.26 (|error| ≤ 1.5e-7), constants as in tfjs's backend_util (ERF_P, ERF_A1…A5).
  const float p = 0.3275911f, a1 = 0.254829592f, a2 = -0.284496736f, a3 = 1.421413741f, a4 = -1.453152027f, a5 = 1.061405429f;
  float v = fabsf(x);
  float t = 1.0f / (1.0f + p * v);
  float y = 1.0f - (((((a5 * t + a4) * t) + a3) * t + a2) * t + a1) * t * exp_cephes(-v * v);
  return x < 0 ? -y : y;
}

static int checked_span(napi_env env, const heap_args* a, double offset, double count) {
  if (!in_heap(offset, 4.0 * count, a->length) || ((uint64_t)offset & 3)) {
    napi_throw_range_error(env, NULL, "llm-course native: a tensor lies outside the wasm heap or is misaligned");
    return 0;
  }
  return 1;
}

static napi_value unary(napi_env env, napi_callback_info info) {
  heap_args args;
  if (!heap_args_of(env, info, 5, &args)) return NULL;
  int op = (int)args.x[1];
  double x_offset = args.x[2], out_offset = args.x[3], count = args.x[4];
  if (op < 0 || op > 1 || count < 0) {
    napi_throw_range_error(env, NULL, "llm-course native unary: unknown op or negative count");
    return NULL;
  }
  if (!checked_span(env, &args, x_offset, count) || !checked_span(env, &args, out_offset, count)) return NULL;
  const float* x = (const float*)(args.heap + (uint64_t)x_offset);
  float* out = (float*)(args.heap + (uint64_t)out_offset);
  int64_t n = (int64_t)count;
  if (op == 0)
    for (int64_t i = 0; i < n; i++) out[i] = exp_cephes(x[i]);
  else
    for (int64_t i = 0; i < n; i++) out[i] = erf_as(x[i]);
  return NULL;
}

static napi_value softmax(napi_env env, napi_callback_info info) {
  heap_args args;
  if (!heap_args_of(env, info, 5, &args)) return NULL;
  double x_offset = args.x[1], out_offset = args.x[2];
  int64_t rows = (int64_t)args.x[3], cols = (int64_t)args.x[4];
  if (rows < 0 || cols < 0) {
    napi_throw_range_error(env, NULL, "llm-course native softmax: negative size");
    return NULL;
  }
  if (!checked_span(env, &args, x_offset, (double)rows * cols) || !checked_span(env, &args, out_offset, (double)rows * cols)) return NULL;
  for (int64_t r = 0; r < rows; r++) {
    const float* x = (const float*)(args.heap + (uint64_t)x_offset) + r * cols;
    float* y = (float*)(args.heap + (uint64_t)out_offset) + r * cols;
    float max = -INFINITY;
    SIMD_REDUCE(max : max)
    for (int64_t j = 0; j < cols; j++) max = x[j] > max ? x[j] : max;
    for (int64_t j = 0; j < cols; j++) y[j] = exp_cephes(x[j] - max); // its own loop: vectorised
    float sum = 0.0f;
    SIMD_REDUCE(+ : sum)
    for (int64_t j = 0; j < cols; j++) sum += y[j];
    float inv = 1.0f / sum;
    for (int64_t j = 0; j < cols; j++) y[j] *= inv;
  }
  return NULL;
}

// sum(heap, xOffset, outOffset, outer, mid, inner): out[o, i] = Σ_m x[o, m, i], accumulated in double (as
// tfjs's cpu backend does) — the bias gradients sum [B·T, H] over its rows, softmax's gradient over its last axis.
static napi_value sum(napi_env env, napi_callback_info info) {
  heap_args args;
  if (!heap_args_of(env, info, 6, &args)) return NULL;
  double x_offset = args.x[1], out_offset = args.x[2];
  int64_t outer = (int64_t)args.x[3], mid = (int64_t)args.x[4], inner = (int64_t)args.x[5];
  if (outer < 0 || mid < 0 || inner < 0) {
    napi_throw_range_error(env, NULL, "llm-course native sum: negative size");
    return NULL;
  }
  if (!checked_span(env, &args, x_offset, (double)outer * mid * inner) || !checked_span(env, &args, out_offset, (double)outer * inner)) return NULL;
  const float* x = (const float*)(args.heap + (uint64_t)x_offset);
  float* out = (float*)(args.heap + (uint64_t)out_offset);
  if (inner == 1) {
    for (int64_t o = 0; o < outer; o++) {
      double acc = 0;
      for (int64_t m = 0; m < mid; m++) acc += x[o * mid + m];
      out[o] = (float)acc;
    }
    return NULL;
  }
  double* acc = (double*)malloc(sizeof(double) * (size_t)inner);
  if (acc == NULL) {
    napi_throw_error(env, NULL, "llm-course native sum: out of memory");
    return NULL;
  }
  for (int64_t o = 0; o < outer; o++) {
    for (int64_t i = 0; i < inner; i++) acc[i] = 0;
    for (int64_t m = 0; m < mid; m++) {
      const float* row = x + (o * mid + m) * inner;
      for (int64_t i = 0; i < inner; i++) acc[i] += row[i];
    }
    for (int64_t i = 0; i < inner; i++) out[o * inner + i] = (float)acc[i];
  }
  free(acc);
  return NULL;
}

// binary(heap, op, aOffset, bOffset, outOffset, dims): out = a ∘ b with NumPy broadcasting, op 0 add, 1 sub,
// 2 mul, 3 div. `dims` is a Float64Array [size, strideA, strideB] per output dimension, outermost first,
// strides in elements (0 where that side broadcasts); JS merges dimensions first, so the innermost loop is long.
static inline float apply_op(int op, float x, float y) {
  return op == 0 ? x + y : op == 1 ? x - y : op == 2 ? x * y : x / y;
}

#define BINARY_INNER(OP, EXPR) \
  for (int64_t i = 0; i < n; i++) out[i] = (EXPR);

static void binary_inner(int op, const float* a, const float* b, float* out, int64_t n, int64_t sa, int64_t sb) {
  // The four stride patterns of the innermost loop, each a loop the compiler vectorises.
  if (sa == 1 && sb == 1) {
    switch (op) {
      case 0: BINARY_INNER(0, a[i] + b[i]) break;
      case 1: BINARY_INNER(1, a[i] - b[i]) break;
      case 2: BINARY_INNER(2, a[i] * b[i]) break;
      default: BINARY_INNER(3, a[i] / b[i]) break;
    }
  } else if (sa == 1 && sb == 0) {
    float y = b[0];
    switch (op) {
      case 0: BINARY_INNER(0, a[i] + y) break;
      case 1: BINARY_INNER(1, a[i] - y) break;
      case 2: BINARY_INNER(2, a[i] * y) break;
      default: BINARY_INNER(3, a[i] / y) break;
    }
  } else if (sa == 0 && sb == 1) {
    float x = a[0];
    switch (op) {
      case 0: BINARY_INNER(0, x + b[i]) break;
      case 1: BINARY_INNER(1, x - b[i]) break;
      case 2: BINARY_INNER(2, x * b[i]) break;
      default: BINARY_INNER(3, x / b[i]) break;
    }
  } else {
    for (int64_t i = 0; i < n; i++) out[i] = apply_op(op, a[i * sa], b[i * sb]);
  }
}

static napi_value binary(napi_env env, napi_callback_info info) {
  heap_args args;
  if (!heap_args_of(env, info, 6, &args)) return NULL;
  int op = (int)args.x[1];
  double a_offset = args.x[2], b_offset = args.x[3], out_offset = args.x[4];
  size_t count = 0;
  int ok = 1;
  const double* dims = offsets_of(env, args.argv[5], &count, &ok);
  if (!ok) return NULL;
  int64_t rank = (int64_t)(count / 3);
  if (op < 0 || op > 3 || dims == NULL || count % 3 != 0 || rank < 1 || rank > 8) {
    napi_throw_range_error(env, NULL, "llm-course native binary: unknown op or bad dims");
    return NULL;
  }
  // Extents: the last element each operand reaches must lie inside the heap.
  double total = 1, last_a = 0, last_b = 0;
  for (int64_t d = 0; d < rank; d++) {
    double size = dims[3 * d], sa = dims[3 * d + 1], sb = dims[3 * d + 2];
    if (size < 1 || sa < 0 || sb < 0) {
      napi_throw_range_error(env, NULL, "llm-course native binary: bad dims");
      return NULL;
    }
    total *= size;
    last_a += (size - 1) * sa;
    last_b += (size - 1) * sb;
  }
  if (!checked_span(env, &args, a_offset, last_a + 1) || !checked_span(env, &args, b_offset, last_b + 1) ||
      !checked_span(env, &args, out_offset, total)) return NULL;
  const float* a = (const float*)(args.heap + (uint64_t)a_offset);
  const float* b = (const float*)(args.heap + (uint64_t)b_offset);
  float* out = (float*)(args.heap + (uint64_t)out_offset);
  int64_t n = (int64_t)dims[3 * (rank - 1)], sa = (int64_t)dims[3 * (rank - 1) + 1], sb = (int64_t)dims[3 * (rank - 1) + 2];
  int64_t index[8] = {0};
  int64_t rows = (int64_t)(total / n);
  for (int64_t r = 0; r < rows; r++) {
    int64_t ia = 0, ib = 0;
    for (int64_t d = 0; d < rank - 1; d++) {
      ia += index[d] * (int64_t)dims[3 * d + 1];
      ib += index[d] * (int64_t)dims[3 * d + 2];
    }
    binary_inner(op, a + ia, b + ib, out + r * n, n, sa, sb);
    for (int64_t d = rank - 2; d >= 0; d--) { // next row, odometer-style
      if (++index[d] < (int64_t)dims[3 * d]) break;
      index[d] = 0;
    }
  }
  return NULL;
}

#define ELEMENTWISE_EXPORTS                                                \
  {"unary", NULL, unary, NULL, NULL, NULL, napi_enumerable, NULL},        \
  {"softmax", NULL, softmax, NULL, NULL, NULL, napi_enumerable, NULL},    \
  {"sum", NULL, sum, NULL, NULL, NULL, napi_enumerable, NULL},        \
  {"binary", NULL, binary, NULL, NULL, NULL, napi_enumerable, NULL},
