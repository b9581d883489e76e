/* cuda_emu.cpp — the CPU emulation of CUDA that cuda_emu.h describes: fibers for a block's threads
 * (a small x86-64 context switch: callee-saved registers and the stack pointer), barriers, warp
 * shuffles, poisoned device memory, streams that run at once, graphs that record and replay. */
#include "cuda_emu.h"

#include <cstdio>
#include <sys/mman.h>
#include <tuple>
#include <type_traits>
#include <cstdlib>
#include <memory>
#include <unordered_map>
#include <vector>

/* ---- fibers ---- */

extern "C" void emu_switch(void **save_sp, void *new_sp);
asm(".text\n.globl emu_switch\n.type emu_switch,@function\nemu_switch:\n"
    "  pushq %rbp\n  pushq %rbx\n  pushq %r12\n  pushq %r13\n  pushq %r14\n  pushq %r15\n"
    "  movq %rsp, (%rdi)\n  movq %rsi, %rsp\n"
    "  popq %r15\n  popq %r14\n  popq %r13\n  popq %r12\n  popq %rbx\n  popq %rbp\n  ret\n"
    ".size emu_switch,.-emu_switch\n");

namespace {

const size_t STACK = 256 << 10;

struct fiber {
  emu_thread t;
  void *sp = nullptr;
  char *stack = nullptr;
  bool done = false;
  unsigned barrier_gen = 0; /* the block barrier generation it waits on */
};

struct block_run {
  std::vector<fiber> f;
  int n = 0, cur = 0, live = 0;
  void *main_sp = nullptr;
  const std::function<void()> *body = nullptr;
  /* __syncthreads */
  unsigned gen = 0;
  int arrived = 0;
  /* warp shuffles: per warp, the values and a barrier */
  std::vector<uint64_t> slot;
  std::vector<int> warp_arrived;
  std::vector<unsigned> warp_gen;
  std::vector<char> smem;
};

block_run B;

[[noreturn]] void die(const char *what) {
  fprintf(stderr, "cuda emulation: %s (block %u,%u,%u thread %u)\n", what, emu_current ? emu_current->bid.x : 0,
          emu_current ? emu_current->bid.y : 0, emu_current ? emu_current->bid.z : 0, emu_current ? emu_current->tid.x : 0);
  abort();
}

/* the next fiber that has not finished, after cur (the main context when none is left) */
void yield_next() {
  int from = B.cur;
  for (int k = 1; k <= B.n; k++) {
    int i = (from + k) % B.n;
    if (i == from)
      die("a barrier no other thread can reach (every other thread has exited)");
    if (!B.f[i].done) {
      B.cur = i;
      emu_current = &B.f[i].t;
      emu_switch(&B.f[from].sp, B.f[i].sp);
      return;
    }
  }
  die("no runnable thread");
}

void trampoline() {
  (*B.body)();
  fiber &me = B.f[B.cur];
  me.done = true;
  B.live--;
  /* a barrier waiting for this thread no longer does */
  if (B.arrived && B.arrived == B.live) {
    B.arrived = 0;
    B.gen++;
  }
  int from = B.cur;
  for (int k = 1; k <= B.n; k++) {
    int i = (from + k) % B.n;
    if (!B.f[i].done) {
      B.cur = i;
      emu_current = &B.f[i].t;
      emu_switch(&me.sp, B.f[i].sp);
    }
  }
  emu_switch(&me.sp, B.main_sp); /* the last one: back to the launch */
  die("a finished thread resumed");
}

extern "C" void emu_trampoline_entry() { trampoline(); }

void fiber_start(fiber &f) {
  if (!f.stack)
    f.stack = (char *)aligned_alloc(64, STACK);
  uintptr_t top = ((uintptr_t)f.stack + STACK) & ~(uintptr_t)15;
  void **sp = (void **)top;
  *--sp = nullptr;                           /* fake return address of the entry (alignment: rsp = 8 mod 16) */
  *--sp = (void *)&emu_trampoline_entry;     /* emu_switch's ret */
  for (int i = 0; i < 6; i++)
    *--sp = nullptr;                         /* rbp rbx r12 r13 r14 r15 */
  f.sp = sp;
  f.done = false;
}

} // namespace

emu_thread *emu_current;
emu_dim3 emu_block_dim, emu_grid_dim;

void emu_syncthreads() {
  unsigned g = B.gen;
  if (++B.arrived == B.live) {
    B.arrived = 0;
    B.gen++;
    return;
  }
  while (B.gen == g)
    yield_next();
}

uint64_t emu_shfl_xor(uint64_t v, int lane_mask) {
  int tid = (int)emu_current->tid.x, w = tid / 32, lane = tid % 32;
  int base = w * 32, width = B.n - base < 32 ? B.n - base : 32;
  for (int i = 0; i < width; i++)
    if (B.f[base + i].done)
      die("a warp shuffle with an exited lane");
  auto barrier = [&]() {
    unsigned g = B.warp_gen[w];
    if (++B.warp_arrived[w] == width) {
      B.warp_arrived[w] = 0;
      B.warp_gen[w]++;
      return;
    }
    while (B.warp_gen[w] == g)
      yield_next();
  };
  B.slot[tid] = v;
  barrier();
  int src = lane ^ lane_mask;
  uint64_t r = src < width ? B.slot[base + src] : v;
  barrier();
  return r;
}

