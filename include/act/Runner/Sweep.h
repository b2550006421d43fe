//===- Sweep.h - Exhaustive accuracy sweeps of f32 activations ----*- C++
//-*-===//
//
// act-accuracy's engine: JIT-compiles one elementwise activation on
// tensor<CHUNKxf32>, feeds it f32 bit patterns (all 2^32 of them, or every
// K-th plus the special values and the neighbourhoods of 0, +-1 and the op's
// kinks) and compares each result with the double reference
// (`op.forward<double>`) rounded to f32.
//
//===----------------------------------------------------------------------===//

#ifndef ACT_RUNNER_SWEEP_H
#define ACT_RUNNER_SWEEP_H

#include "act/Runner/Runner.h"

#include "mlir/Support/LLVM.h"
#include "llvm/Support/Error.h"

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace mlir {
class MLIRContext;
namespace act {
namespace runner {

/// One activation the sweep knows, with its parameters.
struct SweepOpInfo {
  /// The name --ops takes ("gelu_tanh" for gelu approximate = tanh).
  const char *name;
  /// The op applied to %x, without the type: "act.elu %x".
  const char *text;
  /// The documented bound in precise mode, in f32 ulps, outside
  /// |reference| < 2^-24.
  double preciseBound;
  /// Points where the op changes formula (their neighbourhoods are swept).
  std::vector<double> kinks;
  /// Below 2^-24 (exempt by the contract) only absolute accuracy holds:
  /// gelu's erf form, whose tail keeps its decay but not its digits.
  bool tinyOnlyAbsolute = false;
};

/// All the elementwise f32 activations, in the order of the tables.
ArrayRef<SweepOpInfo> getSweepOps();
/// The op named `name`, or null.
const SweepOpInfo *lookupSweepOp(StringRef name);

/// An error of `got` against the reference `ref` in f32 ulps at the binade
/// of `ref` rounded to f32 (the denormal ulp for 0 and denormals); infinite
/// if exactly one of them is infinite or NaN.
double ulpError(float got, double ref);

/// A result at one input.
struct SweepPoint {
  uint32_t bits = 0;
  float got = 0;
  /// The double reference (not rounded).
  double ref = 0;
  double ulps = 0;
};

struct SweepStats {
  std::string op;
  uint64_t points = 0;
  /// Points whose result differs from the rounded reference.
  uint64_t inexact = 0;
  /// The largest ulp error (NaN/infinity mismatches excluded) and where.
  SweepPoint worst;
  /// The same outside |reference| < 2^-24.
  SweepPoint worstOutsideTiny;
  /// NaN vs not NaN; an infinity where the reference is finite or vice
  /// versa; +0 vs -0 where the reference is exactly +-0. With their first
  /// occurrence.
  uint64_t nanMismatches = 0, infMismatches = 0, zeroSignMismatches = 0;
  SweepPoint firstNan, firstInf, firstZeroSign;
  /// Results of +-0 where the reference is a nonzero tiny number that
  /// rounds to the other zero (not a failure).
  uint64_t tinyZeroSignMismatches = 0;
  /// The results at NaN, +Inf, -Inf, -0, +0, +-smallest denormal,
  /// +-FLT_MAX.
  std::vector<SweepPoint> specials;
  double seconds = 0;
  double bound = 0;

  uint64_t exceptions() const {
    return nanMismatches + infMismatches + zeroSignMismatches;
  }
  bool withinBound() const {
    return exceptions() == 0 && worstOutsideTiny.ulps <= bound;
  }
};

struct SweepOptions {
  /// Every `stride`-th bit pattern; 1 sweeps all 2^32. For stride > 1, the
  /// special values and neighbourhoods are added.
  uint64_t stride = 1;
  /// Elements per call of the compiled kernel.
  int64_t chunk = 1 << 20;
  /// Bit patterns either side of 0, +-1 and each kink, for stride > 1.
  uint32_t neighbourhood = 4096;
  CompileOptions compile;
  /// Called after each chunk with the points done and the total.
  std::function<void(uint64_t done, uint64_t total)> progress;
};

/// The number of points `sweep` evaluates for `op`.
uint64_t countSweepPoints(const SweepOpInfo &op, const SweepOptions &options);

/// Sweeps `op`; `context` must have the act, func and tensor dialects
/// loaded, and the act-to-llvm pipeline's passes must be registered.
llvm::Expected<SweepStats> sweep(MLIRContext &context, const SweepOpInfo &op,
                                 const SweepOptions &options);

} // namespace runner
} // namespace act
} // namespace mlir

#endif // ACT_RUNNER_SWEEP_H
