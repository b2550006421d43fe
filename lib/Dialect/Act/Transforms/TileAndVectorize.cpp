//===- TileAndVectorize.cpp - Tile, fuse and vectorize for the CPU --------===//

#include "act/Codegen/CPU/Markers.h"
#include "act/Dialect/Act/Transforms/Passes.h"

#include "mlir/Dialect/Affine/IR/AffineOps.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Bufferization/IR/Bufferization.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Linalg/Transforms/Transforms.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/SCF/Transforms/TileUsingInterface.h"
#include "mlir/Dialect/SCF/Transforms/Transforms.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Tensor/Transforms/Transforms.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/Dialect/Vector/Transforms/LoweringPatterns.h"
#include "mlir/Dialect/Vector/Transforms/VectorRewritePatterns.h"
#include "mlir/IR/Dominance.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Interfaces/TilingInterface.h"
#include "mlir/Transforms/CSE.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace mlir::act {
#define GEN_PASS_DEF_ACTTILEANDVECTORIZEPASS
#include "act/Dialect/Act/Transforms/Passes.h.inc"
} // namespace mlir::act

using namespace mlir;

/// Whether `op` reduces along any loop but its innermost one.
static bool reducesOutsideInnermost(linalg::LinalgOp op) {
  SmallVector<utils::IteratorType> iterators = op.getIteratorTypesArray();
  for (size_t i = 0, e = iterators.size(); i + 1 < e; ++i)
    if (iterators[i] == utils::IteratorType::reduction)
      return true;
  return false;
}

/// Level 1: tiles `root` by 1 along all but its innermost loop and fuses
/// producers whose reductions stay inside the tile.
static LogicalResult tileRowsAndFuse(RewriterBase &rewriter,
                                     linalg::LinalgOp root) {
  int64_t loops = root.getNumLoops();
  if (loops < 2 || reducesOutsideInnermost(root))
    return success();
  SmallVector<OpFoldResult> sizes(loops - 1, rewriter.getIndexAttr(1));
  sizes.push_back(rewriter.getIndexAttr(0));
  scf::SCFTileAndFuseOptions options;
  options.tilingOptions.setTileSizes(sizes);
  options.setFusionControlFn(
      [](tensor::ExtractSliceOp, OpResult producer, bool isDestination)
          -> std::optional<scf::SCFTileAndFuseOptions::ControlFnResult> {
        // Only ops that can compute a tile: anything else (a func.call
        // returning the tensor, say) would be cloned whole into the loop.
        if (!isa<TilingInterface>(producer.getOwner()))
          return std::nullopt;
        auto linalgProducer = dyn_cast<linalg::LinalgOp>(producer.getOwner());
        // A producer reducing along a tiled loop would be recomputed whole
        // for every tile.
        if (linalgProducer && reducesOutsideInnermost(linalgProducer))
          return std::nullopt;
        return scf::SCFTileAndFuseOptions::ControlFnResult{};
      });
  rewriter.setInsertionPoint(root);
  FailureOr<scf::SCFTileAndFuseResult> result =
      scf::tileConsumerAndFuseProducersUsingSCF(
          rewriter, cast<TilingInterface>(root.getOperation()), options);
  if (failed(result))
    return root.emitOpError("could not be tiled by rows");
  // Rows are independent: each iteration writes its own rows of the result.
  if (!result->loops.empty())
    result->loops.front()->setAttr(act::kParallelLoopAttr,
                                   rewriter.getUnitAttr());
  for (auto [original, replacement] : result->replacements)
    rewriter.replaceAllUsesWith(original, replacement);
  return success();
}

