//===- Markers.h - Attributes the CPU kernel passes share ---*- C++ -*-===//

#ifndef ACT_CODEGEN_CPU_MARKERS_H
#define ACT_CODEGEN_CPU_MARKERS_H

#include "llvm/ADT/StringRef.h"

namespace mlir {
namespace act {

/// The marker of loops whose iterations write disjoint parts of their
/// results (set by the passes that emit kernels), so that `act-parallelize`
/// may run them on different threads.
inline constexpr llvm::StringLiteral kParallelLoopAttr = "act.parallel";

} // namespace act
} // namespace mlir

#endif // ACT_CODEGEN_CPU_MARKERS_H
