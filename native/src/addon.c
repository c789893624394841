// Native CPU kernels for tfjs's wasm backend: they read and write tensors in place on the wasm heap.
//
// JavaScript passes the heap as a Uint8Array (`backend.wasm.HEAPU8`, fetched again for every call because a
// growing wasm memory replaces its buffer) and byte offsets into it (`backend.getMemoryOffset(dataId)`), so no
// tensor is copied. Matrix products go to the BLAS (`cblas_sgemm`: OpenBLAS, or Accelerate on macOS).
//
// Exports:
//   batchMatMul(heap, aOffsets, bOffsets, outOffset, m, n, k, transposeA, transposeB,
//               biasOffsets, biasRows, biasCols, activation, alpha, preluOffsets, preluRows, preluCols)
//     For each output matrix o (outOffset + o·m·n·4, row-major [M, N]):
//       C_o = act(op(A_o)·op(B_o) + bias_o)   A_o at aOffsets[o], B_o at bOffsets[o] (Float64Array, bytes)
//     bias_o / prelu weights: null, or a Float64Array of offsets per output matrix of a [rows, cols] matrix with
//     rows ∈ {1, M}, cols ∈ {1, N} that broadcasts over C_o.
//     activation: 0 linear, 1 relu, 2 relu6, 3 sigmoid, 4 leakyrelu (alpha), 5 elu, 6 prelu.
//   unary, softmax, sum, binary: see elementwise.h; layerNorm, layerNormGrad, softmaxGrad, crossEntropy,
//   crossEntropyGrad, gelu, geluGrad, adamw, dropoutMask: see fused.h; gather, transpose, segmentSum: see movement.h.
//   setThreads(n), getThreads() → n, config() → the BLAS's build string and the CPU core it runs on.
#define NAPI_VERSION 8
#include <node_api.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <pthread.h>
#include <stdbool.h>

#ifdef USE_ACCELERATE
#include <Accelerate/Accelerate.h>
#else
#include <cblas.h>
#endif

#define CHECK(call)                                                  \
  do {                                                               \
    if ((call) != napi_ok) {                                         \
      napi_throw_error(env, NULL, "llm-course native: " #call " failed"); \
      return NULL;                                                   \
    }                                                                \
  } while (0)

static int get_args(napi_env env, napi_callback_info info, size_t want, napi_value* argv) {
  size_t argc = want;
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok || argc < want) {
    char message[96];
    snprintf(message, sizeof message, "llm-course native: expected %zu arguments, got %zu", want, argc);
    napi_throw_type_error(env, NULL, message);
    return 0;
  }
  return 1;
}

// The bytes of a Uint8Array (the wasm heap).
static uint8_t* heap_of(napi_env env, napi_value value, size_t* length) {
  napi_typedarray_type type;
  void* data = NULL;
  napi_value buffer;
  size_t offset;
  if (napi_get_typedarray_info(env, value, &type, length, &data, &buffer, &offset) != napi_ok || type != napi_uint8_array) {
    napi_throw_type_error(env, NULL, "llm-course native: the heap must be a Uint8Array (backend.wasm.HEAPU8)");
    return NULL;
  }
  return (uint8_t*)data;
}

// A Float64Array of byte offsets, or NULL for `null`/`undefined` (then *count = 0).
static const double* offsets_of(napi_env env, napi_value value, size_t* count, int* ok) {
  napi_valuetype kind;
  *ok = 1;
  *count = 0;
  if (napi_typeof(env, value, &kind) != napi_ok) return (*ok = 0, NULL);
  if (kind == napi_null || kind == napi_undefined) return NULL;
  napi_typedarray_type type;
  void* data = NULL;
  napi_value buffer;
  size_t offset;
  if (napi_get_typedarray_info(env, value, &type, count, &data, &buffer, &offset) != napi_ok || type != napi_float64_array) {
    napi_throw_type_error(env, NULL, "llm-course native: offsets must be a Float64Array");
    return (*ok = 0, NULL);
  }
  return (const double*)data;
}

static double number_of(napi_env env, napi_value value) {
  double x = 0;
  napi_get_value_double(env, value, &x);
  return x;
}

static int in_heap(double offset, double bytes, size_t heap_length) {
  return offset >= 0 && bytes >= 0 && offset + bytes <= (double)heap_length;
}

