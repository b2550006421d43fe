//===- MathEmitter.h - Activation math that emits IR ------------*- C++ -*-===//
//
// A value type for act/Math/Activations.h whose operators build arith and
// math ops, so the lowering instantiates the very formulas that constant
// folding and the reference evaluate in double:
//
//   math::IRValue x(builder, input);
//   Value y = math::gelu(x, /*tanhApproximation=*/false).value();
//
// Values are scalars or vectors of one float type; constants are splats of
// that type (a double rounded to the element type). Standard transcendentals
// become math ops (math.exp, math.erfc, ...), which act-expand-math later
// replaces with act's own branch-free approximations (act/Math/VectorMath.h);
// the primitives that have no math op (normalCdf, normalCdfPlusXPdf,
// xMinusTanh, sigmoidOfCubic) are emitted as those approximations directly
// in precise mode, and composed from math ops otherwise.
//
//===----------------------------------------------------------------------===//

#ifndef ACT_DIALECT_ACT_TRANSFORMS_MATHEMITTER_H
#define ACT_DIALECT_ACT_TRANSFORMS_MATHEMITTER_H

#include "act/Math/Activations.h"

#include "mlir/IR/ImplicitLocOpBuilder.h"
#include "mlir/IR/Value.h"

namespace mlir {
namespace act {
namespace math {

/// How accurately transcendentals are computed.
enum class MathMode {
  /// act's own approximations, within the bounds of docs/Accuracy.md.
  precise,
  /// MLIR's polynomial approximations: fewer operations, looser bounds.
  fast
};

/// A float scalar or vector value under construction.
class IRValue {
public:
  /// An empty value, to be assigned (algorithms use out-parameters).
  IRValue() = default;
  IRValue(ImplicitLocOpBuilder &builder, Value value,
          MathMode mode = MathMode::precise)
      : builder(&builder), v(value), mode(mode) {}

  Value value() const { return v; }
  Type getType() const { return v.getType(); }
  ImplicitLocOpBuilder &getBuilder() const { return *builder; }
  MathMode getMode() const { return mode; }

  /// A splat constant of this value's type.
  IRValue constant(double c) const;
  /// A new value of the same builder and mode.
  IRValue wrap(Value value) const { return IRValue(*builder, value, mode); }

private:
  ImplicitLocOpBuilder *builder = nullptr;
  Value v;
  MathMode mode = MathMode::precise;
};

/// An i1 (or vector of i1) condition under construction.
class IRCond {
public:
  IRCond(ImplicitLocOpBuilder &builder, Value value)
      : builder(&builder), v(value) {}
  Value value() const { return v; }
  ImplicitLocOpBuilder &getBuilder() const { return *builder; }

private:
  ImplicitLocOpBuilder *builder;
  Value v;
};

IRValue operator+(IRValue a, IRValue b);
IRValue operator-(IRValue a, IRValue b);
IRValue operator*(IRValue a, IRValue b);
IRValue operator/(IRValue a, IRValue b);
IRValue operator-(IRValue a);

inline IRValue operator+(IRValue a, double b) { return a + a.constant(b); }
inline IRValue operator+(double a, IRValue b) { return b.constant(a) + b; }
inline IRValue operator-(IRValue a, double b) { return a - a.constant(b); }
inline IRValue operator-(double a, IRValue b) { return b.constant(a) - b; }
inline IRValue operator*(IRValue a, double b) { return a * a.constant(b); }
inline IRValue operator*(double a, IRValue b) { return b.constant(a) * b; }
inline IRValue operator/(IRValue a, double b) { return a / a.constant(b); }
inline IRValue operator/(double a, IRValue b) { return b.constant(a) / b; }

/// Ordered comparisons (false on NaN), and != unordered (true on NaN).
IRCond operator<(IRValue a, IRValue b);
IRCond operator<=(IRValue a, IRValue b);
IRCond operator>(IRValue a, IRValue b);
IRCond operator>=(IRValue a, IRValue b);
IRCond operator==(IRValue a, IRValue b);
IRCond operator!=(IRValue a, IRValue b);
inline IRCond operator<(IRValue a, double b) { return a < a.constant(b); }
inline IRCond operator<=(IRValue a, double b) { return a <= a.constant(b); }
inline IRCond operator>(IRValue a, double b) { return a > a.constant(b); }
inline IRCond operator>=(IRValue a, double b) { return a >= a.constant(b); }
inline IRCond operator==(IRValue a, double b) { return a == a.constant(b); }
inline IRCond operator!=(IRValue a, double b) { return a != a.constant(b); }
IRCond operator&&(IRCond a, IRCond b);
IRCond operator||(IRCond a, IRCond b);
IRCond operator!(IRCond a);

IRValue select(IRCond cond, IRValue a, IRValue b);
inline IRValue splatLike(IRValue like, double c) { return like.constant(c); }

// The transcendental primitives of Activations.h, as math ops.
IRValue exp(IRValue x);
IRValue expm1(IRValue x);
IRValue log1p(IRValue x);
IRValue tanh(IRValue x);
IRValue erfc(IRValue x);
IRValue log(IRValue x);
IRValue abs(IRValue x);
IRValue fma(IRValue a, IRValue b, IRValue c);
IRValue expNonPositive(IRValue x);
IRValue logistic(IRValue x);
IRValue logisticPlain(IRValue x);
IRValue log1pExp(IRValue x);
IRValue normalCdf(IRValue x);
IRValue normalCdfPlusXPdf(IRValue x);
IRValue xMinusTanh(IRValue x);
IRValue sigmoidOfCubic(IRValue x, double a, double b);
/// NaN-propagating maximum (arith.maximumf), for reductions.
IRValue maximum(IRValue a, IRValue b);

/// act's branch-free f32 approximations (act/Math/VectorMath.h) emitted as
/// IR, for f32 scalars and vectors.
namespace vector_math {
IRValue exp(IRValue x);
IRValue expm1(IRValue x);
IRValue log1p(IRValue x);
IRValue log(IRValue x);
IRValue tanh(IRValue x);
IRValue erf(IRValue x);
IRValue erfc(IRValue x);
} // namespace vector_math

} // namespace math
} // namespace act
} // namespace mlir

#endif // ACT_DIALECT_ACT_TRANSFORMS_MATHEMITTER_H
