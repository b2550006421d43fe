//===- Act.h - act's JIT-compiled kernels for act-bench ---------*- C++ -*-===//
//
// The "act" implementation of act-bench: each workload as an MLIR function
// @k (one act op for the eltwise suite; a dense layer for the dense suite,
// Dense.h), lowered with act's act-to-llvm pipeline and JIT-compiled for the
// host (compileAct, shared by both suites), writing straight into the
// caller's output buffer.
//
//===----------------------------------------------------------------------===//

#ifndef ACT_BENCH_ACT_H
#define ACT_BENCH_ACT_H

#include "Bench.h"

#include "act/Dialect/Act/Transforms/MathEmitter.h"

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringRef.h"

#include <memory>

namespace mlir {
class ExecutionEngine;
} // namespace mlir

namespace act {
namespace bench {

/// A function @k of an act module, lowered with act-to-llvm and JIT-compiled
/// for the host (runner::jitLoweredModule), called through its C interface.
struct ActCompiled {
  std::shared_ptr<mlir::ExecutionEngine> engine;
  /// _mlir_ciface_k: one memref descriptor pointer per argument.
  void *function = nullptr;
  double pipelineSeconds = 0, jitSeconds = 0;
  /// The CPU the JIT compiled for, e.g. "znver3".
  std::string cpu;
  /// Whether the lowered code calls malloc (so does not write in place).
  bool mallocs = false;
};

/// Parses `moduleText`, lowers it with act-to-llvm{`pipelineOptions`} (e.g.
/// "math=fast") and JITs it; nullopt with the reason in `why` on failure.
std::optional<ActCompiled> compileAct(llvm::StringRef moduleText,
                                      llvm::StringRef pipelineOptions,
                                      std::string *why = nullptr);

/// "precise" or "fast".
std::string mathName(mlir::act::math::MathMode math);

/// act-to-llvm's option text for `math`: "math=precise" or "math=fast".
std::string actMathOption(mlir::act::math::MathMode math);

/// What a row says about act's kernel: "jit CPU, `mallocNote` or
/// `inPlaceNote`, MATH math, pipeline Xs + llvm Ys".
std::string actJitNote(const ActCompiled &compiled,
                       mlir::act::math::MathMode math,
                       llvm::StringRef mallocNote = "malloc+copy",
                       llvm::StringRef inPlaceNote = "in place");

/// Calls `compiled` on dense row-major buffers, one per argument of @k (at
/// most 6), given as (data, shape); the descriptors are made once.
std::function<void()>
bindAct(const ActCompiled &compiled,
        llvm::ArrayRef<std::pair<const void *, std::vector<int64_t>>> args);

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
