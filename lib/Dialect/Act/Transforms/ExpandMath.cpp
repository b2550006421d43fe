//===- ExpandMath.cpp - act's approximations for math ops ---------*- C++
//-*-===//

#include "act/Dialect/Act/Transforms/MathEmitter.h"
#include "act/Dialect/Act/Transforms/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Math/Transforms/Passes.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/IR/TypeUtilities.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace mlir::act {
#define GEN_PASS_DEF_ACTEXPANDMATHPASS
#include "act/Dialect/Act/Transforms/Passes.h.inc"
} // namespace mlir::act

using namespace mlir;
using act::math::IRValue;

namespace {

/// Rewrites one unary math op on f64 or f32 (or f16/bf16 through f32) with
/// `fn`; on f64 only if `onlyF64`.
template <typename OpT>
struct ExpandUnary : OpRewritePattern<OpT> {
  ExpandUnary(MLIRContext *ctx, IRValue (*fn)(IRValue), bool onlyF64)
      : OpRewritePattern<OpT>(ctx), fn(fn), onlyF64(onlyF64) {}

  LogicalResult matchAndRewrite(OpT op,
                                PatternRewriter &rewriter) const override {
    Type type = op.getType();
    Type element = getElementTypeOrSelf(type);
    ImplicitLocOpBuilder b(op.getLoc(), rewriter);
    Value x = op.getOperand();
    if (element.isF64()) {
      rewriter.replaceOp(op, fn(IRValue(b, x)).value());
      return success();
    }
    if (onlyF64 || (!element.isF32() && !element.isF16() && !element.isBF16()))
      return rewriter.notifyMatchFailure(op, "not a supported float type");
    Type f32 = b.getF32Type();
    if (auto vector = dyn_cast<VectorType>(type))
      f32 = vector.clone(f32);
    if (!element.isF32())
      x = arith::ExtFOp::create(b, f32, x);
    Value result = fn(IRValue(b, x)).value();
    if (!element.isF32())
      result = arith::TruncFOp::create(b, type, result);
    rewriter.replaceOp(op, result);
    return success();
  }

  IRValue (*fn)(IRValue);
  bool onlyF64;
};

struct ActExpandMathPass final
    : act::impl::ActExpandMathPassBase<ActExpandMathPass> {
  using Base::Base;

  void runOnOperation() override {
    MLIRContext *ctx = &getContext();
    RewritePatternSet patterns(ctx);
    // MLIR's polynomial approximations are f32-only: f64 takes act's kernels
    // in both modes.
    bool onlyF64 = math == act::math::MathMode::fast;
    namespace vm = act::math::vector_math;
    patterns.add<ExpandUnary<math::ExpOp>>(ctx, vm::exp, onlyF64);
    patterns.add<ExpandUnary<math::ExpM1Op>>(ctx, vm::expm1, onlyF64);
    patterns.add<ExpandUnary<math::Log1pOp>>(ctx, vm::log1p, onlyF64);
    patterns.add<ExpandUnary<math::LogOp>>(ctx, vm::log, onlyF64);
    patterns.add<ExpandUnary<math::TanhOp>>(ctx, vm::tanh, onlyF64);
    patterns.add<ExpandUnary<math::ErfOp>>(ctx, vm::erf, onlyF64);
    patterns.add<ExpandUnary<math::ErfcOp>>(ctx, vm::erfc, onlyF64);
    if (onlyF64) {
      // The predicate sees full op names.
      auto selected = [](StringRef name) {
        return llvm::is_contained({"math.exp", "math.expm1", "math.log1p",
                                   "math.log", "math.tanh", "math.erf",
                                   "math.erfc"},
                                  name);
      };
      populateMathF32ExpansionPatterns(patterns, selected);
      populateMathPolynomialApproximationPatterns(patterns, selected);
    }
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns)))) {
      getOperation()->emitError("internal error in act: act-expand-math's "
                                "rewrites did not converge (please report "
                                "this input)");
      return signalPassFailure();
    }
  }
};

} // namespace
