//===- Passes.h - act's CPU code generation passes --------------*- C++ -*-===//

#ifndef ACT_CODEGEN_CPU_PASSES_H
#define ACT_CODEGEN_CPU_PASSES_H

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Pass/Pass.h"

namespace mlir {
namespace act {

/// The marker of loops whose iterations write disjoint parts of their
/// results, so that `act-parallelize` may run them on different threads.
inline constexpr llvm::StringLiteral kParallelLoopAttr = "act.parallel";

#define GEN_PASS_DECL
#define GEN_PASS_REGISTRATION
#include "act/Codegen/CPU/Passes.h.inc"

} // namespace act
} // namespace mlir

#endif // ACT_CODEGEN_CPU_PASSES_H
