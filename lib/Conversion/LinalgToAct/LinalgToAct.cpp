//===- LinalgToAct.cpp - Raise linalg activations to act ops --------------===//
//
// The forms recognized are those torch-mlir (fx.export_and_import,
// linalg-on-tensors) writes, and the usual hand-written ones; the test
// inputs keep the importer's exact bodies. Each matcher also accepts an
// already raised act op for a sub-formula (the sigmoid of silu, the tanh of
// gelu and mish, the relu of leaky_relu and elu, the relu6 of hardswish), so
// the patterns may fire in any order. A form is raised only if it gives the
// act op's NaN and infinities (torch-mlir's clamps, which give a bound for
// NaN, are not hard_tanh); docs/Importing.md lists the differences accepted.
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

#include <array>
#include <cmath>
#include <optional>
#include <tuple>

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

/// The value of the float constant `v`, through torch-mlir's truncf of an
/// f64 scalar (then the parameter as the model wrote it, which the act op
/// rounds to the element type as the truncf does), or nullopt.
static std::optional<double> constantValue(Value v) {
  if (!isa<FloatType>(v.getType()))
    return std::nullopt;
  if (auto trunc = v.getDefiningOp<arith::TruncFOp>())
    v = trunc.getIn();
  FloatAttr attr;
  if (!matchPattern(v, m_Constant(&attr)))
    return std::nullopt;
  return attr.getValueAsDouble();
}

/// A finite, nonzero (when `nonzero`) constant parameter, or nullopt.
static std::optional<double> finiteConstant(Value v, bool nonzero = false) {
  std::optional<double> k = constantValue(v);
  if (!k || !std::isfinite(*k) || (nonzero && *k == 0.0))
    return std::nullopt;
  return k;
}

/// The comparison `a pred b` as `b pred' a`.
static arith::CmpFPredicate swapOperands(arith::CmpFPredicate pred) {
  using P = arith::CmpFPredicate;
  switch (pred) {
  case P::OLT:
    return P::OGT;
  case P::OLE:
    return P::OGE;
  case P::OGT:
    return P::OLT;
  case P::OGE:
    return P::OLE;
  case P::ULT:
    return P::UGT;
  case P::ULE:
    return P::UGE;
  case P::UGT:
    return P::ULT;
  case P::UGE:
    return P::ULE;
  default:
    return pred;
  }
}

namespace {
/// y clamped at the constant c from one side: from below, y < c ? c : y,
/// or from above, y > c ? c : y.
struct Clamp {
  Value y;
  double c;
  /// Whether NaN gives NaN, as in PyTorch's clamp; otherwise it gives c.
  bool keepsNaN;
};
} // namespace

/// `v` as a clamp from below (or from `above`), in the ways it is written:
/// select on a comparison of y with c, in either operand order and either
/// branch order, strict or not; maximumf / minimumf (NaN kept); maxnumf /
/// minnumf (NaN to c). An unordered comparison choosing c, or an ordered one
/// choosing y, gives c for NaN: torch-mlir's clamp, hardtanh and relu6 do
/// (its relu's `ugt` does not). At a bound of 0 the forms that choose c for
/// y == c, and maximumf, give +0 for -0 where PyTorch's clamp keeps -0.
static std::optional<Clamp> matchClamp(Value v, bool above) {
  std::optional<Clamp> result;
  auto minMax = [&](bool keepsNaN) {
    return [&result, keepsNaN](Value y, Value c) {
      std::optional<double> k = constantValue(c);
      if (k)
        result = Clamp{y, *k, keepsNaN};
      return bool(k);
    };
  };
  if (above ? matchBinary<arith::MinimumFOp>(v, minMax(true)) ||
                  matchBinary<arith::MinNumFOp>(v, minMax(false))
            : matchBinary<arith::MaximumFOp>(v, minMax(true)) ||
                  matchBinary<arith::MaxNumFOp>(v, minMax(false)))
    return result;

  auto select = v.getDefiningOp<arith::SelectOp>();
  auto cmp = select ? select.getCondition().getDefiningOp<arith::CmpFOp>()
                    : arith::CmpFOp();
  if (!cmp)
    return std::nullopt;
  // Read the comparison as `y pred c`.
  Value y = cmp.getLhs();
  arith::CmpFPredicate pred = cmp.getPredicate();
  std::optional<double> c = constantValue(cmp.getRhs());
  if (!c) {
    y = cmp.getRhs();
    pred = swapOperands(pred);
    c = constantValue(cmp.getLhs());
  }
  if (!c)
    return std::nullopt;
  bool boundIfTrue;
  if (select.getTrueValue() == y && isConstant(select.getFalseValue(), *c))
    boundIfTrue = false;
  else if (select.getFalseValue() == y && isConstant(select.getTrueValue(), *c))
    boundIfTrue = true;
  else
    return std::nullopt;
  using P = arith::CmpFPredicate;
  bool less = llvm::is_contained({P::OLT, P::OLE, P::ULT, P::ULE}, pred);
  bool greater = llvm::is_contained({P::OGT, P::OGE, P::UGT, P::UGE}, pred);
  bool unordered = llvm::is_contained({P::ULT, P::ULE, P::UGT, P::UGE}, pred);
  // The comparison holds beyond the bound (y < c from below) when it
  // chooses c, and on the kept side when it chooses y.
  bool beyondIsLess = !above;
  if (boundIfTrue != (beyondIsLess ? less : greater))
    return std::nullopt;
  if (!less && !greater)
    return std::nullopt;
  // NaN takes the false branch of an ordered comparison, the true branch of
  // an unordered one.
  return Clamp{y, *c, boundIfTrue != unordered};
}

