//===- LinalgToAct.cpp - Raise linalg activations to act ops --------------===//
//
// The forms recognized are those torch-mlir (fx.export_and_import,
// linalg-on-tensors) writes, and the usual hand-written ones; the test
// inputs keep the importer's exact bodies. Each matcher also accepts an
// already raised act op for a sub-formula (the sigmoid of silu, the tanh of
// gelu), so the patterns may fire in any order.
//
//===----------------------------------------------------------------------===//

#include "act/Conversion/LinalgToAct/LinalgToAct.h"
#include "act/Conversion/Passes.h"
#include "act/Dialect/Act/IR/ActOps.h"
#include "act/Math/Activations.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Linalg/Transforms/Transforms.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/Matchers.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"
#include "mlir/Transforms/WalkPatternRewriteDriver.h"

#include <cmath>

namespace mlir::act {
#define GEN_PASS_DEF_ACTRAISEPASS
#include "act/Conversion/Passes.h.inc"
} // namespace mlir::act

using namespace mlir;

//===----------------------------------------------------------------------===//
// Keepdim reductions
//===----------------------------------------------------------------------===//

/// Whether an indexing map of `op` has a constant result (a unit dimension
/// read or written at index 0).
static bool hasConstantIndex(linalg::GenericOp op) {
  return llvm::any_of(op.getIndexingMapsArray(), [](AffineMap map) {
    return llvm::any_of(map.getResults(), [](AffineExpr e) {
      return isa<AffineConstantExpr>(e);
    });
  });
}

LogicalResult act::dropKeepdimUnits(Operation *root) {
  MLIRContext *ctx = root->getContext();
  linalg::ControlDropUnitDims options;
  // Only the generics that need it: dropping the unit dimensions of others
  // (a 1 x N dense layer's epilogue) would put reshapes between a
  // contraction and its epilogue.
  options.controlFn = [](Operation *op) -> SmallVector<unsigned> {
    auto generic = dyn_cast<linalg::GenericOp>(op);
    if (!generic || !hasConstantIndex(generic))
      return {};
    return llvm::to_vector(llvm::seq<unsigned>(0, generic.getNumLoops()));
  };
  RewritePatternSet patterns(ctx);
  linalg::populateFoldUnitExtentDimsPatterns(patterns, options);
  walkAndApplyPatterns(root, std::move(patterns));
  // The expand_shape after a reduction meets the collapse_shape before its
  // users; the fills of the reductions' inits lose their unit dimension.
  RewritePatternSet cleanup(ctx);
  linalg::populateFoldUnitExtentDimsCanonicalizationPatterns(cleanup, options);
  tensor::ExpandShapeOp::getCanonicalizationPatterns(cleanup, ctx);
  tensor::CollapseShapeOp::getCanonicalizationPatterns(cleanup, ctx);
  linalg::FillOp::getCanonicalizationPatterns(cleanup, ctx);
  return applyPatternsGreedily(root, std::move(cleanup));
}

//===----------------------------------------------------------------------===//
// Matching helpers
//===----------------------------------------------------------------------===//

/// Whether `v` is a float constant equal to `expected` rounded to `v`'s
/// type; torch-mlir writes scalar parameters as f64 constants truncated to
/// the element type, which is accepted too.
static bool isConstant(Value v, double expected) {
  auto type = dyn_cast<FloatType>(v.getType());
  if (!type)
    return false;
  if (auto trunc = v.getDefiningOp<arith::TruncFOp>())
    v = trunc.getIn();
  FloatAttr attr;
  if (!matchPattern(v, m_Constant(&attr)))
    return false;
  bool lost;
  APFloat value = attr.getValue();
  value.convert(type.getFloatSemantics(), APFloat::rmNearestTiesToEven, &lost);
  APFloat want(expected);
  want.convert(type.getFloatSemantics(), APFloat::rmNearestTiesToEven, &lost);
  return value.bitwiseIsEqual(want);
}

/// Whether `v` is `OpTy(a, b)` with `match(a, b)`, or `match(b, a)` when
/// `commutative`.
template <typename OpTy>
static bool matchBinary(Value v, function_ref<bool(Value, Value)> match,
                        bool commutative = true) {
  auto op = v.getDefiningOp<OpTy>();
  if (!op)
    return false;
  return match(op.getLhs(), op.getRhs()) ||
         (commutative && match(op.getRhs(), op.getLhs()));
}

/// The operand of `v` = OpTy(x), or null.
template <typename OpTy>
static Value unaryOperand(Value v) {
  if (auto op = v.getDefiningOp<OpTy>())
    return op->getOperand(0);
  return nullptr;
}

