// Fused training kernels over the wasm heap: each replaces a chain of tfjs ops (and the intermediates the autograd
// tape would keep of them) by one pass in C. JavaScript wires them in with custom gradients
// (lib/core/native-fused.ts); every one is property-tested against the composite ops on tfjs's cpu backend.
//
// Exports (offsets are byte offsets into the heap; float32 unless said otherwise):
//   layerNorm(heap, x, gamma, beta, out, mean, rstd, rows, cols, eps)
//       out = (x − mean)·rstd·gamma + beta over the last axis of [rows, cols]; saves mean and rstd = 1/√(var + eps)
//       ([rows] each) for the backward pass. Statistics in double.
//   layerNormGrad(heap, dy, x, gamma, mean, rstd, dx, dgamma, dbeta, rows, cols)
//       x̂ = (x − mean)·rstd, g = dy·gamma:  dx = rstd·(g − mean(g) − x̂·mean(g·x̂)),  dgamma = Σ_rows dy·x̂,
//       dbeta = Σ_rows dy (row sums in double).
//   softmaxGrad(heap, y, dy, dx, rows, cols)      dx = y·(dy − Σ_j dy·y), y = softmax output, last axis
//   crossEntropy(heap, logits, labels, loss, rows, cols)
//       labels int32 [rows]; loss (a scalar) = Σ_labelled (logsumexp(row) − row[label]) / max(#labelled, 1), a
//       row being labelled when 0 ≤ label < cols (−100, Hugging Face's ignore index, is not).
//   crossEntropyGrad(heap, logits, labels, dy, dlogits, rows, cols)
//       dlogits = (softmax(row) − onehot(label))·dy/max(#labelled, 1) on labelled rows, 0 on the others; dy is
//       the offset of the scalar upstream gradient. Softmax is recomputed: nothing [rows, cols] is kept between.
//   adamw(heap, p, m, v, g, count, lr, beta1, beta2, epsilon, weightDecay, correction1, correction2)
//       in place: m ← β₁m + (1−β₁)g, v ← β₂v + (1−β₂)g², p ← p − lr·((m/c₁)/(√(v/c₂) + ε) + λp)
//   gelu(heap, x, out, count)                   out = x·Φ(x) = 0.5·x·(1 + erf(x/√2)) (erf as elementwise.h's)
//   geluGrad(heap, x, dy, dx, count)            dx = dy·(Φ(x) + x·φ(x)), φ(x) = exp(−x²/2)/√(2π)
//   dropoutMask(heap, out, count, rate, state)
//       out[i] = u_i < rate ? 0 : 1/(1 − rate), u_i = sfc32()/2³² — the draws of lib/core/rng.ts's Rng.uniform(),
//       bit for bit; state is that Rng's Uint32Array(4) [a, b, c, d], advanced in place.

// Σ over a row, in double.
static inline double row_sum(const float* x, int64_t n) {
  double acc = 0;
  SIMD_REDUCE(+ : acc)
  for (int64_t j = 0; j < n; j++) acc += x[j];
  return acc;
}

#define SPAN(offset, count) checked_span(env, &args, (offset), (double)(count))
#define F32(offset) ((float*)(args.heap + (uint64_t)(offset)))

static napi_value layer_norm(napi_env env, napi_callback_info info) {
  heap_args args;
  if (!heap_args_of(env, info, 10, &args)) return NULL;
  double xo = args.x[1], go = args.x[2], bo = args.x[3], oo = args.x[4];
  double mo = args.x[5], ro = args.x[6];
  int64_t rows = (int64_t)args.x[7], cols = (int64_t)args.x[8];
  double eps = args.x[9];
  if (rows < 0 || cols < 0) return (napi_throw_range_error(env, NULL, "llm-course native layerNorm: negative size"), NULL);
  if (!SPAN(xo, rows * cols) || !SPAN(oo, rows * cols) || !SPAN(go, cols) || !SPAN(bo, cols) || !SPAN(mo, rows) || !SPAN(ro, rows)) return NULL;
  const float *gamma = F32(go), *beta = F32(bo);
  float *mean = F32(mo), *rstd = F32(ro);
  for (int64_t r = 0; r < rows; r++) {
    const float* x = F32(xo) + r * cols;
    float* y = F32(oo) + r * cols;
    double mu = cols > 0 ? row_sum(x, cols) / cols : 0;
    double var = 0;
    SIMD_REDUCE(+ : var)
    for (int64_t j = 0; j < cols; j++) var += ((double)x[j] - mu) * ((double)x[j] - mu);
    var = cols > 0 ? var / cols : 0;
    float m = (float)mu, s = (float)(1.0 / sqrt(var + eps));
    mean[r] = m;
    rstd[r] = s;
    for (int64_t j = 0; j < cols; j++) y[j] = (x[j] - m) * s * gamma[j] + beta[j];
  }
  return NULL;
}

