//===- MathEmitter.cpp - Activation math that emits IR ----------*- C++ -*-===//

#include "act/Dialect/Act/Transforms/MathEmitter.h"
#include "act/Math/VectorMath.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/TypeUtilities.h"

using namespace mlir;
using namespace mlir::act::math;

IRValue IRValue::constant(double c) const {
  auto elementType = cast<FloatType>(getElementTypeOrSelf(v.getType()));
  APFloat value(c);
  bool losesInfo;
  value.convert(elementType.getFloatSemantics(), APFloat::rmNearestTiesToEven,
                &losesInfo);
  TypedAttr attr = FloatAttr::get(elementType, value);
  if (auto shaped = dyn_cast<ShapedType>(v.getType()))
    attr = DenseElementsAttr::get(shaped, value);
  return wrap(arith::ConstantOp::create(*builder, attr));
}

template <typename OpT>
static IRValue binary(IRValue a, IRValue b) {
  return a.wrap(OpT::create(a.getBuilder(), a.value(), b.value()));
}

IRValue mlir::act::math::operator+(IRValue a, IRValue b) {
  return binary<arith::AddFOp>(a, b);
}
IRValue mlir::act::math::operator-(IRValue a, IRValue b) {
  return binary<arith::SubFOp>(a, b);
}
IRValue mlir::act::math::operator*(IRValue a, IRValue b) {
  return binary<arith::MulFOp>(a, b);
}
IRValue mlir::act::math::operator/(IRValue a, IRValue b) {
  return binary<arith::DivFOp>(a, b);
}
IRValue mlir::act::math::operator-(IRValue a) {
  return a.wrap(arith::NegFOp::create(a.getBuilder(), a.value()));
}

static IRCond compare(arith::CmpFPredicate predicate, IRValue a, IRValue b) {
  return IRCond(a.getBuilder(), arith::CmpFOp::create(a.getBuilder(), predicate,
                                                      a.value(), b.value()));
}

IRCond mlir::act::math::operator<(IRValue a, IRValue b) {
  return compare(arith::CmpFPredicate::OLT, a, b);
}
IRCond mlir::act::math::operator<=(IRValue a, IRValue b) {
  return compare(arith::CmpFPredicate::OLE, a, b);
}
IRCond mlir::act::math::operator>(IRValue a, IRValue b) {
  return compare(arith::CmpFPredicate::OGT, a, b);
}
IRCond mlir::act::math::operator>=(IRValue a, IRValue b) {
  return compare(arith::CmpFPredicate::OGE, a, b);
}
IRCond mlir::act::math::operator==(IRValue a, IRValue b) {
  return compare(arith::CmpFPredicate::OEQ, a, b);
}
IRCond mlir::act::math::operator!=(IRValue a, IRValue b) {
  return compare(arith::CmpFPredicate::UNE, a, b);
}

IRCond mlir::act::math::operator&&(IRCond a, IRCond b) {
  return IRCond(a.getBuilder(),
                arith::AndIOp::create(a.getBuilder(), a.value(), b.value()));
}
IRCond mlir::act::math::operator||(IRCond a, IRCond b) {
  return IRCond(a.getBuilder(),
                arith::OrIOp::create(a.getBuilder(), a.value(), b.value()));
}
IRCond mlir::act::math::operator!(IRCond a) {
  ImplicitLocOpBuilder &b = a.getBuilder();
  Value ones = arith::ConstantOp::create(b, b.getOneAttr(a.value().getType()));
  return IRCond(b, arith::XOrIOp::create(b, a.value(), ones));
}

IRValue mlir::act::math::select(IRCond cond, IRValue a, IRValue b) {
  return a.wrap(arith::SelectOp::create(a.getBuilder(), cond.value(), a.value(),
                                        b.value()));
}

template <typename OpT>
static IRValue unary(IRValue x) {
  return x.wrap(OpT::create(x.getBuilder(), x.value()));
}

//===----------------------------------------------------------------------===//
// act's vector math (act/Math/VectorMath.h) for f32 and f64.
//===----------------------------------------------------------------------===//