/// The factors of `v` = a * (b * c) or (a * b) * c, for each way of reading
/// it so.
static SmallVector<std::array<Value, 3>> threeFactors(Value v) {
  SmallVector<std::array<Value, 3>> result;
  auto mul = v.getDefiningOp<arith::MulFOp>();
  if (!mul)
    return result;
  for (auto [inner, other] : {std::pair(mul.getLhs(), mul.getRhs()),
                              std::pair(mul.getRhs(), mul.getLhs())})
    if (auto innerMul = inner.getDefiningOp<arith::MulFOp>())
      result.push_back({innerMul.getLhs(), innerMul.getRhs(), other});
  return result;
}

/// Whether `factors` are, in some order, x, the constant `c` and a value
/// for which `term(value, x)` holds.
static bool isProductOf(std::array<Value, 3> factors, double c,
                        function_ref<bool(Value, Value)> term, Value &x) {
  std::array<int, 3> order = {0, 1, 2};
  do {
    Value candidate = factors[order[0]];
    if (isConstant(factors[order[1]], c) &&
        term(factors[order[2]], candidate)) {
      x = candidate;
      return true;
    }
  } while (std::next_permutation(order.begin(), order.end()));
  return false;
}

/// x if `v` is sigmoid(x): act.sigmoid, or 1 / (1 + exp(-x)).
static Value matchSigmoid(Value v) {
  if (auto op = v.getDefiningOp<act::SigmoidOp>())
    return op.getInput();
  Value x;
  matchBinary<arith::DivFOp>(
      v,
      [&](Value one, Value denominator) {
        return isConstant(one, 1.0) &&
               matchBinary<arith::AddFOp>(denominator, [&](Value e, Value c) {
                 Value negated = unaryOperand<math::ExpOp>(e);
                 x = negated ? unaryOperand<arith::NegFOp>(negated) : nullptr;
                 return x && isConstant(c, 1.0);
               });
      },
      /*commutative=*/false);
  return x;
}

/// Whether `v` is x^3: math.fpowi(x, 3) or (x * x) * x.
static bool isCube(Value v, Value x) {
  if (auto pow = v.getDefiningOp<math::FPowIOp>()) {
    APInt exponent;
    return pow.getLhs() == x &&
           matchPattern(pow.getRhs(), m_ConstantInt(&exponent)) &&
           exponent == 3;
  }
  return matchBinary<arith::MulFOp>(v, [&](Value square, Value other) {
    return other == x &&
           matchBinary<arith::MulFOp>(
               square, [&](Value a, Value b) { return a == x && b == x; });
  });
}

/// The constant sqrt(2 / pi) of gelu's tanh form; torch-mlir 20261001
/// writes 0.797724 (a relative error of 2e-4 of its own, docs/Importing.md).
static bool isSqrt2OverPi(Value v) {
  return isConstant(v, act::math::kSqrt2OverPi) || isConstant(v, 0.797724);
}

//===----------------------------------------------------------------------===//
// Scalar activations in linalg bodies
//===----------------------------------------------------------------------===//

namespace {

/// A pattern on the root op of an activation's formula inside a
/// linalg.generic body: `match` returns the activation's input, or null.
template <typename RootOp, typename ActOp>
struct RaiseScalar : OpRewritePattern<RootOp> {
  using OpRewritePattern<RootOp>::OpRewritePattern;

  virtual Value match(RootOp root) const = 0;
  /// `ActOp(x)`; ops with attributes override it.
  virtual Operation *build(PatternRewriter &rewriter, Location loc,
                           Value x) const {
    return ActOp::create(rewriter, loc, x.getType(), x);
  }

