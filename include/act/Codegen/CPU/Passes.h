//===- Passes.h - act's CPU code generation passes --------------*- C++ -*-===//

#ifndef ACT_CODEGEN_CPU_PASSES_H
#define ACT_CODEGEN_CPU_PASSES_H

#include "act/Codegen/CPU/Markers.h"
#include "act/Dialect/Act/Transforms/MathEmitter.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Pass/Pass.h"

namespace mlir {
namespace act {

#define GEN_PASS_DECL
#define GEN_PASS_REGISTRATION
#include "act/Codegen/CPU/Passes.h.inc"

} // namespace act
} // namespace mlir

#endif // ACT_CODEGEN_CPU_PASSES_H
