//===- ScalarFloat.h - Scalar test backend for VectorMath.h -----*- C++ -*-===//
//
// F32: one float behind a class type that implements the vocabulary of
// act/Math/VectorMath.h with plain scalar operations, and the primitives of
// act/Math/Activations.h with VectorMath.h's algorithms. So
//
//   math::gelu(math::F32{x}, false).v
//
// evaluates, one element at a time, the arithmetic that the vector code
// generated from the same templates performs: the tests and the accuracy
// sweeps measure the algorithms through this backend. (Compile it without
// -ffast-math and with -ffp-contract=off, so that each operation rounds once,
// as the vector code's do.)
//
// F32 is a class type on purpose: Activations.h calls its primitives
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

struct F32 {
  float v;
};

/// A condition of F32 comparisons.
struct F32Cond {
  bool v;
};

namespace vec {
template <>
struct ElementTraits<F32> {
  static constexpr bool isDouble = false;
};
} // namespace vec

namespace detail {
inline uint32_t toBits(float x) {
  uint32_t u;
  std::memcpy(&u, &x, sizeof(u));
  return u;
}
inline float fromBits(uint32_t u) {
  float x;
  std::memcpy(&x, &u, sizeof(x));
  return x;
}
} // namespace detail

inline F32 operator+(F32 a, F32 b) { return {a.v + b.v}; }
inline F32 operator-(F32 a, F32 b) { return {a.v - b.v}; }
inline F32 operator*(F32 a, F32 b) { return {a.v * b.v}; }
inline F32 operator/(F32 a, F32 b) { return {a.v / b.v}; }
inline F32 operator-(F32 a) { return {-a.v}; }
inline F32 operator+(F32 a, double b) { return a + F32{float(b)}; }
inline F32 operator-(F32 a, double b) { return a - F32{float(b)}; }
inline F32 operator*(F32 a, double b) { return a * F32{float(b)}; }
inline F32 operator/(F32 a, double b) { return a / F32{float(b)}; }
inline F32 operator+(double a, F32 b) { return F32{float(a)} + b; }
inline F32 operator-(double a, F32 b) { return F32{float(a)} - b; }
inline F32 operator*(double a, F32 b) { return F32{float(a)} * b; }
inline F32 operator/(double a, F32 b) { return F32{float(a)} / b; }

inline F32Cond operator<(F32 a, F32 b) { return {a.v < b.v}; }
inline F32Cond operator<=(F32 a, F32 b) { return {a.v <= b.v}; }
inline F32Cond operator>(F32 a, F32 b) { return {a.v > b.v}; }
inline F32Cond operator>=(F32 a, F32 b) { return {a.v >= b.v}; }
inline F32Cond operator==(F32 a, F32 b) { return {a.v == b.v}; }
inline F32Cond operator!=(F32 a, F32 b) { return {a.v != b.v}; }
inline F32Cond operator<(F32 a, double b) { return a < F32{float(b)}; }
inline F32Cond operator<=(F32 a, double b) { return a <= F32{float(b)}; }
inline F32Cond operator>(F32 a, double b) { return a > F32{float(b)}; }
inline F32Cond operator>=(F32 a, double b) { return a >= F32{float(b)}; }
inline F32Cond operator==(F32 a, double b) { return a == F32{float(b)}; }
inline F32Cond operator!=(F32 a, double b) { return a != F32{float(b)}; }
inline F32Cond operator&&(F32Cond a, F32Cond b) { return {a.v && b.v}; }
inline F32Cond operator||(F32Cond a, F32Cond b) { return {a.v || b.v}; }
inline F32Cond operator!(F32Cond a) { return {!a.v}; }

inline F32 fma(F32 a, F32 b, F32 c) { return {std::fma(a.v, b.v, c.v)}; }
inline F32 select(F32Cond c, F32 a, F32 b) { return c.v ? a : b; }
inline F32 splatLike(F32, double c) { return {float(c)}; }
inline F32 abs(F32 x) { return {std::fabs(x.v)}; }
inline F32 copysign(F32 m, F32 s) { return {std::copysign(m.v, s.v)}; }
inline F32 roundEven(F32 x) { return {std::nearbyint(x.v)}; }
inline F32 floor(F32 x) { return {std::floor(x.v)}; }

/// 2^n from the exponent bits, like the vector code: garbage outside the
/// normal range (but no undefined behaviour for NaN or huge n).
inline F32 pow2i(F32 n) {
  int32_t i = std::fabs(n.v) < 1e6f ? int32_t(n.v) : 0;
  return {detail::fromBits(uint32_t(i + 127) << 23)};
}
inline F32 exponentOf(F32 x) {
  return {float(int32_t((detail::toBits(x.v) >> 23) & 0xff) - 127)};
}
inline F32 mantissaOf(F32 x) {
  return {detail::fromBits((detail::toBits(x.v) & 0x7fffff) | 0x3f800000)};
}

// The primitives of Activations.h (and two more), by VectorMath.h.
inline F32 exp(F32 x) { return vec::exp(x); }
inline F32 expm1(F32 x) { return vec::expm1(x); }
inline F32 log1p(F32 x) { return vec::log1p(x); }
inline F32 log(F32 x) { return vec::log(x); }
inline F32 tanh(F32 x) { return vec::tanh(x); }
inline F32 erf(F32 x) { return vec::erf(x); }
inline F32 erfc(F32 x) { return vec::erfc(x); }
inline F32 logistic(F32 x) { return vec::sigmoid(x); }
inline F32 log1pExp(F32 x) { return vec::log1pExp(x); }
inline F32 normalCdf(F32 x) { return vec::normalCdf(x); }
inline F32 xMinusTanh(F32 x) { return vec::xMinusTanh(x); }
inline F32 sigmoidOfCubic(F32 x, double a, double b) {
  return vec::sigmoidOfCubic(x, a, b);
}

} // namespace math
} // namespace act
} // namespace mlir

#endif // ACT_MATH_SCALARFLOAT_H