namespace {

/// An f32 (F64 = false) or f64 (F64 = true) scalar or vector for the
/// VectorMath.h templates: the same operations as IRValue plus the bit-level
/// vocabulary they need, on the integers of the element's width. The element
/// type is a template parameter because it selects the coefficients at
/// compile time.
template <bool F64>
struct VecFloat {
  static constexpr unsigned width = F64 ? 64 : 32;
  static constexpr int mantissaBits = F64 ? 52 : 23;
  static constexpr int64_t bias = F64 ? 1023 : 127;

  IRValue x;
  VecFloat() = default;
  VecFloat(IRValue x) : x(x) {}
  ImplicitLocOpBuilder &b() const { return x.getBuilder(); }
  /// The integer of the element's width, with this value's shape.
  Type intType() const {
    Type i = IntegerType::get(x.getType().getContext(), width);
    if (auto vector = dyn_cast<VectorType>(x.getType()))
      return vector.clone(i);
    return i;
  }
  Value intConstant(int64_t c) const {
    Type type = intType();
    TypedAttr attr = IntegerAttr::get(getElementTypeOrSelf(type), c);
    if (auto shaped = dyn_cast<ShapedType>(type))
      attr = DenseElementsAttr::get(shaped, attr);
    return arith::ConstantOp::create(b(), attr);
  }
  Value bits() const {
    return arith::BitcastOp::create(b(), intType(), x.value());
  }
  VecFloat fromBits(Value i) const {
    return x.wrap(arith::BitcastOp::create(b(), x.getType(), i));
  }
};

template <bool F64>
using V = VecFloat<F64>;

template <bool F64>
V<F64> operator+(V<F64> a, V<F64> b) {
  return a.x + b.x;
}
template <bool F64>
V<F64> operator-(V<F64> a, V<F64> b) {
  return a.x - b.x;
}
template <bool F64>
V<F64> operator*(V<F64> a, V<F64> b) {
  return a.x * b.x;
}
template <bool F64>
V<F64> operator/(V<F64> a, V<F64> b) {
  return a.x / b.x;
}
template <bool F64>
V<F64> operator-(V<F64> a) {
  return -a.x;
}
template <bool F64>
V<F64> operator+(V<F64> a, double b) {
  return a.x + b;
}
template <bool F64>
V<F64> operator+(double a, V<F64> b) {
  return a + b.x;
}
template <bool F64>
V<F64> operator-(V<F64> a, double b) {
  return a.x - b;
}
template <bool F64>
V<F64> operator-(double a, V<F64> b) {
  return a - b.x;
}
template <bool F64>
V<F64> operator*(V<F64> a, double b) {
  return a.x * b;
}
template <bool F64>
V<F64> operator*(double a, V<F64> b) {
  return a * b.x;
}
template <bool F64>
V<F64> operator/(V<F64> a, double b) {
  return a.x / b;
}
template <bool F64>
V<F64> operator/(double a, V<F64> b) {
  return a / b.x;
}
template <bool F64>
IRCond operator<(V<F64> a, V<F64> b) {
  return a.x < b.x;
}
template <bool F64>
IRCond operator<=(V<F64> a, V<F64> b) {
  return a.x <= b.x;
}
template <bool F64>
IRCond operator>(V<F64> a, V<F64> b) {
  return a.x > b.x;
}
template <bool F64>
IRCond operator>=(V<F64> a, V<F64> b) {
  return a.x >= b.x;
}
template <bool F64>
IRCond operator==(V<F64> a, V<F64> b) {
  return a.x == b.x;
}
template <bool F64>
IRCond operator!=(V<F64> a, V<F64> b) {
  return a.x != b.x;
}
template <bool F64>
IRCond operator<(V<F64> a, double b) {
  return a.x < b;
}
template <bool F64>
IRCond operator<=(V<F64> a, double b) {
  return a.x <= b;
}
template <bool F64>
IRCond operator>(V<F64> a, double b) {
  return a.x > b;
}
template <bool F64>
IRCond operator>=(V<F64> a, double b) {
  return a.x >= b;
}
template <bool F64>
IRCond operator==(V<F64> a, double b) {
  return a.x == b;
}
template <bool F64>
IRCond operator!=(V<F64> a, double b) {
  return a.x != b;
}
template <bool F64>
V<F64> select(IRCond c, V<F64> a, V<F64> b) {
  return select(c, a.x, b.x);
}
template <bool F64>
V<F64> splatLike(V<F64> like, double c) {
  return like.x.constant(c);
}
template <bool F64>
V<F64> abs(V<F64> a) {
  return unary<mlir::math::AbsFOp>(a.x);
}
template <bool F64>
V<F64> floor(V<F64> a) {
  return unary<mlir::math::FloorOp>(a.x);
}
template <bool F64>
V<F64> roundEven(V<F64> a) {
  return unary<mlir::math::RoundEvenOp>(a.x);
}
template <bool F64>
V<F64> fma(V<F64> a, V<F64> b, V<F64> c) {
  return a.x.wrap(
      mlir::math::FmaOp::create(a.b(), a.x.value(), b.x.value(), c.x.value()));
}
template <bool F64>
V<F64> copysign(V<F64> magnitude, V<F64> sign) {
  return magnitude.x.wrap(mlir::math::CopySignOp::create(
      magnitude.b(), magnitude.x.value(), sign.x.value()));
}
/// 2^n for integer-valued n in the normal exponent range: the exponent field
/// n + bias.
template <bool F64>
V<F64> pow2i(V<F64> n) {
  ImplicitLocOpBuilder &b = n.b();
  Value i = arith::FPToSIOp::create(b, n.intType(), n.x.value());
  i = arith::AddIOp::create(b, i, n.intConstant(V<F64>::bias));
  i = arith::ShLIOp::create(b, i, n.intConstant(V<F64>::mantissaBits));
  return n.fromBits(i);
}
/// floor(log2 x) for a normal x > 0: the unbiased exponent field.
template <bool F64>
V<F64> exponentOf(V<F64> x) {
  ImplicitLocOpBuilder &b = x.b();
  Value e =
      arith::ShRUIOp::create(b, x.bits(), x.intConstant(V<F64>::mantissaBits));
  e = arith::AndIOp::create(b, e, x.intConstant(2 * V<F64>::bias + 1));
  e = arith::SubIOp::create(b, e, x.intConstant(V<F64>::bias));
  return x.x.wrap(arith::SIToFPOp::create(b, x.x.getType(), e));
}
/// x / 2^exponentOf(x), in [1, 2): the mantissa with a zero exponent.
template <bool F64>
V<F64> mantissaOf(V<F64> x) {
  ImplicitLocOpBuilder &b = x.b();
  int64_t fraction = (int64_t(1) << V<F64>::mantissaBits) - 1;
  Value m = arith::AndIOp::create(b, x.bits(), x.intConstant(fraction));
  m = arith::OrIOp::create(b, m,
                           x.intConstant(V<F64>::bias << V<F64>::mantissaBits));
  return x.fromBits(m);
}

bool isF32(IRValue x) { return getElementTypeOrSelf(x.getType()).isF32(); }
bool isF64(IRValue x) { return getElementTypeOrSelf(x.getType()).isF64(); }

/// Applies a VectorMath.h algorithm `fn(VecFloat<F64>) -> VecFloat<F64>`
/// to an f32 or f64 value, with that element type's constants.
template <typename Fn>
IRValue onKernel(IRValue x, Fn fn) {
  if (isF64(x))
    return fn(V<true>(x)).x;
  assert(isF32(x) && "act's kernels take f32 or f64");
  return fn(V<false>(x)).x;
}

} // namespace

