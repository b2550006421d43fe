//===- Pipelines.cpp - act's pass pipelines ---------------------*- C++ -*-===//
//
// act-to-llvm is assembled from typed pass constructors, not parsed from a
// string: a compiler that embeds it needs no global pass registration, and a
// renamed pass or option fails to compile instead of failing at run time.
//
//===----------------------------------------------------------------------===//

#include "act/Pipelines/Pipelines.h"
#include "act/Codegen/CPU/Passes.h"
#include "act/Conversion/Passes.h"
#include "act/Dialect/Act/Transforms/Passes.h"
#include "act/Dialect/Act/Transforms/Target.h"

#include "mlir/Conversion/AffineToStandard/AffineToStandard.h"
#include "mlir/Conversion/BufferizationToMemRef/BufferizationToMemRef.h"
#include "mlir/Conversion/ConvertToLLVM/ToLLVMPass.h"
#include "mlir/Conversion/MathToLLVM/MathToLLVM.h"
#include "mlir/Conversion/OpenMPToLLVM/ConvertOpenMPToLLVM.h"
#include "mlir/Conversion/ReconcileUnrealizedCasts/ReconcileUnrealizedCasts.h"
#include "mlir/Conversion/SCFToControlFlow/SCFToControlFlow.h"
#include "mlir/Conversion/SCFToOpenMP/SCFToOpenMP.h"
#include "mlir/Conversion/VectorToLLVM/ConvertVectorToLLVMPass.h"
#include "mlir/Conversion/VectorToSCF/VectorToSCF.h"
#include "mlir/Dialect/Bufferization/Pipelines/Passes.h"
#include "mlir/Dialect/Bufferization/Transforms/Passes.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/Passes.h"
#include "mlir/Dialect/MemRef/Transforms/Passes.h"
#include "mlir/Dialect/Vector/Transforms/Passes.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Pass/PassRegistry.h"
#include "mlir/Transforms/Passes.h"

using namespace mlir;

