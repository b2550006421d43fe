//===- Parallelize.cpp - Marked loops to scf.parallel ---------------------===//

#include "act/Codegen/CPU/Passes.h"

#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/IR/PatternMatch.h"

namespace mlir::act {
#define GEN_PASS_DEF_ACTPARALLELIZEPASS
#include "act/Codegen/CPU/Passes.h.inc"
} // namespace mlir::act

using namespace mlir;

namespace {

struct ActParallelizePass final
    : act::impl::ActParallelizePassBase<ActParallelizePass> {
  void runOnOperation() override {
    SmallVector<scf::ForOp> loops;
    getOperation().walk<WalkOrder::PreOrder>([&](scf::ForOp loop) {
      if (!loop->hasAttr(act::kParallelLoopAttr))
        return WalkResult::advance();
      // A loop still carrying values has iterations that depend on each
      // other (bufferization could not make them write in place).
      if (loop.getNumResults() == 0)
        loops.push_back(loop);
      // Nested marked loops stay sequential within a thread.
      return WalkResult::skip();
    });
    IRRewriter rewriter(&getContext());
    for (scf::ForOp loop : loops) {
      rewriter.setInsertionPoint(loop);
      auto parallel = scf::ParallelOp::create(
          rewriter, loop.getLoc(), ValueRange{loop.getLowerBound()},
          ValueRange{loop.getUpperBound()}, ValueRange{loop.getStep()},
          ValueRange{}, nullptr);
      Block *body = parallel.getBody();
      // The new body ends in scf.reduce; the old one in scf.yield.
      rewriter.eraseOp(loop.getBody()->getTerminator());
      rewriter.inlineBlockBefore(loop.getBody(), body->getTerminator(),
                                 parallel.getInductionVars());
      rewriter.eraseOp(loop);
    }
  }
};

} // namespace
