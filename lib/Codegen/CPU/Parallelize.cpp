//===- Parallelize.cpp - One chunk of each marked loop per thread ---------===//

#include "act/Codegen/CPU/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/IR/ImplicitLocOpBuilder.h"
#include "mlir/IR/SymbolTable.h"

namespace mlir::act {
#define GEN_PASS_DEF_ACTPARALLELIZEPASS
#include "act/Codegen/CPU/Passes.h.inc"
} // namespace mlir::act

using namespace mlir;

static constexpr StringLiteral kMaxThreadsFn = "omp_get_max_threads";

namespace {

struct ActParallelizePass final
    : act::impl::ActParallelizePassBase<ActParallelizePass> {
  using Base::Base;

  void runOnOperation() override {
    ModuleOp module = getOperation();
    SmallVector<scf::ForOp> loops;
    module.walk<WalkOrder::PreOrder>([&](scf::ForOp loop) {
      if (!loop->hasAttr(act::kParallelLoopAttr))
        return WalkResult::advance();
      // A loop still carrying values has iterations that depend on each
      // other (bufferization could not make them write in place).
      if (loop.getNumResults() == 0 && !isTooSmall(loop))
        loops.push_back(loop);
      // Nested marked loops stay sequential within a chunk.
      return WalkResult::skip();
    });
    for (scf::ForOp loop : loops)
      split(loop);
    // The marker has done its job.
    module.walk(
        [](scf::ForOp loop) { loop->removeAttr(act::kParallelLoopAttr); });
  }

  /// Vector elements loaded, stored or multiplied by one run of `loop`, as
  /// far as static trip counts tell; nullopt when a trip count is dynamic.
  static std::optional<int64_t> staticWork(scf::ForOp loop) {
    std::optional<int64_t> trips =
        loop.getStaticTripCount()
            ? std::optional<int64_t>(loop.getStaticTripCount()->getSExtValue())
            : std::nullopt;
    if (!trips)
      return std::nullopt;
    int64_t perIteration = 0;
    for (Operation &op : loop.getBody()->without_terminator()) {
      if (auto inner = dyn_cast<scf::ForOp>(op)) {
        std::optional<int64_t> work = staticWork(inner);
        if (!work)
          return std::nullopt;
        perIteration += *work;
        continue;
      }
      if (op.getNumRegions())
        return std::nullopt; // scf.if and the like: do not guess
      for (Type t :
           llvm::concat<Type>(op.getOperandTypes(), op.getResultTypes()))
        if (auto vector = dyn_cast<VectorType>(t))
          perIteration += vector.getNumElements();
      perIteration += 1;
    }
    return *trips * perIteration;
  }

  /// Whether `loop` is too little work to be worth a parallel region:
  /// forking and joining threads costs a few microseconds, about what 2^17
  /// elements of vector work take on one core.
  bool isTooSmall(scf::ForOp loop) {
    std::optional<int64_t> work = staticWork(loop);
    return work && *work < minParallelWork;
  }

  /// The number of chunks, as an index.
  Value chunks(ImplicitLocOpBuilder &b) {
    if (threads > 0)
      return arith::ConstantIndexOp::create(b, threads);
    ModuleOp module = getOperation();
    auto fnType = b.getFunctionType({}, {b.getI32Type()});
    if (!module.lookupSymbol<func::FuncOp>(kMaxThreadsFn)) {
      OpBuilder::InsertionGuard guard(b);
      b.setInsertionPointToStart(module.getBody());
      func::FuncOp::create(b, kMaxThreadsFn, fnType).setPrivate();
    }
    Value count =
        func::CallOp::create(b, kMaxThreadsFn, b.getI32Type(), ValueRange{})
            .getResult(0);
    count = arith::IndexCastOp::create(b, b.getIndexType(), count);
    return arith::MaxSIOp::create(b, count,
                                  arith::ConstantIndexOp::create(b, 1));
  }

  /// for i = lb to ub step s  =>  parallel t < T: for i = lb + t*c*s to
  /// min(ub, lb + (t+1)*c*s) step s, with c = ceil(ceil((ub-lb)/s) / T).
  void split(scf::ForOp loop) {
    ImplicitLocOpBuilder b(loop.getLoc(), loop);
    Value lb = loop.getLowerBound(), ub = loop.getUpperBound(),
          step = loop.getStep();
    Value zero = arith::ConstantIndexOp::create(b, 0);
    Value one = arith::ConstantIndexOp::create(b, 1);
    Value count = chunks(b);
    Value span =
        arith::MaxSIOp::create(b, arith::SubIOp::create(b, ub, lb), zero);
    Value trips = arith::CeilDivUIOp::create(b, span, step);
    Value perChunk = arith::MulIOp::create(
        b, arith::CeilDivUIOp::create(b, trips, count), step);
    auto parallel =
        scf::ParallelOp::create(b, ValueRange{zero}, ValueRange{count},
                                ValueRange{one}, ValueRange{}, nullptr);
    b.setInsertionPointToStart(parallel.getBody());
    Value first = arith::AddIOp::create(
        b, lb,
        arith::MulIOp::create(b, parallel.getInductionVars()[0], perChunk));
    Value last = arith::MinSIOp::create(
        b, ub, arith::AddIOp::create(b, first, perChunk));
    loop->moveBefore(parallel.getBody()->getTerminator());
    loop.setLowerBound(first);
    loop.setUpperBound(last);
    privatizeScratch(loop, b);
  }

  /// Whether `user` only reads `buffer`.
  static bool onlyReads(Operation *user, Value buffer) {
    if (isa<vector::TransferReadOp, vector::LoadOp, memref::LoadOp>(user))
      return true;
    if (auto copy = dyn_cast<memref::CopyOp>(user))
      return copy.getTarget() != buffer;
    return false;
  }

  /// Gives each chunk its own copy of the scratch buffers its loop writes:
  /// allocations from outside the loop that nothing but a dealloc uses
  /// outside it (a buffer hoisted out of the loop, of no use after it).
  /// Buffers the loop only reads stay shared; outputs (used after the loop)
  /// are written in disjoint parts, as the marker promises.
  static void privatizeScratch(scf::ForOp loop, ImplicitLocOpBuilder &b) {
    SetVector<Operation *> allocs;
    loop.walk([&](Operation *op) {
      for (Value operand : op->getOperands()) {
        Operation *def = operand.getDefiningOp();
        if (def && isa<memref::AllocOp, memref::AllocaOp>(def) &&
            !loop->isAncestor(def))
          allocs.insert(def);
      }
    });
    for (Operation *alloc : allocs) {
      Value buffer = alloc->getResult(0);
      bool written = false, usedOutside = false;
      for (Operation *user : buffer.getUsers()) {
        if (loop->isAncestor(user))
          written |= !onlyReads(user, buffer);
        else if (!isa<memref::DeallocOp>(user))
          usedOutside = true;
      }
      if (!written || usedOutside)
        continue;
      b.setInsertionPoint(loop);
      Operation *copy = b.clone(*alloc);
      buffer.replaceUsesWithIf(copy->getResult(0), [&](OpOperand &use) {
        return loop->isAncestor(use.getOwner());
      });
      if (isa<memref::AllocOp>(alloc)) {
        b.setInsertionPointAfter(loop);
        memref::DeallocOp::create(b, copy->getResult(0));
      }
      // The shared original is left with its dealloc alone.
      for (Operation *user : llvm::make_early_inc_range(buffer.getUsers()))
        user->erase();
      alloc->erase();
    }
  }
};

} // namespace
