//===- StreamingStores.cpp - Non-temporal stores for large outputs --------===//
//
// An ordinary store to a line that is not in the cache first reads the line
// (read-for-ownership), so a kernel that streams a large output moves three
// bytes per byte written instead of two. Aligned non-temporal stores skip
// that read. They need register-aligned addresses, which only the runtime
// knows, so each qualifying loop is versioned on its base pointers'
// alignment.
//
//===----------------------------------------------------------------------===//

#include "act/Dialect/Act/Transforms/Passes.h"
#include "act/Dialect/Act/Transforms/Transforms.h"

#include "mlir/Dialect/Affine/IR/AffineOps.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/MemRef/Transforms/Transforms.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/Dialect/Vector/Transforms/LoweringPatterns.h"
#include "mlir/IR/IRMapping.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"
#include "mlir/Interfaces/ViewLikeInterface.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

#include <numeric>

namespace mlir::act {
#define GEN_PASS_DEF_ACTSTREAMINGSTORESPASS
#include "act/Dialect/Act/Transforms/Passes.h.inc"
} // namespace mlir::act

using namespace mlir;

void act::populateDirectMemRefAccessPatterns(RewritePatternSet &patterns) {
  vector::populateVectorTransferLoweringPatterns(patterns,
                                                 /*maxTransferRank=*/1);
  memref::populateFoldMemRefAliasOpPatterns(patterns);
}

/// Stands for "divisible by anything" (the index 0).
static constexpr int64_t kAnyDivisor = int64_t(1) << 40;

static int64_t gcdOf(int64_t a, int64_t b) {
  return std::gcd(a, b) == 0 ? kAnyDivisor
                             : std::min(std::gcd(a, b), kAnyDivisor);
}

static int64_t divisorOf(Value v);

/// A divisor every value of `expr` has, given divisors of its operands.
static int64_t divisorOf(AffineExpr expr, ArrayRef<int64_t> dims,
                         ArrayRef<int64_t> symbols) {
  if (auto c = dyn_cast<AffineConstantExpr>(expr))
    return c.getValue() == 0 ? kAnyDivisor : std::abs(c.getValue());
  if (auto d = dyn_cast<AffineDimExpr>(expr))
    return dims[d.getPosition()];
  if (auto s = dyn_cast<AffineSymbolExpr>(expr))
    return symbols[s.getPosition()];
  auto binary = cast<AffineBinaryOpExpr>(expr);
  int64_t lhs = divisorOf(binary.getLHS(), dims, symbols);
  int64_t rhs = divisorOf(binary.getRHS(), dims, symbols);
  switch (expr.getKind()) {
  case AffineExprKind::Add:
    return gcdOf(lhs, rhs);
  case AffineExprKind::Mul:
    return std::min(lhs * rhs, kAnyDivisor);
  default:
    return 1;
  }
}

/// A number that divides every value `v` can take (1 when nothing is known):
/// enough to prove that an index is a whole number of vectors.
static int64_t divisorOf(Value v) {
  if (std::optional<int64_t> c = getConstantIntValue(v))
    return *c == 0 ? kAnyDivisor : std::min(std::abs(*c), kAnyDivisor);
  if (auto iv = dyn_cast<BlockArgument>(v)) {
    auto loop = dyn_cast<scf::ForOp>(iv.getOwner()->getParentOp());
    if (!loop || iv != loop.getInductionVar())
      return 1;
    return gcdOf(divisorOf(loop.getLowerBound()), divisorOf(loop.getStep()));
  }
  Operation *def = v.getDefiningOp();
  if (auto add = dyn_cast_or_null<arith::AddIOp>(def))
    return gcdOf(divisorOf(add.getLhs()), divisorOf(add.getRhs()));
  if (auto sub = dyn_cast_or_null<arith::SubIOp>(def))
    return gcdOf(divisorOf(sub.getLhs()), divisorOf(sub.getRhs()));
  if (auto mul = dyn_cast_or_null<arith::MulIOp>(def))
    return std::min(divisorOf(mul.getLhs()) * divisorOf(mul.getRhs()),
                    kAnyDivisor);
  if (auto apply = dyn_cast_or_null<affine::AffineApplyOp>(def)) {
    AffineMap map = apply.getAffineMap();
    SmallVector<int64_t> dims, symbols;
    for (Value operand : apply.getDimOperands())
      dims.push_back(divisorOf(operand));
    for (Value operand : apply.getSymbolOperands())
      symbols.push_back(divisorOf(operand));
    return divisorOf(map.getResult(0), dims, symbols);
  }
  return 1;
}