static napi_value layer_norm_grad(napi_env env, napi_callback_info info) {
  heap_args args;
  if (!heap_args_of(env, info, 11, &args)) return NULL;
  double dyo = args.x[1], xo = args.x[2], go = args.x[3], mo = args.x[4];
  double ro = args.x[5], dxo = args.x[6], dgo = args.x[7], dbo = args.x[8];
  int64_t rows = (int64_t)args.x[9], cols = (int64_t)args.x[10];
  if (rows < 0 || cols < 0) return (napi_throw_range_error(env, NULL, "llm-course native layerNormGrad: negative size"), NULL);
  if (!SPAN(dyo, rows * cols) || !SPAN(xo, rows * cols) || !SPAN(dxo, rows * cols) || !SPAN(go, cols) || !SPAN(dgo, cols) ||
      !SPAN(dbo, cols) || !SPAN(mo, rows) || !SPAN(ro, rows)) return NULL;
  const float *gamma = F32(go), *mean = F32(mo), *rstd = F32(ro);
  double* acc = (double*)calloc((size_t)(2 * cols + 1), sizeof(double)); // dgamma, dbeta
  if (acc == NULL) return (napi_throw_error(env, NULL, "llm-course native layerNormGrad: out of memory"), NULL);
  double *dgamma = acc, *dbeta = acc + cols;
  for (int64_t r = 0; r < rows; r++) {
    const float* x = F32(xo) + r * cols;
    const float* dy = F32(dyo) + r * cols;
    float* dx = F32(dxo) + r * cols;
    float m = mean[r], s = rstd[r];
    double sum_g = 0, sum_gx = 0;
    for (int64_t j = 0; j < cols; j++) {
      float xhat = (x[j] - m) * s;
      double g = (double)dy[j] * gamma[j];
      sum_g += g;
      sum_gx += g * xhat;
      dgamma[j] += (double)dy[j] * xhat;
      dbeta[j] += dy[j];
    }
    // In double: a float product fits exactly, so a one-column row (x̂ = 0, g = mean(g)) gives exactly 0 whether
    // or not the compiler contracts `g − mean(g)` into a fused multiply-add (1/σ can be 10⁶ there).
    double mean_g = sum_g / cols, mean_gx = sum_gx / cols;
    for (int64_t j = 0; j < cols; j++) {
      float xhat = (x[j] - m) * s;
      dx[j] = (float)(s * ((double)dy[j] * gamma[j] - mean_g - xhat * mean_gx));
    }
  }
  for (int64_t j = 0; j < cols; j++) {
    F32(dgo)[j] = (float)dgamma[j];
    F32(dbo)[j] = (float)dbeta[j];
  }
  free(acc);
  return NULL;
}

static napi_value softmax_grad(napi_env env, napi_callback_info info) {
  heap_args args;
  if (!heap_args_of(env, info, 6, &args)) return NULL;
  double yo = args.x[1], dyo = args.x[2], dxo = args.x[3];
  int64_t rows = (int64_t)args.x[4], cols = (int64_t)args.x[5];
  if (rows < 0 || cols < 0) return (napi_throw_range_error(env, NULL, "llm-course native softmaxGrad: negative size"), NULL);
  if (!SPAN(yo, rows * cols) || !SPAN(dyo, rows * cols) || !SPAN(dxo, rows * cols)) return NULL;
  for (int64_t r = 0; r < rows; r++) {
    const float* y = F32(yo) + r * cols;
    const float* dy = F32(dyo) + r * cols;
    float* dx = F32(dxo) + r * cols;
    double dot = 0;
    SIMD_REDUCE(+ : dot)
    for (int64_t j = 0; j < cols; j++) dot += (double)dy[j] * y[j];
    float d = (float)dot;
    for (int64_t j = 0; j < cols; j++) dx[j] = y[j] * (dy[j] - d);
  }
  return NULL;
}

// Row maximum and log Σ exp(x − max), the softmax's normaliser.
static inline void row_logsumexp(const float* x, int64_t n, float* max_out, float* lse_out) {
  float max = -INFINITY;
  SIMD_REDUCE(max : max)
  for (int64_t j = 0; j < n; j++) max = x[j] > max ? x[j] : max;
  float sum = 0.0f;
  SIMD_REDUCE(+ : sum)
  for (int64_t j = 0; j < n; j++) sum += exp_cephes(x[j] - max);
  *max_out = max;
  *lse_out = logf(sum);
}