void *emu_dyn_smem() { return B.smem.data(); }

/* blocks.h's word loads on the emulation check the alignment the GPU needs */
void emu_misaligned(const void *p, int n) {
  char what[96];
  snprintf(what, sizeof what, "a %d-byte load from %p, which is not %d-byte aligned", n, p, n);
  die(what);
}

/* ---- launches and streams ---- */

struct CUgraph_st {
  std::vector<std::function<void()>> ops;
};
struct CUgraphExec_st {
  std::vector<std::function<void()>> ops;
};
struct CUstream_st {
  CUgraph_st *capture = nullptr;
};
struct CUevent_st {
  int dummy;
};

static cudaError_t last_error;

static void run_grid(emu_dim3 grid, emu_dim3 block, size_t smem, const std::function<void()> &body) {
  int nthreads = (int)(block.x * block.y * block.z);
  if (block.y != 1 || block.z != 1 || nthreads <= 0 || nthreads > 1024) {
    last_error = cudaErrorInvalidValue;
    return;
  }
  if ((int)B.f.size() < nthreads)
    B.f.resize(nthreads);
  B.n = nthreads;
  B.body = &body;
  B.slot.assign(nthreads, 0);
  int nw = (nthreads + 31) / 32;
  B.warp_arrived.assign(nw, 0);
  B.warp_gen.assign(nw, 0);
  B.smem.assign(smem + 16, (char)0xff);
  emu_block_dim = block;
  emu_grid_dim = grid;
  for (unsigned z = 0; z < grid.z; z++)
    for (unsigned y = 0; y < grid.y; y++)
      for (unsigned x = 0; x < grid.x; x++) {
        for (int i = 0; i < nthreads; i++) {
          fiber_start(B.f[i]);
          B.f[i].t.tid = {(unsigned)i, 0, 0};
          B.f[i].t.bid = {x, y, z};
        }
        B.live = nthreads;
        B.arrived = 0;
        B.cur = 0;
        emu_current = &B.f[0].t;
        emu_switch(&B.main_sp, B.f[0].sp);
        emu_current = nullptr;
      }
}

void emu_launch(emu_dim3 grid, emu_dim3 block, size_t smem, cudaStream_t s, std::function<void()> body) {
  if (grid.x == 0 || grid.y == 0 || grid.z == 0) {
    last_error = cudaErrorInvalidValue;
    return;
  }
  auto op = [grid, block, smem, body]() { run_grid(grid, block, smem, body); };
  if (s && s->capture)
    s->capture->ops.push_back(op);
  else
    op();
}

/* ---- memory ---- */

static size_t live_bytes;

size_t emu_device_bytes_live() { return live_bytes; }

static size_t emu_total() {
  const char *e = getenv("FIX_CUDA_EMU_MIB");
  return (e ? strtoull(e, nullptr, 10) : 4096) << 20;
}

