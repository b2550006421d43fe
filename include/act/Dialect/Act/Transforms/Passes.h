//===- Passes.h - act transformation passes ---------------------*- C++ -*-===//

#ifndef ACT_DIALECT_ACT_TRANSFORMS_PASSES_H
#define ACT_DIALECT_ACT_TRANSFORMS_PASSES_H

#include "act/Dialect/Act/Transforms/MathEmitter.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"

#include "mlir/Pass/Pass.h"

namespace mlir {
namespace act {

#define GEN_PASS_DECL
#define GEN_PASS_REGISTRATION
#include "act/Dialect/Act/Transforms/Passes.h.inc"

} // namespace act
} // namespace mlir

#endif // ACT_DIALECT_ACT_TRANSFORMS_PASSES_H
