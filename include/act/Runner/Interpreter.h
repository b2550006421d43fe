//===- Interpreter.h - act-run's double-precision reference -------*- C++
//-*-===//
//
// For --verify: evaluates a function of the original (unlowered) IR in
// double precision, one op at a time, with act/Math/Activations.h at
// T = double and act/Reference/Reference.h for the act ops and a general
// evaluator for linalg (every structured op, through its body), arith and
// math; then compares results.
//
// Alongside each value it carries a first-order bound, per element, of how
// far act's compiled code may legitimately be from it (docs/Accuracy.md,
// "Contractions and fused chains"): a contraction or reduction over K terms
// adds gamma_K times the sum of the terms' magnitudes, an arith or math op
// propagates its inputs' bounds through its partial derivatives and adds
// its rounding, an act op propagates through its derivative and adds its
// documented ulp bound.
//
//===----------------------------------------------------------------------===//

#ifndef ACT_RUNNER_INTERPRETER_H
#define ACT_RUNNER_INTERPRETER_H

#include "act/Pipelines/Pipelines.h"
#include "act/Runner/HostTensor.h"

#include "mlir/Support/LLVM.h"
#include "llvm/Support/Error.h"

#include <optional>
#include <vector>

namespace mlir {
class Operation;
namespace func {
class FuncOp;
} // namespace func

namespace act {
namespace runner {

/// A dense row-major tensor of doubles (rank 0 for scalars). Integers and i1
/// are held as doubles too (exact below 2^53).
struct RefTensor {
  SmallVector<int64_t> shape;
  std::vector<double> data;
  /// Per element, a bound on |act's result - data| (absolute; for i1, nonzero
  /// where the comparison may come out the other way). Empty: exact.
  std::vector<double> error;
  /// Whether the value depends on a contraction, a reduction or arithmetic
  /// outside the act ops: --verify judges it by `error` (compareWithBound)
  /// rather than by the act ops' ulp bounds alone (compare).
  bool propagated = false;

  double getError(int64_t i) const { return error.empty() ? 0 : error[i]; }
};

RefTensor toRefTensor(const HostTensor &tensor);

struct InterpretOptions {
  /// In fast mode the act ops and the math functions that MLIR approximates
  /// (exp, log, tanh, erf, ... in f32) have no documented bound: the error
  /// bound of what depends on them is infinite.
  MathMode math = MathMode::precise;
};

/// Runs `func` on `args`. Supports arith.constant, every act op, every
/// linalg structured op (named ones through their body region) whose
/// indexing maps are affine sums of loop dims, with bodies of arith and math
/// ops; elementwise arith and math ops on tensors, tensor.empty, tensor.cast,
/// tensor.expand_shape/collapse_shape, static tensor.extract_slice and
/// func.return. Anything else fails with "--verify does not support op X"
/// (or "... op X in a linalg body"); so does reading the contents of a
/// tensor.empty, which are undefined.
llvm::Expected<std::vector<RefTensor>>
interpret(func::FuncOp func, ArrayRef<RefTensor> args,
          const InterpretOptions &options = {});

/// The floating-point operations of `func`'s contractions: 2 per
/// multiply-add of every linalg op that reduces a product (matmul,
/// batch_matmul, convolutions, such generics), over its loop ranges (static,
/// or from `argShapes` for the function's arguments); std::nullopt if a range
/// is unknown.
std::optional<int64_t>
countContractionFlops(func::FuncOp func,
                      ArrayRef<SmallVector<int64_t>> argShapes);

/// The ulp of `value` (a value of `kind`) at its binade, at least that of the
/// smallest subnormal.
double getUlp(ElementKind kind, double value);

/// How far a result is from the reference.
struct Comparison {
  double maxAbs = 0, maxRel = 0, maxUlp = 0;
  /// compareWithBound: the largest |got - ref| / allowed, where allowed is
  /// the larger of the scaled propagated bound and the ulp allowance.
  double maxBoundUse = 0;
  /// The worst element: by ulps (compare) or by bound use
  /// (compareWithBound); -1 if every element is exact.
  int64_t worstIndex = -1;
  double worstGot = 0, worstExpected = 0;
  /// compareWithBound: what was allowed at the worst element.
  double worstAllowed = 0;
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

  /// The unit `ulps` counts at a reference `rounded` (already rounded to
  /// `kind`): its ulp, or `tinyUnit` below `floor`.
  double getUnit(ElementKind kind, double rounded) const;
};

/// The documented bound of one act op on results of element type `kind`
/// (the sweep's table, softmax's scaling with its rows).
AccuracyBound getDocumentedOpBound(Operation *op, ElementKind kind);

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

/// compare(), and the verdict for a propagated result: element i is within
/// bound iff |got - ref| <= max(tolerance * expected.error[i],
/// bound.ulps * bound.getUnit(ref)); maxBoundUse is the largest ratio of
/// the two sides (<= 1 passes), and the worst element is where it is.
Comparison compareWithBound(const HostTensor &got, const RefTensor &expected,
                            const AccuracyBound &bound, double tolerance = 1);

} // namespace runner
} // namespace act
} // namespace mlir

#endif // ACT_RUNNER_INTERPRETER_H