  LogicalResult matchAndRewrite(RootOp root,
                                PatternRewriter &rewriter) const override {
    if (!isa<FloatType>(root->getResult(0).getType()) ||
        !root->template getParentOfType<linalg::GenericOp>())
      return failure();
    Value x = match(root);
    if (!x || x.getType() != root->getResult(0).getType())
      return failure();
    rewriter.replaceOp(root, build(rewriter, root->getLoc(), x));
    return success();
  }
};

/// x * 0.5 * (1 + g(x)), in any association: gelu with the approximation
/// `kind`, when `isOnePlusG(term, x)` recognizes 1 + g(x).
struct RaiseGelu : RaiseScalar<arith::MulFOp, act::GeluOp> {
  RaiseGelu(MLIRContext *ctx, act::GeluApproximation kind)
      : RaiseScalar(ctx), kind(kind) {}
  virtual bool isOnePlusG(Value term, Value x) const = 0;
  Value match(arith::MulFOp root) const override {
    Value x;
    for (auto factors : threeFactors(root))
      if (isProductOf(
              factors, 0.5,
              [&](Value term, Value candidate) {
                return isOnePlusG(term, candidate);
              },
              x))
        return x;
    return nullptr;
  }
  Operation *build(PatternRewriter &rewriter, Location loc,
                   Value x) const override {
    return act::GeluOp::create(
        rewriter, loc, x.getType(), x,
        act::GeluApproximationAttr::get(rewriter.getContext(), kind));
  }
  act::GeluApproximation kind;
};

/// 1 + erf(x / sqrt(2)), the division also written as a product by
/// 1 / sqrt(2).
struct RaiseGeluErf : RaiseGelu {
  RaiseGeluErf(MLIRContext *ctx)
      : RaiseGelu(ctx, act::GeluApproximation::none) {}
  bool isOnePlusG(Value term, Value x) const override {
    return matchBinary<arith::AddFOp>(term, [&](Value erf, Value one) {
      Value arg = unaryOperand<math::ErfOp>(erf);
      return arg && isConstant(one, 1.0) &&
             (matchBinary<arith::DivFOp>(
                  arg,
                  [&](Value a, Value c) {
                    return a == x && isConstant(c, M_SQRT2);
                  },
                  /*commutative=*/false) ||
              matchBinary<arith::MulFOp>(arg, [&](Value a, Value c) {
                return a == x && isConstant(c, act::math::kSqrtHalf);
              }));
    });
  }
};

/// 1 + tanh(sqrt(2/pi) * (x + 0.044715 x^3)).
struct RaiseGeluTanh : RaiseGelu {
  RaiseGeluTanh(MLIRContext *ctx)
      : RaiseGelu(ctx, act::GeluApproximation::tanh) {}
  bool isOnePlusG(Value term, Value x) const override {
    return matchBinary<arith::AddFOp>(term, [&](Value tanh, Value one) {
      Value arg = unaryOperand<math::TanhOp>(tanh);
      if (!arg)
        arg = unaryOperand<act::TanhOp>(tanh);
      return arg && isConstant(one, 1.0) &&
             matchBinary<arith::MulFOp>(arg, [&](Value inner, Value k) {
               return isSqrt2OverPi(k) &&
                      matchBinary<arith::AddFOp>(inner, [&](Value a,
                                                            Value cubic) {
                        return a == x &&
                               matchBinary<arith::MulFOp>(cubic, [&](Value cube,
                                                                     Value c) {
                                 return isConstant(c,
                                                   act::math::kGeluTanhCubic) &&
                                        isCube(cube, x);
                               });
                      });
             });
    });
  }
};

/// x * sigmoid(x).
struct RaiseSilu : RaiseScalar<arith::MulFOp, act::SiluOp> {
  using RaiseScalar::RaiseScalar;
  Value match(arith::MulFOp root) const override {
    Value x;
    matchBinary<arith::MulFOp>(root.getResult(), [&](Value a, Value s) {
      x = matchSigmoid(s) == a ? a : nullptr;
      return bool(x);
    });
    return x;
  }
};

/// 1 / (1 + exp(-x)).
struct RaiseSigmoid : RaiseScalar<arith::DivFOp, act::SigmoidOp> {
  using RaiseScalar::RaiseScalar;
  Value match(arith::DivFOp root) const override {
    return matchSigmoid(root.getResult());
  }
};

struct RaiseTanh : RaiseScalar<math::TanhOp, act::TanhOp> {
  using RaiseScalar::RaiseScalar;
  Value match(math::TanhOp root) const override { return root.getOperand(); }
};

/// select(x > 0 or unordered, x, 0), torch-mlir's form: NaN gives NaN, as
/// PyTorch. (With an ordered comparison NaN would give 0: not relu.)
struct RaiseReluSelect : RaiseScalar<arith::SelectOp, act::ReluOp> {
  using RaiseScalar::RaiseScalar;
  Value match(arith::SelectOp root) const override {
    auto cmp = root.getCondition().getDefiningOp<arith::CmpFOp>();
    if (!cmp || cmp.getPredicate() != arith::CmpFPredicate::UGT)
      return nullptr;
    Value x = cmp.getLhs();
    if (!isConstant(cmp.getRhs(), 0.0) || root.getTrueValue() != x ||
        !isConstant(root.getFalseValue(), 0.0))
      return nullptr;
    return x;
  }
};

/// maximumf(x, 0) (NaN-propagating; maxnumf would turn NaN into 0).
struct RaiseReluMaximum : RaiseScalar<arith::MaximumFOp, act::ReluOp> {
  using RaiseScalar::RaiseScalar;
  Value match(arith::MaximumFOp root) const override {
    Value x;
    matchBinary<arith::MaximumFOp>(root.getResult(), [&](Value a, Value z) {
      x = isConstant(z, 0.0) ? a : nullptr;
      return bool(x);
    });
    return x;
  }
};

} // namespace

