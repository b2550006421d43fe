//===- Machine.cpp - What the host can do, measured -----------------------===//

#include "Machine.h"

#include "OneDnn.h"

#include "llvm/Support/Format.h"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <immintrin.h>
#include <sched.h>
#include <thread>

using namespace act::bench;

IsaFlags act::bench::hostIsa() {
  IsaFlags f;
  f.avx2 = __builtin_cpu_supports("avx2");
  f.fma = __builtin_cpu_supports("fma");
  f.avx512f = __builtin_cpu_supports("avx512f");
  return f;
}

int act::bench::hostCores() {
  cpu_set_t set;
  if (sched_getaffinity(0, sizeof(set), &set) == 0)
    return std::max(1, CPU_COUNT(&set));
  return std::max(1u, std::thread::hardware_concurrency());
}

double act::bench::runOnThreads(int threads,
                                const std::function<void(int)> &fn) {
  if (threads <= 1) {
    double start = wallSeconds();
    fn(0);
    return wallSeconds() - start;
  }
  // Every thread is started and waiting before the clock starts, so thread
  // creation is not timed and all of them run at once.
  std::atomic<int> ready{0};
  std::atomic<bool> go{false};
  std::vector<std::thread> pool;
  for (int i = 1; i < threads; ++i)
    pool.emplace_back([&, i] {
      ready.fetch_add(1);
      while (!go.load(std::memory_order_acquire))
        std::this_thread::yield();
      fn(i);
    });
  while (ready.load() != threads - 1)
    std::this_thread::yield();
  double start = wallSeconds();
  go.store(true, std::memory_order_release);
  fn(0);
  for (std::thread &t : pool)
    t.join();
  return wallSeconds() - start;
}

//===----------------------------------------------------------------------===//
// FMA peak.
//===----------------------------------------------------------------------===//

// 12 independent chains: an FMA's result is needed again only 12 FMAs
// later, which covers latency x throughput of every current x86 core (4
// cycles x 2 FMA pipes on Intel and AMD; 12 also fits the 16 ymm registers
// with the two operands). c = c * a + b with a < 1 converges to b / (1 - a)
// = 1: no overflow, no denormals, and nothing a compiler may fold.
constexpr int kChains = 12;

__attribute__((target("avx2,fma"))) static float fmaChains256(int64_t iters) {
  __m256 a = _mm256_set1_ps(0.999f), b = _mm256_set1_ps(0.001f);
  __m256 c[kChains];
  for (int j = 0; j < kChains; ++j)
    c[j] = _mm256_set1_ps(1.0f + 0.01f * float(j));
  for (int64_t i = 0; i < iters; ++i) {
#pragma clang loop unroll(full)
    for (int j = 0; j < kChains; ++j)
      c[j] = _mm256_fmadd_ps(c[j], a, b);
  }
  __m256 s = c[0];
  for (int j = 1; j < kChains; ++j)
    s = _mm256_add_ps(s, c[j]);
  return _mm256_cvtss_f32(s);
}

__attribute__((target("avx512f"))) static float fmaChains512(int64_t iters) {
  __m512 a = _mm512_set1_ps(0.999f), b = _mm512_set1_ps(0.001f);
  __m512 c[kChains];
  for (int j = 0; j < kChains; ++j)
    c[j] = _mm512_set1_ps(1.0f + 0.01f * float(j));
  for (int64_t i = 0; i < iters; ++i) {
#pragma clang loop unroll(full)
    for (int j = 0; j < kChains; ++j)
      c[j] = _mm512_fmadd_ps(c[j], a, b);
  }
  __m512 s = c[0];
  for (int j = 1; j < kChains; ++j)
    s = _mm512_add_ps(s, c[j]);
  return _mm512_reduce_add_ps(s);
}

/// Keeps the chains' results observable, so the loops are not dead code.
static std::atomic<float> fmaSink{0};

static FmaPeak measurePeak(const char *isa, int lanes, float (*chains)(int64_t),
                           int threads, int repetitions) {
  // About 30 ms per measurement: long enough that thread start and timer
  // resolution do not matter, short enough to repeat on a shared machine.
  int64_t iters = 1 << 16;
  for (;;) {
    double t = runOnThreads(1, [&](int) { fmaSink.store(chains(iters)); });
    if (t > 0.03 || iters > (int64_t(1) << 34))
      break;
    iters *= t > 0.003 ? int64_t(std::max(2.0, 0.03 / t)) : 8;
  }
  double best = 0;
  for (int r = 0; r < std::max(1, repetitions); ++r) {
    double t = runOnThreads(threads, [&](int) {
      float v = chains(iters);
      fmaSink.store(v, std::memory_order_relaxed);
    });
    double fmas = double(threads) * double(iters) * kChains;
    best = std::max(best, 2.0 * lanes * fmas / t * 1e-9);
  }
  return {isa, lanes, threads, best};
}