namespace mlir::act::math::vec {
template <bool F64>
struct ElementTraits<VecFloat<F64>> {
  static constexpr bool isDouble = F64;
};
} // namespace mlir::act::math::vec

// The standard transcendentals stay math ops; act-expand-math expands them.
IRValue mlir::act::math::exp(IRValue x) { return unary<mlir::math::ExpOp>(x); }
IRValue mlir::act::math::expm1(IRValue x) {
  return unary<mlir::math::ExpM1Op>(x);
}
IRValue mlir::act::math::log1p(IRValue x) {
  return unary<mlir::math::Log1pOp>(x);
}
IRValue mlir::act::math::tanh(IRValue x) {
  return unary<mlir::math::TanhOp>(x);
}
IRValue mlir::act::math::erfc(IRValue x) {
  return unary<mlir::math::ErfcOp>(x);
}
IRValue mlir::act::math::log(IRValue x) { return unary<mlir::math::LogOp>(x); }
IRValue mlir::act::math::maximum(IRValue a, IRValue b) {
  return binary<arith::MaximumFOp>(a, b);
}
IRValue mlir::act::math::abs(IRValue x) { return unary<mlir::math::AbsFOp>(x); }

/// Whether the primitives without a math op get act's kernels (fast mode
/// composes math ops instead).
static bool usesKernels(IRValue x) {
  return x.getMode() == MathMode::precise && (isF32(x) || isF64(x));
}