// The arguments of a kernel over the heap (elementwise.h, fused.h, movement.h): argv[0] the heap, a Uint8Array;
// the others numbers, read once into x[i] (0 when argv[i] is not a number), or objects the kernel reads from argv.
#define MAX_HEAP_ARGS 16
typedef struct {
  napi_value argv[MAX_HEAP_ARGS];
  double x[MAX_HEAP_ARGS];
  uint8_t* heap;
  size_t length;
} heap_args;

// Reads `want` arguments into *a; returns 0 with a JS exception pending when they are not there or argv[0] is no heap.
static int heap_args_of(napi_env env, napi_callback_info info, size_t want, heap_args* a) {
  if (want > MAX_HEAP_ARGS) {
    napi_throw_error(env, NULL, "llm-course native: a kernel takes at most 16 arguments");
    return 0;
  }
  if (!get_args(env, info, want, a->argv)) return 0;
  a->heap = heap_of(env, a->argv[0], &a->length);
  if (a->heap == NULL) return 0;
  for (size_t i = 1; i < want; i++) a->x[i] = number_of(env, a->argv[i]);
  return 1;
}

static void activate(float* c, int64_t count, int activation, float alpha, const float* prelu, int64_t m, int64_t n, int64_t rows, int64_t cols) {
  switch (activation) {
    case 1: for (int64_t i = 0; i < count; i++) c[i] = c[i] > 0 ? c[i] : 0; break;
    case 2: for (int64_t i = 0; i < count; i++) c[i] = c[i] < 0 ? 0 : (c[i] > 6 ? 6 : c[i]); break;
    case 3: for (int64_t i = 0; i < count; i++) c[i] = 1.0f / (1.0f + expf(-c[i])); break;
    case 4: for (int64_t i = 0; i < count; i++) c[i] = c[i] < 0 ? alpha * c[i] : c[i]; break;
    case 5: for (int64_t i = 0; i < count; i++) c[i] = c[i] < 0 ? expm1f(c[i]) : c[i]; break;
    case 6:
      for (int64_t i = 0; i < m; i++)
        for (int64_t j = 0; j < n; j++) {
          float x = c[i * n + j];
          float w = prelu[(rows == 1 ? 0 : i) * cols + (cols == 1 ? 0 : j)];
          c[i * n + j] = x < 0 ? w * x : x;
        }
      break;
    default: break;
  }
}

// Multiply-adds below which a product in a batch runs on one BLAS thread (128·128·128: attention's shapes).
#define SMALL_PRODUCT (128.0 * 128.0 * 128.0)

// One batch_mat_mul call: the operands' heap offsets and shapes; `product` computes output matrix o.
typedef struct {
  uint8_t* heap;
  const double *a_offsets, *b_offsets, *bias_offsets, *prelu_offsets;
  double out_offset;
  int64_t m, n, k, bias_rows, bias_cols, prelu_rows, prelu_cols;
  bool transpose_a, transpose_b;
  int activation;
  float alpha;
} products_t;

static void product(const products_t* p, size_t o) {
  const int64_t m = p->m, n = p->n, k = p->k;
  const float* a = (const float*)(p->heap + (uint64_t)p->a_offsets[o]);
  const float* b = (const float*)(p->heap + (uint64_t)p->b_offsets[o]);
  float* c = (float*)(p->heap + (uint64_t)p->out_offset) + (int64_t)o * m * n;
  float beta = 0.0f;
  if (p->bias_offsets) {
    const float* bias = (const float*)(p->heap + (uint64_t)p->bias_offsets[o]);
    for (int64_t i = 0; i < m; i++)
      for (int64_t j = 0; j < n; j++) c[i * n + j] = bias[(p->bias_rows == 1 ? 0 : i) * p->bias_cols + (p->bias_cols == 1 ? 0 : j)];
    beta = 1.0f;
  } else if (k == 0) {
    memset(c, 0, (size_t)(4 * m * n));
  }
  if (k > 0 && m > 0 && n > 0) {
    cblas_sgemm(CblasRowMajor, p->transpose_a ? CblasTrans : CblasNoTrans, p->transpose_b ? CblasTrans : CblasNoTrans, (int)m, (int)n, (int)k,
                1.0f, a, (int)(p->transpose_a ? m : k), b, (int)(p->transpose_b ? k : n), beta, c, (int)n);
  }
  if (p->activation != 0) {
    const float* prelu = p->prelu_offsets ? (const float*)(p->heap + (uint64_t)p->prelu_offsets[o]) : NULL;
    activate(c, m * n, p->activation, p->alpha, prelu, m, n, p->prelu_rows, p->prelu_cols);
  }
}

