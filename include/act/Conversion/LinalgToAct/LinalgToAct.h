//===- LinalgToAct.h - Raise linalg activations to act ops ------*- C++ -*-===//
//
// Importers (torch-mlir, IREE's input pipelines) and hand-written linalg
// spell activations as arithmetic: GELU as an erf formula, SiLU as
// x * 1 / (1 + exp(-x)), softmax as a chain of reductions. Raising them to
// act ops lets act's kernels, bounds and special-value rules apply.
//
//===----------------------------------------------------------------------===//

#ifndef ACT_CONVERSION_LINALGTOACT_LINALGTOACT_H
#define ACT_CONVERSION_LINALGTOACT_LINALGTOACT_H

#include "mlir/Support/LLVM.h"

namespace mlir {
class Operation;
class RewritePatternSet;

namespace act {

/// Drops the unit dimensions that keepdim reductions write and their
/// broadcasts read through a constant index (`(d0, d1) -> (d0, 0)`) in the
/// linalg.generic ops under `root`, so that they read and write through
/// projected permutations, which tiling and act's matchers need.
LogicalResult dropKeepdimUnits(Operation *root);

/// Patterns that replace the softmax and log_softmax reduction chains
/// (max, subtract, exp, sum, divide / log and subtract, along the last
/// dimension) by act.softmax and act.log_softmax.
void populateRaiseSoftmaxPatterns(RewritePatternSet &patterns);

/// Patterns that replace, inside linalg.generic bodies, the scalar formulas
/// of activations (gelu in its erf and tanh forms, silu, sigmoid, tanh,
/// relu) by scalar act ops.
void populateRaiseActivationPatterns(RewritePatternSet &patterns);

} // namespace act
} // namespace mlir

#endif // ACT_CONVERSION_LINALGTOACT_LINALGTOACT_H
