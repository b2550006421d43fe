//===- DenseSuite.h - act-bench --suite=dense -------------------*- C++ -*-===//
//
// The dense-layer suite: every implementation on every dense workload at
// every thread count, against the FMA peak and copy bandwidth measured in the
// same run; a table, JSON and a chart.
//
//===----------------------------------------------------------------------===//

#ifndef ACT_BENCH_DENSESUITE_H
#define ACT_BENCH_DENSESUITE_H

#include "Dense.h"
#include "FlopsSuite.h"

#include "act/Dialect/Act/Transforms/MathEmitter.h"

#include <string>
#include <vector>

namespace act {
namespace bench {

/// The implementations of the dense suite, in table order.
llvm::ArrayRef<const char *> denseImpls();

struct DenseOptions : FlopsSuiteOptions {
  std::vector<DenseWorkload> workloads;
};

/// Runs the suite; 0, 1 for an error of the harness (a peer's script, the
/// chart), 2 when an output is wrong (against the double reference or
/// oneDNN).
int runDenseSuite(const DenseOptions &options);

/// The child side of act's measurement: compiles `workload` (a dense
/// workload name) with act, reports "compiled ..." on stdout, measures it,
/// writes Y (raw f32) to `outFile` and reports "measured ..."; on failure
/// "failed REASON" and exit 1.
int runActWorker(llvm::StringRef workload, int threads, llvm::StringRef outFile,
                 int repetitions, int warmup, mlir::act::math::MathMode math);

} // namespace bench
} // namespace act

#endif // ACT_BENCH_DENSESUITE_H
