//===- VectorMath.h - Branch-free elementwise math --------------*- C++ -*-===//
//
// The transcendental primitives of act/Math/Activations.h (exp, expm1, log1p,
// log, tanh, erf, erfc, ...) as templates over a value type T, built only from
// this vocabulary (found by argument-dependent lookup), so that one algorithm
// serves the IR emitter (f32 scalars and vectors) and the scalar test backend
// (act/Math/ScalarFloat.h):
//
//   T + - * / T, T op double and double op T (the double rounded to T's
//   element type), unary -, fma(a, b, c) = a * b + c fused;
//   < <= > >= == (ordered) and != (unordered) giving a condition C, with
//   C && C, C || C, !C; select(C, T, T); splatLike(T, double);
//   abs, copysign(magnitude, sign), roundEven, floor;
//   pow2i(n): 2^n for an integer-valued n in the normal exponent range;
//   exponentOf(x), mantissaOf(x): floor(log2 x) and x / 2^that, for a finite
//   normal x > 0.
//
// Everything is branch-free: both sides of a choice are computed and
// selected, there are no tables, and special values come out of the same
// arithmetic or out of a final select. The element type is known through
// ElementTraits<T>::isDouble, which picks the coefficients (Consts<false> for
// f32, Consts<true> for f64: the same algorithms, with longer polynomials and
// the ranges and thresholds of f64).
//
// Accuracy (f32, every input, see test/Unit/Math/VectorMathTest.cpp): exp,
// expm1, log1p, log, tanh, erf, erfc, normalCdf and sigmoid are within about
// 1 ulp of the exact result, gradual underflow included; normalCdfPlusXPdf
// (for a derivative's 16-ulp budget) within 7. f64 (sampled, see
// test/Unit/Math/VectorMathF64Test.cpp and docs/Accuracy.md): within 2 ulp,
// except erfc and normalCdf below 2^-53, which (like f32 below 2^-24) are
// only accurate to 2^-52 in absolute terms.
//
// Polynomial coefficients are minimax fits by tools/reference/fit_vecmath.py
// (named there by the kernel names below; `--f64` for Consts<true>), rounded
// to the element type.
//
//===----------------------------------------------------------------------===//

#ifndef ACT_MATH_VECTORMATH_H
#define ACT_MATH_VECTORMATH_H

#include <cassert>
#include <cstddef>
#include <limits>

namespace mlir {
namespace act {
namespace math {
namespace vec {

/// Each value type says whether its elements are f64 (else f32):
///   template <> struct ElementTraits<MyT> { static constexpr bool isDouble
///   = false; };
template <typename T>
struct ElementTraits;

template <typename T>
constexpr bool isDouble = ElementTraits<T>::isDouble;

namespace detail {

constexpr double kInf = std::numeric_limits<double>::infinity();
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr double kLog2e = 1.4426950408889634074;
constexpr double kSqrtHalf = 0.70710678118654752440;
constexpr double kSqrt2Minus1 = 0.41421356237309504880;

/// Precision-specific constants and coefficients.
template <bool F64>
struct Consts;

template <>
struct Consts<false> {
  // ln2 = ln2Hi + ln2Lo, ln2Hi with 16 significant bits so that n * ln2Hi is
  // exact for any exponent n.
  static constexpr double ln2Hi = 0.693145751953125;
  static constexpr double ln2Lo = 1.428606820309417232e-6;
  // exp overflows above expMax and is 0 below expMin (f32 rounds e^-103.98 to
  // 0); clamping there keeps 2^n representable by two normal factors.
  static constexpr double expMax = 89.0;
  static constexpr double expMin = -104.0;
  // expm1(x) rounds to -1 below this.
  static constexpr double expm1Min = -20.0;
  // Below this, expm1(x) = x.
  static constexpr double expm1Tiny = 0x1p-30;
  static constexpr double minNormal = 0x1p-126;
  // log scales inputs below 2 minNormal by 2^logSubLog2 into the normal range.
  static constexpr double logSubScale = 0x1p32;
  static constexpr double logSubLog2 = 32.0;
  // tanh and x - tanh(x) use the kernel below tanhSmall; tanh(x) rounds to 1
  // above tanhOne.
  static constexpr double tanhSmall = 1.125;
  static constexpr double tanhOne = 9.5;
  // erf uses its kernel below 1 and rounds to 1 above erfOne; erfc(x) and
  // Phi(-x) round to 0 above erfcZero and phiZero.
  static constexpr double erfOne = 4.0;
  static constexpr double erfcZero = 10.1;
  static constexpr double phiZero = 14.3;
  // The centres of the erfc and Phi kernels: c/2 to 2c covers what must be
  // accurate (erfc(4), Phi(-6) < 2^-24).
  static constexpr double erfcC = 2.0;
  static constexpr double phiC = 3.0;

