//===- Passes.h - act conversion passes -------------------------*- C++ -*-===//

#ifndef ACT_CONVERSION_PASSES_H
#define ACT_CONVERSION_PASSES_H

#include "act/Conversion/ActToLinalg/ActToLinalg.h"
#include "act/Conversion/LinalgToAct/LinalgToAct.h"

#include "act/Dialect/Act/Transforms/MathEmitter.h"

#include "mlir/Pass/Pass.h"

namespace mlir {
namespace act {

#define GEN_PASS_DECL
#define GEN_PASS_REGISTRATION
#include "act/Conversion/Passes.h.inc"

} // namespace act
} // namespace mlir

#endif // ACT_CONVERSION_PASSES_H
