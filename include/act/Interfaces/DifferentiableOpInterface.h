//===- DifferentiableOpInterface.h - Reverse-mode rules ---------*- C++ -*-===//
//
// The interface through which act-differentiate asks an op for its
// derivative rule, and helpers that rules share.
//
//===----------------------------------------------------------------------===//

#ifndef ACT_INTERFACES_DIFFERENTIABLEOPINTERFACE_H
#define ACT_INTERFACES_DIFFERENTIABLEOPINTERFACE_H

#include "mlir/IR/Builders.h"
#include "mlir/IR/OpDefinition.h"
#include "llvm/ADT/DenseMap.h"

namespace mlir {

namespace act {

/// A zero of `like`'s type: a float constant for a scalar or a static
/// tensor, a filled tensor.empty for a dynamically shaped one.
Value buildZerosLike(OpBuilder &b, Location loc, Value like);

/// `a + b`, elementwise, treating a null value as zero.
Value buildGradientSum(OpBuilder &b, Location loc, Value a, Value c);

/// Reverse-mode accumulation over `ops` (in program order, one block): given
/// the adjoints of some values in `adjoints`, walks `ops` backwards asking
/// each op whose results have adjoints for its rule, and adds the operand
/// gradients into `adjoints`. Only operands for which `isActive` holds
/// (values that depend on what is differentiated) get adjoints; an op none of
/// whose operands is active is skipped. Fails with an error naming the first
/// op that has no rule. Gradient ops go to `builder`'s insertion point.
LogicalResult propagateAdjoints(OpBuilder &builder, ArrayRef<Operation *> ops,
                                DenseMap<Value, Value> &adjoints,
                                llvm::function_ref<bool(Value)> isActive);

} // namespace act
} // namespace mlir

#include "act/Interfaces/DifferentiableOpInterface.h.inc"

#endif // ACT_INTERFACES_DIFFERENTIABLEOPINTERFACE_H
