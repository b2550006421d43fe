//===- ScalarFloat.h - Scalar test backend for VectorMath.h -----*- C++ -*-===//
//
// F32 (F64): one float (double) behind a class type that implements the
// vocabulary of act/Math/VectorMath.h with plain scalar operations, and the
// primitives of act/Math/Activations.h with VectorMath.h's algorithms. So
//
//   math::gelu(math::F32{x}, false).v
//
// evaluates, one element at a time, the arithmetic that the vector code
// generated from the same templates performs: the tests and the accuracy
// sweeps measure the algorithms through this backend. (Compile it without
// -ffast-math and with -ffp-contract=off, so that each operation rounds once,
// as the vector code's do.)
//
// F32 and F64 are class types on purpose: Activations.h calls its primitives
// unqualified, and argument-dependent lookup is what finds these overloads
// (declared after the templates); with a raw float the calls would bind to
// the double reference primitives.
//
//===----------------------------------------------------------------------===//

#ifndef ACT_MATH_SCALARFLOAT_H
#define ACT_MATH_SCALARFLOAT_H

#include "act/Math/Activations.h"
#include "act/Math/VectorMath.h"

#include <cmath>
#include <cstdint>
#include <cstring>

namespace mlir {
namespace act {
namespace math {

/// One element of type FloatT (float or double).
template <typename FloatT>
struct ScalarFloat {
  FloatT v;
};

using F32 = ScalarFloat<float>;
using F64 = ScalarFloat<double>;

/// A condition of ScalarFloat comparisons.
struct ScalarCond {
  bool v;
};
using F32Cond = ScalarCond;

namespace vec {
template <typename FloatT>
struct ElementTraits<ScalarFloat<FloatT>> {
  static constexpr bool isDouble = sizeof(FloatT) == 8;
};
} // namespace vec

namespace detail {
/// The bit layout of FloatT: the unsigned integer of its size, the
/// mantissa's width and the exponent's bias.
template <typename FloatT>
struct FloatBits;
template <>
struct FloatBits<float> {
  using UInt = uint32_t;
  using Int = int32_t;
  static constexpr int mantissaBits = 23;
  static constexpr int bias = 127;
};
template <>
struct FloatBits<double> {
  using UInt = uint64_t;
  using Int = int64_t;
  static constexpr int mantissaBits = 52;
  static constexpr int bias = 1023;
};

template <typename FloatT>
typename FloatBits<FloatT>::UInt toBits(FloatT x) {
  typename FloatBits<FloatT>::UInt u;
  std::memcpy(&u, &x, sizeof(u));
  return u;
}
template <typename FloatT>
FloatT fromBits(typename FloatBits<FloatT>::UInt u) {
  FloatT x;
  std::memcpy(&x, &u, sizeof(x));
  return x;
}
} // namespace detail

template <typename F>
ScalarFloat<F> operator+(ScalarFloat<F> a, ScalarFloat<F> b) {
  return {a.v + b.v};
}
template <typename F>
ScalarFloat<F> operator-(ScalarFloat<F> a, ScalarFloat<F> b) {
  return {a.v - b.v};
}
template <typename F>
ScalarFloat<F> operator*(ScalarFloat<F> a, ScalarFloat<F> b) {
  return {a.v * b.v};
}
template <typename F>
ScalarFloat<F> operator/(ScalarFloat<F> a, ScalarFloat<F> b) {
  return {a.v / b.v};
}
template <typename F>
ScalarFloat<F> operator-(ScalarFloat<F> a) {
  return {-a.v};
}
// A double operand is rounded to the element type first.
template <typename F>
ScalarFloat<F> operator+(ScalarFloat<F> a, double b) {
  return a + ScalarFloat<F>{F(b)};
}
template <typename F>
ScalarFloat<F> operator-(ScalarFloat<F> a, double b) {
  return a - ScalarFloat<F>{F(b)};
}
template <typename F>
ScalarFloat<F> operator*(ScalarFloat<F> a, double b) {
  return a * ScalarFloat<F>{F(b)};
}
template <typename F>
ScalarFloat<F> operator/(ScalarFloat<F> a, double b) {
  return a / ScalarFloat<F>{F(b)};
}
template <typename F>
ScalarFloat<F> operator+(double a, ScalarFloat<F> b) {
  return ScalarFloat<F>{F(a)} + b;
}
template <typename F>
ScalarFloat<F> operator-(double a, ScalarFloat<F> b) {
  return ScalarFloat<F>{F(a)} - b;
}
template <typename F>
ScalarFloat<F> operator*(double a, ScalarFloat<F> b) {
  return ScalarFloat<F>{F(a)} * b;
}
template <typename F>
ScalarFloat<F> operator/(double a, ScalarFloat<F> b) {
  return ScalarFloat<F>{F(a)} / b;
}

template <typename F>
ScalarCond operator<(ScalarFloat<F> a, ScalarFloat<F> b) {
  return {a.v < b.v};
}
template <typename F>
ScalarCond operator<=(ScalarFloat<F> a, ScalarFloat<F> b) {
  return {a.v <= b.v};
}
template <typename F>
ScalarCond operator>(ScalarFloat<F> a, ScalarFloat<F> b) {
  return {a.v > b.v};
}
template <typename F>
ScalarCond operator>=(ScalarFloat<F> a, ScalarFloat<F> b) {
  return {a.v >= b.v};
}
template <typename F>
ScalarCond operator==(ScalarFloat<F> a, ScalarFloat<F> b) {
  return {a.v == b.v};
}
template <typename F>
ScalarCond operator!=(ScalarFloat<F> a, ScalarFloat<F> b) {
  return {a.v != b.v};
}
template <typename F>
ScalarCond operator<(ScalarFloat<F> a, double b) {
  return a < ScalarFloat<F>{F(b)};
}
template <typename F>
ScalarCond operator<=(ScalarFloat<F> a, double b) {
  return a <= ScalarFloat<F>{F(b)};
}
template <typename F>
ScalarCond operator>(ScalarFloat<F> a, double b) {
  return a > ScalarFloat<F>{F(b)};
}
template <typename F>
ScalarCond operator>=(ScalarFloat<F> a, double b) {
  return a >= ScalarFloat<F>{F(b)};
}
template <typename F>
ScalarCond operator==(ScalarFloat<F> a, double b) {
  return a == ScalarFloat<F>{F(b)};
}
template <typename F>
ScalarCond operator!=(ScalarFloat<F> a, double b) {
  return a != ScalarFloat<F>{F(b)};
}
inline ScalarCond operator&&(ScalarCond a, ScalarCond b) {
  return {a.v && b.v};
}
inline ScalarCond operator||(ScalarCond a, ScalarCond b) {
  return {a.v || b.v};
}
inline ScalarCond operator!(ScalarCond a) { return {!a.v}; }

template <typename F>
ScalarFloat<F> fma(ScalarFloat<F> a, ScalarFloat<F> b, ScalarFloat<F> c) {
  return {std::fma(a.v, b.v, c.v)};
}
template <typename F>
ScalarFloat<F> select(ScalarCond c, ScalarFloat<F> a, ScalarFloat<F> b) {
  return c.v ? a : b;
}
template <typename F>
ScalarFloat<F> splatLike(ScalarFloat<F>, double c) {
  return {F(c)};
}
template <typename F>
ScalarFloat<F> abs(ScalarFloat<F> x) {
  return {std::fabs(x.v)};
}
template <typename F>
ScalarFloat<F> copysign(ScalarFloat<F> m, ScalarFloat<F> s) {
  return {std::copysign(m.v, s.v)};
}
template <typename F>
ScalarFloat<F> roundEven(ScalarFloat<F> x) {
  return {std::nearbyint(x.v)};
}
template <typename F>
ScalarFloat<F> floor(ScalarFloat<F> x) {
  return {std::floor(x.v)};
}

/// 2^n from the exponent bits, like the vector code: garbage outside the
/// normal range (but no undefined behaviour for NaN or huge n).
template <typename F>
ScalarFloat<F> pow2i(ScalarFloat<F> n) {
  using Bits = detail::FloatBits<F>;
  using Int = typename Bits::Int;
  using UInt = typename Bits::UInt;
  Int i = std::fabs(n.v) < F(1e6) ? Int(n.v) : 0;
  return {detail::fromBits<F>(UInt(i + Bits::bias) << Bits::mantissaBits)};
}
template <typename F>
ScalarFloat<F> exponentOf(ScalarFloat<F> x) {
  using Bits = detail::FloatBits<F>;
  using Int = typename Bits::Int;
  constexpr typename Bits::UInt mask = (2 * Bits::bias + 1);
  return {
      F(Int((detail::toBits(x.v) >> Bits::mantissaBits) & mask) - Bits::bias)};
}
template <typename F>
ScalarFloat<F> mantissaOf(ScalarFloat<F> x) {
  using Bits = detail::FloatBits<F>;
  using UInt = typename Bits::UInt;
  constexpr UInt fraction = (UInt(1) << Bits::mantissaBits) - 1;
  constexpr UInt one = UInt(Bits::bias) << Bits::mantissaBits;
  return {detail::fromBits<F>((detail::toBits(x.v) & fraction) | one)};
}

// The primitives of Activations.h (and two more), by VectorMath.h.
template <typename F>
ScalarFloat<F> exp(ScalarFloat<F> x) {
  return vec::exp(x);
}
template <typename F>
ScalarFloat<F> expm1(ScalarFloat<F> x) {
  return vec::expm1(x);
}
template <typename F>
ScalarFloat<F> log1p(ScalarFloat<F> x) {
  return vec::log1p(x);
}
template <typename F>
ScalarFloat<F> log(ScalarFloat<F> x) {
  return vec::log(x);
}
template <typename F>
ScalarFloat<F> tanh(ScalarFloat<F> x) {
  return vec::tanh(x);
}
template <typename F>
ScalarFloat<F> erf(ScalarFloat<F> x) {
  return vec::erf(x);
}
template <typename F>
ScalarFloat<F> erfc(ScalarFloat<F> x) {
  return vec::erfc(x);
}
template <typename F>
ScalarFloat<F> expNonPositive(ScalarFloat<F> x) {
  return vec::expNonPositive(x);
}
template <typename F>
ScalarFloat<F> logistic(ScalarFloat<F> x) {
  return vec::sigmoid(x);
}
template <typename F>
ScalarFloat<F> log1pExp(ScalarFloat<F> x) {
  return vec::log1pExp(x);
}
template <typename F>
ScalarFloat<F> normalCdf(ScalarFloat<F> x) {
  return vec::normalCdf(x);
}
template <typename F>
ScalarFloat<F> normalCdfPlusXPdf(ScalarFloat<F> x) {
  if constexpr (sizeof(F) == 8)
    return normalCdfPlusXPdfTerms(x);
  else
    return vec::normalCdfPlusXPdf(x);
}
template <typename F>
ScalarFloat<F> xMinusTanh(ScalarFloat<F> x) {
  return vec::xMinusTanh(x);
}
template <typename F>
ScalarFloat<F> sigmoidOfCubic(ScalarFloat<F> x, double a, double b) {
  return vec::sigmoidOfCubic(x, a, b);
}

} // namespace math
} // namespace act
} // namespace mlir

#endif // ACT_MATH_SCALARFLOAT_H
