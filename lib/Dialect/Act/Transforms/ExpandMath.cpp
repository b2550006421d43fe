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

/// Rewrites one unary math op on f32 (or f16/bf16 through f32) with `fn`.
template <typename OpT>
struct ExpandUnary : OpRewritePattern<OpT> {
  ExpandUnary(MLIRContext *ctx, IRValue (*fn)(IRValue))
      : OpRewritePattern<OpT>(ctx), fn(fn) {}

  LogicalResult matchAndRewrite(OpT op,
                                PatternRewriter &rewriter) const override {
    Type type = op.getType();
    Type element = getElementTypeOrSelf(type);
    if (!element.isF32() && !element.isF16() && !element.isBF16())
      return rewriter.notifyMatchFailure(op, "not f32, f16 or bf16");
    ImplicitLocOpBuilder b(op.getLoc(), rewriter);
    Value x = op.getOperand();
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
};

struct ActExpandMathPass final
    : act::impl::ActExpandMathPassBase<ActExpandMathPass> {
  using Base::Base;

  void runOnOperation() override {
    MLIRContext *ctx = &getContext();
    RewritePatternSet patterns(ctx);
    if (math == act::math::MathMode::precise) {
      namespace vm = act::math::vector_math;
      patterns.add<ExpandUnary<math::ExpOp>>(ctx, vm::exp);
      patterns.add<ExpandUnary<math::ExpM1Op>>(ctx, vm::expm1);
      patterns.add<ExpandUnary<math::Log1pOp>>(ctx, vm::log1p);
      patterns.add<ExpandUnary<math::LogOp>>(ctx, vm::log);
      patterns.add<ExpandUnary<math::TanhOp>>(ctx, vm::tanh);
      patterns.add<ExpandUnary<math::ErfOp>>(ctx, vm::erf);
      patterns.add<ExpandUnary<math::ErfcOp>>(ctx, vm::erfc);
    } else {
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
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      return signalPassFailure();
  }
};

} // namespace
