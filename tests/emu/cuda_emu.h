/* cuda_emu.h — enough of CUDA to run fix's kernels (src/engine/cuda/) on the CPU, for tests on
 * machines without a GPU. Compiled as C++ with tests/emu/include first on the include path (its
 * cuda_runtime.h and mma.h come here) and the toolkit's own cuda_fp16.h (host-capable) and
 * cuda_runtime_api.h (declarations only: cuda_emu.cpp defines what the backend calls).
 *
 * Semantics kept: a grid of blocks run one after another; a block's threads are fibers on one OS
 * thread, switched at __syncthreads() and at warp shuffles, so every thread of a block really runs
 * its own code with its own registers, shared memory is one per block, and a barrier waits for all
 * live threads (a shuffle for the whole warp: one with an exited lane is reported as the bug it is).
 * Device memory is host memory poisoned with 0xff bytes (NaN for f32 and f16), so reading what was
 * never written shows, each allocation between inaccessible pages, so reading or writing past its
 * ends faults. Streams run work at once; a stream being captured records it into a graph,
 * replayed by cudaGraphLaunch (so inputs are read at replay time, as on a GPU). wmma fragments hold
 * the whole 16x16 tile and lane 0 of the warp does a collective operation's work for the warp (its
 * layout in registers is the hardware's secret; only what reaches memory matters). Not kept:
 * concurrency between blocks (a race between blocks cannot show), timing, the hardware's
 * alignment faults, the tensor cores' accumulation order. */
#ifndef FIX_CUDA_EMU_H
#define FIX_CUDA_EMU_H

#include <cuda_fp16.h>
#include <cuda_runtime_api.h>
#include <vector_types.h>

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <functional>
#include <tuple>
#include <type_traits>

#define FIX_CUDA_EMU 1

#undef __global__
#undef __device__
#undef __host__
#undef __shared__
#undef __forceinline__
#undef __launch_bounds__
#define __global__
#define __device__
#define __host__
#define __shared__ static
#define __forceinline__ inline __attribute__((always_inline))
#define __launch_bounds__(...)

/* ---- the thread a fiber is ---- */

struct emu_dim3 {
  unsigned x, y, z;
};
struct emu_thread {
  emu_dim3 tid, bid;
};
extern emu_thread *emu_current;
extern emu_dim3 emu_block_dim, emu_grid_dim;
#define threadIdx (emu_current->tid)
#define blockIdx (emu_current->bid)
#define blockDim (emu_block_dim)
#define gridDim (emu_grid_dim)

void emu_syncthreads();
uint64_t emu_shfl_xor(uint64_t v, int lane_mask);
void *emu_dyn_smem();
/* A barrier is also a compiler barrier: other threads' writes to shared memory (static arrays here,
 * whose address no called function could know) must be loaded afresh after it, and this thread's
 * stores done before it. */
#define EMU_FENCE() asm volatile("" ::: "memory")
inline void __syncthreads() {
  EMU_FENCE();
  emu_syncthreads();
  EMU_FENCE();
}
template <class T>
inline T __shfl_xor_sync(unsigned, T v, int o) {
  static_assert(sizeof(T) <= 8, "shuffle of a wide type");
  uint64_t u = 0;
  memcpy(&u, &v, sizeof v);
  EMU_FENCE();
  u = emu_shfl_xor(u, o);
  EMU_FENCE();
  T r;
  memcpy(&r, &u, sizeof r);
  return r;
}
inline int __float2int_rn(float f) { return (int)std::nearbyint(f); }
inline int min(int a, int b) { return a < b ? a : b; }
inline int max(int a, int b) { return a > b ? a : b; }

/* ---- the runtime API: the toolkit's declarations (cuda_fp16.h brings them), cuda_emu.cpp's
 * definitions, as far as the backend uses it ---- */

template <class F>
cudaError_t cudaFuncSetAttribute(F, cudaFuncAttribute, int) {
  return cudaSuccess;
}

/* ---- launches: LAUNCH(kernel, grid, block, shared bytes, stream)(arguments...) ---- */

