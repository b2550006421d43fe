//===- Activations.h - The activation math, written once --------*- C++ -*-===//
//
// Every activation and its derivative, as a template over a value type `T`.
// `T = double` is the reference implementation (constant folding, the
// runner's --verify, the accuracy sweeps); an IR-building value type whose
// operators emit arith/math ops gives the lowering the very same formulas.
//
// A value type provides: + - * / (also with a double on either side), unary -,
// the comparisons < <= > >= (ordered: false for NaN) returning a condition
// type, and these functions found by argument-dependent lookup:
//   exp expm1 log1p tanh erfc abs          elementwise math
//   fma(a, b, c)                           a * b + c, rounded once
//   expNonPositive(x)                      e^x for x <= 0 or NaN
//   logistic(x)                            1 / (1 + e^-x)
//   logisticPlain(x)                       the same, within ~2 ulp (for the
//                                          derivatives: fewer operations)
//   log1pExp(x)                            log(1 + e^x)
//   normalCdf(x)                           Phi(x) = erfc(-x / sqrt(2)) / 2
//   normalCdfPlusXPdf(x)                   Phi(x) + x phi(x) (gelu's
//                                          derivative), one exp for f32
//   xMinusTanh(x)                          x - tanh(x)
//   sigmoidOfCubic(x, a, b)                sigmoid(x (a + b x^2)), a, b double
//   select(cond, a, b)                     cond ? a : b per element
//   splatLike(x, c)                        the constant c shaped like x
// (logistic and the five after it are what their activations need to stay
// accurate and cheap at float precision: see act/Math/VectorMath.h.)
//
// Parameters are plain doubles: they are op attributes, known when the code
// is built, so a formula may branch on them in C++.
//
// Formulas are chosen for accuracy at the precision of T and for PyTorch's
// results on NaN, +-Inf and -0 (see docs/Activations.md).
//
//===----------------------------------------------------------------------===//

#ifndef ACT_MATH_ACTIVATIONS_H
#define ACT_MATH_ACTIVATIONS_H

#include <cmath>
#include <utility>

