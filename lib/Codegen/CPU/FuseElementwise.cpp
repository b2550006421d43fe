//===- FuseElementwise.cpp - Elementwise fusion without recomputation -----===//

#include "act/Codegen/CPU/Passes.h"
#include "act/Codegen/CPU/Transforms.h"

#include "mlir/Dialect/Affine/IR/AffineOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Linalg/Transforms/Transforms.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Tensor/Transforms/Transforms.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace mlir::act {
#define GEN_PASS_DEF_ACTFUSEELEMENTWISEPASS
#include "act/Codegen/CPU/Passes.h.inc"
} // namespace mlir::act

using namespace mlir;

namespace {

/// Whether fusing the producer of `operand` into its consumer computes each
/// of the producer's elements once: the producer has no other use, and the
/// consumer's map for the operand uses every loop (no loop reuses an
/// element).
bool fusesWithoutRecomputation(OpOperand *operand) {
  Operation *producer = operand->get().getDefiningOp();
  if (!producer || !producer->hasOneUse())
    return false;
  auto consumer = dyn_cast<linalg::LinalgOp>(operand->getOwner());
  if (!consumer)
    return false;
  AffineMap map = consumer.getMatchingIndexingMap(operand);
  llvm::SmallBitVector used(consumer.getNumLoops());
  for (AffineExpr e : map.getResults())
    e.walk([&](AffineExpr inner) {
      if (auto dim = dyn_cast<AffineDimExpr>(inner))
        used.set(dim.getPosition());
    });
  return used.all();
}

/// Whether a reshape may move through the linalg op on either side of
/// `operand` (its producer has one use). Contractions keep their rank:
/// act-lower-contractions matches matmul forms, and a unit dimension moved
/// into one (LayerNorm's keepdim mean reaching the next dense layer) made a
/// 128x1x2304x768 generic that it did not match, 200 times slower.
bool expandsNoContraction(OpOperand *operand) {
  Operation *producer = operand->get().getDefiningOp();
  if (!producer || !producer->hasOneUse())
    return false;
  for (Operation *op : {producer, operand->getOwner()}) {
    auto linalgOp = dyn_cast<linalg::LinalgOp>(op);
    if (linalgOp && linalg::isaContractionOpInterface(linalgOp))
      return false;
  }
  return true;
}

struct ActFuseElementwisePass final
    : act::impl::ActFuseElementwisePassBase<ActFuseElementwisePass> {
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    act::populateFuseElementwisePatterns(patterns);
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns)))) {
      getOperation().emitError("internal error in act: act-fuse-elementwise "
                               "did not converge (please report this input)");
      return signalPassFailure();
    }
  }
};

} // namespace

void act::populateFuseElementwisePatterns(RewritePatternSet &patterns) {
  MLIRContext *ctx = patterns.getContext();
  // What upstream's linalg-fuse-elementwise-ops applies, with act's control
  // for the fusion itself.
  linalg::populateElementwiseOpsFusionPatterns(patterns,
                                               fusesWithoutRecomputation);
  auto singleUse = [](OpOperand *operand) {
    Operation *producer = operand->get().getDefiningOp();
    return producer && producer->hasOneUse();
  };
  linalg::populateFoldReshapeOpsByExpansionPatterns(patterns,
                                                    expandsNoContraction);
  tensor::populateBubbleUpExpandShapePatterns(patterns);
  affine::AffineApplyOp::getCanonicalizationPatterns(patterns, ctx);
  linalg::GenericOp::getCanonicalizationPatterns(patterns, ctx);
  tensor::ExpandShapeOp::getCanonicalizationPatterns(patterns, ctx);
  tensor::CollapseShapeOp::getCanonicalizationPatterns(patterns, ctx);
  ctx->getOrLoadDialect<linalg::LinalgDialect>()->getCanonicalizationPatterns(
      patterns);
  linalg::populateConstantFoldLinalgOperations(patterns, singleUse);
}
