//===- Interpreter.h - act-run's double-precision reference -------*- C++
//-*-===//
//
// For --verify: evaluates a function of the original (unlowered) IR in
// double precision, one op at a time, with act/Math/Activations.h at
// T = double and act/Reference/Reference.h; then compares results.
//
//===----------------------------------------------------------------------===//

#ifndef ACT_RUNNER_INTERPRETER_H
#define ACT_RUNNER_INTERPRETER_H

#include "act/Runner/HostTensor.h"

#include "mlir/Support/LLVM.h"
#include "llvm/Support/Error.h"

#include <vector>

namespace mlir {
namespace func {
class FuncOp;
} // namespace func

namespace act {
namespace runner {

/// A dense row-major tensor of doubles (rank 0 for scalars).
struct RefTensor {
  SmallVector<int64_t> shape;
  std::vector<double> data;
};

RefTensor toRefTensor(const HostTensor &tensor);

/// Runs `func` on `args`. Supports arith.constant, every act op, linalg.fill,
/// linalg.matmul, tensor.empty, arith.addf/subf/mulf/divf and func.return;
/// anything else fails with "--verify does not support op X".
llvm::Expected<std::vector<RefTensor>> interpret(func::FuncOp func,
                                                 ArrayRef<RefTensor> args);

/// How far a result is from the reference.
struct Comparison {
  double maxAbs = 0, maxRel = 0, maxUlp = 0;
  /// Where maxUlp is (-1 if every element is exact).
  int64_t worstIndex = -1;
  double worstGot = 0, worstExpected = 0;
};

/// The accuracy documented for a function's results in precise mode
/// (docs/Accuracy.md), for --verify.
struct AccuracyBound {
  /// The largest bound of the act ops the result depends on, in ulps.
  double ulps = 4;
  /// Below this magnitude errors are measured in units of `tinyUnit` rather
  /// than in ulps of the result: half an ulp of 1 in the compute type
  /// (2^-24 for f32, f16 and bf16: the contract's "within 2^-24 of 0"; 2^-53
  /// for f64), or 1 for log_softmax, whose error is absolute.
  double floor = 0;
  /// The ulp of `floor`; `floor` itself for gelu (erf form), whose tail below
  /// the floor is only accurate to a factor of about 2.5 (docs/Accuracy.md).
  double tinyUnit = 0;
};

/// The bound for `func`'s result #`result` (of element type `kind`): the
/// largest of the act ops it depends on.
AccuracyBound getDocumentedBound(func::FuncOp func, unsigned result,
                                 ElementKind kind);

/// Compares `got` with `expected` elementwise. The ulp error is |got - ref|
/// over the ulp of `ref` rounded to got's element type (at its binade, at
/// least the smallest subnormal's), or over `bound.tinyUnit` where |ref| is
/// below `bound.floor`; NaN vs NaN and equal infinities are exact, any other
/// NaN/Inf mismatch is an infinite error.
Comparison compare(const HostTensor &got, const RefTensor &expected,
                   const AccuracyBound &bound = {});

} // namespace runner
} // namespace act
} // namespace mlir

#endif // ACT_RUNNER_INTERPRETER_H