IRValue mlir::act::math::fma(IRValue a, IRValue b, IRValue c) {
  return a.wrap(mlir::math::FmaOp::create(a.getBuilder(), a.value(), b.value(),
                                          c.value()));
}
IRValue mlir::act::math::expNonPositive(IRValue x) {
  if (!usesKernels(x))
    return exp(x);
  return onKernel(x, [](auto v) { return vec::expNonPositive(v); });
}
IRValue mlir::act::math::logistic(IRValue x) {
  if (!usesKernels(x))
    return 1.0 / (1.0 + exp(-x));
  return onKernel(x, [](auto v) { return vec::sigmoid(v); });
}
IRValue mlir::act::math::logisticPlain(IRValue x) {
  if (!usesKernels(x))
    return 1.0 / (1.0 + exp(-x));
  return onKernel(x, [](auto v) { return vec::sigmoidPlain(v); });
}
IRValue mlir::act::math::log1pExp(IRValue x) {
  if (!usesKernels(x))
    return log1p(exp(x));
  return onKernel(x, [](auto v) { return vec::log1pExp(v); });
}
IRValue mlir::act::math::normalCdf(IRValue x) {
  if (!usesKernels(x))
    return erfc(x * -kSqrtHalf) * 0.5;
  return onKernel(x, [](auto v) { return vec::normalCdf(v); });
}
IRValue mlir::act::math::normalCdfPlusXPdf(IRValue x) {
  // f32 only: f64 keeps normalCdf's kernel plus the density's exp.
  if (!usesKernels(x) || isF64(x))
    return normalCdfPlusXPdfTerms(x);
  return vec::normalCdfPlusXPdf(V<false>(x)).x;
}
IRValue mlir::act::math::xMinusTanh(IRValue x) {
  if (!usesKernels(x))
    return x - tanh(x);
  return onKernel(x, [](auto v) { return vec::xMinusTanh(v); });
}
IRValue mlir::act::math::sigmoidOfCubic(IRValue x, double a, double b) {
  if (!usesKernels(x))
    return sigmoid(x * (a + x * x * b));
  return onKernel(x, [=](auto v) { return vec::sigmoidOfCubic(v, a, b); });
}

IRValue mlir::act::math::vector_math::exp(IRValue x) {
  return onKernel(x, [](auto v) { return vec::exp(v); });
}
IRValue mlir::act::math::vector_math::expm1(IRValue x) {
  return onKernel(x, [](auto v) { return vec::expm1(v); });
}
IRValue mlir::act::math::vector_math::log1p(IRValue x) {
  return onKernel(x, [](auto v) { return vec::log1p(v); });
}
IRValue mlir::act::math::vector_math::log(IRValue x) {
  return onKernel(x, [](auto v) { return vec::log(v); });
}
IRValue mlir::act::math::vector_math::tanh(IRValue x) {
  return onKernel(x, [](auto v) { return vec::tanh(v); });
}
IRValue mlir::act::math::vector_math::erf(IRValue x) {
  return onKernel(x, [](auto v) { return vec::erf(v); });
}
IRValue mlir::act::math::vector_math::erfc(IRValue x) {
  return onKernel(x, [](auto v) { return vec::erfc(v); });
}
