//===- Machine.h - What the host can do, measured -------------*- C++ -*-===//
//
// The ceilings the dense and attention suites report their kernels against,
// measured in the same run rather than taken from a data sheet: the FMA
// throughput of this machine's cores at its vector width (one thread and all
// of them) and its copy bandwidth at the same thread counts. On a shared
// machine a datasheet peak would flatter nothing and explain nothing; a
// measured one moves with the load the kernels see.
//
//===----------------------------------------------------------------------===//

#ifndef ACT_BENCH_MACHINE_H
#define ACT_BENCH_MACHINE_H

#include "Bench.h"

#include "llvm/ADT/ArrayRef.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/raw_ostream.h"

#include <functional>
#include <string>
#include <vector>

namespace act {
namespace bench {

/// The ISA extensions the suite's kernels care about, as the CPU reports
/// them (__builtin_cpu_supports).
struct IsaFlags {
  bool avx2 = false, fma = false, avx512f = false;
};
IsaFlags hostIsa();

/// The CPUs this process may run on (its affinity mask).
int hostCores();

/// Runs fn(0), ..., fn(threads - 1) on `threads` threads released together
/// (fn(0) on the calling thread); returns the wall seconds from the release
/// until the last one finished.
double runOnThreads(int threads, const std::function<void(int)> &fn);

/// The FMA throughput of `threads` threads at once.
struct FmaPeak {
  /// "avx2" (__m256, 8 lanes) or "avx512" (__m512, 16 lanes).
  std::string isa;
  int lanes = 0;
  int threads = 0;
  /// 2 * lanes * FMAs per second over all threads, best of the repetitions.
  double gflops = 0;
};

/// The FMA peak at every vector width the host has (AVX2+FMA, and AVX-512F
/// when __builtin_cpu_supports says so): chains of independent FMAs, enough
/// of them to cover the FMA latency of any current core, on `threads`
/// threads at once.
std::vector<FmaPeak> measureFmaPeaks(int threads, int repetitions);

/// act-bench's copies (memcpy and the streaming copy of OneDnn.h) of `n`
/// floats from `in` to `out`, split into `threads` contiguous parts copied
/// at once; bytes = read plus written.
struct CopyBandwidth {
  /// "memcpy" or "stream_copy".
  std::string impl;
  int threads = 0;
  int64_t floats = 0;
  Measurement time;
  double gbps() const { return 8.0 * double(floats) / time.min * 1e-9; }
};
std::vector<CopyBandwidth> measureCopies(const float *in, float *out, int64_t n,
                                         int threads, int warmup,
                                         int repetitions);

/// STREAM's triad, a[i] = b[i] + s c[i], over `n` floats on one thread:
/// three streams, 12 bytes per element (two read, one written), as a
/// backward kernel moves dy and x in and dx out. "triad" stores plainly
/// (the hardware reads a's lines before writing them: 16 bytes of traffic
/// for the 12 counted); "stream_triad" with non-temporal stores (AVX-512 or
/// AVX, picked at run time), as act's large outputs are written. `a` must
/// be 64-byte aligned.
struct TriadBandwidth {
  std::string impl;
  int64_t floats = 0;
  Measurement time;
  double gbps() const { return 12.0 * double(floats) / time.min * 1e-9; }
};
std::vector<TriadBandwidth> measureTriads(float *a, const float *b,
                                          const float *c, int64_t n, int warmup,
                                          int repetitions);

/// The measured ceilings at one thread count: the FMA peaks and copies the
/// dense and attention suites report their kernels against.
struct Ceiling {
  int threads = 1;
  std::vector<FmaPeak> peaks;
  std::vector<CopyBandwidth> copies;
  /// The best FMA peak (the widest ISA); NaN if none.
  double peak() const;
  /// The best copy bandwidth; NaN if none.
  double copy() const;
};

/// Measures the FMA peaks and copies (of `copyFloats` floats) at every
/// thread count, keeping in `ceilings` the best of these and any measured
/// before (another job can only lower them); progress on stderr.
void measureCeilings(llvm::ArrayRef<int> threads, int64_t copyFloats,
                     int warmup, int repetitions,
                     std::vector<Ceiling> &ceilings, const char *when);

/// The ceiling at `threads`, if measured.
const Ceiling *ceilingAt(const std::vector<Ceiling> &ceilings, int threads);

/// "== 2 threads: FMA peak avx2 X avx512 Y GFLOP/s; copy memcpy A
/// stream_copy B GB/s".
void printCeilingHeader(llvm::raw_ostream &os, const Ceiling &c);

/// The note that a t-thread peak under 0.8 t times the 1-thread one means
/// other jobs share the cores (and the t-thread rows are not reliable).
void printUnscaledPeakNotes(llvm::raw_ostream &os,
                            const std::vector<Ceiling> &ceilings);

/// {"cpu", "cores", "isa"}: what every suite's JSON "machine" object says
/// about the host.
llvm::json::Object hostJson();

/// hostJson() and {"fma_peaks", "peak_gflops", "copy"}: the JSON "machine"
/// object of the dense and attention suites.
llvm::json::Object machineJson(const std::vector<Ceiling> &ceilings);

} // namespace bench
} // namespace act

#endif // ACT_BENCH_MACHINE_H
