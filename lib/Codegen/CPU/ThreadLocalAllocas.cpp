//===- ThreadLocalAllocas.cpp - Stack buffers of OpenMP loops per thread --===//

#include "act/Codegen/CPU/Passes.h"

#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/OpenMP/OpenMPDialect.h"
#include "mlir/IR/Matchers.h"

namespace mlir::act {
#define GEN_PASS_DEF_ACTTHREADLOCALALLOCASPASS
#include "act/Codegen/CPU/Passes.h.inc"
} // namespace mlir::act

using namespace mlir;

namespace {

struct ActThreadLocalAllocasPass final
    : act::impl::ActThreadLocalAllocasPassBase<ActThreadLocalAllocasPass> {
  void runOnOperation() override {
    SmallVector<memref::AllocaOp> allocas;
    getOperation().walk([&](memref::AllocaOp alloca) {
      auto scope = dyn_cast<memref::AllocaScopeOp>(alloca->getParentOp());
      if (!scope || !alloca.getDynamicSizes().empty() ||
          !alloca.getSymbolOperands().empty())
        return;
      if (isa_and_nonnull<omp::LoopNestOp>(scope->getParentOp()))
        allocas.push_back(alloca);
    });
    for (memref::AllocaOp alloca : allocas) {
      auto parallel = alloca->getParentOfType<omp::ParallelOp>();
      if (!parallel)
        continue;
      alloca->moveBefore(&parallel.getRegion().front().front());
    }
  }
};

} // namespace