void act::populateRaiseActivationPatterns(RewritePatternSet &patterns) {
  MLIRContext *ctx = patterns.getContext();
  patterns.add<RaiseGeluErf, RaiseGeluTanh, RaiseSilu, RaiseSigmoid, RaiseTanh,
               RaiseReluSelect, RaiseReluMaximum>(ctx);
}

//===----------------------------------------------------------------------===//
// softmax and log_softmax
//===----------------------------------------------------------------------===//

/// The map of a row operand: all loops but the last.
static AffineMap rowMap(linalg::GenericOp op) {
  unsigned n = op.getNumLoops();
  return AffineMap::getMultiDimIdentityMap(n, op.getContext())
      .getMajorSubMap(n - 1);
}

/// The single op before the yield of `op`'s body (yielding its first
/// result), or null.
template <typename OpTy>
static OpTy bodyOp(linalg::GenericOp op) {
  Block *body = op.getBody();
  auto yield = cast<linalg::YieldOp>(body->getTerminator());
  if (yield.getNumOperands() < 1)
    return nullptr;
  return yield.getOperand(0).getDefiningOp<OpTy>();
}

/// `v` = generic computing OpTy(full, row) lane by lane, `full` read whole,
/// `row` once per row (the last dimension broadcast): returns {full, row}.
template <typename OpTy>
static std::optional<std::pair<Value, Value>> matchRowBinary(Value v) {
  auto op = v.getDefiningOp<linalg::GenericOp>();
  if (!op || op.getNumDpsInputs() != 2 || op.getNumDpsInits() != 1 ||
      op.getNumReductionLoops() != 0 || op.getNumLoops() < 1)
    return std::nullopt;
  SmallVector<AffineMap> maps = op.getIndexingMapsArray();
  unsigned n = op.getNumLoops();
  auto id = AffineMap::getMultiDimIdentityMap(n, op.getContext());
  if (maps[0] != id || maps[1] != rowMap(op) || maps[2] != id)
    return std::nullopt;
  auto inner = bodyOp<OpTy>(op);
  Block *body = op.getBody();
  if (!inner || &body->front() != inner.getOperation() ||
      inner.getLhs() != body->getArgument(0) ||
      inner.getRhs() != body->getArgument(1))
    return std::nullopt;
  return std::pair(op.getDpsInputs()[0], op.getDpsInputs()[1]);
}

/// `v` = generic computing OpTy(x) elementwise (identity maps): returns x.
template <typename OpTy>
static Value matchUnary(Value v) {
  auto op = v.getDefiningOp<linalg::GenericOp>();
  if (!op || op.getNumDpsInputs() != 1 || op.getNumDpsInits() != 1 ||
      op.getNumReductionLoops() != 0)
    return nullptr;
  if (!llvm::all_of(op.getIndexingMapsArray(),
                    [](AffineMap m) { return m.isIdentity(); }))
    return nullptr;
  auto inner = bodyOp<OpTy>(op);
  Block *body = op.getBody();
  if (!inner || &body->front() != inner.getOperation() ||
      inner->getOperand(0) != body->getArgument(0))
    return nullptr;
  return op.getDpsInputs()[0];
}

/// `v` = the first result of a reduction along the last dimension with
/// Combine(in, acc), from a fill of `init`: returns its input. Further
/// results (torch-mlir's argmax of a max) must be unused.
template <typename Combine>
static Value matchRowReduction(Value v, double init) {
  auto op = v.getDefiningOp<linalg::GenericOp>();
  if (!op || op.getNumDpsInputs() != 1 || op.getNumReductionLoops() != 1 ||
      cast<OpResult>(v).getResultNumber() != 0)
    return nullptr;
  auto iterators = op.getIteratorTypesArray();
  if (!linalg::isReductionIterator(iterators.back()))
    return nullptr;
  for (OpResult other : op->getResults().drop_front())
    if (!other.use_empty())
      return nullptr;
  SmallVector<AffineMap> maps = op.getIndexingMapsArray();
  if (!maps[0].isIdentity() || maps[1] != rowMap(op))
    return nullptr;
  auto fill = op.getDpsInits()[0].getDefiningOp<linalg::FillOp>();
  if (!fill || !isConstant(fill.getInputs()[0], init))
    return nullptr;
  auto combine = bodyOp<Combine>(op);
  Block *body = op.getBody();
  Value in = body->getArgument(0), acc = body->getArgument(1);
  if (!combine || !((combine.getLhs() == in && combine.getRhs() == acc) ||
                    (combine.getLhs() == acc && combine.getRhs() == in)))
    return nullptr;
  return op.getDpsInputs()[0];
}