  // expm1(r) = r + r^2 P(r) on |r| <= ln2/2: fit_vecmath.py "exp".
  static constexpr double expP[] = {5.0e-1,        1.66666657e-1, 4.16664928e-2,
                                    8.33354611e-3, 1.39323249e-3, 1.9761805e-4};
  // x - tanh(x) = x^3 Q(x^2) on |x| <= tanhSmall: "tanh".
  static constexpr double tanhQ[] = {
      3.33333343e-1,  -1.33333609e-1, 5.39699569e-2,
      -2.18691193e-2, 8.82805325e-3,  -3.45438672e-3,
      1.19501119e-3,  -3.02038447e-4, 3.86317188e-5};
  // log1p(f) = f + f^2 L(f) on [sqrt(1/2) - 1, sqrt(2) - 1]: "log1p".
  static constexpr double log1pL[] = {
      -5.0e-1,        3.33333313e-1,  -2.50008196e-1,
      2.00012401e-1,  -1.66234016e-1, 1.42016098e-1,
      -1.31597549e-1, 1.27621144e-1,  -7.63588473e-2};
  // erf(z) = z + z S(z^2) on |z| <= 1: "erf".
  static constexpr double erfS[] = {
      1.28379166e-1, -3.7612626e-1, 1.12835787e-1, -2.68533472e-2,
      5.1871622e-3,  -7.9978531e-4, 7.80690316e-5};
  // ln erfcx(c + v) = Lambda(v) + R(v), |v| <= c: "erfc".
  static constexpr double erfcCubic[] = {-1.37359619140625, -4.111328125e-1,
                                         9.27734375e-2, -2.1484375e-2};
  static constexpr double erfcR[] = {
      8.6549269e-3,  -7.0279995e-3,  -1.65242963e-2, 5.01931086e-3,
      3.57083278e-3, -7.32532353e-4, 1.35195747e-4,  -2.05650795e-5,
      2.02620913e-6, 1.28148415e-7,  -1.94811975e-7, 7.84835095e-8,
      -1.20927988e-8};
  // ln erfcx((c + v) / sqrt(2)) = Lambda(v) + R(v), |v| <= c: "phi".
  static constexpr double phiCubic[] = {
      -1.4252166748046875, -2.7825927734375e-1, 4.39453125e-2, -6.8359375e-3};
  static constexpr double phiR[] = {
      1.06376335e-2,  -4.83939052e-3, -8.66572931e-3, 1.59087428e-3,
      7.8879291e-4,   -1.13205642e-4, 1.48067393e-5,  -1.63435504e-6,
      1.328672e-7,    -3.14142734e-9, -3.69876973e-9, 1.39409706e-9,
      -1.65142955e-10};
  // normalCdfPlusXPdf (f32 only). e^r = E(r) on |r| <= ln2/2: "exp_direct".
  static constexpr double expE[] = {1.0,           1.0,           4.9999994e-1,
                                    1.66665211e-1, 4.16682661e-2, 8.36868398e-3,
                                    1.38209458e-3};
  // The zero of gelu'(-a), a0 = 0.751791524693564457... = hi + lo.
  static constexpr double geluGradRootHi = 0.7517915368080139;
  static constexpr double geluGradRootLo = -1.211444988769017e-08;
  // 16 e^(-a^2/2) is 0 from here on (and so is gelu'(-a)).
  static constexpr double geluGradZero = 14.7;
  // (a phi(a) - Phi(-a)) / ((a - a0) 16 e^(-a^2/2)) = P(a) / Q(a) on
  // [0, geluGradZero], relative: "gelu_grad".
  static constexpr double geluGradP[] = {
      4.1567374e-2, 4.68459688e-2, 2.33723354e-2, 5.87775605e-3, 6.35741104e-4};
  static constexpr double geluGradQ[] = {1.0, 1.39260149, 7.8548038e-1,
                                         2.16573283e-1, 2.54968964e-2};
};

/// The f64 constants, with the meanings of Consts<false>; the coefficients
/// are `fit_vecmath.py --f64` fits.
template <>
struct Consts<true> {
  // fdlibm's split (FreeBSD msun e_exp.c): ln2Hi has 32 significant bits, so
  // n * ln2Hi is exact for |n| < 2^21.
  static constexpr double ln2Hi = 6.93147180369123816490e-01;
  static constexpr double ln2Lo = 1.90821492927058770002e-10;
  // e^x overflows above 709.78 and rounds to 0 below -745.14.
  static constexpr double expMax = 710.0;
  static constexpr double expMin = -746.0;
  // e^-40 < 2^-54.
  static constexpr double expm1Min = -40.0;
  static constexpr double expm1Tiny = 0x1p-60;
  static constexpr double minNormal = 0x1p-1022;
  // The smallest subnormal is 2^-1074.
  static constexpr double logSubScale = 0x1p64;
  static constexpr double logSubLog2 = 64.0;
  // 2 / (1 + e^39) < 2^-54.
  static constexpr double tanhSmall = 1.125;
  static constexpr double tanhOne = 19.5;
  // erfc(6) < 2^-54, so erf(6) rounds to 1; erfc(27.3) and Phi(-38.6) round
  // to 0 (and keep the final exponent >= -1086, where pow2i is valid).
  static constexpr double erfOne = 6.0;
  static constexpr double erfcZero = 27.3;
  static constexpr double phiZero = 38.6;
  // 2c reaches where the results fall below 2^-53: erfc(6), Phi(-8.5).
  static constexpr double erfcC = 3.0;
  static constexpr double phiC = 4.25;