extern "C" {

cudaError_t cudaGetDeviceCount(int *n) {
  const char *e = getenv("FIX_CUDA_EMU_DEVICES");
  *n = e ? atoi(e) : 1;
  return *n ? cudaSuccess : cudaErrorNoDevice;
}
cudaError_t cudaGetDeviceProperties(cudaDeviceProp *p, int dev) {
  int n;
  cudaGetDeviceCount(&n);
  if (dev < 0 || dev >= n)
    return cudaErrorInvalidValue;
  memset(p, 0, sizeof *p);
  snprintf(p->name, sizeof p->name, "CUDA emulated on the CPU");
  p->major = 9, p->minor = 0, p->multiProcessorCount = 1;
  p->totalGlobalMem = emu_total();
  return cudaSuccess;
}
static thread_local int current_device;
cudaError_t cudaSetDevice(int dev) {
  int n;
  cudaGetDeviceCount(&n);
  if (dev < 0 || dev >= n)
    return cudaErrorInvalidDevice;
  current_device = dev;
  return cudaSuccess;
}
cudaError_t cudaGetDevice(int *dev) {
  *dev = current_device;
  return cudaSuccess;
}
cudaError_t cudaMemGetInfo(size_t *free_b, size_t *total_b) {
  *total_b = emu_total();
  *free_b = live_bytes < *total_b ? *total_b - live_bytes : 0;
  return cudaSuccess;
}
/* Device memory: its own mapping between two inaccessible pages, ending (to 256 bytes) at the upper
 * one, so a kernel that reads or writes past either end of an allocation faults at once. */
struct dev_alloc {
  size_t n;
  void *map;
  size_t map_len;
};
static std::unordered_map<void *, dev_alloc> dev_allocs;

cudaError_t cudaMalloc(void **p, size_t n) {
  if (live_bytes + n > emu_total())
    return last_error = cudaErrorMemoryAllocation;
  size_t page = 4096, body = (n + 255) & ~(size_t)255, pages = (body + page - 1) / page;
  size_t len = (pages + 2) * page;
  char *m = (char *)mmap(nullptr, len, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
  if (m == MAP_FAILED)
    return last_error = cudaErrorMemoryAllocation;
  if (mprotect(m + page, pages * page, PROT_READ | PROT_WRITE)) {
    munmap(m, len);
    return last_error = cudaErrorMemoryAllocation;
  }
  char *start = m + page + pages * page - body;
  memset(start, 0xff, body); /* poison: NaN in f32 and f16 */
  *p = start;
  dev_allocs[start] = {n, m, len};
  live_bytes += n;
  return cudaSuccess;
}
cudaError_t cudaFree(void *p) {
  if (!p)
    return cudaSuccess;
  auto it = dev_allocs.find(p);
  if (it == dev_allocs.end())
    return last_error = cudaErrorInvalidValue;
  live_bytes -= it->second.n;
  munmap(it->second.map, it->second.map_len);
  dev_allocs.erase(it);
  return cudaSuccess;
}
cudaError_t cudaMallocHost(void **p, size_t n) {
  *p = malloc(n ? n : 1);
  return *p ? cudaSuccess : cudaErrorMemoryAllocation;
}
cudaError_t cudaFreeHost(void *p) {
  free(p);
  return cudaSuccess;
}
cudaError_t cudaMemset(void *p, int v, size_t n) {
  memset(p, v, n);
  return cudaSuccess;
}
cudaError_t cudaMemcpy(void *dst, const void *src, size_t n, cudaMemcpyKind) {
  memmove(dst, src, n);
  return cudaSuccess;
}
cudaError_t cudaMemcpyAsync(void *dst, const void *src, size_t n, cudaMemcpyKind, cudaStream_t s) {
  if (s && s->capture)
    s->capture->ops.push_back([dst, src, n]() { memmove(dst, src, n); });
  else
    memmove(dst, src, n);
  return cudaSuccess;
}
cudaError_t cudaStreamCreateWithFlags(cudaStream_t *s, unsigned) {
  *s = new CUstream_st;
  return cudaSuccess;
}
cudaError_t cudaStreamDestroy(cudaStream_t s) {
  delete s;
  return cudaSuccess;
}
cudaError_t cudaStreamSynchronize(cudaStream_t s) {
  return s && s->capture ? cudaErrorStreamCaptureUnsupported : cudaSuccess;
}
cudaError_t cudaDeviceSynchronize() { return cudaSuccess; }
cudaError_t cudaEventCreate(cudaEvent_t *e) {
  *e = new CUevent_st;
  return cudaSuccess;
}
cudaError_t cudaEventDestroy(cudaEvent_t e) {
  delete e;
  return cudaSuccess;
}
cudaError_t cudaEventRecord(cudaEvent_t, cudaStream_t) { return cudaSuccess; }
cudaError_t cudaEventSynchronize(cudaEvent_t) { return cudaSuccess; }
cudaError_t cudaStreamBeginCapture(cudaStream_t s, cudaStreamCaptureMode) {
  if (!s || s->capture)
    return cudaErrorStreamCaptureUnsupported; /* the legacy stream cannot be captured */
  s->capture = new CUgraph_st;
  return cudaSuccess;
}
cudaError_t cudaStreamEndCapture(cudaStream_t s, cudaGraph_t *g) {
  if (!s || !s->capture)
    return cudaErrorInvalidValue;
  *g = s->capture;
  s->capture = nullptr;
  return cudaSuccess;
}
cudaError_t cudaGraphInstantiate(cudaGraphExec_t *e, cudaGraph_t g, unsigned long long) {
  *e = new CUgraphExec_st{g->ops};
  return cudaSuccess;
}
cudaError_t cudaGraphLaunch(cudaGraphExec_t e, cudaStream_t) {
  for (auto &op : e->ops)
    op();
  return cudaSuccess;
}
cudaError_t cudaGraphDestroy(cudaGraph_t g) {
  delete g;
  return cudaSuccess;
}
cudaError_t cudaGraphExecDestroy(cudaGraphExec_t e) {
  delete e;
  return cudaSuccess;
}
cudaError_t cudaGetLastError() {
  cudaError_t e = last_error;
  last_error = cudaSuccess;
  return e;
}
const char *cudaGetErrorString(cudaError_t e) {
  switch (e) {
  case cudaSuccess: return "no error";
  case cudaErrorInvalidValue: return "invalid argument";
  case cudaErrorMemoryAllocation: return "out of memory";
  case cudaErrorNoDevice: return "no CUDA-capable device is detected";
  case cudaErrorStreamCaptureUnsupported: return "operation not permitted when stream is capturing";
  default: return "unknown error (CUDA emulation)";
  }
}

} // extern "C"