/// The memref `v` is a view of (itself if it is none).
static Value rootOf(Value v) {
  while (auto view = v.getDefiningOp<ViewLikeOpInterface>())
    v = view.getViewSource();
  return v;
}

/// Whether `op` may read `memref` (directly or through a view of it).
static bool mayRead(Operation *op, Value memref) {
  bool reads = false;
  op->walk([&](Operation *nested) {
    auto effects = dyn_cast<MemoryEffectOpInterface>(nested);
    if (!effects) {
      // Unknown ops (calls) may read anything.
      reads |= !nested->hasTrait<OpTrait::HasRecursiveMemoryEffects>() &&
               !isPure(nested);
      return;
    }
    SmallVector<MemoryEffects::EffectInstance> instances;
    effects.getEffects(instances);
    for (const MemoryEffects::EffectInstance &effect : instances) {
      if (!isa<MemoryEffects::Read>(effect.getEffect()))
        continue;
      Value read = effect.getValue();
      if (!read)
        reads = true;
      else if (rootOf(read) == memref)
        reads = true;
    }
  });
  return reads;
}

namespace {

struct ActStreamingStoresPass final
    : act::impl::ActStreamingStoresPassBase<ActStreamingStoresPass> {
  using Base::Base;

  void runOnOperation() override {
    func::FuncOp func = getOperation();
    {
      RewritePatternSet patterns(&getContext());
      act::populateDirectMemRefAccessPatterns(patterns);
      // A cleanup: every rewrite it makes is valid, so not converging within
      // the iteration limit (it did not on maxout's backward, silently
      // failing the pipeline) is no reason to fail.
      (void)applyPatternsGreedily(func, std::move(patterns));
    }

    // The innermost loops whose stores qualify, in program order.
    llvm::MapVector<scf::ForOp, SmallVector<vector::StoreOp>> loops;
    func.walk([&](vector::StoreOp store) {
      if (qualifies(store))
        if (auto loop = dyn_cast<scf::ForOp>(store->getParentOp()))
          loops[loop].push_back(store);
    });
    bool streamed = false;
    for (auto &[loop, stores] : loops)
      streamed |= version(loop, stores);
    if (!streamed)
      return;
    // Streaming stores are weakly ordered: fence them before the caller (or
    // another thread it signals) reads the output.
    func.walk([&](func::ReturnOp ret) {
      OpBuilder b(ret);
      LLVM::CallIntrinsicOp::create(b, ret.getLoc(),
                                    b.getStringAttr("llvm.x86.sse.sfence"),
                                    ValueRange{});
    });
  }

  /// A full-register store, at a register-aligned offset (if the base is),
  /// into a large, statically shaped, identity-layout memref.
  bool qualifies(vector::StoreOp store) const {
    VectorType vector = store.getVectorType();
    MemRefType memref = store.getMemRefType();
    if (vector.getRank() != 1 || !vector.getElementType().isIntOrFloat() ||
        !memref.hasStaticShape() || !memref.getLayout().isIdentity())
      return false;
    unsigned elementBits = vector.getElementTypeBitWidth();
    if (elementBits % 8 || vector.getDimSize(0) * elementBits != vectorBits)
      return false;
    int64_t bytes = memref.getNumElements() * (elementBits / 8);
    if (bytes < minBytes)
      return false;
    // The linear element offset must be a multiple of the vector length.
    int64_t lanes = vector.getDimSize(0);
    int64_t stride = 1;
    int64_t offsetDivisor = kAnyDivisor;
    for (int64_t i = memref.getRank() - 1; i >= 0; --i) {
      Value index = store.getIndices()[i];
      offsetDivisor = gcdOf(offsetDivisor,
                            std::min(divisorOf(index) * stride, kAnyDivisor));
      stride *= memref.getDimSize(i);
    }
    return offsetDivisor % lanes == 0;
  }

  /// Versions `loop` on the alignment of its stores' bases; returns whether
  /// it did.
  bool version(scf::ForOp loop, ArrayRef<vector::StoreOp> stores) const {
    // A loop that computes long per register runs below memory speed
    // anyway, and there the cache's prefetching of the output lines is worth
    // more than the saved read (measured: relu 1.8x faster with streaming
    // stores, hardswish 1.1x, tanh and silu 0.9x).
    int64_t vectorOps = 0;
    loop.getBody()->walk([&](Operation *op) {
      vectorOps +=
          !isa<vector::LoadOp, vector::StoreOp>(op) &&
          llvm::any_of(op->getResultTypes(), llvm::IsaPred<VectorType>);
    });
    if (vectorOps > maxOpsPerStore * static_cast<int64_t>(stores.size()))
      return false;

    SetVector<Value> bases;
    for (vector::StoreOp store : stores)
      bases.insert(store.getBase());
    // A base read after the loop would be read back from memory: leave it
    // in the cache. (Only later ops count, not later iterations of an outer
    // loop, which in act's kernels touch other rows.)
    for (Value base : bases) {
      if (!isa<BlockArgument>(base) &&
          !isa_and_nonnull<memref::AllocOp>(base.getDefiningOp()))
        return false;
      for (Operation *op = loop; op && !isa<func::FuncOp>(op);
           op = op->getParentOp())
        for (Operation *next = op->getNextNode(); next;
             next = next->getNextNode())
          if (mayRead(next, base))
            return false;
    }

    OpBuilder b(loop);
    Location loc = loop.getLoc();
    int64_t alignment = vectorBits / 8;
    Value mask = arith::ConstantIndexOp::create(b, loc, alignment - 1);
    Value zero = arith::ConstantIndexOp::create(b, loc, 0);
    Value aligned;
    for (Value base : bases) {
      Value pointer =
          memref::ExtractAlignedPointerAsIndexOp::create(b, loc, base);
      Value low = arith::AndIOp::create(b, loc, pointer, mask);
      Value isAligned =
          arith::CmpIOp::create(b, loc, arith::CmpIPredicate::eq, low, zero);
      aligned =
          aligned
              ? arith::AndIOp::create(b, loc, aligned, isAligned).getResult()
              : isAligned;
    }
    auto ifOp = scf::IfOp::create(b, loc, loop.getResultTypes(), aligned,
                                  /*withElseRegion=*/true);
    // Then: a copy of the loop with streaming stores.
    b.setInsertionPointToStart(ifOp.thenBlock());
    IRMapping mapping;
    auto streaming = cast<scf::ForOp>(b.clone(*loop, mapping));
    for (vector::StoreOp store : stores) {
      auto copy = cast<vector::StoreOp>(mapping.lookup(store.getOperation()));
      copy.setNontemporal(true);
      copy.setAlignment(static_cast<uint64_t>(alignment));
    }
    if (ifOp.thenBlock()->mightHaveTerminator())
      ifOp.thenBlock()->getTerminator()->erase();
    b.setInsertionPointToEnd(ifOp.thenBlock());
    scf::YieldOp::create(b, loc, streaming.getResults());
    // Else: the loop as it was.
    loop->replaceAllUsesWith(ifOp.getResults());
    if (ifOp.elseBlock()->mightHaveTerminator())
      ifOp.elseBlock()->getTerminator()->erase();
    loop->moveBefore(ifOp.elseBlock(), ifOp.elseBlock()->end());
    b.setInsertionPointToEnd(ifOp.elseBlock());
    scf::YieldOp::create(b, loc, loop.getResults());
    return true;
  }
};

} // namespace
