//===- Act.h - act's JIT-compiled kernels for act-bench ---------*- C++ -*-===//
//
// The "act" implementation of act-bench: each workload as a one-op MLIR
// function, lowered with act's act-to-llvm pipeline and JIT-compiled for the
// host, writing straight into the caller's output buffer.
//
//===----------------------------------------------------------------------===//

#ifndef ACT_BENCH_ACT_H
#define ACT_BENCH_ACT_H

#include "Bench.h"

#include "act/Dialect/Act/Transforms/MathEmitter.h"

namespace act {
namespace bench {

/// The MLIR module act-bench compiles for `w`: a function @k taking the input
/// tensor and the output memref (written in place).
std::string actModuleText(const Workload &w);

/// act's kernel for `w` from `in` to `out` (compiled once, here; the compile
/// time is the kernel's setupSeconds), or nullopt with the reason in `why`.
std::optional<Kernel>
makeAct(const Workload &w, const float *in, float *out,
        std::string *why = nullptr,
        mlir::act::math::MathMode math = mlir::act::math::MathMode::precise);

} // namespace bench
} // namespace act

#endif // ACT_BENCH_ACT_H
