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
  bool hasFMA = succeeded(target) ? target->hasFMA : true;

  std::string streamingStores;
  if (options.streamingStoreBytes > 0)
    streamingStores =
        llvm::formatv("act-streaming-stores{{vector-bits={0} min-bytes={1}},",
                      vectorBits, options.streamingStoreBytes.getValue());
  // Loops marked act.parallel become scf.parallel right after
  // bufferization, before any pass could hoist their per-iteration buffers
  // (a packed panel, a row of exp) out of them and share them; the buffer
  // passes keep allocations inside scf.parallel. They become OpenMP loops
  // at the end, once nothing needs to move code across them any more.
  std::string parallelize, toOpenMP;
  if (options.threads != 1) {
    parallelize = llvm::formatv("act-parallelize{{threads={0}},",
                                options.threads.getValue());
    // canonicalize inlines the memref.alloca_scope the conversion wraps
    // each iteration in (act-thread-local-allocas has moved its allocas to
    // the threads), which convert-scf-to-cf could not lower into blocks.
    toOpenMP =
        llvm::formatv("convert-scf-to-openmp{{num-threads={0}},"
                      "func.func(act-thread-local-allocas),canonicalize,",
                      options.threads.getValue());
  }
  // act-raise turns imported activations and softmax chains into act ops,
  // and again after fusion has gathered those spread over several generics.
  // Attention and other contractions feeding a softmax are matched while
  // the softmax is still one op; the scale and the masks before it are
  // linalg by then, fused into one loop.
  std::string pipeline = llvm::formatv(
      "func.func(act-raise,convert-elementwise-to-linalg,"
      "act-generalize-elementwise,canonicalize,act-fuse-elementwise,act-raise,"
      "act-lower-attention{{vector-bits={0} fma={4} math={2}}),"
      "convert-act-to-linalg{{math={2}},"
      "func.func(convert-elementwise-to-linalg,act-generalize-elementwise,"
      "canonicalize,act-fuse-elementwise,"
      "act-lower-contractions{{vector-bits={0} fma={4}},canonicalize,cse,"
      "act-tile-and-vectorize{{vector-bits={0}},canonicalize,cse,"
      "loop-invariant-code-motion,"
      "act-expand-math{{math={2}},canonicalize,cse),"
      "eliminate-empty-tensors,one-shot-bufferize{{bufferize-function-"
      "boundaries "
      "function-boundary-type-conversion=identity-layout-map},"
      "canonicalize,cse,canonicalize,{5}"
      "func.func(buffer-hoisting,buffer-loop-hoisting,promote-buffers-to-stack)"
      ","
      "buffer-deallocation-pipeline,convert-bufferization-to-memref,"
      "func.func({3}act-prefetch-rows,"
      "lower-vector-multi-reduction{{lowering-strategy=inner-"
      "reduction},"
      "convert-vector-to-scf),"
      "{6}expand-strided-metadata,lower-affine,convert-scf-to-cf,"
      "convert-vector-to-llvm,convert-math-to-llvm,convert-openmp-to-llvm,"
      "convert-to-llvm,"
      "reconcile-unrealized-casts,act-set-target{{cpu={1}}",
      vectorBits, options.targetCpu.getValue(),
      options.math == MathMode::fast ? "fast" : "precise", streamingStores,
      hasFMA ? "true" : "false", parallelize, toOpenMP);
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
