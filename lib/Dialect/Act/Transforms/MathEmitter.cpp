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
// act's vector math (act/Math/VectorMath.h) for f32.
//===----------------------------------------------------------------------===//

namespace {

/// An f32 scalar or vector for the VectorMath.h templates: the same
/// operations as IRValue plus the bit-level vocabulary they need.
struct F32 {
  IRValue x;
  F32() = default;
  F32(IRValue x) : x(x) {}
  ImplicitLocOpBuilder &b() const { return x.getBuilder(); }
  /// i32 with this value's shape.
  Type intType() const {
    Type i32 = IntegerType::get(x.getType().getContext(), 32);
    if (auto vector = dyn_cast<VectorType>(x.getType()))
      return vector.clone(i32);
    return i32;
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
  F32 fromBits(Value i) const {
    return x.wrap(arith::BitcastOp::create(b(), x.getType(), i));
  }
};

F32 operator+(F32 a, F32 b) { return a.x + b.x; }
F32 operator-(F32 a, F32 b) { return a.x - b.x; }
F32 operator*(F32 a, F32 b) { return a.x * b.x; }
F32 operator/(F32 a, F32 b) { return a.x / b.x; }
F32 operator-(F32 a) { return -a.x; }
F32 operator+(F32 a, double b) { return a.x + b; }
F32 operator+(double a, F32 b) { return a + b.x; }
F32 operator-(F32 a, double b) { return a.x - b; }
F32 operator-(double a, F32 b) { return a - b.x; }
F32 operator*(F32 a, double b) { return a.x * b; }
F32 operator*(double a, F32 b) { return a * b.x; }
F32 operator/(F32 a, double b) { return a.x / b; }
F32 operator/(double a, F32 b) { return a / b.x; }
IRCond operator<(F32 a, F32 b) { return a.x < b.x; }
IRCond operator<=(F32 a, F32 b) { return a.x <= b.x; }
IRCond operator>(F32 a, F32 b) { return a.x > b.x; }
IRCond operator>=(F32 a, F32 b) { return a.x >= b.x; }
IRCond operator==(F32 a, F32 b) { return a.x == b.x; }
IRCond operator!=(F32 a, F32 b) { return a.x != b.x; }
IRCond operator<(F32 a, double b) { return a.x < b; }
IRCond operator<=(F32 a, double b) { return a.x <= b; }
IRCond operator>(F32 a, double b) { return a.x > b; }
IRCond operator>=(F32 a, double b) { return a.x >= b; }
IRCond operator==(F32 a, double b) { return a.x == b; }
IRCond operator!=(F32 a, double b) { return a.x != b; }
F32 select(IRCond c, F32 a, F32 b) { return select(c, a.x, b.x); }
F32 splatLike(F32 like, double c) { return like.x.constant(c); }
F32 abs(F32 a) { return unary<mlir::math::AbsFOp>(a.x); }
F32 floor(F32 a) { return unary<mlir::math::FloorOp>(a.x); }
F32 roundEven(F32 a) { return unary<mlir::math::RoundEvenOp>(a.x); }
F32 fma(F32 a, F32 b, F32 c) {
  return a.x.wrap(
      mlir::math::FmaOp::create(a.b(), a.x.value(), b.x.value(), c.x.value()));
}
F32 copysign(F32 magnitude, F32 sign) {
  return magnitude.x.wrap(mlir::math::CopySignOp::create(
      magnitude.b(), magnitude.x.value(), sign.x.value()));
}
/// 2^n for integer-valued n in [-126, 127]: the exponent field n + 127.
F32 pow2i(F32 n) {
  ImplicitLocOpBuilder &b = n.b();
  Value i = arith::FPToSIOp::create(b, n.intType(), n.x.value());
  i = arith::AddIOp::create(b, i, n.intConstant(127));
  i = arith::ShLIOp::create(b, i, n.intConstant(23));
  return n.fromBits(i);
}
/// floor(log2 x) for a normal x > 0: the unbiased exponent field.
F32 exponentOf(F32 x) {
  ImplicitLocOpBuilder &b = x.b();
  Value e = arith::ShRUIOp::create(b, x.bits(), x.intConstant(23));
  e = arith::AndIOp::create(b, e, x.intConstant(0xff));
  e = arith::SubIOp::create(b, e, x.intConstant(127));
  return x.x.wrap(arith::SIToFPOp::create(b, x.x.getType(), e));
}
/// x / 2^exponentOf(x), in [1, 2): the mantissa with a zero exponent.
F32 mantissaOf(F32 x) {
  ImplicitLocOpBuilder &b = x.b();
  Value m = arith::AndIOp::create(b, x.bits(), x.intConstant(0x007fffff));
  m = arith::OrIOp::create(b, m, x.intConstant(0x3f800000));
  return x.fromBits(m);
}

bool isF32(IRValue x) { return getElementTypeOrSelf(x.getType()).isF32(); }

} // namespace

namespace mlir::act::math::vec {
template <>
struct ElementTraits<F32> {
  static constexpr bool isDouble = false;
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

/// Whether the primitives without a math op get act's f32 kernels (VectorMath.h
/// has no f64 coefficients yet; fast mode composes math ops instead).
static bool usesKernels(IRValue x) {
  return x.getMode() == MathMode::precise && isF32(x);
}

IRValue mlir::act::math::fma(IRValue a, IRValue b, IRValue c) {
  return a.wrap(mlir::math::FmaOp::create(a.getBuilder(), a.value(), b.value(),
                                          c.value()));
}
IRValue mlir::act::math::logistic(IRValue x) {
  return usesKernels(x) ? vec::sigmoid(F32(x)).x : 1.0 / (1.0 + exp(-x));
}
IRValue mlir::act::math::log1pExp(IRValue x) {
  return usesKernels(x) ? vec::log1pExp(F32(x)).x : log1p(exp(x));
}
IRValue mlir::act::math::normalCdf(IRValue x) {
  return usesKernels(x) ? vec::normalCdf(F32(x)).x : erfc(x * -kSqrtHalf) * 0.5;
}
IRValue mlir::act::math::xMinusTanh(IRValue x) {
  return usesKernels(x) ? vec::xMinusTanh(F32(x)).x : x - tanh(x);
}
IRValue mlir::act::math::sigmoidOfCubic(IRValue x, double a, double b) {
  if (usesKernels(x))
    return vec::sigmoidOfCubic(F32(x), a, b).x;
  return sigmoid(x * (a + x * x * b));
}

IRValue mlir::act::math::vector_math::exp(IRValue x) {
  return vec::exp(F32(x)).x;
}
IRValue mlir::act::math::vector_math::expm1(IRValue x) {
  return vec::expm1(F32(x)).x;
}
IRValue mlir::act::math::vector_math::log1p(IRValue x) {
  return vec::log1p(F32(x)).x;
}
IRValue mlir::act::math::vector_math::log(IRValue x) {
  return vec::log(F32(x)).x;
}
IRValue mlir::act::math::vector_math::tanh(IRValue x) {
  return vec::tanh(F32(x)).x;
}
IRValue mlir::act::math::vector_math::erf(IRValue x) {
  return vec::erf(F32(x)).x;
}
IRValue mlir::act::math::vector_math::erfc(IRValue x) {
  return vec::erfc(F32(x)).x;
}