/// Whether `c` is +0.
static bool isPositiveZero(double c) { return c == 0.0 && !std::signbit(c); }

/// x if `v` is relu(x): act.relu, or a clamp from below at +0. `keepsNaN`
/// tells whether NaN gives NaN.
static Value matchPositivePart(Value v, bool &keepsNaN) {
  if (auto relu = v.getDefiningOp<act::ReluOp>()) {
    keepsNaN = true;
    return relu.getInput();
  }
  std::optional<Clamp> clamp = matchClamp(v, /*above=*/false);
  if (!clamp || !isPositiveZero(clamp->c))
    return nullptr;
  keepsNaN = clamp->keepsNaN;
  return clamp->y;
}

/// x if `v` is min(x, 0), a clamp from above at +0.
static Value matchNegativePart(Value v, bool &keepsNaN) {
  std::optional<Clamp> clamp = matchClamp(v, /*above=*/true);
  if (!clamp || !isPositiveZero(clamp->c))
    return nullptr;
  keepsNaN = clamp->keepsNaN;
  return clamp->y;
}

/// y if `v` clamps y to [lo, hi], lo <= hi: a clamp from each side, in
/// either order (the one from below possibly act.relu), or act.relu6 or
/// act.hard_tanh. Clamps that give a bound for NaN are accepted only with
/// `nanToBound`.
static Value matchClampRange(Value v, double &lo, double &hi, bool nanToBound) {
  if (auto op = v.getDefiningOp<act::Relu6Op>()) {
    lo = 0.0;
    hi = 6.0;
    return op.getInput();
  }
  if (auto op = v.getDefiningOp<act::HardTanhOp>()) {
    lo = op.getMinVal().convertToDouble();
    hi = op.getMaxVal().convertToDouble();
    return op.getInput();
  }
  auto side = [&](Value w, bool above, double &c) -> Value {
    if (auto relu = w.getDefiningOp<act::ReluOp>(); relu && !above) {
      c = 0.0;
      return relu.getInput();
    }
    std::optional<Clamp> clamp = matchClamp(w, above);
    if (!clamp || (!clamp->keepsNaN && !nanToBound))
      return nullptr;
    c = clamp->c;
    return clamp->y;
  };
  for (bool outerAbove : {true, false}) {
    Value inner = side(v, outerAbove, outerAbove ? hi : lo);
    Value y = inner ? side(inner, !outerAbove, outerAbove ? lo : hi) : nullptr;
    if (y && lo <= hi)
      return y;
  }
  return nullptr;
}

/// Whether `v` is log(1 + exp(x)) written log1p(exp(x)).
static bool isLog1pExp(Value v, Value x) {
  Value e = unaryOperand<math::Log1pOp>(v);
  return e && unaryOperand<math::ExpOp>(e) == x;
}

