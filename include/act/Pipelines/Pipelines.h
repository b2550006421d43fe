//===- Pipelines.h - act's pass pipelines -----------------------*- C++ -*-===//

#ifndef ACT_PIPELINES_PIPELINES_H
#define ACT_PIPELINES_PIPELINES_H

#include "act/Dialect/Act/Transforms/MathEmitter.h"

#include "mlir/Pass/PassOptions.h"

#include <string>

namespace mlir {
class OpPassManager;

namespace act {

using math::MathMode;

/// The values of every `math` option (the pipeline's and the tools').
inline llvm::cl::ValuesClass mathModeValues() {
  return llvm::cl::values(
      clEnumValN(MathMode::precise, "precise",
                 "the documented ulp bounds (docs/Accuracy.md)"),
      clEnumValN(MathMode::fast, "fast", "fewer operations, looser bounds"));
}

struct ActToLLVMPipelineOptions
    : public PassPipelineOptions<ActToLLVMPipelineOptions> {
  Option<std::string> targetCpu{
      *this, "target-cpu",
      llvm::cl::desc("'host' (default) or an LLVM x86-64 CPU name such as "
                     "znver4, skylake-avx512, haswell"),
      llvm::cl::init("host")};
  Option<MathMode> math{*this, "math",
                        llvm::cl::desc("Accuracy of exp, tanh, erf, ..."),
                        llvm::cl::init(MathMode::precise), mathModeValues()};
  Option<int64_t> streamingStoreBytes{
      *this, "streaming-store-bytes",
      llvm::cl::desc("Outputs of at least this many bytes are written with "
                     "non-temporal stores (0: never)"),
      llvm::cl::init(16 << 20)};
  Option<unsigned> threads{
      *this, "threads",
      llvm::cl::desc("Threads the kernels run on through OpenMP: 0 (default) "
                     "all cores (or OMP_NUM_THREADS), 1 single-threaded code "
                     "with no runtime calls, N exactly N"),
      llvm::cl::init(0)};
};

/// act ops (and linalg on tensors) to the LLVM dialect: expansion into
/// linalg, fusion, tiling and vectorization for the target's vector width,
/// act's vector math, bufferization, lowering to LLVM.
///
/// The entry point for compilers that embed act: it adds the passes to `pm`
/// (a PassManager on builtin.module, or an op-agnostic one) by constructing
/// them, so no pass needs to be registered. The context running it needs
/// the interfaces that bufferization and convert-to-llvm look up (those of
/// mlir::registerAllDialects and mlir::registerAllExtensions) and act's
/// dialects (act::registerAllDialects).
void buildActToLLVMPipeline(OpPassManager &pm,
                            const ActToLLVMPipelineOptions &options);

/// Registers `act-to-llvm`.
void registerActPipelines();

} // namespace act
} // namespace mlir

#endif // ACT_PIPELINES_PIPELINES_H