/// Level 2: tiles the innermost loop of `op` by `tile` (other loops by 1),
/// as a partial reduction if it reduces, and peels the partial last tile.
static LogicalResult tileInnermost(RewriterBase &rewriter, linalg::LinalgOp op,
                                   int64_t tile) {
  int64_t loops = op.getNumLoops();
  if (loops == 0)
    return success();
  SmallVector<int64_t> ranges = op.getStaticLoopRanges();
  bool innermostReduces =
      op.getIteratorTypesArray().back() == utils::IteratorType::reduction;
  rewriter.setInsertionPoint(op);
  SmallVector<OpFoldResult> sizes;
  scf::ForOp innerLoop;
  bool outerLoopsLeft = false;
  for (int64_t i = 0; i + 1 < loops; ++i)
    outerLoopsLeft |= ranges[i] != 1;
  if (innermostReduces && outerLoopsLeft) {
    // A row reduction that level 1 did not cut to one row (a reduction along
    // several loops, such as a loss summed over a whole batch, and the
    // log_softmax feeding it): vectorized whole it would be unrolled into
    // one register per row. A loop over all but the innermost loop takes one
    // row at a time instead (accumulating, for outer reductions); the row is
    // tiled below.
    sizes.assign(loops - 1, rewriter.getIndexAttr(1));
    sizes.push_back(rewriter.getIndexAttr(0));
    scf::SCFTilingOptions options;
    options.setTileSizes(sizes);
    FailureOr<scf::SCFTilingResult> result = scf::tileUsingSCF(
        rewriter, cast<TilingInterface>(op.getOperation()), options);
    if (failed(result))
      return op.emitOpError("could not be tiled by rows of its reduction");
    rewriter.replaceOp(op, result->replacements);
    auto rowOp = dyn_cast<linalg::LinalgOp>(result->tiledOps.front());
    if (!rowOp)
      return success();
    // The row op reduces along its innermost loop only now (its other
    // loops have one iteration).
    return tileInnermost(rewriter, rowOp, tile);
  }
  if (innermostReduces) {
    // Partial reduction tiles only the reduction loop; level 1 has already
    // cut the others down to one row.
    sizes.assign(loops - 1, rewriter.getIndexAttr(0));
    sizes.push_back(rewriter.getIndexAttr(tile));
    // A reduction no longer than one tile is vectorized whole.
    if (!ShapedType::isDynamic(ranges.back()) && ranges.back() <= tile)
      return success();
    auto partial = dyn_cast<PartialReductionOpInterface>(op.getOperation());
    if (!partial)
      return success();
    scf::SCFTilingOptions options;
    options.setTileSizes(sizes);
    options.setReductionTilingStrategy(
        ReductionTilingStrategy::PartialReductionOuterReduction);
    options.setReductionDims({static_cast<unsigned>(loops - 1)});
    FailureOr<scf::SCFTilingResult> result = scf::tileUsingSCF(
        rewriter, cast<TilingInterface>(op.getOperation()), options);
    if (failed(result))
      return op.emitOpError("could not be tiled as a partial reduction");
    rewriter.replaceOp(op, result->replacements);
    if (!result->loops.empty())
      innerLoop = dyn_cast<scf::ForOp>(result->loops.back().getOperation());
  } else {
    // Outer reductions (softmax along dim 0) are tiled by 1 too: a loop that
    // accumulates one row of inputs into a tile of the output at a time,
    // rather than whole columns as vectors as long as the reduction.
    sizes.assign(loops - 1, rewriter.getIndexAttr(1));
    sizes.push_back(rewriter.getIndexAttr(tile));
    scf::SCFTilingOptions options;
    options.setTileSizes(sizes);
    FailureOr<scf::SCFTilingResult> result = scf::tileUsingSCF(
        rewriter, cast<TilingInterface>(op.getOperation()), options);
    if (failed(result))
      return op.emitOpError("could not be tiled along its innermost loop");
    // An op without reductions writes each tile once: its outermost loop
    // may run on several threads (inside a row loop it stays sequential).
    if (!result->loops.empty() && op.getNumParallelLoops() == op.getNumLoops())
      result->loops.front()->setAttr(act::kParallelLoopAttr,
                                     rewriter.getUnitAttr());
    rewriter.replaceOp(op, result->replacements);
    if (!result->loops.empty())
      innerLoop = dyn_cast<scf::ForOp>(result->loops.back().getOperation());
  }
  if (innerLoop) {
    scf::ForOp partialIteration;
    // Fails (harmlessly) when the tile divides the range.
    (void)scf::peelForLoopAndSimplifyBounds(rewriter, innerLoop,
                                            partialIteration);
  }
  return success();
}

/// Vectorizes `op`: statically shaped ops as they are, the others (peeled
/// tails) masked, with vectors as long as the tile.
static LogicalResult vectorizeOp(RewriterBase &rewriter, linalg::LinalgOp op,
                                 int64_t tile) {
  SmallVector<int64_t> ranges = op.getStaticLoopRanges();
  SmallVector<int64_t> vectorSizes;
  if (llvm::any_of(ranges, ShapedType::isDynamic)) {
    for (int64_t range : ranges)
      vectorSizes.push_back(ShapedType::isDynamic(range) ? tile : range);
  }
  rewriter.setInsertionPoint(op);
  // One scalable flag per vector size: left empty, the masks' types come out
  // with a scalability list of another length than the ops they mask expect,
  // which prints the same but fails the verifier.
  SmallVector<bool> scalable(vectorSizes.size(), false);
  FailureOr<linalg::VectorizationResult> result =
      linalg::vectorize(rewriter, op, vectorSizes, scalable);
  if (failed(result))
    return op.emitOpError("could not be vectorized");
  if (op->getNumResults())
    rewriter.replaceOp(op, result->replacements);
  else
    rewriter.eraseOp(op);
  return success();
}