namespace mlir {
namespace act {
namespace math {

//===----------------------------------------------------------------------===//
// Primitives for T = double.
//===----------------------------------------------------------------------===//

inline double exp(double x) { return std::exp(x); }
inline double expNonPositive(double x) { return std::exp(x); }
inline double expm1(double x) { return std::expm1(x); }
inline double log1p(double x) { return std::log1p(x); }
inline double tanh(double x) { return std::tanh(x); }
inline double erfc(double x) { return std::erfc(x); }
inline double abs(double x) { return std::fabs(x); }
inline double select(bool cond, double a, double b) { return cond ? a : b; }
inline double splatLike(double, double c) { return c; }
inline double fma(double a, double b, double c) { return std::fma(a, b, c); }
inline double logistic(double x) { return 1.0 / (1.0 + std::exp(-x)); }
inline double logisticPlain(double x) { return logistic(x); }
inline double log1pExp(double x) {
  return x > 0 ? x + std::log1p(std::exp(-x)) : std::log1p(std::exp(x));
}

//===----------------------------------------------------------------------===//
// Constants (PyTorch's values).
//===----------------------------------------------------------------------===//

constexpr double kSeluAlpha = 1.6732632423543772848170429916717;
constexpr double kSeluScale = 1.0507009873554804934193349852946;
constexpr double kSqrtHalf = 0.70710678118654752440084436210485; // 1/sqrt(2)
constexpr double kSqrt2OverPi =
    0.79788456080286535587989211986876; // sqrt(2/pi)
constexpr double kInvSqrt2Pi =
    0.39894228040143267793994605993438; // 1/sqrt(2pi)
constexpr double kGeluTanhCubic = 0.044715;

//===----------------------------------------------------------------------===//
// Primitives for T = double that need the constants, or more than libm.
//===----------------------------------------------------------------------===//

/// erfc(-x / sqrt(2)) / 2. The rounding error dz of z = -x / sqrt(2) would
/// cost ~z^2 ulps in the lower tail, so it is added back to first order:
/// erfc(z + dz) = erfc(z) - dz 2/sqrt(pi) exp(-z^2).
inline double normalCdf(double x) {
  constexpr double kSqrtHalfLo = -4.8336466567264565e-17; // 1/sqrt2 - kSqrtHalf
  constexpr double k2OverSqrtPi = 1.1283791670955125739;
  // At +-Inf the correction would be Inf * 0.
  if (std::isinf(x))
    return x > 0 ? 1.0 : 0.0;
  double z = x * -kSqrtHalf;
  double dz = std::fma(x, -kSqrtHalf, -z) - x * kSqrtHalfLo;
  return 0.5 * (std::erfc(z) - dz * k2OverSqrtPi * std::exp(-z * z));
}

/// Phi(x) + x phi(x), phi the standard normal density, from its two terms:
/// the double reference, and the lowering where act's one-exp f32 kernel
/// (vec::normalCdfPlusXPdf) does not apply: f64, fast mode, f16 and bf16.
template <typename T>
T normalCdfPlusXPdfTerms(T x) {
  return normalCdf(x) + x * exp(x * x * -0.5) * kInvSqrt2Pi;
}

inline double normalCdfPlusXPdf(double x) { return normalCdfPlusXPdfTerms(x); }

/// x - tanh(x) without the cancellation near 0: its series there, and long
/// double (11 more bits than the cancellation costs) beyond.
inline double xMinusTanh(double x) {
  if (std::fabs(x) < 0.04) {
    double x2 = x * x;
    return x * x2 *
           (1.0 / 3 +
            x2 * (-2.0 / 15 +
                  x2 * (17.0 / 315 + x2 * (-62.0 / 2835 +
                                           x2 * (1382.0 / 155925 +
                                                 x2 * (-21844.0 / 6081075))))));
  }
  return double(x - std::tanh((long double)x));
}

/// sigmoid(x (a + b x^2)), in long double: where the sigmoid is exponentially
/// small its relative error is the argument's absolute error.
inline double sigmoidOfCubic(double x, double a, double b) {
  long double u = x * (a + b * (long double)x * x);
  return double(1 / (1 + std::exp(-u)));
}

//===----------------------------------------------------------------------===//
// Forward.
//===----------------------------------------------------------------------===//

/// 1 where x >= 0, else 0, so NaN gives 0 (as torch.heaviside(x, 1)).
template <typename T>
T step(T x) {
  return select(x >= 0.0, splatLike(x, 1.0), splatLike(x, 0.0));
}

/// x > threshold ? x : value (torch.nn.Threshold); NaN passes through.
template <typename T>
T threshold(T x, double threshold, double value) {
  return select(x <= threshold, splatLike(x, value), x);
}

/// alpha * x + beta; with beta == 0 it is a pure scaling, which keeps -0.
template <typename T>
T linear(T x, double alpha, double beta) {
  if (beta == 0.0)
    return alpha == 1.0 ? x : x * alpha;
  return x * alpha + beta;
}

/// 1 / (1 + e^-x): a primitive, whose float kernel is more accurate than
/// this formula in float (and underflows gradually).
template <typename T>
T sigmoid(T x) {
  return logistic(x);
}

/// PyTorch's clamp: NaN passes through, and so does -0 at a bound of 0.
template <typename T>
T clamp(T x, double lo, double hi) {
  return select(x < lo, splatLike(x, lo), select(x > hi, splatLike(x, hi), x));
}

/// clamp(alpha * x + beta, 0, 1); PyTorch's Hardsigmoid is alpha = 1/6,
/// beta = 1/2. Computed as (x + beta / alpha) * alpha, PyTorch's (x + 3) / 6:
/// alpha * x + beta would cancel near the lower kink.
template <typename T>
T hardSigmoid(T x, double alpha, double beta) {
  if (alpha == 0.0)
    return clamp(splatLike(x, beta), 0.0, 1.0);
  // Divided by 1 / alpha (6 for the default, exactly), as PyTorch does: two
  // roundings, within 1 ulp; multiplying by alpha (1/6 rounded) is not.
  return clamp((x + beta / alpha) / (1.0 / alpha), 0.0, 1.0);
}

/// log(sigmoid(x)) = min(x, 0) - log(1 + exp(-|x|)), without overflow.
template <typename T>
T logSigmoid(T x) {
  return select(x < 0.0, x, splatLike(x, 0.0)) - log1pExp(-abs(x));
}

/// The tanh op. (A separate name: `tanh` is the primitive.)
template <typename T>
T tanhActivation(T x) {
  return tanh(x);
}

template <typename T>
T hardTanh(T x, double minVal, double maxVal) {
  return clamp(x, minVal, maxVal);
}

/// x - tanh(x), which cancels for |x| up to ~1: a primitive.
template <typename T>
T tanhShrink(T x) {
  // + 0 turns the -0 of x = -0 and of results that underflow into PyTorch's
  // +0 (its x - tanh(x) is exactly 0 there).
  return xMinusTanh(x) + 0.0;
}

/// x - lambd above lambd, x + lambd below -lambd, else x * 0 (which
/// propagates NaN and keeps the sign of zero, as PyTorch's scalar kernel; its
/// vector kernel gives +0).
template <typename T>
T softShrink(T x, double lambd) {
  return select(x > lambd, x - lambd, select(x < -lambd, x + lambd, x * 0.0));
}

template <typename T>
T hardShrink(T x, double lambd) {
  return select(abs(x) <= lambd, splatLike(x, 0.0), x);
}

/// x / (1 + |x|); like PyTorch, +-Inf gives NaN (Inf / Inf).
template <typename T>
T softsign(T x) {
  return x / (1.0 + abs(x));
}

/// x < 0 ? 0 : x, which keeps NaN and -0 as PyTorch does.
template <typename T>
T relu(T x) {
  return select(x < 0.0, splatLike(x, 0.0), x);
}

template <typename T>
T relu6(T x) {
  return hardTanh(x, 0.0, 6.0);
}

template <typename T>
T leakyRelu(T x, double negativeSlope) {
  return select(x > 0.0, x, x * negativeSlope);
}

/// PReLU with the slope already broadcast to x's shape.
template <typename T>
T prelu(T x, T slope) {
  return select(x > 0.0, x, x * slope);
}

/// RReLU in inference: a leaky ReLU with the mean of the slope range.
template <typename T>
T rrelu(T x, double lower, double upper) {
  return leakyRelu(x, (lower + upper) / 2.0);
}

template <typename T>
T elu(T x, double alpha) {
  return select(x > 0.0, x, expm1(x) * alpha);
}

template <typename T>
T celu(T x, double alpha) {
  return select(x > 0.0, x, expm1(x * (1.0 / alpha)) * alpha);
}

template <typename T>
T selu(T x) {
  return select(x > 0.0, x, expm1(x) * kSeluAlpha) * kSeluScale;
}

/// x * Phi(x) with Phi(x) = erfc(-x / sqrt(2)) / 2, which stays accurate in
/// the negative tail where 1 + erf(x / sqrt(2)) cancels (normalCdf takes x
/// itself: rounding x / sqrt(2) would cost ~x^2 / 2 ulps there). gelu(-0) =
/// -0, as PyTorch's f64/f16/bf16 kernels (its f32 kernel happens to give +0).
template <typename T>
T geluErf(T x) {
  return x * normalCdf(x);
}

/// 0.5 x (1 + tanh(u)) = x * sigmoid(2u), u = sqrt(2/pi) (x + 0.044715 x^3);
/// the sigmoid form does not cancel for large negative u, and
/// sigmoidOfCubic carries 2u in extra precision for that tail.
template <typename T>
T geluTanh(T x) {
  return x * sigmoidOfCubic(x, 2.0 * kSqrt2OverPi,
                            2.0 * kSqrt2OverPi * kGeluTanhCubic);
}

template <typename T>
T gelu(T x, bool tanhApproximation) {
  return tanhApproximation ? geluTanh(x) : geluErf(x);
}

template <typename T>
T swish(T x, double beta) {
  return x * sigmoid(beta == 1.0 ? x : x * beta);
}

template <typename T>
T silu(T x) {
  return swish(x, 1.0);
}

/// log(1 + exp(beta x)) / beta, and x itself once beta x > threshold
/// (torch.nn.Softplus).
template <typename T>
T softplus(T x, double beta, double threshold) {
  T bx = beta == 1.0 ? x : x * beta;
  T soft = log1pExp(bx);
  return select(bx > threshold, x, beta == 1.0 ? soft : soft * (1.0 / beta));
}

/// GLU on the halves a, b of a dimension.
template <typename T>
T glu(T a, T b) {
  return a * sigmoid(b);
}

/// tanh(softplus(x)) = ((1 + e^x)^2 - 1) / ((1 + e^x)^2 + 1) = h / (1 + h)
/// with h = e^x (1 + e^x / 2): one exp instead of exp, log1p and tanh. Below
/// -1, where t = h / (1 + h) is small, t = h (1 - t) refines it (its error
/// times h). Above 20 it is 1 (in double too), which also avoids inf / inf.
template <typename T>
T tanhSoftplus(T x) {
  T n = exp(x);
  T h = fma(n, n * 0.5, n);
  T t = h / (h + 1.0);
  return select(x > 20.0, splatLike(x, 1.0),
                select(x < -1.0, fma(-h, t, h), t));
}

template <typename T>
T mish(T x) {
  return x * tanhSoftplus(x);
}

/// x * relu6(x + 3) / 6, scaled by relu6(x + 3) / 6 <= 1 first so that it
/// cannot overflow (PyTorch's x * relu6(x + 3) overflows above ~5.7e37).
template <typename T>
T hardswish(T x) {
  return x * (relu6(x + 3.0) / 6.0);
}

//===----------------------------------------------------------------------===//
// Derivatives d(activation)/dx, at x. (At a kink these take PyTorch's
// autograd choice: relu'(0) = 0, hardtanh' = 0 at the bounds, hardswish' = 0
// at -3 and 1 at 3.)
//===----------------------------------------------------------------------===//

template <typename T>
T stepDerivative(T x) {
  return splatLike(x, 0.0);
}

template <typename T>
T thresholdDerivative(T x, double threshold, double) {
  return select(x <= threshold, splatLike(x, 0.0), splatLike(x, 1.0));
}

template <typename T>
T linearDerivative(T x, double alpha, double) {
  return splatLike(x, alpha);
}

/// The sigmoid inside derivatives: within ~2 ulp, which their budget
/// allows, for fewer operations than the forward op's.
template <typename T>
T sigmoidInDerivative(T x) {
  return logisticPlain(x);
}

/// sigmoid(x) sigmoid(-x): y (1 - y) would cancel for large x.
template <typename T>
T sigmoidDerivative(T x) {
  return sigmoidInDerivative(x) * sigmoidInDerivative(-x);
}

/// alpha strictly between the kinks -beta / alpha and (1 - beta) / alpha
/// (compared in x, as PyTorch's x > -3 && x < 3: alpha x + beta would round
/// next to them), else 0; NaN gives 0.
template <typename T>
T hardSigmoidDerivative(T x, double alpha, double beta) {
  if (alpha == 0.0)
    return splatLike(x, 0.0);
  double lo = -beta / alpha, hi = (1.0 - beta) / alpha;
  if (alpha < 0.0)
    std::swap(lo, hi);
  return select(x > lo && x < hi, splatLike(x, alpha), splatLike(x, 0.0));
}

template <typename T>
T logSigmoidDerivative(T x) {
  return sigmoidInDerivative(-x);
}

/// 1 - tanh(x)^2 = 4t / (1 + t)^2 with t = exp(-2|x|), which does not cancel
/// for large |x|.
template <typename T>
T tanhDerivative(T x) {
  T t = exp(abs(x) * -2.0);
  T d = 1.0 + t;
  return t * 4.0 / (d * d);
}

/// 1 strictly inside (min_val, max_val), else 0: PyTorch's autograd gives 0
/// at both kinks and for NaN.
template <typename T>
T hardTanhDerivative(T x, double minVal, double maxVal) {
  return select(x > minVal && x < maxVal, splatLike(x, 1.0), splatLike(x, 0.0));
}

template <typename T>
T tanhShrinkDerivative(T x) {
  T y = tanh(x);
  return y * y;
}

/// 1 outside [-lambd, lambd], else 0 (0 at the kinks and for NaN, as
/// PyTorch's autograd).
template <typename T>
T softShrinkDerivative(T x, double lambd) {
  return select(x < -lambd || x > lambd, splatLike(x, 1.0), splatLike(x, 0.0));
}

template <typename T>
T hardShrinkDerivative(T x, double lambd) {
  return softShrinkDerivative(x, lambd);
}

/// 1 / (1 + |x|)^2; + (x - x) makes it NaN at +-Inf, where PyTorch's
/// forward and its autograd give NaN too.
template <typename T>
T softsignDerivative(T x) {
  T d = 1.0 + abs(x);
  return 1.0 / (d * d) + (x - x);
}

template <typename T>
T reluDerivative(T x) {
  return select(x <= 0.0, splatLike(x, 0.0), splatLike(x, 1.0));
}

template <typename T>
T relu6Derivative(T x) {
  return hardTanhDerivative(x, 0.0, 6.0);
}

template <typename T>
T leakyReluDerivative(T x, double negativeSlope) {
  return select(x > 0.0, splatLike(x, 1.0), splatLike(x, negativeSlope));
}

/// d prelu / dx; the slope's gradient is preluSlopeDerivative summed over
/// the broadcast dimensions.
template <typename T>
T preluDerivative(T x, T slope) {
  return select(x > 0.0, splatLike(x, 1.0), slope);
}

template <typename T>
T preluSlopeDerivative(T x) {
  return select(x > 0.0, splatLike(x, 0.0), x);
}

template <typename T>
T rreluDerivative(T x, double lower, double upper) {
  return leakyReluDerivative(x, (lower + upper) / 2.0);
}

/// The ELUs send NaN through the exp piece: PyTorch's autograd gives NaN.
template <typename T>
T eluDerivative(T x, double alpha) {
  return select(x > 0.0, splatLike(x, 1.0), exp(x) * alpha);
}

template <typename T>
T celuDerivative(T x, double alpha) {
  return select(x > 0.0, splatLike(x, 1.0), exp(x * (1.0 / alpha)));
}

template <typename T>
T seluDerivative(T x) {
  return select(x > 0.0, splatLike(x, kSeluScale),
                exp(x) * (kSeluAlpha * kSeluScale));
}

/// Phi(x) + x phi(x): a primitive, whose f32 kernel shares one exp between
/// the two terms.
template <typename T>
T geluErfDerivative(T x) {
  return normalCdfPlusXPdf(x);
}

/// With s = sigmoid(2u): 0.5 (1 + tanh u) = s and 1 - tanh(u)^2 = 4 s (1 - s),
/// so d/dx = s + 2 x s (1 - s) u'(x).
template <typename T>
T geluTanhDerivative(T x) {
  T x2 = x * x;
  T s = sigmoidOfCubic(x, 2.0 * kSqrt2OverPi,
                       2.0 * kSqrt2OverPi * kGeluTanhCubic);
  T du = (1.0 + x2 * (3.0 * kGeluTanhCubic)) * kSqrt2OverPi;
  return s + x * 2.0 * s * (1.0 - s) * du;
}

template <typename T>
T geluDerivative(T x, bool tanhApproximation) {
  return tanhApproximation ? geluTanhDerivative(x) : geluErfDerivative(x);
}

template <typename T>
T swishDerivative(T x, double beta) {
  T s = sigmoidInDerivative(beta == 1.0 ? x : x * beta);
  return s + x * beta * s * (1.0 - s);
}

template <typename T>
T siluDerivative(T x) {
  return swishDerivative(x, 1.0);
}

template <typename T>
T softplusDerivative(T x, double beta, double threshold) {
  T bx = beta == 1.0 ? x : x * beta;
  return select(bx > threshold, splatLike(x, 1.0), sigmoidInDerivative(bx));
}

/// tanh(sp) + x sigmoid(x) (1 - tanh(sp)^2), sp = softplus(x).
template <typename T>
T mishDerivative(T x) {
  T t = tanhSoftplus(x);
  return t + x * sigmoidInDerivative(x) * (1.0 - t * t);
}

/// 0 up to -3, 1 from 3 on (PyTorch's choice at both kinks), x/3 + 1/2
/// between and for NaN (which it turns into NaN, as PyTorch's autograd).
template <typename T>
T hardswishDerivative(T x) {
  return select(x <= -3.0, splatLike(x, 0.0),
                select(x >= 3.0, splatLike(x, 1.0), x * (1.0 / 3.0) + 0.5));
}

//===----------------------------------------------------------------------===//
// Derivatives from the forward output y = f(x), where that is cheaper (no
// transcendental recomputed) or as accurate. Each equals the derivative at x
// for every x, NaN, +-Inf and -0 included, under the parameter condition its
// op states (docs/Derivatives.md).
//===----------------------------------------------------------------------===//

/// y > 0 exactly where x > 0; NaN gives 1 as from x.
template <typename T>
T reluDerivativeFromOutput(T y) {
  return reluDerivative(y);
}

/// With slope >= 0, y > 0 exactly where x > 0.
template <typename T>
T leakyReluDerivativeFromOutput(T y, double negativeSlope) {
  return leakyReluDerivative(y, negativeSlope);
}

/// y (1 - y): PyTorch's and oneDNN's form. Its absolute error is that of y,
/// about 2^-24; relative to the tiny derivative at large x it is not small.
template <typename T>
T sigmoidDerivativeFromOutput(T y) {
  return y * (1.0 - y);
}

/// 1 - y^2, as PyTorch's tanh_backward; the same caveat as for sigmoid.
template <typename T>
T tanhDerivativeFromOutput(T y) {
  return 1.0 - y * y;
}

/// y + alpha = alpha e^x for y <= 0 (alpha >= 0 keeps y <= 0 exactly where
/// x <= 0), else 1; PyTorch's elu_backward with is_result.
template <typename T>
T eluDerivativeFromOutput(T y, double alpha) {
  return select(y > 0.0, splatLike(y, 1.0), y + alpha);
}

/// dx = dy * f'(x) for the backward ops, and +0 where f'(x) = 0 whatever dy
/// is: PyTorch's masked backward kernels (threshold_backward, hardtanh's)
/// give 0 there for a NaN or infinite dy, and +0 for a negative one.
template <typename T>
T applyDerivative(T grad, T derivative) {
  return select(derivative == 0.0, splatLike(grad, 0.0), grad * derivative);
}

} // namespace math
} // namespace act
} // namespace mlir

#endif // ACT_MATH_ACTIVATIONS_H