/* runs body for every thread of every block (or records it, when the stream is being captured) */
void emu_launch(emu_dim3 grid, emu_dim3 block, size_t smem, cudaStream_t s, std::function<void()> body);

inline emu_dim3 emu_dim(unsigned x) { return {x, 1, 1}; }
inline emu_dim3 emu_dim(dim3 d) { return {d.x, d.y, d.z}; }
inline emu_dim3 emu_dim(int x) { return {(unsigned)x, 1, 1}; }
inline emu_dim3 emu_dim(long x) { return {(unsigned)x, 1, 1}; }

template <class... P>
struct emu_launcher {
  void (*k)(P...);
  emu_dim3 g, b;
  size_t smem;
  cudaStream_t s;
  template <class... A>
  void operator()(A &&...a) const {
    std::function<void()> body = [k = k, args = std::make_tuple(P(a)...)]() { std::apply(k, args); };
    emu_launch(g, b, smem, s, std::move(body));
  }
};
template <class... P, class G, class B>
emu_launcher<P...> emu_make_launcher(void (*k)(P...), G g, B b, size_t smem, cudaStream_t s) {
  return {k, emu_dim(g), emu_dim(b), smem, s};
}
#define LAUNCH(k, g, b, m, s) emu_make_launcher(k, g, b, m, s)
#define DYN_SMEM(type, name) type *name = (type *)emu_dyn_smem()

/* ---- wmma: whole tiles, lane 0 working for the warp ---- */

namespace nvcuda {
namespace wmma {
struct matrix_a {};
struct matrix_b {};
struct accumulator {};
struct row_major {};
struct col_major {};
enum layout_t { mem_row_major, mem_col_major };
template <class Use, int M, int N, int K, class T, class Layout = void>
struct fragment {
  float x[16 * 16]; /* element (r, c) at x[16 r + c]; halves kept as the floats they are exactly */
};
inline bool emu_lane0() { return (threadIdx.x & 31) == 0; }
template <class Use, class T, class L>
inline void fill_fragment(fragment<Use, 16, 16, 16, T, L> &f, float v) {
  for (int i = 0; i < 256; i++)
    f.x[i] = v;
}
/* matrix_a: (m, k); matrix_b: (k, n); row_major: (r, c) at p[r * ld + c], col_major: p[c * ld + r] */
template <class Use, class L>
inline void load_matrix_sync(fragment<Use, 16, 16, 16, half, L> &f, const half *p, unsigned ld) {
  if (!emu_lane0())
    return;
  constexpr bool row = std::is_same<L, row_major>::value;
  for (int r = 0; r < 16; r++)
    for (int c = 0; c < 16; c++)
      f.x[16 * r + c] = __half2float(row ? p[r * ld + c] : p[c * ld + r]);
}
template <class Ta, class La, class Tb, class Lb>
inline void mma_sync(fragment<accumulator, 16, 16, 16, float> &d, const fragment<matrix_a, 16, 16, 16, Ta, La> &a,
                     const fragment<matrix_b, 16, 16, 16, Tb, Lb> &b, const fragment<accumulator, 16, 16, 16, float> &c) {
  if (!emu_lane0())
    return;
  float out[256];
  for (int m = 0; m < 16; m++)
    for (int n = 0; n < 16; n++) {
      float s = c.x[16 * m + n];
      for (int k = 0; k < 16; k++)
        s += a.x[16 * m + k] * b.x[16 * k + n];
      out[16 * m + n] = s;
    }
  memcpy(d.x, out, sizeof out);
}
inline void store_matrix_sync(float *p, const fragment<accumulator, 16, 16, 16, float> &f, unsigned ld, layout_t l) {
  if (!emu_lane0())
    return;
  for (int r = 0; r < 16; r++)
    for (int c = 0; c < 16; c++)
      (l == mem_row_major ? p[r * ld + c] : p[c * ld + r]) = f.x[16 * r + c];
}
} // namespace wmma
} // namespace nvcuda

/* the emulated device: how many the tests say there are (FIX_CUDA_EMU_DEVICES, default 1) */
size_t emu_device_bytes_live();

#endif