// Output matrices [begin, end) of one call, for one thread.
typedef struct {
  const products_t* products;
  size_t begin, end;
} products_range_t;

static void* products_in_range(void* arg) {
  const products_range_t* r = (const products_range_t*)arg;
  for (size_t o = r->begin; o < r->end; o++) product(r->products, o);
  return NULL;
}

static napi_value batch_mat_mul(napi_env env, napi_callback_info info) {
  napi_value argv[17];
  if (!get_args(env, info, 17, argv)) return NULL;
  size_t heap_length = 0;
  uint8_t* heap = heap_of(env, argv[0], &heap_length);
  if (heap == NULL) return NULL;
  size_t batch = 0, batch_b = 0, batch_bias = 0, batch_prelu = 0;
  int ok = 1;
  const double* a_offsets = offsets_of(env, argv[1], &batch, &ok);
  if (!ok) return NULL;
  const double* b_offsets = offsets_of(env, argv[2], &batch_b, &ok);
  if (!ok) return NULL;
  double out_offset = number_of(env, argv[3]);
  int64_t m = (int64_t)number_of(env, argv[4]), n = (int64_t)number_of(env, argv[5]), k = (int64_t)number_of(env, argv[6]);
  bool transpose_a = false, transpose_b = false;
  napi_get_value_bool(env, argv[7], &transpose_a);
  napi_get_value_bool(env, argv[8], &transpose_b);
  const double* bias_offsets = offsets_of(env, argv[9], &batch_bias, &ok);
  if (!ok) return NULL;
  int64_t bias_rows = (int64_t)number_of(env, argv[10]), bias_cols = (int64_t)number_of(env, argv[11]);
  int activation = (int)number_of(env, argv[12]);
  float alpha = (float)number_of(env, argv[13]);
  const double* prelu_offsets = offsets_of(env, argv[14], &batch_prelu, &ok);
  if (!ok) return NULL;
  int64_t prelu_rows = (int64_t)number_of(env, argv[15]), prelu_cols = (int64_t)number_of(env, argv[16]);

  // Everything is checked before anything is written: a bad offset must be an error, never a corrupted heap.
  if (a_offsets == NULL || b_offsets == NULL || batch_b != batch || (bias_offsets && batch_bias != batch) ||
      (prelu_offsets && batch_prelu != batch) || (activation == 6 && prelu_offsets == NULL) || m < 0 || n < 0 || k < 0 ||
      activation < 0 || activation > 6) {
    napi_throw_range_error(env, NULL, "llm-course native batchMatMul: inconsistent arguments");
    return NULL;
  }
  const double a_bytes = 4.0 * m * k, b_bytes = 4.0 * k * n, c_bytes = 4.0 * m * n;
  int bad = !in_heap(out_offset, c_bytes * batch, heap_length) || ((uint64_t)out_offset & 3);
  if (bias_offsets && !((bias_rows == 1 || bias_rows == m) && (bias_cols == 1 || bias_cols == n))) bad = 1;
  if (prelu_offsets && !((prelu_rows == 1 || prelu_rows == m) && (prelu_cols == 1 || prelu_cols == n))) bad = 1;
  for (size_t o = 0; o < batch && !bad; o++) {
    bad |= !in_heap(a_offsets[o], a_bytes, heap_length) || !in_heap(b_offsets[o], b_bytes, heap_length);
    bad |= ((uint64_t)a_offsets[o] & 3) || ((uint64_t)b_offsets[o] & 3);
    if (bias_offsets) bad |= !in_heap(bias_offsets[o], 4.0 * bias_rows * bias_cols, heap_length) || ((uint64_t)bias_offsets[o] & 3);
    if (prelu_offsets) bad |= !in_heap(prelu_offsets[o], 4.0 * prelu_rows * prelu_cols, heap_length) || ((uint64_t)prelu_offsets[o] & 3);
  }
  if (bad) {
    napi_throw_range_error(env, NULL, "llm-course native batchMatMul: an operand lies outside the wasm heap or is misaligned");
    return NULL;
  }

  const products_t products = {heap, a_offsets, b_offsets, bias_offsets, prelu_offsets, out_offset, m, n, k, bias_rows, bias_cols,
                               prelu_rows, prelu_cols, transpose_a, transpose_b, activation, alpha};
  // A batch of small products (attention: 64 of 128×128×64) is split over the threads by output matrix, each
  // product on one BLAS thread: handing every small product to a second BLAS thread and back costs more than it
  // saves, and on a loaded machine each hand-off can wait a scheduler tick (measured: 1.7 ms per 128×64×128
  // product on 2 BLAS threads at load 12, ≈0.1 ms on one); here a call hands off once.
  int restore_threads = 0;
#ifndef USE_ACCELERATE
  if (batch > 1 && (double)m * n * k <= SMALL_PRODUCT && openblas_get_num_threads() > 1) {
    restore_threads = openblas_get_num_threads();
    openblas_set_num_threads(1);
  }
#endif
  size_t threads = restore_threads > 1 ? (size_t)restore_threads : 1;
  if (threads > batch) threads = batch;
  products_range_t ranges[64];
  pthread_t workers[64];
  if (threads > 64) threads = 64;
  size_t started = 0;
  for (size_t t = 1; t < threads; t++) { // threads 1…T−1 take the later ranges; this thread takes the first
    ranges[t] = (products_range_t){&products, batch * t / threads, batch * (t + 1) / threads};
    if (pthread_create(&workers[t], NULL, products_in_range, &ranges[t]) != 0) break;
    started = t;
  }
  ranges[0] = (products_range_t){&products, 0, batch * 1 / threads};
  products_in_range(&ranges[0]);
  for (size_t t = started + 1; t < threads; t++) { // a range no thread took (pthread_create failed): run it here
    ranges[t] = (products_range_t){&products, batch * t / threads, batch * (t + 1) / threads};
    products_in_range(&ranges[t]);
  }
  for (size_t t = 1; t <= started; t++) pthread_join(workers[t], NULL);
#ifndef USE_ACCELERATE
  if (restore_threads > 0) openblas_set_num_threads(restore_threads);
#endif
  (void)restore_threads;
  return NULL;
}