/// The source of `v` = ReshapeOp(source) when that is its only use, else
/// `v`.
template <typename ReshapeOp>
static Value lookThroughReshape(Value v) {
  auto reshape = v.getDefiningOp<ReshapeOp>();
  if (reshape && reshape.getSrc().hasOneUse() && v.hasOneUse())
    return reshape.getSrc();
  return v;
}

namespace {

/// exp(x - max(x)) / sum(exp(x - max(x))) along the last dimension, max
/// NaN-propagating from -inf and the sum from 0.
struct RaiseSoftmax : OpRewritePattern<linalg::GenericOp> {
  using OpRewritePattern::OpRewritePattern;

  /// x if `shifted` = x - max(x) along rows.
  static Value matchShifted(Value shifted) {
    auto sub = matchRowBinary<arith::SubFOp>(shifted);
    if (!sub || !sub->second.hasOneUse())
      return nullptr;
    Value x = matchRowReduction<arith::MaximumFOp>(sub->second, -INFINITY);
    return x == sub->first ? x : nullptr;
  }

  LogicalResult matchAndRewrite(linalg::GenericOp op,
                                PatternRewriter &rewriter) const override {
    if (op.getNumResults() != 1)
      return failure();
    Value result = op->getResult(0);
    auto type = dyn_cast<RankedTensorType>(result.getType());
    if (!type)
      return failure();
    Value x;
    bool logSoftmax = false;
    if (auto div = matchRowBinary<arith::DivFOp>(result)) {
      // e / sum(e), e = exp(x - max) used by both.
      Value e = div->first;
      Value shifted = matchUnary<math::ExpOp>(e);
      if (!shifted || !shifted.hasOneUse() ||
          llvm::range_size(e.getUsers()) != 2 || !div->second.hasOneUse() ||
          matchRowReduction<arith::AddFOp>(div->second, 0.0) != e)
        return failure();
      x = matchShifted(shifted);
    } else if (auto sub = matchRowBinary<arith::SubFOp>(result)) {
      // (x - max) - log(sum(exp(x - max))).
      Value shifted = sub->first;
      // torch-mlir takes the log of the keepdim sum, its unit dimension
      // added and dropped around it.
      Value logOfSum = lookThroughReshape<tensor::CollapseShapeOp>(sub->second);
      Value sum = matchUnary<math::LogOp>(logOfSum);
      if (!sum || !logOfSum.hasOneUse() || !sum.hasOneUse() ||
          llvm::range_size(shifted.getUsers()) != 2)
        return failure();
      sum = lookThroughReshape<tensor::ExpandShapeOp>(sum);
      Value e = matchRowReduction<arith::AddFOp>(sum, 0.0);
      if (!e || !e.hasOneUse() || matchUnary<math::ExpOp>(e) != shifted)
        return failure();
      x = matchShifted(shifted);
      logSoftmax = true;
    }
    if (!x || x.getType() != type)
      return failure();
    IntegerAttr dim = rewriter.getI64IntegerAttr(type.getRank() - 1);
    if (logSoftmax)
      rewriter.replaceOpWithNewOp<act::LogSoftmaxOp>(op, type, x, dim);
    else
      rewriter.replaceOpWithNewOp<act::SoftmaxOp>(op, type, x, dim);
    return success();
  }
};

} // namespace

void act::populateRaiseSoftmaxPatterns(RewritePatternSet &patterns) {
  patterns.add<RaiseSoftmax>(patterns.getContext());
}

//===----------------------------------------------------------------------===//
// The pass
//===----------------------------------------------------------------------===//

namespace {

struct ActRaisePass final : act::impl::ActRaisePassBase<ActRaisePass> {
  void runOnOperation() override {
    Operation *root = getOperation();
    if (failed(act::dropKeepdimUnits(root))) {
      root->emitError("internal error in act: act-raise could not normalize "
                      "keepdim reductions (please report this input)");
      return signalPassFailure();
    }
    RewritePatternSet patterns(&getContext());
    act::populateRaiseSoftmaxPatterns(patterns);
    act::populateRaiseActivationPatterns(patterns);
    if (failed(applyPatternsGreedily(root, std::move(patterns)))) {
      root->emitError("internal error in act: act-raise did not converge "
                      "(please report this input)");
      return signalPassFailure();
    }
  }
};

} // namespace
