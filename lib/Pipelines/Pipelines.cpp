//===- Pipelines.cpp - act's pass pipelines ---------------------*- C++ -*-===//

#include "act/Pipelines/Pipelines.h"
#include "act/Dialect/Act/Transforms/Target.h"

#include "mlir/Pass/PassManager.h"
#include "mlir/Pass/PassRegistry.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/raw_ostream.h"

using namespace mlir;

void act::buildActToLLVMPipeline(OpPassManager &pm,
                                 const ActToLLVMPipelineOptions &options) {
  std::string error;
  FailureOr<TargetInfo> target = resolveTarget(options.targetCpu, error);
  // An unknown CPU is reported by act-set-target, which fails the pipeline.
  unsigned vectorBits = succeeded(target) ? target->vectorBits : 256;

  std::string streamingStores;
  if (options.streamingStoreBytes > 0)
    streamingStores =
        llvm::formatv("act-streaming-stores{{vector-bits={0} min-bytes={1}},",
                      vectorBits, options.streamingStoreBytes.getValue());
  std::string pipeline = llvm::formatv(
      "convert-act-to-linalg{{math={2}},"
      "func.func(convert-elementwise-to-linalg,canonicalize,"
      "linalg-fuse-elementwise-ops,"
      "act-tile-and-vectorize{{vector-bits={0}},canonicalize,cse,"
      "loop-invariant-code-motion,"
      "act-expand-math{{math={2}},canonicalize,cse),"
      "eliminate-empty-tensors,one-shot-bufferize{{bufferize-function-"
      "boundaries "
      "function-boundary-type-conversion=identity-layout-map},"
      "canonicalize,cse,canonicalize,"
      "func.func(buffer-hoisting,buffer-loop-hoisting,promote-buffers-to-stack)"
      ","
      "buffer-deallocation-pipeline,convert-bufferization-to-memref,"
      "func.func({3}act-prefetch-rows,"
      "lower-vector-multi-reduction{{lowering-strategy=inner-"
      "reduction},"
      "convert-vector-to-scf),"
      "expand-strided-metadata,lower-affine,convert-scf-to-cf,"
      "convert-vector-to-llvm,convert-math-to-llvm,convert-to-llvm,"
      "reconcile-unrealized-casts,act-set-target{{cpu={1}}",
      vectorBits, options.targetCpu.getValue(),
      options.math == MathMode::fast ? "fast" : "precise", streamingStores);
  if (failed(parsePassPipeline(pipeline, pm, llvm::errs())))
    llvm::report_fatal_error("act-to-llvm: malformed internal pipeline");
}

void act::registerActPipelines() {
  PassPipelineRegistration<ActToLLVMPipelineOptions>(
      "act-to-llvm",
      "Compile act ops (and linalg on tensors) to vectorized LLVM dialect for "
      "an x86-64 CPU",
      buildActToLLVMPipeline);
}
