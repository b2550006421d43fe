//===- ActWorker.h - act's kernels measured in a child process --*- C++ -*-===//
//
// The dense and attention suites compile and measure act's kernels in a
// child process (act-bench itself, in worker mode: --act-worker=WORKLOAD),
// because act's code generation may still crash or take minutes on a large
// contraction: a crash or hang then costs one row, not the run. The child
// reports on stdout, one line each:
//
//   compiled SECONDS<TAB>NOTE      act's pipeline and the JIT are done
//   measured MIN MEDIAN MAX FIRST CPU/WALL
//   failed REASON
//
// and writes its output (raw f32) to the file it was given. The parent
// kills it past the compile timeout (before "compiled") or the run timeout
// (after).
//
//===----------------------------------------------------------------------===//

#ifndef ACT_BENCH_ACTWORKER_H
#define ACT_BENCH_ACTWORKER_H

#include "Bench.h"

#include "act/Dialect/Act/Transforms/MathEmitter.h"

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringRef.h"

#include <cmath>
#include <string>
#include <utility>
#include <vector>

namespace act {
namespace bench {

/// The environment of this process without `drop`, with `set` added.
std::vector<std::string>
environmentWithout(llvm::ArrayRef<llvm::StringRef> drop,
                   llvm::ArrayRef<std::string> set = {});

/// The child side: one status line to the parent (newlines flattened).
void sayToParent(const std::string &line);

/// The child side: compiles `moduleText` (a function @k) with
/// act-to-llvm{math threads}, reports "compiled", binds `args` (inputs then
/// the output, as (data, shape); the output is `out`, `outFloats` floats),
/// measures it, writes the output to `outFile` and reports "measured"; on
/// failure "failed REASON" and 1. The note says `mallocNote` or
/// `inPlaceNote` for whether the lowered code calls malloc.
int serveActWorker(
    llvm::StringRef moduleText,
    llvm::ArrayRef<std::pair<const void *, std::vector<int64_t>>> args,
    const float *out, int64_t outFloats, int threads, llvm::StringRef outFile,
    int repetitions, int warmup, mlir::act::math::MathMode math,
    llvm::StringRef mallocNote = "malloc+copy",
    llvm::StringRef inPlaceNote = "in place");

/// What the parent asks of one child.
struct ActChildRequest {
  /// This program.
  std::string self;
  /// The worker's own arguments, e.g. {"--act-worker=gelu/8x16x32"} (and
  /// "--suite=attention" for that suite's workloads).
  std::vector<std::string> args;
  int threads = 1, repetitions = 10, warmup = 2;
  mlir::act::math::MathMode math = mlir::act::math::MathMode::precise;
  unsigned compileTimeout = 120, runTimeout = 600;
  /// Where the output goes, and its size.
  float *out = nullptr;
  int64_t outFloats = 0;
};

/// What came back: a measurement, or the reason there is none in `note`
/// ("compile timeout (> 120 s)", "compile failed: ...", "run failed: ...").
struct ActChildResult {
  bool measured = false;
  Measurement time;
  /// Pipeline + LLVM seconds, as the child measured them.
  double setupSeconds = NAN;
  double cpuPerWall = NAN;
  std::string note;
};

/// Runs the child for `request`, with OMP_NUM_THREADS set to its thread
/// count, and waits for it (polling, with the timeouts); the output lands
/// in request.out.
ActChildResult runActChild(const ActChildRequest &request);

} // namespace bench
} // namespace act

#endif // ACT_BENCH_ACTWORKER_H
