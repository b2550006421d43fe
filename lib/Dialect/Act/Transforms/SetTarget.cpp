//===- SetTarget.cpp - Record the target CPU --------------------*- C++ -*-===//

#include "act/Dialect/Act/Transforms/Passes.h"
#include "act/Dialect/Act/Transforms/Target.h"

#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/OpenMP/OpenMPDialect.h"
#include "mlir/IR/BuiltinOps.h"

namespace mlir::act {
#define GEN_PASS_DEF_ACTSETTARGETPASS
#include "act/Dialect/Act/Transforms/Passes.h.inc"
} // namespace mlir::act

using namespace mlir;

namespace {

struct ActSetTargetPass final
    : act::impl::ActSetTargetPassBase<ActSetTargetPass> {
  using Base::Base;

  void runOnOperation() override {
    ModuleOp module = getOperation();
    std::string error;
    FailureOr<act::TargetInfo> target = act::resolveTarget(cpu, error);
    if (failed(target)) {
      // Not module.emitError: that would print the whole module after it.
      mlir::emitError(module.getLoc(), error);
      return signalPassFailure();
    }
    // The last pass of act-to-llvm: anything not in the LLVM dialect by now
    // is an op the pipeline could not lower, which mlir-translate or the JIT
    // would only reject later and less clearly.
    WalkResult unlowered = module.walk([](Operation *op) {
      // OpenMP's ops (multi-threaded kernels) translate to LLVM IR as they
      // are: runtime calls and outlined functions.
      if (isa<ModuleOp>(op) ||
          isa<LLVM::LLVMDialect, omp::OpenMPDialect>(op->getDialect()))
        return WalkResult::advance();
      op->emitOpError("could not be lowered to the LLVM dialect");
      return WalkResult::interrupt();
    });
    if (unlowered.wasInterrupted())
      return signalPassFailure();

    MLIRContext *ctx = &getContext();
    module->setAttr(LLVM::LLVMDialect::getTargetTripleAttrName(),
                    StringAttr::get(ctx, target->triple));
    auto cpuAttr = StringAttr::get(ctx, target->cpu);
    LLVM::TargetFeaturesAttr features;
    if (!target->features.empty())
      features = LLVM::TargetFeaturesAttr::get(ctx, target->features);
    module.walk([&](LLVM::LLVMFuncOp func) {
      func.setTargetCpuAttr(cpuAttr);
      if (features)
        func.setTargetFeaturesAttr(features);
    });
  }
};

} // namespace
