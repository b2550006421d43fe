//===- AttentionSuite.h - act-bench --suite=attention -----------*- C++ -*-===//
//
// The attention suite: attention scores softmax(Q K^T * scale) and full
// attention softmax(Q K^T * scale) V (Attention.h), one head and a batch of
// heads, by act, oneDNN, PyTorch (eager, scaled_dot_product_attention,
// torch.compile) and IREE, at every thread count, against the FMA peak
// measured in the same run; a table, JSON and a chart.
//
//===----------------------------------------------------------------------===//

#ifndef ACT_BENCH_ATTENTIONSUITE_H
#define ACT_BENCH_ATTENTIONSUITE_H

#include "Attention.h"
#include "FlopsSuite.h"

#include "act/Dialect/Act/Transforms/MathEmitter.h"

#include <string>
#include <vector>

namespace act {
namespace bench {

/// The implementations of the attention suite, in table order.
llvm::ArrayRef<const char *> attentionImpls();

/// The default --attention-shapes: L = S in {512, 1024, 2048, 4096}, d = 64,
/// one head (2-D) and 8 heads (3-D).
extern const char *const kDefaultAttentionShapes;

struct AttentionOptions : FlopsSuiteOptions {
  std::vector<AttentionWorkload> workloads;
};

/// Runs the suite; 0, 1 for an error of the harness (the peers' script, the
/// chart), 2 when an output is wrong (against the double reference or
/// oneDNN).
int runAttentionSuite(const AttentionOptions &options);

/// The child side of act's measurement (--suite=attention --act-worker=NAME):
/// compiles the attention workload `name` with act, measures it and writes
/// its output to `outFile` (ActWorker.h).
int runAttentionActWorker(llvm::StringRef name, int threads,
                          llvm::StringRef outFile, int repetitions, int warmup,
                          mlir::act::math::MathMode math);

} // namespace bench
} // namespace act

#endif // ACT_BENCH_ATTENTIONSUITE_H