std::vector<FmaPeak> act::bench::measureFmaPeaks(int threads, int repetitions) {
  IsaFlags isa = hostIsa();
  std::vector<FmaPeak> peaks;
  if (isa.avx2 && isa.fma)
    peaks.push_back(measurePeak("avx2", 8, fmaChains256, threads, repetitions));
  if (isa.avx512f)
    peaks.push_back(
        measurePeak("avx512", 16, fmaChains512, threads, repetitions));
  return peaks;
}

//===----------------------------------------------------------------------===//
// Copy bandwidth.
//===----------------------------------------------------------------------===//

std::vector<CopyBandwidth> act::bench::measureCopies(const float *in,
                                                     float *out, int64_t n,
                                                     int threads, int warmup,
                                                     int repetitions) {
  // Parts on 64-byte boundaries (the streaming copy's alignment).
  std::vector<int64_t> begin;
  for (int i = 0; i <= threads; ++i)
    begin.push_back(std::min(n, (n * i / threads + 15) / 16 * 16));
  std::vector<CopyBandwidth> results;
  for (const char *impl : {"memcpy", "stream_copy"}) {
    std::vector<Kernel> parts;
    for (int i = 0; i < threads; ++i) {
      const float *src = in + begin[i];
      float *dst = out + begin[i];
      int64_t len = begin[i + 1] - begin[i];
      parts.push_back(impl == std::string("memcpy")
                          ? makeMemcpy(src, dst, len)
                          : makeStreamCopy(src, dst, len));
    }
    CopyBandwidth c;
    c.impl = impl;
    c.threads = threads;
    c.floats = n;
    c.time =
        measure([&] { runOnThreads(threads, [&](int i) { parts[i].run(); }); },
                warmup, repetitions);
    results.push_back(c);
  }
  return results;
}

//===----------------------------------------------------------------------===//
// Triad bandwidth.
//===----------------------------------------------------------------------===//

static constexpr float kTriadScale = 3.0f;

static void triad(float *a, const float *b, const float *c, int64_t n) {
  for (int64_t i = 0; i < n; ++i)
    a[i] = b[i] + kTriadScale * c[i];
}

__attribute__((target("avx512f"))) static void
streamTriad512(float *a, const float *b, const float *c, int64_t n) {
  __m512 s = _mm512_set1_ps(kTriadScale);
  int64_t i = 0;
  for (; i + 16 <= n; i += 16)
    _mm512_stream_ps(a + i,
                     _mm512_add_ps(_mm512_loadu_ps(b + i),
                                   _mm512_mul_ps(s, _mm512_loadu_ps(c + i))));
  for (; i < n; ++i)
    a[i] = b[i] + kTriadScale * c[i];
  // Weakly ordered stores: complete when we return.
  _mm_sfence();
}

__attribute__((target("avx"))) static void
streamTriad256(float *a, const float *b, const float *c, int64_t n) {
  __m256 s = _mm256_set1_ps(kTriadScale);
  int64_t i = 0;
  for (; i + 8 <= n; i += 8)
    _mm256_stream_ps(a + i,
                     _mm256_add_ps(_mm256_loadu_ps(b + i),
                                   _mm256_mul_ps(s, _mm256_loadu_ps(c + i))));
  for (; i < n; ++i)
    a[i] = b[i] + kTriadScale * c[i];
  _mm_sfence();
}

std::vector<TriadBandwidth> act::bench::measureTriads(float *a, const float *b,
                                                      const float *c, int64_t n,
                                                      int warmup,
                                                      int repetitions) {
  bool avx512 = hostIsa().avx512f;
  std::vector<TriadBandwidth> results;
  for (const char *impl : {"triad", "stream_triad"}) {
    std::function<void()> kernel;
    if (impl == std::string("triad"))
      kernel = [=] { triad(a, b, c, n); };
    else if (avx512)
      kernel = [=] { streamTriad512(a, b, c, n); };
    else
      kernel = [=] { streamTriad256(a, b, c, n); };
    TriadBandwidth t;
    t.impl = impl;
    t.floats = n;
    t.time = measure(kernel, warmup, repetitions);
    results.push_back(t);
  }
  return results;
}

//===----------------------------------------------------------------------===//
// Ceilings.
//===----------------------------------------------------------------------===//

double Ceiling::peak() const {
  double best = NAN;
  for (const FmaPeak &p : peaks)
    best = std::isnan(best) ? p.gflops : std::max(best, p.gflops);
  return best;
}

double Ceiling::copy() const {
  double best = NAN;
  for (const CopyBandwidth &c : copies)
    best = std::isnan(best) ? c.gbps() : std::max(best, c.gbps());
  return best;
}

