// Data-movement kernels over the wasm heap: the embedding lookups and the MLM's gathered positions (`GatherV2`),
// their gradient (`UnsortedSegmentSum`), and the attention heads' split and merge (`Transpose`). tfjs's wasm
// `GatherV2` computes every output element's source index with divisions (11–23 ms for a [16, 128] lookup in a
// [10000, 128] table on the shared build machine); here each gathered slice is one memcpy (0.1 ms).
//
// Exports (offsets are byte offsets into the heap; `bytes` is the element size: 4 for float32 and int32, 1 for bool):
//   gather(heap, x, indices, out, batch, outer, dimSize, slice, count, bytes) → −1, or the position of the first
//       index outside [0, dimSize) (then nothing is written). x is [batch, outer, dimSize, slice], indices int32
//       [batch, count], out [batch, outer, count, slice]: out[b, o, i, :] = x[b, o, indices[b, i], :].
//   transpose(heap, x, out, dims, bytes)
//       out (contiguous) = x read with `dims`, a Float64Array [size, stride] per output dimension, outermost first,
//       stride in elements of x. JS drops size-1 dimensions and merges neighbours first.
//   segmentSum(heap, x, ids, out, rows, inner, segments)
//       float32 out [segments, inner] = 0, then out[ids[r], :] += x[r, :] for every row r of x [rows, inner] whose
//       int32 id lies in [0, segments) (TF's UnsortedSegmentSum drops the others).

// `bytes` at `offset` inside the heap and aligned to `align`; else throws a RangeError and returns 0.
static int checked_bytes(napi_env env, const heap_args* a, double offset, double bytes, uint64_t align) {
  if (!in_heap(offset, bytes, a->length) || ((uint64_t)offset & (align - 1))) {
    napi_throw_range_error(env, NULL, "llm-course native: a tensor lies outside the wasm heap or is misaligned");
    return 0;
  }
  return 1;
}

static int element_bytes(napi_env env, double bytes) {
  if (bytes != 1 && bytes != 4) {
    napi_throw_range_error(env, NULL, "llm-course native: element size must be 1 or 4 bytes");
    return 0;
  }
  return (int)bytes;
}

static napi_value gather(napi_env env, napi_callback_info info) {
  heap_args args;
  if (!heap_args_of(env, info, 10, &args)) return NULL;
  double xo = args.x[1], io = args.x[2], oo = args.x[3];
  int64_t batch = (int64_t)args.x[4], outer = (int64_t)args.x[5], dim = (int64_t)args.x[6];
  int64_t slice = (int64_t)args.x[7], count = (int64_t)args.x[8];
  int bytes = element_bytes(env, args.x[9]);
  if (bytes == 0) return NULL;
  if (batch < 0 || outer < 0 || dim < 0 || slice < 0 || count < 0) return (napi_throw_range_error(env, NULL, "llm-course native gather: negative size"), NULL);
  const double row = (double)slice * bytes;
  if (!checked_bytes(env, &args, xo, (double)batch * outer * dim * row, bytes) || !checked_bytes(env, &args, io, 4.0 * batch * count, 4) ||
      !checked_bytes(env, &args, oo, (double)batch * outer * count * row, bytes)) return NULL;
  const int32_t* indices = (const int32_t*)(args.heap + (uint64_t)io);
  // Every index is checked before anything is written: a bad one is an error, never a read outside x.
  int64_t bad = -1;
  for (int64_t i = 0; i < batch * count; i++) {
    if (indices[i] < 0 || indices[i] >= dim) {
      bad = i;
      break;
    }
  }
  napi_value result;
  CHECK(napi_create_double(env, (double)bad, &result));
  if (bad >= 0) return result;
  const size_t row_bytes = (size_t)row;
  const uint8_t* x = args.heap + (uint64_t)xo;
  uint8_t* out = args.heap + (uint64_t)oo;
  for (int64_t b = 0; b < batch; b++) {
    const int32_t* idx = indices + b * count;
    for (int64_t o = 0; o < outer; o++) {
      const uint8_t* from = x + (size_t)((b * outer + o) * dim) * row_bytes;
      uint8_t* to = out + (size_t)((b * outer + o) * count) * row_bytes;
      for (int64_t i = 0; i < count; i++) memcpy(to + (size_t)i * row_bytes, from + (size_t)idx[i] * row_bytes, row_bytes);
    }
  }
  return result;
}

// Copies `n` elements of `bytes` each from x (every `stride` elements) to contiguous out.
static inline void strided_copy(uint8_t* out, const uint8_t* x, int64_t n, int64_t stride, int bytes) {
  if (stride == 1) {
    memcpy(out, x, (size_t)(n * bytes));
  } else if (bytes == 4) {
    uint32_t* o = (uint32_t*)out;
    const uint32_t* s = (const uint32_t*)x;
    for (int64_t i = 0; i < n; i++) o[i] = s[i * stride];
  } else {
    for (int64_t i = 0; i < n; i++) out[i] = x[i * stride];
  }
}

// The side of the tiles a transpose with a strided innermost axis copies in.
#define TILE 16