static int64_t labelled_rows(const int32_t* labels, int64_t rows, int64_t cols) {
  int64_t count = 0;
  for (int64_t r = 0; r < rows; r++) count += labels[r] >= 0 && labels[r] < cols;
  return count;
}

static napi_value cross_entropy(napi_env env, napi_callback_info info) {
  heap_args args;
  if (!heap_args_of(env, info, 6, &args)) return NULL;
  double lo = args.x[1], labo = args.x[2], outo = args.x[3];
  int64_t rows = (int64_t)args.x[4], cols = (int64_t)args.x[5];
  if (rows < 0 || cols < 0) return (napi_throw_range_error(env, NULL, "llm-course native crossEntropy: negative size"), NULL);
  if (!SPAN(lo, rows * cols) || !SPAN(labo, rows) || !SPAN(outo, 1)) return NULL;
  const int32_t* labels = (const int32_t*)(args.heap + (uint64_t)labo);
  double total = 0;
  for (int64_t r = 0; r < rows; r++) {
    if (labels[r] < 0 || labels[r] >= cols) continue;
    const float* x = F32(lo) + r * cols;
    float max, lse;
    row_logsumexp(x, cols, &max, &lse);
    total += (double)(lse - (x[labels[r]] - max));
  }
  int64_t count = labelled_rows(labels, rows, cols);
  F32(outo)[0] = (float)(total / (double)(count > 1 ? count : 1));
  return NULL;
}

static napi_value cross_entropy_grad(napi_env env, napi_callback_info info) {
  heap_args args;
  if (!heap_args_of(env, info, 7, &args)) return NULL;
  double lo = args.x[1], labo = args.x[2], dyo = args.x[3], dlo = args.x[4];
  int64_t rows = (int64_t)args.x[5], cols = (int64_t)args.x[6];
  if (rows < 0 || cols < 0) return (napi_throw_range_error(env, NULL, "llm-course native crossEntropyGrad: negative size"), NULL);
  if (!SPAN(lo, rows * cols) || !SPAN(labo, rows) || !SPAN(dyo, 1) || !SPAN(dlo, rows * cols)) return NULL;
  const int32_t* labels = (const int32_t*)(args.heap + (uint64_t)labo);
  int64_t count = labelled_rows(labels, rows, cols);
  float scale = F32(dyo)[0] / (float)(count > 1 ? count : 1);
  for (int64_t r = 0; r < rows; r++) {
    const float* x = F32(lo) + r * cols;
    float* d = F32(dlo) + r * cols;
    int32_t label = labels[r];
    if (label < 0 || label >= cols) {
      memset(d, 0, sizeof(float) * (size_t)cols);
      continue;
    }
    float max, lse;
    row_logsumexp(x, cols, &max, &lse);
    // softmax = exp((x − max) − lse): max + lse as one number would round lse away next to a large max.
    for (int64_t j = 0; j < cols; j++) d[j] = exp_cephes((x[j] - max) - lse) * scale;
    d[label] -= scale;
  }
  return NULL;
}

static napi_value adamw(napi_env env, napi_callback_info info) {
  heap_args args;
  if (!heap_args_of(env, info, 13, &args)) return NULL;
  double po = args.x[1], mo = args.x[2], vo = args.x[3], go = args.x[4];
  int64_t count = (int64_t)args.x[5];
  float lr = (float)args.x[6], b1 = (float)args.x[7], b2 = (float)args.x[8];
  float eps = (float)args.x[9], wd = (float)args.x[10];
  float c1 = (float)args.x[11], c2 = (float)args.x[12];
  if (count < 0) return (napi_throw_range_error(env, NULL, "llm-course native adamw: negative size"), NULL);
  if (!SPAN(po, count) || !SPAN(mo, count) || !SPAN(vo, count) || !SPAN(go, count)) return NULL;
  float *p = F32(po), *m = F32(mo), *v = F32(vo);
  const float* g = F32(go);
  const float one_b1 = 1.0f - b1, one_b2 = 1.0f - b2;
  for (int64_t i = 0; i < count; i++) {
    float mi = m[i] * b1 + g[i] * one_b1;
    float vi = v[i] * b2 + (g[i] * g[i]) * one_b2;
    m[i] = mi;
    v[i] = vi;
    float update = (mi / c1) / (sqrtf(vi / c2) + eps) + p[i] * wd;
    p[i] = p[i] - update * lr;
  }
  return NULL;
}