  // expm1(r) = r + r^2 P(r) on |r| <= ln2/2: "exp".
  static constexpr double expP[] = {5.0e-1,
                                    1.6666666666666677e-1,
                                    4.1666666666666581e-2,
                                    8.3333333333220263e-3,
                                    1.3888888888942564e-3,
                                    1.9841269885047765e-4,
                                    2.48015871979674e-5,
                                    2.7557245173587846e-6,
                                    2.7557387155823101e-7,
                                    2.5108732598976163e-8,
                                    2.087891295603791e-9};
  // x - tanh(x) = x^3 Q(x^2) on |x| <= tanhSmall: "tanh".
  static constexpr double tanhQ[] = {
      3.3333333333333331e-1,  -1.3333333333333003e-1, 5.3968253968076599e-2,
      -2.1869488531662151e-2, 8.8632354643899871e-3,  -3.5921274233752919e-3,
      1.4558304428089184e-3,  -5.9000919442656996e-4, 2.3906645878247644e-4,
      -9.6752087778378287e-5, 3.8950225638408739e-5,  -1.5405073832716514e-5,
      5.8196533241037108e-6,  -2.0004143245625881e-6, 5.8440422127961291e-7,
      -1.3294403988774126e-7, 2.0884230556601173e-8,  -1.8383265956007056e-9,
      5.0525648014059053e-11};
  // log1p(f) = f + f^2 L(f) on [sqrt(1/2) - 1, sqrt(2) - 1]: "log1p".
  static constexpr double log1pL[] = {-5.0e-1,
                                      3.3333333333333348e-1,
                                      -2.5000000000000372e-1,
                                      1.9999999999993925e-1,
                                      -1.6666666666547617e-1,
                                      1.4285714286574946e-1,
                                      -1.2500000014575999e-1,
                                      1.1111111058600232e-1,
                                      -9.9999990744132988e-2,
                                      9.0909104803427176e-2,
                                      -8.3333675734805643e-2,
                                      7.6923050429428472e-2,
                                      -7.1420876140570314e-2,
                                      6.6658978352951481e-2,
                                      -6.2603769433316914e-2,
                                      5.9025211949438577e-2,
                                      -5.4794229835054914e-2,
                                      5.0277974157497789e-2,
                                      -5.1892512627027966e-2,
                                      6.0532929750716287e-2,
                                      -5.4100152998615196e-2,
                                      2.2483926331308881e-2};
  // erf(z) = z + z S(z^2) on |z| <= 1: "erf".
  static constexpr double erfS[] = {
      1.2837916709551259e-1,  -3.7612638903183898e-1, 1.1283791670960341e-1,
      -2.6866170645991849e-2, 5.2239776334559165e-3,  -8.5483274895526914e-4,
      1.2055350936775636e-4,  -1.4926123949480566e-5, 1.6470797708044782e-6,
      -1.6476379711130226e-7, 1.5764590491779101e-8,  -1.7662600469586776e-9,
      2.6928324246807289e-10, -3.1076596584737216e-11};
  // ln erfcx(c + v) = Lambda(v) + R(v), |v| <= c: "erfc".
  static constexpr double erfcCubic[] = {-1.74102783203125, -2.8985595703125e-1,
                                         5.908203125e-2, -1.171875e-2};
  static constexpr double erfcR[] = {
      2.0664790050137431e-2,   -1.3897731971984427e-2,  -1.647625005124009e-2,
      4.3068582044336621e-3,   1.3533104380202196e-3,   -2.4569213381355409e-4,
      4.3081791171002149e-5,   -7.1154652671910205e-6,  1.0693888742888037e-6,
      -1.361768684391069e-7,   1.146026767104345e-8,    6.3383238060623294e-10,
      -6.1041242869219781e-10, 1.8903706138928826e-10,  -4.4010049420077807e-11,
      8.534493849245876e-12,   -1.3742582164775448e-12, 1.6564380801112532e-13,
      -7.8253705261414292e-15, -3.5276391928926741e-15, 1.9439708223142834e-15,
      -5.698311597963753e-16,  4.740309486139844e-17,   3.8618050472588276e-18,
      1.0641321838426991e-17,  -3.3945325621589181e-18, -9.5622027760828963e-19,
      3.6593318939249276e-19,  7.012353825948891e-20,   -2.617375727609364e-20,
      -4.3208268070633514e-21, 1.5168600752729513e-21,  1.2033447254620524e-22,
      -4.805960851316919e-23,  -9.9959922211191533e-25, 5.8018667889423942e-25};
  // ln erfcx((c + v) / sqrt(2)) = Lambda(v) + R(v), |v| <= c: "phi".
  static constexpr double phiCubic[] = {
      -1.7454376220703125, -2.0660400390625e-1, 3.0029296875e-2, -3.90625e-3};
  static constexpr double phiR[] = {
      2.3495053264410752e-2,   -7.8691653599506552e-3,  -8.7841517332205802e-3,
      1.2956864798727102e-3,   3.3673380359675829e-4,   -4.3195568007358666e-5,
      5.3529258999613113e-6,   -6.2500095080682663e-7,  6.6439068609658818e-8,
      -5.9918272182852653e-9,  3.5923320760150011e-10,  1.3172364227783453e-11,
      -9.3395181887276349e-12, 2.0534157227620082e-12,  -3.386718289767232e-13,
      4.652061895595456e-14,   -5.3083146610464859e-15, 4.5503476804314212e-16,
      -1.6380754156523919e-17, -4.5427902537026796e-18, 1.8891050264991575e-18,
      -3.9482344311379741e-19, 1.887638367638918e-20,   2.1381409137251889e-21,
      2.7881090237414583e-21,  -6.2576007741384435e-22, -1.2496761401501887e-22,
      3.3085861911335515e-23,  4.5434158826422813e-24,  -1.1730321497193202e-24,
      -1.3625740743005084e-25, 3.335432298763107e-26,   1.8791307292525191e-27,
      -5.2132221643318102e-28, -7.9170345345413901e-30, 3.1249723385946774e-30};
};

template <typename T>
using C = Consts<isDouble<T>>;

template <typename T>
T splat(T like, double c) {
  return splatLike(like, c);
}

/// c[0] + v (c[1] + v (c[2] + ...)), all times `scale`.
template <typename T, std::size_t N>
T horner(T v, const double (&c)[N], double scale = 1.0) {
  static_assert(N >= 2, "use a constant");
  T p = fma(v, splat(v, scale * c[N - 1]), splat(v, scale * c[N - 2]));
  for (std::size_t i = N - 2; i-- > 0;)
    p = fma(p, v, splat(v, scale * c[i]));
  return p;
}

/// e^r - 1 for |r| <= ln2/2: r + r^2 P(r), accurate relative to the result.
template <typename T>
T expm1Kernel(T r) {
  return fma(r * r, horner(r, C<T>::expP), r);
}

/// The integer n nearest v / ln2, and r = v - n ln2 (Cody-Waite: n ln2Hi is
/// exact, so the first fma cancels exactly).
template <typename T>
T reduceExp(T v, T &r) {
  T n = roundEven(v * kLog2e);
  r = fma(n, splat(v, -C<T>::ln2Hi), v);
  r = fma(n, splat(v, -C<T>::ln2Lo), r);
  return n;
}

/// The same for v = a b, with the product kept exact inside the fma: e^(a b)
/// without the rounding of a b (the gelu-tanh argument needs it).
template <typename T>
T reduceExpProduct(T a, T b, T &r) {
  T n = roundEven(a * b * kLog2e);
  r = fma(a, b, n * -C<T>::ln2Hi);
  r = fma(n, splat(a, -C<T>::ln2Lo), r);
  return n;
}

/// p 2^n for any integer n in [2 emin - 2, 2 emax], one rounding: the two
/// factors are normal and the first product stays normal for p ~ 1.
template <typename T>
T scaleFull(T p, T n) {
  T n1 = floor(n * 0.5);
  return p * pow2i(n1) * pow2i(n - n1);
}

/// p 2^n for n <= 0 (down to emin - mantissa bits - 1), one rounding.
template <typename T>
T scaleNonPositive(T p, T n) {
  return p * pow2i(n + 64.0) * 0x1p-64;
}

/// e^v for v <= 0 (v >= expMin), with gradual underflow.
template <typename T>
T expNonPositive(T v) {
  T r;
  T n = reduceExp(v, r);
  return scaleNonPositive(expm1Kernel(r) + 1.0, n);
}

/// e^v for v whose result is normal (no over/underflow handling).
template <typename T>
T expNormal(T v) {
  T r;
  T n = reduceExp(v, r);
  return (expm1Kernel(r) + 1.0) * pow2i(n);
}

/// e ln2 + log1p(f) for f in [sqrt(1/2) - 1, sqrt(2) - 1]. e ln2Hi + f is
/// carried exactly as hi + lo (Fast2Sum: |e ln2Hi| >= |f| unless e = 0), so
/// that the result's only rounding at its scale is the last one (for e = +-1
/// log1p(f) and the result are of similar size, and rounding both costs up to
/// 1.4 ulp).
template <typename T>
T logKernel(T f, T e) {
  T tail = fma(f * f, horner(f, C<T>::log1pL), e * C<T>::ln2Lo);
  T big = e * C<T>::ln2Hi;
  T hi = big + f;
  T lo = (big - hi) + f;
  return hi + (lo + tail);
}

/// 1 / (1 + e), or e / (1 + e) where `negative`, for e in [0, 1], with one
/// rounding: 1 + e = s + sLo exactly, q = num / s, and the remainder
/// num - q (s + sLo) (exact up to the tiny q sLo) divided by s added back. 1/s
/// is q itself, or 1 - q where negative.
template <typename T, typename Cond>
T logisticOf(T e, Cond negative) {
  T s = e + 1.0;
  T sLo = (1.0 - s) + e;
  T num = select(negative, e, splat(e, 1.0));
  T q = num / s;
  T negQ = -q;
  T rem = fma(negQ, sLo, fma(negQ, s, num));
  return fma(rem, select(negative, 1.0 - q, q), q);
}

/// 2/(1 + e^{2a}) for a >= 0, so that tanh(a) = 1 - that.
template <typename T>
T tanhComplement(T a) {
  T ac = select(a > C<T>::tanhOne, splat(a, C<T>::tanhOne), a);
  return 2.0 / (expNormal(ac + ac) + 1.0);
}

/// exp(-a b + ln erfcx(ac / s)) 2^shift for a >= 0, ac = min(a, 2c), with
/// ln erfcx(ac / s) = Lambda(v) + R(v), v = ac - c: erfc(a) is b = a, s = 1
/// with erfc's (c, Lambda, R) and shift 0; Phi(-a) is b = a / 2, s = sqrt(2)
/// with Phi's and shift -1.
///
/// The whole result is one exp, so its only rounding at the result's scale is
/// exp's last one: the exponent is formed to ~2^-26 absolute. For that, v is
/// split into vq (a multiple of 1/4) and d: Lambda, a cubic on coarse grids,
/// is exact at vq, and so is its sum with n ln2Hi; a b joins that sum in one
/// fma whose result is small; the rest (Lambda(v) - Lambda(vq) as d times a
/// divided difference, n ln2Lo, and R, below 0.012) is small. ac - c is exact
/// from c/2 up (Sterbenz) and d is exact everywhere; the rounded v below c/2
/// only feeds R. Beyond 2c (where the results are below 2^-24) Lambda and R
/// are frozen at 2c: the result keeps its exp(-a b) decay, within a factor
/// ~2.5, down to 0.
template <typename T, std::size_t N>
T expOfLogErfcx(T a, T b, double c, const double (&lambda)[4],
                const double (&rest)[N], double shift) {
  T ac = select(a > 2 * c, splat(a, 2 * c), a);
  T v = ac - c;
  T vq = roundEven(v * 4.0) * 0.25;
  T d = ac - (vq + c);
  T lambdaVq = fma(vq,
                   fma(vq, fma(vq, splat(a, lambda[3]), splat(a, lambda[2])),
                       splat(a, lambda[1])),
                   splat(a, lambda[0]));
  // (Lambda(vq + d) - Lambda(vq)) / d.
  T slope = fma(vq, fma(vq, splat(a, 3 * lambda[3]), splat(a, 2 * lambda[2])),
                splat(a, lambda[1]));
  T curve = fma(vq, splat(a, 3 * lambda[3]), splat(a, lambda[2]));
  T divided = fma(d, fma(d, splat(a, lambda[3]), curve), slope);
  T restV = horner(v, rest);
  T approx = fma(d, divided, fma(-a, b, lambdaVq));
  // f64's R is larger than the slack of the exp kernel's range: n includes it
  // (f32 leaves it out, its numerics are fixed by exhaustive sweeps).
  if constexpr (isDouble<T>)
    approx = approx + restV;
  T n = roundEven(approx * kLog2e);
  T exact = fma(n, splat(a, -C<T>::ln2Hi), lambdaVq);
  T small = fma(d, divided, fma(n, splat(a, -C<T>::ln2Lo), restV));
  T r = fma(-a, b, exact) + small;
  return (expm1Kernel(r) + 1.0) * pow2i(n + (64.0 + shift)) * 0x1p-64;
}

} // namespace detail

/// e^x. Overflows to +inf above ~88.72, underflows gradually below ~-87.3.
template <typename T>
T exp(T x) {
  using K = detail::C<T>;
  // The clamps keep 2^n in what scaleFull represents (NaN passes).
  x = select(x > K::expMax, splatLike(x, K::expMax), x);
  x = select(x < K::expMin, splatLike(x, K::expMin), x);
  T r;
  T n = detail::reduceExp(x, r);
  return detail::scaleFull(detail::expm1Kernel(r) + 1.0, n);
}

/// e^x for x <= 0 or NaN (softmax's exp(x - max)): no overflow to guard, so
/// a cheaper scaling than exp's, with the same accuracy.
template <typename T>
T expNonPositive(T x) {
  using K = detail::C<T>;
  x = select(x < K::expMin, splatLike(x, K::expMin), x);
  return detail::expNonPositive(x);
}

/// e^x - 1 = 2^n (1 + q) - 1, q = expm1(r), evaluated as one fma.
template <typename T>
T expm1(T x) {
  using K = detail::C<T>;
  T xc = select(x > K::expMax, splatLike(x, K::expMax), x);
  xc = select(xc < K::expm1Min, splatLike(x, K::expm1Min), xc);
  T r;
  T n = detail::reduceExp(xc, r);
  T q = detail::expm1Kernel(r);
  // 2^(n-1) is normal for every n up to emax + 1, where e^x - 1 is still
  // finite; the doubling overflows to +inf when the result does.
  T t = pow2i(n - 1.0);
  T y = fma(q, t, t - 0.5) * 2.0;
  // Tiny x: the result is x (also -0 and subnormals, where halving q above
  // would round).
  return select(abs(x) < K::expm1Tiny, x, y);
}

/// log(1 + x) = e ln2 + log1p(f), 1 + x = 2^e (1 + f); f is formed from x
/// itself (not from the rounded 1 + x) by one fma.
template <typename T>
T log1p(T x) {
  T u = x + 1.0;
  T e = exponentOf(u * detail::kSqrtHalf) + 1.0;
  // 2^-e in two steps: e reaches emax + 1.
  T t = pow2i(2.0 - e) * 0.25;
  T f = fma(x, t, t - 1.0);
  T y = detail::logKernel(f, e);
  // -1 -> -inf, below -1 -> NaN, +inf -> +inf, NaN -> NaN.
  T special = select(x < -1.0, splatLike(x, detail::kNaN), x * detail::kInf);
  y = select(x > -1.0 && x < detail::kInf, y, special);
  // log1p(x) has the sign of x; this keeps -0.
  return copysign(y, x);
}

/// log(x) = e ln2 + log1p(f), x = 2^e (1 + f) with f exact.
template <typename T>
T log(T x) {
  using K = detail::C<T>;
  // Subnormals (and the smallest normals, as x / sqrt(2) below must stay
  // normal): scale into the normal range.
  auto sub = x < 2 * K::minNormal;
  T xs = select(sub, x * K::logSubScale, x);
  T e = exponentOf(xs * detail::kSqrtHalf) + 1.0;
  T t = pow2i(2.0 - e) * 0.25;
  T f = fma(xs, t, splatLike(x, -1.0));
  T y = detail::logKernel(
      f, e - select(sub, splatLike(x, K::logSubLog2), splatLike(x, 0.0)));
  // 0 -> -inf, negative -> NaN, +inf and NaN -> themselves.
  T special = select(x == 0.0, splatLike(x, -detail::kInf),
                     select(x < 0.0, splatLike(x, detail::kNaN), x));
  return select(x > 0.0 && x < detail::kInf, y, special);
}

/// tanh(x): x - x^3 Q(x^2) for |x| < tanhSmall, else
/// sign(x) (1 - 2 / (1 + e^{2|x|})).
template <typename T>
T tanh(T x) {
  using K = detail::C<T>;
  T a = abs(x);
  T u = x * x;
  T small = fma(a * u, detail::horner(u, K::tanhQ, -1.0), a);
  T big = 1.0 - detail::tanhComplement(a);
  // Odd; the sign goes on last, which also keeps -0.
  return copysign(select(a < K::tanhSmall, small, big), x);
}

/// x - tanh(x) (tanhshrink) without the cancellation near 0: x^3 Q(x^2) for
/// |x| < tanhSmall, where the result is at least a quarter of |x| - 1.
template <typename T>
T xMinusTanh(T x) {
  using K = detail::C<T>;
  T a = abs(x);
  T u = x * x;
  T small = (x * u) * detail::horner(u, K::tanhQ);
  T big = copysign((a - 1.0) + detail::tanhComplement(a), x);
  return select(a < K::tanhSmall, small, big);
}

/// sigmoid with one rounded division and no remainder correction (within
/// about 2 ulp instead of 1): for the derivatives, whose 16-ulp budget does
/// not need the 7 operations the correction costs.
template <typename T>
T sigmoidPlain(T x) {
  using K = detail::C<T>;
  T v = -abs(x);
  v = select(v < K::expMin, splatLike(x, K::expMin), v);
  T e = detail::expNonPositive(v);
  return select(x < 0.0, e, splatLike(e, 1.0)) / (e + 1.0);
}

/// 1 / (1 + e^-x) from e = e^-|x| <= 1: 1 / (1 + e) or e / (1 + e), so that
/// nothing overflows and the negative tail underflows gradually.
template <typename T>
T sigmoid(T x) {
  using K = detail::C<T>;
  T v = -abs(x);
  v = select(v < K::expMin, splatLike(x, K::expMin), v);
  T e = detail::expNonPositive(v);
  return detail::logisticOf(e, x < 0.0);
}

/// log(1 + e^x) = max(x, 0) + log1p(e), e = e^-|x| in (0, 1]: 1 + e =
/// 2^k (1 + f) with k = 0, f = e, or (from 1 + e = sqrt(2) up) k = 1,
/// f = (e - 1) / 2, exact from e = 1/2 up (below, its rounding costs up to
/// half an ulp). Cheaper than log1p(exp(x)): no overflow, no special inputs,
/// and only these two exponents.
template <typename T>
T log1pExp(T x) {
  using K = detail::C<T>;
  T v = -abs(x);
  v = select(v < K::expMin, splatLike(x, K::expMin), v);
  T e = detail::expNonPositive(v);
  auto big = e > detail::kSqrt2Minus1;
  T f = select(big, (e - 1.0) * 0.5, e);
  T k = select(big, splatLike(x, 1.0), splatLike(x, 0.0));
  return select(x > 0.0, x, splatLike(x, 0.0)) + detail::logKernel(f, k);
}

/// sigmoid(x (a + b x^2)) for a > 0, b >= 0 (constants). The argument is
/// carried in twice the element precision (a + b x^2 as qHi + qLo, the
/// product with x exact inside the exp reduction): where the sigmoid is
/// exponentially small its relative error is the argument's absolute error,
/// which plain products would make tens of ulps for |argument| ~ 20 (the
/// gelu-tanh tail). a + b x^2 is a Fast2Sum for f32, exact while b x^2 <
/// 2^(exponent(a) + 1) (for gelu-tanh |x| < 5.29; beyond, the results are
/// below 2^-24 or the sigmoid is 1); f64 results are still ~2^-28 there, so
/// f64 takes the (always exact) TwoSum.
template <typename T>
T sigmoidOfCubic(T x, double a, double b) {
  assert(a > 0 && b >= 0 && "sigmoidOfCubic needs a > 0, b >= 0");
  using K = detail::C<T>;
  // The constants split into element-type heads and tails.
  double aHi = isDouble<T> ? a : double(float(a));
  double bHi = isDouble<T> ? b : double(float(b));
  double aLo = a - aHi, bLo = b - bHi;
  T x2 = x * x;
  T x2Lo = fma(x, x, -x2);
  T p = x2 * bHi;
  T pLo = fma(x2, splatLike(x, bHi), -p);
  T qHi = p + aHi;
  T qLo;
  if constexpr (isDouble<T>) {
    T pPart = qHi - aHi;
    qLo = (aHi - (qHi - pPart)) + (p - pPart);
  } else {
    qLo = (aHi - qHi) + p;
  }
  qLo = qLo + (pLo + fma(x2Lo, splatLike(x, bHi),
                         fma(x2, splatLike(x, bLo), splatLike(x, aLo))));
  // e = e^{-|x| q}; the sigmoid is then 1 / (1 + e) or e / (1 + e).
  T v = -abs(x);
  T r;
  T n = detail::reduceExpProduct(v, qHi, r);
  r = fma(v, qLo, r);
  T e = detail::scaleNonPositive(detail::expm1Kernel(r) + 1.0, n);
  e = select(v * qHi < K::expMin, splatLike(x, 0.0), e);
  return detail::logisticOf(e, x < 0.0);
}

/// erfc(z) = exp(-z^2 + ln erfcx(z)) for z >= 0 (expOfLogErfcx), 2 - erfc(-z)
/// below.
template <typename T>
T erfc(T z) {
  using K = detail::C<T>;
  T a = abs(z);
  a = select(a > K::erfcZero, splatLike(z, K::erfcZero), a);
  T y = detail::expOfLogErfcx(a, a, K::erfcC, K::erfcCubic, K::erfcR, 0.0);
  return select(z < 0.0, 2.0 - y, y);
}

/// erf(z) = z + z S(z^2) for |z| < 1, else sign(z) (1 - erfc(|z|)).
template <typename T>
T erf(T z) {
  using K = detail::C<T>;
  T a = abs(z);
  T small = fma(z, detail::horner(z * z, K::erfS), z);
  T ac = select(a > K::erfOne, splatLike(z, K::erfOne), a);
  T big = 1.0 -
          detail::expOfLogErfcx(ac, ac, K::erfcC, K::erfcCubic, K::erfcR, 0.0);
  return select(a < 1.0, small, copysign(big, z));
}

/// The standard normal CDF Phi(x) = erfc(-x / sqrt(2)) / 2, computed from x
/// itself: Phi(-a) = exp(-a^2 / 2 + ln erfcx(a / sqrt(2))) / 2 with the
/// product a (a/2) exact (scaling x by 1/sqrt(2) first would cost ~a^2 ulps
/// in the tail); 1 - Phi(-x) for x > 0.
template <typename T>
T normalCdf(T x) {
  using K = detail::C<T>;
  T a = abs(x);
  a = select(a > K::phiZero, splatLike(x, K::phiZero), a);
  T y = detail::expOfLogErfcx(a, a * 0.5, K::phiC, K::phiCubic, K::phiR, -1.0);
  return select(x > 0.0, 1.0 - y, y);
}

/// Phi(x) + x phi(x) (gelu's erf-form derivative) with one exp, for f32
/// (f64 adds normalCdf and the density: Activations.h). With a = |x| it is
/// 1 + h(a) for x > 0 and -h(a) for x <= 0 (gelu'(x) + gelu'(-x) = 1), where
///
///   h(a) = a phi(a) - Phi(-a) = phi(a) (a - M(a)) = phi(a) (a - a0) J(a),
///
/// M the Mills ratio Phi(-a) / phi(a), a0 the one zero of a - M(a), and J
/// smooth on [0, inf) (1.67 at 0, tending to 1): P / Q of degree 4 fits it
/// within 2^-25 relative, tails included. So there is one exp, of -a^2/2
/// (Phi's erfcx kernel would need a second one for phi), with the product
/// a (a/2) exact inside the reduction: its rounding would cost ~a^2 ulps.
/// a - a0 is formed as (a - hi) - lo, exact next to a0, so that the result
/// stays accurate relative to itself across its zero.
///
/// The density is 16 e^(-a^2/2), scaled once (gradual underflow, as
/// scaleNonPositive): the factor 16 (in P) keeps it from flushing to 0
/// before h does. It is 0 from a = geluGradZero on, where a finite a gives
/// h = +0 and the result +0 (0 - h, not -h); a = inf gives 0 * inf = NaN,
/// PyTorch's gelu'(+-inf). 1 + h does not cancel (h >= -1/2).
template <typename T>
T normalCdfPlusXPdf(T x) {
  static_assert(!isDouble<T>, "f64 adds normalCdf and the density");
  using K = detail::C<T>;
  T a = abs(x);
  T ac = select(a > K::geluGradZero, splatLike(x, K::geluGradZero), a);
  T b = ac * -0.5;
  T n = roundEven(ac * b * detail::kLog2e);
  T r = fma(ac, b, n * -K::ln2Hi);
  r = fma(n, splatLike(x, -K::ln2Lo), r);
  // 16 e^(-ac^2/2) = E(r) 2^(n + 4), as 2^(n + 68) 2^-64 (scaleNonPositive).
  T density = detail::horner(r, K::expE) * pow2i(n + 68.0) * 0x1p-64;
  T ratio = detail::horner(ac, K::geluGradP) / detail::horner(ac, K::geluGradQ);
  T h = density * (((a - K::geluGradRootHi) - K::geluGradRootLo) * ratio);
  return select(x > 0.0, 1.0 + h, 0.0 - h);
}

} // namespace vec
} // namespace math
} // namespace act
} // namespace mlir

#endif // ACT_MATH_VECTORMATH_H