static napi_value set_threads(napi_env env, napi_callback_info info) {
  napi_value argv[1];
  if (!get_args(env, info, 1, argv)) return NULL;
  int threads = (int)number_of(env, argv[0]);
#ifndef USE_ACCELERATE
  if (threads >= 1) openblas_set_num_threads(threads);
#endif
  (void)threads;
  return NULL;
}

static napi_value get_threads(napi_env env, napi_callback_info info) {
  (void)info;
  napi_value result;
#ifdef USE_ACCELERATE
  CHECK(napi_create_int32(env, 0, &result)); // Accelerate chooses its own threads
#else
  CHECK(napi_create_int32(env, openblas_get_num_threads(), &result));
#endif
  return result;
}

static napi_value config(napi_env env, napi_callback_info info) {
  (void)info;
  napi_value result;
#ifdef USE_ACCELERATE
  CHECK(napi_create_string_utf8(env, "Accelerate", NAPI_AUTO_LENGTH, &result));
#else
  // The build string names the DYNAMIC_ARCH build's baseline; the core it dispatches to is the one that runs.
  char text[512];
  snprintf(text, sizeof text, "%s (running core: %s)", openblas_get_config(), openblas_get_corename());
  CHECK(napi_create_string_utf8(env, text, NAPI_AUTO_LENGTH, &result));
#endif
  return result;
}

#include "elementwise.h"
#include "fused.h"
#include "movement.h"

static napi_value init(napi_env env, napi_value exports) {
  napi_property_descriptor properties[] = {
      {"batchMatMul", NULL, batch_mat_mul, NULL, NULL, NULL, napi_enumerable, NULL},
      {"setThreads", NULL, set_threads, NULL, NULL, NULL, napi_enumerable, NULL},
      {"getThreads", NULL, get_threads, NULL, NULL, NULL, napi_enumerable, NULL},
      {"config", NULL, config, NULL, NULL, NULL, napi_enumerable, NULL},
      ELEMENTWISE_EXPORTS
      FUSED_EXPORTS
      MOVEMENT_EXPORTS
  };
  CHECK(napi_define_properties(env, exports, sizeof properties / sizeof properties[0], properties));
  return exports;
}

NAPI_MODULE(NODE_GYP_MODULE_NAME, init)