//===----------------------------------------------------------------------===//
// Scalar activations in linalg bodies
//===----------------------------------------------------------------------===//

namespace {

/// A pattern on the root op of an activation's formula inside a
/// linalg.generic body: `match` returns the activation's input, or null,
/// and sets the act op's `NumParams` f64 attributes (in the order of its
/// builder).
template <typename RootOp, typename ActOp, unsigned NumParams = 0>
struct RaiseScalar : OpRewritePattern<RootOp> {
  using OpRewritePattern<RootOp>::OpRewritePattern;
  using Params = std::array<double, NumParams>;

  virtual Value match(RootOp root, Params &params) const = 0;
  /// `ActOp(x, params...)`; gelu overrides it.
  virtual Operation *build(PatternRewriter &rewriter, Location loc, Value x,
                           const Params &params) const {
    return std::apply(
        [&](auto... p) {
          return ActOp::create(rewriter, loc, x.getType(), x, APFloat(p)...)
              .getOperation();
        },
        params);
  }

  LogicalResult matchAndRewrite(RootOp root,
                                PatternRewriter &rewriter) const override {
    if (!isa<FloatType>(root->getResult(0).getType()) ||
        !root->template getParentOfType<linalg::GenericOp>())
      return failure();
    Params params{};
    Value x = match(root, params);
    if (!x || x.getType() != root->getResult(0).getType())
      return failure();
    rewriter.replaceOp(root, build(rewriter, root->getLoc(), x, params));
    return success();
  }
};

/// x * 0.5 * (1 + g(x)), in any association: gelu with the approximation
/// `kind`, when `isOnePlusG(term, x)` recognizes 1 + g(x).
struct RaiseGelu : RaiseScalar<arith::MulFOp, act::GeluOp> {
  RaiseGelu(MLIRContext *ctx, act::GeluApproximation kind)
      : RaiseScalar(ctx), kind(kind) {}
  virtual bool isOnePlusG(Value term, Value x) const = 0;
  Value match(arith::MulFOp root, Params &) const override {
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
  Operation *build(PatternRewriter &rewriter, Location loc, Value x,
                   const Params &) const override {
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
  Value match(arith::MulFOp root, Params &) const override {
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
  Value match(arith::DivFOp root, Params &) const override {
    return matchSigmoid(root.getResult());
  }
};

struct RaiseTanh : RaiseScalar<math::TanhOp, act::TanhOp> {
  using RaiseScalar::RaiseScalar;
  Value match(math::TanhOp root, Params &) const override {
    return root.getOperand();
  }
};

/// relu(x) in the clamp forms that keep NaN: torch-mlir's
/// select(x > 0 or unordered, x, 0), x < 0 ? 0 : x, maximumf(x, 0). The
/// ordered select(x > 0, x, 0) and maxnumf turn NaN into 0: not relu.
template <typename RootOp>
struct RaiseRelu : RaiseScalar<RootOp, act::ReluOp> {
  using Base = RaiseScalar<RootOp, act::ReluOp>;
  using Base::Base;
  Value match(RootOp root, typename Base::Params &) const override {
    bool keepsNaN;
    Value x = matchPositivePart(root.getResult(), keepsNaN);
    return x && keepsNaN ? x : nullptr;
  }
};

/// clamp(x, lo, hi) with both clamps keeping NaN: act.relu6 for [0, 6],
/// else act.hard_tanh. torch-mlir's hardtanh, relu6 and clamp give a bound
/// for NaN and stay as they are. (Tried before RaiseRelu, which would take
/// the outer clamp of max(min(x, hi), 0) alone.)
template <typename RootOp>
struct RaiseHardTanh : RaiseScalar<RootOp, act::HardTanhOp, 2> {
  using Base = RaiseScalar<RootOp, act::HardTanhOp, 2>;
  RaiseHardTanh(MLIRContext *ctx) : Base(ctx, /*benefit=*/2) {}
  Value match(RootOp root, typename Base::Params &params) const override {
    return matchClampRange(root.getResult(), params[0], params[1],
                           /*nanToBound=*/false);
  }
  Operation *build(PatternRewriter &rewriter, Location loc, Value x,
                   const typename Base::Params &params) const override {
    if (params[0] == 0.0 && params[1] == 6.0)
      return act::Relu6Op::create(rewriter, loc, x.getType(), x);
    return Base::build(rewriter, loc, x, params);
  }
};

/// x if `v` is clamp(x + 3, 0, 6); see matchClampRange for `nanToBound`.
static Value matchRelu6OfPlusThree(Value v, bool nanToBound) {
  double lo, hi;
  Value shifted = matchClampRange(v, lo, hi, nanToBound);
  if (!shifted || lo != 0.0 || hi != 6.0)
    return nullptr;
  Value x;
  matchBinary<arith::AddFOp>(shifted, [&](Value a, Value c) {
    x = isConstant(c, 3.0) ? a : nullptr;
    return bool(x);
  });
  return x;
}

/// clamp(x + 3, 0, 6) / 6 with clamps that keep NaN: hard_sigmoid with its
/// defaults (PyTorch's formula; act's clamp((x + 3) / 6, 0, 1) has the same
/// values). torch-mlir's clamps give 0 for NaN: left alone.
struct RaiseHardSigmoid : RaiseScalar<arith::DivFOp, act::HardSigmoidOp, 2> {
  using RaiseScalar::RaiseScalar;
  Value match(arith::DivFOp root, Params &params) const override {
    params = {1.0 / 6.0, 0.5};
    if (!isConstant(root.getRhs(), 6.0))
      return nullptr;
    return matchRelu6OfPlusThree(root.getLhs(), /*nanToBound=*/false);
  }
};

/// x * clamp(x + 3, 0, 6) / 6, torch-mlir's hardswish. Its clamps give 0
/// for NaN, which the product with x turns back into NaN, so they are
/// accepted here.
struct RaiseHardswish : RaiseScalar<arith::DivFOp, act::HardswishOp> {
  using RaiseScalar::RaiseScalar;
  Value match(arith::DivFOp root, Params &) const override {
    Value x;
    if (!isConstant(root.getRhs(), 6.0))
      return nullptr;
    matchBinary<arith::MulFOp>(root.getLhs(), [&](Value a, Value r) {
      x = matchRelu6OfPlusThree(r, /*nanToBound=*/true) == a ? a : nullptr;
      return bool(x);
    });
    return x;
  }
};

/// x * (clamp(x + 3, 0, 6) / 6), act's own association, or x *
/// hard_sigmoid(x) with its defaults.
struct RaiseHardswishScaled : RaiseScalar<arith::MulFOp, act::HardswishOp> {
  using RaiseScalar::RaiseScalar;
  Value match(arith::MulFOp root, Params &) const override {
    Value x;
    matchBinary<arith::MulFOp>(root.getResult(), [&](Value a, Value g) {
      if (auto hs = g.getDefiningOp<act::HardSigmoidOp>()) {
        x = hs.getInput() == a &&
                    hs.getAlpha().convertToDouble() == 1.0 / 6.0 &&
                    hs.getBeta().convertToDouble() == 0.5
                ? a
                : nullptr;
        return bool(x);
      }
      auto div = g.getDefiningOp<arith::DivFOp>();
      x = div && isConstant(div.getRhs(), 6.0) &&
                  matchRelu6OfPlusThree(div.getLhs(), /*nanToBound=*/true) == a
              ? a
              : nullptr;
      return bool(x);
    });
    return x;
  }
};

/// x if `v` = p + n, p = relu(x) (times the constant `scale` unless it is
/// 1), n = g(m), m = min(x, 0), where `negativeOf(n)` returns m. Either
/// part may be a clamp that turns NaN into 0 as long as the other keeps it
/// (torch-mlir writes both with NaN kept). This is how torch-mlir writes
/// leaky_relu, elu and selu; as x > 0 ? x : g(x) it would differ only in
/// the sign of zero results (p + n is +0 where g(x) is -0).
static Value matchPositivePlusNegative(Value v, double scale,
                                       function_ref<Value(Value)> negativeOf) {
  Value x;
  matchBinary<arith::AddFOp>(v, [&](Value p, Value n) {
    if (scale != 1.0) {
      Value unscaled;
      matchBinary<arith::MulFOp>(p, [&](Value a, Value s) {
        unscaled = isConstant(s, scale) ? a : nullptr;
        return bool(unscaled);
      });
      p = unscaled;
    }
    bool positiveKeepsNaN = false, negativeKeepsNaN = false;
    Value positive = p ? matchPositivePart(p, positiveKeepsNaN) : nullptr;
    Value m = positive ? negativeOf(n) : nullptr;
    Value negative = m ? matchNegativePart(m, negativeKeepsNaN) : nullptr;
    x = negative == positive && (positiveKeepsNaN || negativeKeepsNaN)
            ? positive
            : nullptr;
    return bool(x);
  });
  return x;
}

/// relu(x) + min(x, 0) * negative_slope.
struct RaiseLeakyRelu : RaiseScalar<arith::AddFOp, act::LeakyReluOp, 1> {
  using RaiseScalar::RaiseScalar;
  Value match(arith::AddFOp root, Params &params) const override {
    return matchPositivePlusNegative(root, 1.0, [&](Value n) {
      Value m;
      matchBinary<arith::MulFOp>(n, [&](Value a, Value s) {
        std::optional<double> slope = finiteConstant(s);
        m = slope ? a : nullptr;
        params[0] = slope.value_or(0.0);
        return bool(m);
      });
      return m;
    });
  }
};

/// m if `v` is exp(m) - 1 (torch-mlir's elu) or expm1(m).
static Value expMinusOneOperand(Value v) {
  if (Value m = unaryOperand<math::ExpM1Op>(v))
    return m;
  Value m;
  matchBinary<arith::SubFOp>(
      v,
      [&](Value e, Value one) {
        m = isConstant(one, 1.0) ? unaryOperand<math::ExpOp>(e) : nullptr;
        return bool(m);
      },
      /*commutative=*/false);
  return m;
}

/// relu(x) + (exp(min(x, 0)) - 1) * alpha, alpha = 1 without the product.
/// torch-mlir's exp - 1 cancels for small |x|, where act's expm1 is
/// PyTorch's.
struct RaiseElu : RaiseScalar<arith::AddFOp, act::EluOp, 1> {
  using RaiseScalar::RaiseScalar;
  Value match(arith::AddFOp root, Params &params) const override {
    return matchPositivePlusNegative(root, 1.0, [&](Value n) {
      params[0] = 1.0;
      if (Value m = expMinusOneOperand(n))
        return m;
      Value m;
      matchBinary<arith::MulFOp>(n, [&](Value e, Value a) {
        std::optional<double> alpha = finiteConstant(a);
        m = alpha ? expMinusOneOperand(e) : nullptr;
        params[0] = alpha.value_or(0.0);
        return bool(m);
      });
      return m;
    });
  }
};

/// relu(x) * scale + (exp(min(x, 0)) - 1) * scale * alpha, the two
/// constants in either order, SELU's.
struct RaiseSelu : RaiseScalar<arith::AddFOp, act::SeluOp> {
  using RaiseScalar::RaiseScalar;
  Value match(arith::AddFOp root, Params &) const override {
    using namespace act::math;
    return matchPositivePlusNegative(root, kSeluScale, [&](Value n) {
      for (std::pair<double, double> c : {std::pair(kSeluAlpha, kSeluScale),
                                          std::pair(kSeluScale, kSeluAlpha)}) {
        Value m;
        if (matchBinary<arith::MulFOp>(n, [&](Value n1, Value c1) {
              return isConstant(c1, c.first) &&
                     matchBinary<arith::MulFOp>(n1, [&](Value e, Value c2) {
                       m = isConstant(c2, c.second) ? expMinusOneOperand(e)
                                                    : nullptr;
                       return bool(m);
                     });
            }))
          return m;
      }
      return Value();
    });
  }
};

/// x and the false branch n if `v` is x > 0 ? x : n (ordered or not: n is
/// NaN for NaN here).
static Value matchPositiveOr(arith::SelectOp select, Value &n) {
  auto cmp = select.getCondition().getDefiningOp<arith::CmpFOp>();
  if (!cmp)
    return nullptr;
  using P = arith::CmpFPredicate;
  Value x = select.getTrueValue();
  bool greater = llvm::is_contained({P::OGT, P::UGT}, cmp.getPredicate()) &&
                 cmp.getLhs() == x && isConstant(cmp.getRhs(), 0.0);
  bool less = llvm::is_contained({P::OLT, P::ULT}, cmp.getPredicate()) &&
              cmp.getRhs() == x && isConstant(cmp.getLhs(), 0.0);
  if (!greater && !less)
    return nullptr;
  n = select.getFalseValue();
  return x;
}

/// x > 0 ? x : expm1(x / alpha) * alpha, or expm1(x) for alpha = 1
/// (torch-mlir's celu). act multiplies by 1 / alpha, as PyTorch does,
/// where torch-mlir divides.
struct RaiseCelu : RaiseScalar<arith::SelectOp, act::CeluOp, 1> {
  using RaiseScalar::RaiseScalar;
  Value match(arith::SelectOp root, Params &params) const override {
    Value n;
    Value x = matchPositiveOr(root, n);
    if (!x)
      return nullptr;
    params[0] = 1.0;
    if (unaryOperand<math::ExpM1Op>(n) == x)
      return x;
    bool match = matchBinary<arith::MulFOp>(n, [&](Value e, Value a) {
      std::optional<double> alpha = finiteConstant(a, /*nonzero=*/true);
      Value arg = unaryOperand<math::ExpM1Op>(e);
      params[0] = alpha.value_or(0.0);
      return alpha && arg &&
             matchBinary<arith::DivFOp>(
                 arg,
                 [&](Value y, Value c) {
                   return y == x && isConstant(c, *alpha);
                 },
                 /*commutative=*/false);
    });
    return match ? x : nullptr;
  }
};

/// x > 0 ? x : expm1(x) * alpha, elu written with expm1 and a select.
struct RaiseEluSelect : RaiseScalar<arith::SelectOp, act::EluOp, 1> {
  using RaiseScalar::RaiseScalar;
  Value match(arith::SelectOp root, Params &params) const override {
    Value n;
    Value x = matchPositiveOr(root, n);
    bool match = x && matchBinary<arith::MulFOp>(n, [&](Value e, Value a) {
                   std::optional<double> alpha = finiteConstant(a);
                   params[0] = alpha.value_or(0.0);
                   return alpha && unaryOperand<math::ExpM1Op>(e) == x;
                 });
    return match ? x : nullptr;
  }
};

/// beta x > threshold ? x : log1p(exp(beta x)) / beta, beta = 1 without
/// the product and the division; torch-mlir compares in f64 (an extf of
/// beta x). Raised when the threshold is exact in the element type (so that
/// the comparison is the same there) and exp(beta x) cannot overflow below
/// it, where act's log(1 + exp) does not overflow but this formula and
/// PyTorch's do.
struct RaiseSoftplus : RaiseScalar<arith::SelectOp, act::SoftplusOp, 2> {
  using RaiseScalar::RaiseScalar;
  Value match(arith::SelectOp root, Params &params) const override {
    Value x = root.getTrueValue();
    auto cmp = root.getCondition().getDefiningOp<arith::CmpFOp>();
    if (!cmp || cmp.getPredicate() != arith::CmpFPredicate::OGT)
      return nullptr;
    Value scaled = cmp.getLhs();
    if (auto ext = scaled.getDefiningOp<arith::ExtFOp>())
      scaled = ext.getIn();
    std::optional<double> threshold = constantValue(cmp.getRhs());
    auto type = dyn_cast<FloatType>(x.getType());
    if (!threshold || !type || scaled.getType() != type)
      return nullptr;
    bool lost;
    APFloat t(*threshold);
    t.convert(type.getFloatSemantics(), APFloat::rmNearestTiesToEven, &lost);
    double largest =
        APFloat::getLargest(type.getFloatSemantics()).convertToDouble();
    if (lost || !(*threshold <= std::log(largest)))
      return nullptr;
    params = {1.0, *threshold};
    if (scaled == x)
      return isLog1pExp(root.getFalseValue(), x) ? x : nullptr;
    std::optional<double> beta;
    matchBinary<arith::MulFOp>(scaled, [&](Value a, Value b) {
      beta = a == x ? finiteConstant(b, /*nonzero=*/true) : std::nullopt;
      return beta.has_value();
    });
    if (!beta)
      return nullptr;
    params[0] = *beta;
    bool match = matchBinary<arith::DivFOp>(
        root.getFalseValue(),
        [&](Value soft, Value b) {
          return isConstant(b, *beta) && isLog1pExp(soft, scaled);
        },
        /*commutative=*/false);
    return match ? x : nullptr;
  }
};

/// x * tanh(softplus(x)): the softplus as torch-mlir writes mish's (x > 20
/// ? x : log1p(exp(x))), as act.softplus with its defaults, or
/// log1p(exp(x)) without the threshold (PyTorch's formula; tanh is 1 there
/// in any case).
struct RaiseMish : RaiseScalar<arith::MulFOp, act::MishOp> {
  using RaiseScalar::RaiseScalar;
  static bool isSoftplus(Value v, Value x) {
    if (auto op = v.getDefiningOp<act::SoftplusOp>())
      return op.getInput() == x && op.getBeta().convertToDouble() == 1.0 &&
             op.getThreshold().convertToDouble() == 20.0;
    if (isLog1pExp(v, x))
      return true;
    auto select = v.getDefiningOp<arith::SelectOp>();
    auto cmp = select ? select.getCondition().getDefiningOp<arith::CmpFOp>()
                      : arith::CmpFOp();
    if (!cmp || cmp.getPredicate() != arith::CmpFPredicate::OGT)
      return false;
    Value compared = cmp.getLhs();
    if (auto ext = compared.getDefiningOp<arith::ExtFOp>())
      compared = ext.getIn();
    return compared == x && isConstant(cmp.getRhs(), 20.0) &&
           select.getTrueValue() == x && isLog1pExp(select.getFalseValue(), x);
  }
  Value match(arith::MulFOp root, Params &) const override {
    Value x;
    matchBinary<arith::MulFOp>(root.getResult(), [&](Value a, Value t) {
      Value s = unaryOperand<math::TanhOp>(t);
      if (!s)
        s = unaryOperand<act::TanhOp>(t);
      x = s && isSoftplus(s, a) ? a : nullptr;
      return bool(x);
    });
    return x;
  }
};

/// min(x, 0) - log1p(exp(-|x|)), PyTorch's formula and torch-mlir's. The
/// log1p term is NaN for NaN, so min(x, 0) may be a clamp that drops NaN;
/// and both signs of a zero min give the same difference.
struct RaiseLogSigmoid : RaiseScalar<arith::SubFOp, act::LogSigmoidOp> {
  using RaiseScalar::RaiseScalar;
  Value match(arith::SubFOp root, Params &) const override {
    std::optional<Clamp> min = matchClamp(root.getLhs(), /*above=*/true);
    if (!min || min->c != 0.0)
      return nullptr;
    Value x = min->y;
    Value e = unaryOperand<math::Log1pOp>(root.getRhs());
    Value negated = e ? unaryOperand<math::ExpOp>(e) : nullptr;
    Value abs = negated ? unaryOperand<arith::NegFOp>(negated) : nullptr;
    return abs && unaryOperand<math::AbsFOp>(abs) == x ? x : nullptr;
  }
};

} // namespace

void act::populateRaiseActivationPatterns(RewritePatternSet &patterns) {
  MLIRContext *ctx = patterns.getContext();
  patterns
      .add<RaiseGeluErf, RaiseGeluTanh, RaiseSilu, RaiseSigmoid, RaiseTanh,
           RaiseRelu<arith::SelectOp>, RaiseRelu<arith::MaximumFOp>,
           RaiseHardTanh<arith::SelectOp>, RaiseHardTanh<arith::MinimumFOp>,
           RaiseHardTanh<arith::MaximumFOp>, RaiseHardSigmoid, RaiseHardswish,
           RaiseHardswishScaled, RaiseLeakyRelu, RaiseElu, RaiseSelu, RaiseCelu,
           RaiseEluSelect, RaiseSoftplus, RaiseMish, RaiseLogSigmoid>(ctx);
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
