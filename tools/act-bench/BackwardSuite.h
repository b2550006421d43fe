//===- BackwardSuite.h - act-bench --suite=backward -------------*- C++ -*-===//
//
// The backward suite: every backward activation (Backward.h) by act, oneDNN
// and PyTorch at one thread, against a STREAM triad measured in the same
// run; and the MLP training step of examples/mlp-training by act and by
// PyTorch eager autograd at every thread count; a table, JSON and a chart.
//
//===----------------------------------------------------------------------===//

#ifndef ACT_BENCH_BACKWARDSUITE_H
#define ACT_BENCH_BACKWARDSUITE_H

#include "Backward.h"

#include "act/Dialect/Act/Transforms/MathEmitter.h"

#include <string>
#include <vector>

namespace act {
namespace bench {

/// The targets: every backward at least this times the faster
/// peer, ...
constexpr double kBackwardPeerTarget = 1.2;
/// ... the memory-bound ones (from the output: no transcendental) at least
/// this fraction of the triad, ...
constexpr double kBackwardTriadTarget = 0.85;
/// ... and the training step at least this times PyTorch eager.
constexpr double kMlpTorchTarget = 1.5;
/// The MLP's loss and gradients against the double reference, relative to
/// the largest reference value of each tensor.
constexpr double kMlpTolerance = 1e-4;

struct BackwardOptions {
  std::vector<BackwardWorkload> workloads;
  std::vector<MlpWorkload> mlps;
  /// The training step's thread counts (the backward kernels: one thread).
  std::vector<int> threads;
  int repetitions = 10, warmup = 2;
  /// Training steps per timed repetition (a step takes microseconds).
  int mlpSteps = 20;
  /// SGD's learning rate.
  double learningRate = 0.1;
  /// The Python of the PyTorch peers ("" for none) and of the chart.
  std::string python, chartPython;
  mlir::act::math::MathMode math = mlir::act::math::MathMode::precise;
  std::string jsonFile, chartFile;
};

/// Runs the suite; 0, 1 for an error of the harness (the peers' script, the
/// chart, act's compile), 2 when an output is wrong.
int runBackwardSuite(const BackwardOptions &options);

} // namespace bench
} // namespace act

#endif // ACT_BENCH_BACKWARDSUITE_H