namespace {

struct ActTileAndVectorizePass final
    : act::impl::ActTileAndVectorizePassBase<ActTileAndVectorizePass> {
  using Base::Base;

  void runOnOperation() override {
    func::FuncOp func = getOperation();
    MLIRContext *ctx = &getContext();
    IRRewriter rewriter(ctx);
    // f32 lanes per register: narrower types are computed in f32 anyway.
    int64_t tile = std::max<int64_t>(1, vectorBits / 32) * unroll;

    // An op with an empty iteration space leaves its inits as they are (and
    // the tiling utilities divide by the loop ranges).
    SmallVector<linalg::LinalgOp> empty;
    func.walk([&](linalg::LinalgOp op) {
      if (op.hasPureTensorSemantics() &&
          llvm::is_contained(op.getStaticLoopRanges(), 0))
        empty.push_back(op);
    });
    for (linalg::LinalgOp op : empty)
      rewriter.replaceOp(op, op.getDpsInits());

    // Level 1, roots last to first so that fusion sees whole producers.
    SmallVector<linalg::LinalgOp> roots;
    func.walk([&](linalg::LinalgOp op) {
      if (!op.hasPureTensorSemantics())
        return;
      bool consumedByLinalg = llvm::any_of(op->getUsers(), [](Operation *u) {
        return isa<linalg::LinalgOp>(u);
      });
      if (!consumedByLinalg)
        roots.push_back(op);
    });
    for (linalg::LinalgOp root : llvm::reverse(roots))
      if (failed(tileRowsAndFuse(rewriter, root)))
        return signalPassFailure();
    if (failed(cleanUp(func)))
      return signalPassFailure();

    // Level 2.
    SmallVector<linalg::LinalgOp> ops;
    func.walk([&](linalg::LinalgOp op) {
      // Fills stay whole (the accumulators of partial reductions) unless
      // they are longer than a tile: unrolled into one transfer per
      // register, a long fill makes bufferization quadratic.
      if (!op.hasPureTensorSemantics())
        return;
      SmallVector<int64_t> ranges = op.getStaticLoopRanges();
      if (!isa<linalg::FillOp>(op) ||
          (!ranges.empty() &&
           (ShapedType::isDynamic(ranges.back()) || ranges.back() > tile)))
        ops.push_back(op);
    });
    for (linalg::LinalgOp op : ops)
      if (failed(tileInnermost(rewriter, op, tile)))
        return signalPassFailure();
    if (failed(cleanUp(func)))
      return signalPassFailure();

    // Vectorize everything.
    ops.clear();
    func.walk([&](linalg::LinalgOp op) { ops.push_back(op); });
    for (linalg::LinalgOp op : ops)
      if (failed(vectorizeOp(rewriter, op, tile)))
        return signalPassFailure();

    RewritePatternSet patterns(ctx);
    // Tiles are `unroll` registers long; split them into register-wide
    // vectors so the IR says what the machine does (<8 x float> on AVX2,
    // <16 x float> on AVX-512).
    vector::populateVectorUnrollPatterns(
        patterns,
        vector::UnrollVectorOptions()
            .setNativeShapeFn([this](Operation *op) { return nativeShape(op); })
            .setFilterConstraint(
                [](Operation *op) { return success(isUnrollable(op)); }));
    vector::populateCastAwayVectorLeadingOneDimPatterns(patterns);
    vector::populateVectorTransferDropUnitDimsPatterns(patterns);
    vector::populateDropUnitDimWithShapeCastPatterns(patterns);
    vector::populateSinkVectorOpsPatterns(patterns);
    addCanonicalization(patterns);
    if (failed(applyPatternsGreedily(func, std::move(patterns)))) {
      func.emitError("internal error in act: act-tile-and-vectorize's "
                     "rewrites did not converge (please report this input)");
      return signalPassFailure();
    }
    privatizeScratchTensors(func);
  }

  /// A tensor.empty used inside a loop that may run on several threads is
  /// an iteration's scratch (a row of exp), whether it was created there or
  /// CSE merged it with an equal one outside. Each such loop gets its own
  /// allocation instead: unlike a tensor.empty, loop-invariant code motion
  /// does not hoist it, so bufferization gives every thread its own buffer.
  /// (Done last: as tensor.empty, the scratch lets CSE merge the copies of a
  /// producer that fusion made for several consumers.)
  static void privatizeScratchTensors(func::FuncOp func) {
    // The outermost marked loop around `op`, if any.
    auto markedLoop = [&](Operation *op) -> Operation * {
      Operation *loop = nullptr;
      for (op = op->getParentOp(); op != func; op = op->getParentOp())
        if (op->hasAttr(act::kParallelLoopAttr))
          loop = op;
      return loop;
    };
    SmallVector<tensor::EmptyOp> empties;
    func.walk([&](tensor::EmptyOp empty) { empties.push_back(empty); });
    IRRewriter rewriter(func.getContext());
    for (tensor::EmptyOp empty : empties) {
      if (markedLoop(empty)) {
        rewriter.setInsertionPoint(empty);
        rewriter.replaceOpWithNewOp<bufferization::AllocTensorOp>(
            empty, empty.getType(), empty.getDynamicSizes());
        continue;
      }
      llvm::MapVector<Operation *, SmallVector<OpOperand *>> usesByLoop;
      for (OpOperand &use : empty->getUses())
        if (Operation *loop = markedLoop(use.getOwner()))
          usesByLoop[loop].push_back(&use);
      for (auto &[loop, uses] : usesByLoop) {
        // Its sizes are defined outside the loop, so they dominate it.
        rewriter.setInsertionPointToStart(&loop->getRegion(0).front());
        Value scratch = bufferization::AllocTensorOp::create(
            rewriter, empty.getLoc(), empty.getType(), empty.getDynamicSizes());
        for (OpOperand *use : uses)
          use->set(scratch);
      }
    }
  }

  /// Elementwise ops and plain transfers split cleanly; reductions,
  /// broadcasts and masked transfers are left whole (splitting them makes the
  /// unroll and canonicalization patterns undo each other).
  static bool isUnrollable(Operation *op) {
    if (OpTrait::hasElementwiseMappableTraits(op))
      return true;
    if (auto read = dyn_cast<vector::TransferReadOp>(op))
      return !read.getMask() && read.getPermutationMap().isMinorIdentity() &&
             !isa<vector::MaskOp>(op->getParentOp());
    if (auto write = dyn_cast<vector::TransferWriteOp>(op))
      return !write.getMask() && write.getPermutationMap().isMinorIdentity() &&
             !isa<vector::MaskOp>(op->getParentOp());
    return false;
  }

  /// One register of the widest element type `op` touches, for 1-D vectors
  /// that are a whole number of registers long.
  std::optional<SmallVector<int64_t>> nativeShape(Operation *op) const {
    unsigned bits = 0;
    int64_t length = 0;
    auto visit = [&](Type type) {
      auto vector = dyn_cast<VectorType>(type);
      if (!vector || vector.getRank() != 1)
        return;
      length = std::max(length, vector.getDimSize(0));
      if (vector.getElementType().isIntOrFloat() &&
          vector.getElementTypeBitWidth() > 1)
        bits = std::max(bits, vector.getElementTypeBitWidth());
    };
    llvm::for_each(op->getOperandTypes(), visit);
    llvm::for_each(op->getResultTypes(), visit);
    if (!bits)
      return std::nullopt;
    int64_t lanes = std::max<int64_t>(1, vectorBits / bits);
    if (length <= lanes || length % lanes != 0)
      return std::nullopt;
    return SmallVector<int64_t>{lanes};
  }

  static void addCanonicalization(RewritePatternSet &patterns) {
    MLIRContext *ctx = patterns.getContext();
    for (Dialect *dialect : ctx->getLoadedDialects())
      dialect->getCanonicalizationPatterns(patterns);
    for (RegisteredOperationName op : ctx->getRegisteredOperations())
      op.getCanonicalizationPatterns(patterns, ctx);
  }

  /// Canonicalizes so that tiles of static size get static types, and
  /// merges producers that fusion duplicated into several consumers (the
  /// row max of softmax feeds both the sum and the normalization).
  LogicalResult cleanUp(func::FuncOp func) {
    RewritePatternSet patterns(func.getContext());
    addCanonicalization(patterns);
    tensor::populateFoldTensorEmptyPatterns(patterns);
    if (failed(applyPatternsGreedily(func, std::move(patterns))))
      return func.emitError("internal error in act: act-tile-and-vectorize's "
                            "rewrites did not converge (please report this "
                            "input)");
    IRRewriter rewriter(func.getContext());
    DominanceInfo dominance(func);
    eliminateCommonSubExpressions(rewriter, dominance, func);
    return success();
  }
};

} // namespace