static napi_value transpose(napi_env env, napi_callback_info info) {
  heap_args args;
  if (!heap_args_of(env, info, 5, &args)) return NULL;
  double xo = args.x[1], oo = args.x[2];
  size_t count = 0;
  int ok = 1;
  const double* dims = offsets_of(env, args.argv[3], &count, &ok);
  if (!ok) return NULL;
  int bytes = element_bytes(env, args.x[4]);
  if (bytes == 0) return NULL;
  int64_t rank = (int64_t)(count / 2);
  if (dims == NULL || count % 2 != 0 || rank < 1 || rank > 8) return (napi_throw_range_error(env, NULL, "llm-course native transpose: bad dims"), NULL);
  double total = 1, last = 0;
  for (int64_t d = 0; d < rank; d++) {
    if (dims[2 * d] < 1 || dims[2 * d + 1] < 0) return (napi_throw_range_error(env, NULL, "llm-course native transpose: bad dims"), NULL);
    total *= dims[2 * d];
    last += (dims[2 * d] - 1) * dims[2 * d + 1];
  }
  if (!checked_bytes(env, &args, xo, (last + 1) * bytes, bytes) || !checked_bytes(env, &args, oo, total * bytes, bytes)) return NULL;
  const uint8_t* x = args.heap + (uint64_t)xo;
  uint8_t* out = args.heap + (uint64_t)oo;
  int64_t size[8], stride[8];
  for (int64_t d = 0; d < rank; d++) size[d] = (int64_t)dims[2 * d], stride[d] = (int64_t)dims[2 * d + 1];
  const int64_t n = size[rank - 1], sn = stride[rank - 1];
  // A strided innermost axis (a true transpose of the last two axes): 16×16 tiles, so that both the reads and
  // the writes stay in a few cache lines. Otherwise rows of n elements, each a memcpy when contiguous.
  const int tiled = rank >= 2 && sn != 1 && n >= TILE && size[rank - 2] >= TILE;
  const int64_t inner_rank = tiled ? rank - 2 : rank - 1;
  const int64_t m = tiled ? size[rank - 2] : 1, sm = tiled ? stride[rank - 2] : 0;
  const int64_t block = m * n; // output elements per step of the outer loop
  int64_t index[8] = {0};
  for (int64_t at = 0; at < (int64_t)total; at += block) {
    int64_t from = 0;
    for (int64_t d = 0; d < inner_rank; d++) from += index[d] * stride[d];
    if (!tiled) {
      strided_copy(out + at * bytes, x + from * bytes, n, sn, bytes);
    } else {
      for (int64_t i0 = 0; i0 < m; i0 += TILE)
        for (int64_t j0 = 0; j0 < n; j0 += TILE)
          for (int64_t i = i0; i < i0 + TILE && i < m; i++) {
            int64_t j1 = j0 + TILE < n ? j0 + TILE : n;
            strided_copy(out + (at + i * n + j0) * bytes, x + (from + i * sm + j0 * sn) * bytes, j1 - j0, sn, bytes);
          }
    }
    for (int64_t d = inner_rank - 1; d >= 0; d--) { // next block, odometer-style
      if (++index[d] < size[d]) break;
      index[d] = 0;
    }
  }
  return NULL;
}

static napi_value segment_sum(napi_env env, napi_callback_info info) {
  heap_args args;
  if (!heap_args_of(env, info, 7, &args)) return NULL;
  double xo = args.x[1], io = args.x[2], oo = args.x[3];
  int64_t rows = (int64_t)args.x[4], inner = (int64_t)args.x[5], segments = (int64_t)args.x[6];
  if (rows < 0 || inner < 0 || segments < 0) return (napi_throw_range_error(env, NULL, "llm-course native segmentSum: negative size"), NULL);
  if (!checked_bytes(env, &args, xo, 4.0 * rows * inner, 4) || !checked_bytes(env, &args, io, 4.0 * rows, 4) ||
      !checked_bytes(env, &args, oo, 4.0 * segments * inner, 4)) return NULL;
  const float* x = (const float*)(args.heap + (uint64_t)xo);
  const int32_t* ids = (const int32_t*)(args.heap + (uint64_t)io);
  float* out = (float*)(args.heap + (uint64_t)oo);
  memset(out, 0, sizeof(float) * (size_t)(segments * inner)); // the wasm heap is not zeroed
  for (int64_t r = 0; r < rows; r++) {
    int32_t s = ids[r];
    if (s < 0 || s >= segments) continue;
    float* to = out + s * inner;
    const float* from = x + r * inner;
    for (int64_t j = 0; j < inner; j++) to[j] += from[j];
  }
  return NULL;
}

#undef TILE

#define MOVEMENT_EXPORTS                                                      \
  {"gather", NULL, gather, NULL, NULL, NULL, napi_enumerable, NULL},          \
  {"transpose", NULL, transpose, NULL, NULL, NULL, napi_enumerable, NULL},    \
  {"segmentSum", NULL, segment_sum, NULL, NULL, NULL, napi_enumerable, NULL},
