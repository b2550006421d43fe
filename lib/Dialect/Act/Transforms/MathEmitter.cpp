//===- MathEmitter.cpp - Activation math that emits IR -----------*- C++ -*-===//

#include "act/Dialect/Act/Transforms/MathEmitter.h"

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
  Value ones = arith::ConstantOp::create(
      b, b.getOneAttr(a.value().getType()));
  return IRCond(b, arith::XOrIOp::create(b, a.value(), ones));
}

IRValue mlir::act::math::select(IRCond cond, IRValue a, IRValue b) {
  return a.wrap(
      arith::SelectOp::create(a.getBuilder(), cond.value(), a.value(), b.value()));
}

template <typename OpT>
static IRValue unary(IRValue x) {
  return x.wrap(OpT::create(x.getBuilder(), x.value()));
}

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
IRValue mlir::act::math::abs(IRValue x) {
  return unary<mlir::math::AbsFOp>(x);
}

IRValue mlir::act::math::normalCdf(IRValue x) {
  return erfc(x * -kSqrtHalf) * 0.5;
}
IRValue mlir::act::math::xMinusTanh(IRValue x) { return x - tanh(x); }
IRValue mlir::act::math::sigmoidOfCubic(IRValue x, double a, double b) {
  return sigmoid(x * (a + x * x * b));
}