void act::bench::measureCeilings(llvm::ArrayRef<int> threads,
                                 int64_t copyFloats, int warmup,
                                 int repetitions,
                                 std::vector<Ceiling> &ceilings,
                                 const char *when) {
  Buffer in(copyFloats), out(copyFloats);
  std::fill(in.get(), in.get() + copyFloats, 1.0f);
  std::fill(out.get(), out.get() + copyFloats, 0.0f);
  llvm::errs() << "measuring the ceilings (" << when << "):\n";
  for (int t : threads) {
    std::vector<FmaPeak> peaks = measureFmaPeaks(t, std::max(3, repetitions));
    std::vector<CopyBandwidth> copies =
        measureCopies(in.get(), out.get(), copyFloats, t, warmup, repetitions);
    for (const FmaPeak &p : peaks)
      llvm::errs() << llvm::format("  %d thread(s) FMA %-6s %8.1f GFLOP/s\n", t,
                                   p.isa.c_str(), p.gflops);
    for (const CopyBandwidth &b : copies)
      llvm::errs() << llvm::format("  %d thread(s) %-11s %8.1f GB/s\n", t,
                                   b.impl.c_str(), b.gbps());
    Ceiling *c = nullptr;
    for (Ceiling &candidate : ceilings)
      if (candidate.threads == t)
        c = &candidate;
    if (!c) {
      ceilings.push_back({t, std::move(peaks), std::move(copies)});
      continue;
    }
    for (size_t i = 0; i < peaks.size() && i < c->peaks.size(); ++i)
      if (peaks[i].gflops > c->peaks[i].gflops)
        c->peaks[i] = peaks[i];
    for (size_t i = 0; i < copies.size() && i < c->copies.size(); ++i)
      if (copies[i].time.min < c->copies[i].time.min)
        c->copies[i] = copies[i];
  }
}

const Ceiling *act::bench::ceilingAt(const std::vector<Ceiling> &ceilings,
                                     int threads) {
  for (const Ceiling &c : ceilings)
    if (c.threads == threads)
      return &c;
  return nullptr;
}

void act::bench::printCeilingHeader(llvm::raw_ostream &os, const Ceiling &c) {
  os << "\n== " << c.threads << " thread" << (c.threads == 1 ? "" : "s")
     << ": FMA peak";
  for (const FmaPeak &p : c.peaks)
    os << llvm::format(" %s %.1f", p.isa.c_str(), p.gflops);
  os << " GFLOP/s; copy";
  for (const CopyBandwidth &b : c.copies)
    os << llvm::format(" %s %.1f", b.impl.c_str(), b.gbps());
  os << " GB/s\n";
}

void act::bench::printUnscaledPeakNotes(llvm::raw_ostream &os,
                                        const std::vector<Ceiling> &ceilings) {
  // Threads that had no core of their own show as a peak that does not
  // scale; then the threaded rows measure the other jobs, not the kernels.
  const Ceiling *one = ceilingAt(ceilings, 1);
  for (const Ceiling &c : ceilings)
    if (one && c.threads > 1 && c.peak() < 0.8 * c.threads * one->peak())
      os << llvm::format("\nnote: the %d-thread FMA peak is %.2fx the "
                         "1-thread peak, not %dx: other jobs share these "
                         "cores, and the %d-thread rows are not reliable\n",
                         c.threads, c.peak() / one->peak(), c.threads,
                         c.threads);
}

llvm::json::Object act::bench::hostJson() {
  IsaFlags isa = hostIsa();
  return llvm::json::Object{
      {"cpu", cpuModel()},
      {"cores", hostCores()},
      {"isa", llvm::json::Object{{"avx2", isa.avx2},
                                 {"fma", isa.fma},
                                 {"avx512f", isa.avx512f}}}};
}

llvm::json::Object
act::bench::machineJson(const std::vector<Ceiling> &ceilings) {
  llvm::json::Array peaks, copies;
  for (const Ceiling &c : ceilings) {
    for (const FmaPeak &p : c.peaks)
      peaks.push_back(llvm::json::Object{{"threads", p.threads},
                                         {"isa", p.isa},
                                         {"lanes", p.lanes},
                                         {"gflops", finiteOrNull(p.gflops)}});
    for (const CopyBandwidth &b : c.copies)
      copies.push_back(
          llvm::json::Object{{"threads", b.threads},
                             {"impl", b.impl},
                             {"floats", b.floats},
                             {"bytes", 8.0 * double(b.floats)},
                             {"min_s", finiteOrNull(b.time.min)},
                             {"median_s", finiteOrNull(b.time.median)},
                             {"gbps", finiteOrNull(b.gbps())}});
  }
  llvm::json::Object peakByThreads;
  for (const Ceiling &c : ceilings)
    peakByThreads[std::to_string(c.threads)] = finiteOrNull(c.peak());
  llvm::json::Object machine = hostJson();
  machine["fma_peaks"] = std::move(peaks);
  machine["peak_gflops"] = std::move(peakByThreads);
  machine["copy"] = std::move(copies);
  return machine;
}
