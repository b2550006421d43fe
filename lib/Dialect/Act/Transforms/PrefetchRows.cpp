//===- PrefetchRows.cpp - Fetch the next row during the current one -------===//
//
// A row kernel (softmax, log_softmax) makes several passes over a row: the
// first streams it from memory while the core mostly waits, the next ones
// find it in cache and compute while memory idles. Prefetching the next row
// from the heaviest pass overlaps the two.
//
//===----------------------------------------------------------------------===//

#include "act/Dialect/Act/Transforms/Passes.h"
#include "act/Dialect/Act/Transforms/Transforms.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Utils/StaticValueUtils.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace mlir::act {
#define GEN_PASS_DEF_ACTPREFETCHROWSPASS
#include "act/Dialect/Act/Transforms/Passes.h.inc"
} // namespace mlir::act

using namespace mlir;

/// Vector operations in `loop`'s body: a measure of its work per iteration.
static int64_t countVectorOps(scf::ForOp loop) {
  int64_t count = 0;
  loop.getBody()->walk([&](Operation *op) {
    count += llvm::any_of(op->getResultTypes(), llvm::IsaPred<VectorType>);
  });
  return count;
}

namespace {

struct ActPrefetchRowsPass final
    : act::impl::ActPrefetchRowsPassBase<ActPrefetchRowsPass> {
  using Base::Base;

  void runOnOperation() override {
    func::FuncOp func = getOperation();
    {
      RewritePatternSet patterns(&getContext());
      act::populateDirectMemRefAccessPatterns(patterns);
      // A cleanup whose rewrites are all valid: not converging (as on
      // maxout's backward) is no reason to fail; see StreamingStores.cpp.
      (void)applyPatternsGreedily(func, std::move(patterns));
    }
    SmallVector<scf::ForOp> rowLoops;
    func.walk([&](scf::ForOp loop) { rowLoops.push_back(loop); });
    for (scf::ForOp loop : rowLoops)
      prefetchNextRow(loop);
    for (scf::ForOp loop : rowLoops)
      prefetchAhead(loop);
  }

  /// In an innermost loop that streams two or more function arguments (a
  /// backward activation: dy and x or y), prefetches each stream kAheadBytes
  /// ahead. With the hardware prefetcher alone such loops waited on memory
  /// in turns with the arithmetic: silu's backward ran at a third of its
  /// in-cache speed, relu's at 0.7 of the triad (0.9 now). One stream
  /// (the forward activations) gains nothing, and is left alone.
  void prefetchAhead(scf::ForOp loop) const {
    if (!loop.getBody()->getOps<scf::ForOp>().empty())
      return;
    std::optional<int64_t> step = getConstantIntValue(loop.getStep());
    if (!step)
      return;
    SetVector<Value> sources;
    loop.getBody()->walk([&](vector::LoadOp load) {
      Value base = load.getBase();
      auto type = cast<MemRefType>(base.getType());
      auto arg = dyn_cast<BlockArgument>(base);
      if (!arg || !isa<func::FuncOp>(arg.getOwner()->getParentOp()) ||
          !type.hasStaticShape() || !type.getLayout().isIdentity() ||
          load.getIndices().back() != loop.getInductionVar())
        return;
      sources.insert(base);
    });
    if (sources.size() < 2)
      return;
    OpBuilder b = OpBuilder::atBlockBegin(loop.getBody());
    Location loc = loop.getLoc();
    for (Value source : sources) {
      auto type = cast<MemRefType>(source.getType());
      int64_t rank = type.getRank();
      unsigned elementBytes = type.getElementTypeBitWidth() / 8;
      if (elementBytes == 0 || *step * elementBytes < kLineBytes)
        continue;
      SmallVector<Value> lead;
      loop.getBody()->walk([&](vector::LoadOp load) {
        if (load.getBase() == source && lead.empty())
          lead.assign(load.getIndices().begin(),
                      load.getIndices().begin() + (rank - 1));
      });
      if (llvm::any_of(lead, [&](Value v) {
            return !v.getParentRegion()->isAncestor(&loop.getRegion());
          }))
        continue;
      // Addresses stay inside the buffer's last dimension.
      int64_t size = type.getDimSize(rank - 1);
      Value last = arith::ConstantIndexOp::create(b, loc, size - 1);
      int64_t ahead = kAheadBytes / elementBytes;
      int64_t lineElements = kLineBytes / elementBytes;
      for (int64_t offset = 0; offset < *step; offset += lineElements) {
        Value c = arith::ConstantIndexOp::create(b, loc, ahead + offset);
        Value column = arith::AddIOp::create(b, loc, loop.getInductionVar(), c);
        column = arith::MinSIOp::create(b, loc, column, last);
        SmallVector<Value> indices(lead);
        indices.push_back(column);
        memref::PrefetchOp::create(b, loc, source, indices, /*isWrite=*/false,
                                   /*localityHint=*/3, /*isDataCache=*/true);
      }
    }
  }

  static constexpr int64_t kAheadBytes = 2048;

  /// If `rows` (step 1) holds several passes over a row of a function
  /// argument, the first of them loading it, prefetches the next row from
  /// the pass with the most vector work.
  void prefetchNextRow(scf::ForOp rows) const {
    if (getConstantIntValue(rows.getStep()) != 1)
      return;
    SmallVector<scf::ForOp> passes(rows.getBody()->getOps<scf::ForOp>());
    if (passes.size() < 2)
      return;
    scf::ForOp first = passes.front();
    scf::ForOp host = *std::max_element(
        passes.begin() + 1, passes.end(), [](scf::ForOp a, scf::ForOp b) {
          return countVectorOps(a) < countVectorOps(b);
        });
    std::optional<int64_t> hostLb = getConstantIntValue(host.getLowerBound());
    std::optional<int64_t> hostStep = getConstantIntValue(host.getStep());
    if (hostLb != 0 || !hostStep)
      return;

    // Rows of arguments that the first pass loads: base[.., row, column].
    SetVector<Value> sources;
    first.getBody()->walk([&](vector::LoadOp load) {
      Value base = load.getBase();
      auto type = cast<MemRefType>(base.getType());
      int64_t rank = type.getRank();
      if (rank < 2 || !isa<BlockArgument>(base) ||
          cast<BlockArgument>(base).getOwner() !=
              &rows->getParentOfType<func::FuncOp>().getBody().front() ||
          !type.hasStaticShape() || !type.getLayout().isIdentity() ||
          load.getIndices()[rank - 2] != rows.getInductionVar())
        return;
      sources.insert(base);
    });

    OpBuilder b(host);
    Location loc = rows.getLoc();
    for (Value source : sources) {
      auto type = cast<MemRefType>(source.getType());
      int64_t rank = type.getRank();
      unsigned elementBytes = type.getElementTypeBitWidth() / 8;
      if (elementBytes == 0 || *hostStep * elementBytes < kLineBytes)
        continue;
      // The next row, or this one again at the end (prefetches never fault,
      // but the address should stay inside the buffer).
      b.setInsertionPoint(host);
      Value one = arith::ConstantIndexOp::create(b, loc, 1);
      Value last = arith::SubIOp::create(b, loc, rows.getUpperBound(), one);
      Value next = arith::AddIOp::create(b, loc, rows.getInductionVar(), one);
      next = arith::MinSIOp::create(b, loc, next, last);
      // Leading indices as in the first pass's loads of this row.
      SmallVector<Value> lead;
      first.getBody()->walk([&](vector::LoadOp load) {
        if (load.getBase() == source && lead.empty())
          lead.assign(load.getIndices().begin(),
                      load.getIndices().begin() + (rank - 2));
      });
      // They must be available in the host pass.
      if (llvm::any_of(lead, [&](Value v) {
            return !v.getParentRegion()->isAncestor(host->getParentRegion());
          }))
        continue;
      // Columns prefetched stay inside the row.
      std::optional<int64_t> hostUb = getConstantIntValue(host.getUpperBound());
      if (!hostUb || *hostUb > type.getDimSize(rank - 1))
        continue;
      int64_t lineElements = kLineBytes / elementBytes;
      b.setInsertionPointToStart(host.getBody());
      for (int64_t offset = 0; offset < *hostStep; offset += lineElements) {
        Value column = host.getInductionVar();
        if (offset) {
          Value c = arith::ConstantIndexOp::create(b, loc, offset);
          column = arith::AddIOp::create(b, loc, column, c);
        }
        SmallVector<Value> indices(lead);
        indices.push_back(next);
        indices.push_back(column);
        memref::PrefetchOp::create(b, loc, source, indices, /*isWrite=*/false,
                                   /*localityHint=*/2, /*isDataCache=*/true);
      }
    }
  }

  static constexpr int64_t kLineBytes = 64;
};

} // namespace
