//===- Passes.h - act's differentiation passes ------------------*- C++ -*-===//

#ifndef ACT_AUTODIFF_PASSES_H
#define ACT_AUTODIFF_PASSES_H

#include "act/Dialect/Act/IR/ActDialect.h"

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/Pass/Pass.h"

namespace mlir {
namespace act {

#define GEN_PASS_DECL
#define GEN_PASS_REGISTRATION
#include "act/Autodiff/Passes.h.inc"

} // namespace act
} // namespace mlir

#endif // ACT_AUTODIFF_PASSES_H