static napi_value gelu(napi_env env, napi_callback_info info) {
  heap_args args;
  if (!heap_args_of(env, info, 4, &args)) return NULL;
  double xo = args.x[1], oo = args.x[2], count = args.x[3];
  if (count < 0) return (napi_throw_range_error(env, NULL, "llm-course native gelu: negative size"), NULL);
  if (!SPAN(xo, count) || !SPAN(oo, count)) return NULL;
  const float* x = F32(xo);
  float* out = F32(oo);
  for (int64_t i = 0; i < (int64_t)count; i++) out[i] = (x[i] * 0.5f) * (1.0f + erf_as(x[i] * 0.70710678118654752f));
  return NULL;
}

static napi_value gelu_grad(napi_env env, napi_callback_info info) {
  heap_args args;
  if (!heap_args_of(env, info, 5, &args)) return NULL;
  double xo = args.x[1], dyo = args.x[2], dxo = args.x[3], count = args.x[4];
  if (count < 0) return (napi_throw_range_error(env, NULL, "llm-course native geluGrad: negative size"), NULL);
  if (!SPAN(xo, count) || !SPAN(dyo, count) || !SPAN(dxo, count)) return NULL;
  const float *x = F32(xo), *dy = F32(dyo);
  float* dx = F32(dxo);
  for (int64_t i = 0; i < (int64_t)count; i++) {
    float cdf = 0.5f * (1.0f + erf_as(x[i] * 0.70710678118654752f));
    float pdf = 0.39894228040143268f * exp_cephes(-0.5f * x[i] * x[i]);
    dx[i] = dy[i] * (cdf + x[i] * pdf);
  }
  return NULL;
}

static napi_value dropout_mask(napi_env env, napi_callback_info info) {
  heap_args args;
  if (!heap_args_of(env, info, 5, &args)) return NULL;
  double oo = args.x[1], count = args.x[2], rate = args.x[3];
  napi_typedarray_type type;
  size_t length = 0, offset = 0;
  void* data = NULL;
  napi_value buffer;
  if (napi_get_typedarray_info(env, args.argv[4], &type, &length, &data, &buffer, &offset) != napi_ok || type != napi_uint32_array || length != 4) {
    return (napi_throw_type_error(env, NULL, "llm-course native dropoutMask: state must be a Uint32Array(4)"), NULL);
  }
  if (count < 0 || !(rate >= 0 && rate < 1)) return (napi_throw_range_error(env, NULL, "llm-course native dropoutMask: count < 0 or rate outside [0, 1)"), NULL);
  if (!SPAN(oo, count)) return NULL;
  uint32_t* s = (uint32_t*)data;
  uint32_t a = s[0], b = s[1], c = s[2], d = s[3];
  const double threshold = rate * 4294967296.0; // u/2³² < rate ⇔ u < rate·2³² (exact: a power-of-two scale)
  const float scale = (float)(1.0 / (1.0 - rate));
  float* out = F32(oo);
  for (int64_t i = 0; i < (int64_t)count; i++) {
    uint32_t t = a + b + d; // sfc32, as Rng.nextUint32
    d = d + 1;
    a = b ^ (b >> 9);
    b = c + (c << 3);
    c = ((c << 21) | (c >> 11)) + t;
    out[i] = (double)t < threshold ? 0.0f : scale;
  }
  s[0] = a;
  s[1] = b;
  s[2] = c;
  s[3] = d;
  return NULL;
}

#undef SPAN
#undef F32

#define FUSED_EXPORTS                                                               \
  {"layerNorm", NULL, layer_norm, NULL, NULL, NULL, napi_enumerable, NULL},          \
  {"layerNormGrad", NULL, layer_norm_grad, NULL, NULL, NULL, napi_enumerable, NULL}, \
  {"softmaxGrad", NULL, softmax_grad, NULL, NULL, NULL, napi_enumerable, NULL},      \
  {"crossEntropy", NULL, cross_entropy, NULL, NULL, NULL, napi_enumerable, NULL},    \
  {"crossEntropyGrad", NULL, cross_entropy_grad, NULL, NULL, NULL, napi_enumerable, NULL}, \
  {"adamw", NULL, adamw, NULL, NULL, NULL, napi_enumerable, NULL},                  \
  {"gelu", NULL, gelu, NULL, NULL, NULL, napi_enumerable, NULL},                    \
  {"geluGrad", NULL, gelu_grad, NULL, NULL, NULL, napi_enumerable, NULL},            \
  {"dropoutMask", NULL, dropout_mask, NULL, NULL, NULL, napi_enumerable, NULL},
