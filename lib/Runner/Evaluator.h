//===- Evaluator.h - The interpreter's linalg, arith and math -----*- C++
//-*-===//
//
// Private to lib/Runner: the parts of the --verify interpreter that evaluate
// scalar arith and math ops (in linalg bodies and elementwise on tensors)
// and linalg structured ops, with the error model shared with the act ops.
//
//===----------------------------------------------------------------------===//

#ifndef ACT_LIB_RUNNER_EVALUATOR_H
#define ACT_LIB_RUNNER_EVALUATOR_H

#include "act/Runner/Interpreter.h"

#include "mlir/IR/Value.h"
#include "llvm/ADT/STLFunctionalExtras.h"

#include <functional>
#include <vector>

namespace mlir {
namespace act {
namespace runner {
namespace detail {

//===----------------------------------------------------------------------===//
// The error model (docs/Accuracy.md, "Contractions and fused chains").
//===----------------------------------------------------------------------===//

/// The factor on the largest |f'| sampled at x - e, x and x + e that makes it
/// a bound of |f'| over [x - e, x + e]: it covers an extremum of f' inside
/// the interval, a small effect for the relative errors the bounds have
/// (1e-7 to 1e-3).
constexpr double kLocalSafety = 1.25;

/// The unit roundoff of `kind`: half its ulp of 1 (2^-24 for f32).
double getUnitRoundoff(ElementKind kind);

/// A bound on |f(x') - f(x)| for |x' - x| <= e: the larger of kLocalSafety
/// times the largest |f'| at x - e, x and x + e, times e, and the largest of
/// |f(x -+ e) - f(x)| (which catches a jump, where f' says nothing). 0 if e
/// is 0; infinite if x is not finite (and e > 0) or a sample is NaN.
double localBound(function_ref<double(double)> f,
                  function_ref<double(double)> df, double x, double e);

/// What a rounding of `ulps` ulps of `value` in `kind` adds to a bound: 0 for
/// a value that is not finite (it must match exactly anyway), doubled for
/// f64, where the reference's own roundings are as large as act's.
double roundingError(ElementKind kind, double ulps, double value);

//===----------------------------------------------------------------------===//
// Evaluation.
//===----------------------------------------------------------------------===//

/// The value of an SSA value defined outside a linalg body (a scalar the
/// body captures), or null if the interpreter has none.
using OuterLookup = function_ref<const RefTensor *(Value)>;

/// Whether `op` is an arith or math op that applies elementwise to tensors
/// (and to scalars).
bool isElementwiseScalarOp(Operation *op);

/// What an act op's own error adds to the bound of its result `y` of
/// element type `kind`: `bound.ulps` as the accuracy contract measures them
/// (0 for a non-finite y).
double actRounding(const AccuracyBound &bound, ElementKind kind, double y);

/// The reference of a unary act op at the parameters its kernel may in
/// effect use: each floating-point parameter that is not the op's default
/// is rounded to the compute type (as PyTorch rounds its scalars) and the
/// products with it are rounded once, which moves it by up to a unit
/// roundoff. The accuracy contract is measured at the defaults
/// (docs/Accuracy.md); for other values --verify also allows the largest
/// difference between the reference at the given parameters and at these.
class ParameterVariants {
public:
  /// For `op` on elements of `kind`; empty if every parameter is its
  /// default.
  ParameterVariants(Operation *op, ElementKind kind);
  ParameterVariants(ParameterVariants &&) = default;
  ~ParameterVariants();

  bool empty() const { return references.empty(); }
  /// The largest |f'(x) - y| over the variants f' (y = f(x)); 0 if empty.
  double getAllowance(double x, double y) const;

private:
  /// Unlinked copies of the op with moved parameters, erased with this.
  std::vector<Operation *> copies;
  std::vector<std::function<double(double)>> references;
};

/// "LOC: --verify does not support op NAME WHERE (WHY)": the op's source
/// location first, as in MLIR's diagnostics.
llvm::Error unsupportedOp(Operation *op, StringRef where, StringRef why = "");

/// Evaluates `op` (isElementwiseScalarOp) on `operands`: the shaped ones
/// must have equal shapes; scalars are broadcast.
llvm::Expected<RefTensor>
evalElementwiseOp(Operation *op, ArrayRef<const RefTensor *> operands,
                  const InterpretOptions &options);

/// Evaluates `op`, a linalg structured op on tensors, on `operands` (its
/// operands in order). `undefined[i]` says that operand i is the undefined
/// contents of a tensor.empty: reading it from the body is an error.
llvm::Expected<std::vector<RefTensor>>
evalLinalgOp(Operation *op, ArrayRef<const RefTensor *> operands,
             ArrayRef<bool> undefined, const InterpretOptions &options,
             OuterLookup lookup);

} // namespace detail
} // namespace runner
} // namespace act
} // namespace mlir

#endif // ACT_LIB_RUNNER_EVALUATOR_H
