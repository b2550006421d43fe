//===- GeneralizeElementwise.cpp - Named elementwise linalg to generic ----===//

#include "act/Codegen/CPU/Passes.h"

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Linalg/Transforms/Transforms.h"
#include "mlir/IR/PatternMatch.h"

namespace mlir::act {
#define GEN_PASS_DEF_ACTGENERALIZEELEMENTWISEPASS
#include "act/Codegen/CPU/Passes.h.inc"
} // namespace mlir::act

using namespace mlir;

namespace {

struct ActGeneralizeElementwisePass final
    : act::impl::ActGeneralizeElementwisePassBase<
          ActGeneralizeElementwisePass> {
  void runOnOperation() override {
    SmallVector<linalg::LinalgOp> named;
    getOperation().walk([&](linalg::LinalgOp op) {
      if (isa<linalg::GenericOp, linalg::FillOp, linalg::TransposeOp>(op) ||
          !op.hasPureTensorSemantics())
        return;
      if (op.getNumLoops() == op.getNumParallelLoops())
        named.push_back(op);
    });
    IRRewriter rewriter(&getContext());
    for (linalg::LinalgOp op : named) {
      rewriter.setInsertionPoint(op);
      // Ops without a region body to inline (none among the elementwise
      // ones today) simply stay named.
      (void)linalg::generalizeNamedOp(rewriter, op);
    }
  }
};

} // namespace