void act::buildActToLLVMPipeline(OpPassManager &pm,
                                 const ActToLLVMPipelineOptions &options) {
  std::string error;
  FailureOr<TargetInfo> target = resolveTarget(options.targetCpu, error);
  // An unknown CPU is reported by act-set-target, which fails the pipeline.
  unsigned vectorBits = succeeded(target) ? target->vectorBits : 256;
  bool hasFMA = succeeded(target) ? target->hasFMA : true;
  MathMode math = options.math;

  // act-raise turns imported activations and softmax chains into act ops,
  // and again after fusion has gathered those spread over several generics.
  // Attention and other contractions feeding a softmax are matched while
  // the softmax is still one op; the scale and the masks before it are
  // linalg by then, fused into one loop.
  {
    OpPassManager &fpm = pm.nest<func::FuncOp>();
    fpm.addPass(createActRaisePass());
    fpm.addPass(createConvertElementwiseToLinalgPass());
    fpm.addPass(createActGeneralizeElementwisePass());
    fpm.addPass(createCanonicalizerPass());
    fpm.addPass(createActFuseElementwisePass());
    fpm.addPass(createActRaisePass());
    fpm.addPass(createActLowerAttentionPass(
        ActLowerAttentionPassOptions{vectorBits, hasFMA, math}));
  }
  pm.addPass(createConvertActToLinalgPass(ConvertActToLinalgPassOptions{math}));
  {
    OpPassManager &fpm = pm.nest<func::FuncOp>();
    fpm.addPass(createConvertElementwiseToLinalgPass());
    fpm.addPass(createActGeneralizeElementwisePass());
    fpm.addPass(createCanonicalizerPass());
    fpm.addPass(createActFuseElementwisePass());
    fpm.addPass(createActLowerContractionsPass(
        ActLowerContractionsPassOptions{vectorBits, hasFMA}));
    fpm.addPass(createCanonicalizerPass());
    fpm.addPass(createCSEPass());
    ActTileAndVectorizePassOptions tileOptions;
    tileOptions.vectorBits = vectorBits;
    fpm.addPass(createActTileAndVectorizePass(tileOptions));
    fpm.addPass(createCanonicalizerPass());
    fpm.addPass(createCSEPass());
    fpm.addPass(createLoopInvariantCodeMotionPass());
    fpm.addPass(createActExpandMathPass(ActExpandMathPassOptions{math}));
    // The masked tails of dynamic sizes become masked transfers while still
    // on tensors: buffer deallocation would put its ownership flags inside a
    // vector.mask region, which must hold one op.
    fpm.addPass(vector::createLowerVectorMaskPass());
    fpm.addPass(createCanonicalizerPass());
    fpm.addPass(createCSEPass());
  }
  pm.addPass(bufferization::createEmptyTensorEliminationPass());
  bufferization::OneShotBufferizePassOptions bufferizeOptions;
  bufferizeOptions.bufferizeFunctionBoundaries = true;
  bufferizeOptions.functionBoundaryTypeConversion =
      bufferization::LayoutMapOption::IdentityLayoutMap;
  pm.addPass(bufferization::createOneShotBufferizePass(bufferizeOptions));
  pm.addPass(createCanonicalizerPass());
  pm.addPass(createCSEPass());
  pm.addPass(createCanonicalizerPass());
  // Loops marked act.parallel become scf.parallel right after
  // bufferization, before any pass could hoist their per-iteration buffers
  // (a packed panel, a row of exp) out of them and share them; the buffer
  // passes keep allocations inside scf.parallel. They become OpenMP loops
  // at the end, once nothing needs to move code across them any more.
  if (options.threads != 1) {
    ActParallelizePassOptions parallelOptions;
    parallelOptions.threads = options.threads;
    pm.addPass(createActParallelizePass(parallelOptions));
  }
  {
    OpPassManager &fpm = pm.nest<func::FuncOp>();
    fpm.addPass(bufferization::createBufferHoistingPass());
    fpm.addPass(bufferization::createBufferLoopHoistingPass());
    fpm.addPass(bufferization::createPromoteBuffersToStackPass());
  }
  bufferization::buildBufferDeallocationPipeline(
      pm, bufferization::BufferDeallocationPipelineOptions());
  pm.addPass(createConvertBufferizationToMemRefPass());
  {
    OpPassManager &fpm = pm.nest<func::FuncOp>();
    if (options.streamingStoreBytes > 0) {
      ActStreamingStoresPassOptions storeOptions;
      storeOptions.vectorBits = vectorBits;
      storeOptions.minBytes = options.streamingStoreBytes;
      fpm.addPass(createActStreamingStoresPass(storeOptions));
    }
    fpm.addPass(createActPrefetchRowsPass());
    fpm.addPass(vector::createLowerVectorMultiReductionPass(
        vector::VectorMultiReductionLowering::InnerReduction));
    fpm.addPass(createConvertVectorToSCFPass());
  }
  if (options.threads != 1) {
    pm.addPass(createConvertSCFToOpenMPPass(
        ConvertSCFToOpenMPPassOptions{options.threads}));
    pm.addNestedPass<func::FuncOp>(createActThreadLocalAllocasPass());
    // canonicalize inlines the memref.alloca_scope the conversion wraps
    // each iteration in (act-thread-local-allocas has moved its allocas to
    // the threads), which convert-scf-to-cf could not lower into blocks.
    pm.addPass(createCanonicalizerPass());
  }
  pm.addPass(memref::createExpandStridedMetadataPass());
  pm.addPass(createLowerAffinePass());
  pm.addPass(createSCFToControlFlowPass());
  pm.addPass(createConvertVectorToLLVMPass());
  pm.addPass(createConvertMathToLLVMPass());
  pm.addPass(createConvertOpenMPToLLVMPass());
  pm.addPass(createConvertToLLVMPass());
  pm.addPass(createReconcileUnrealizedCastsPass());
  ActSetTargetPassOptions targetOptions;
  targetOptions.cpu = options.targetCpu;
  pm.addPass(createActSetTargetPass(targetOptions));
}

void act::registerActPipelines() {
  PassPipelineRegistration<ActToLLVMPipelineOptions>(
      "act-to-llvm",
      "Compile act ops (and linalg on tensors) to vectorized LLVM dialect for "
      "an x86-64 CPU",
      buildActToLLVMPipeline);
}
