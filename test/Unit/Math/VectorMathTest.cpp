//===- VectorMathTest.cpp - Accuracy of act/Math/VectorMath.h -------------===//
//
// The f32 algorithms of VectorMath.h, evaluated through the scalar backend
// (act/Math/ScalarFloat.h), against double: libm for the primitives and
// Activations.h at T = double for the activations. Errors are in ulps of the
// float nearest the double result. A dense sample (every 8191st bit pattern
// and the neighbourhoods of the interesting points) keeps this fast; the
// exhaustive sweep over all 2^32 inputs is run by hand (see the numbers in
// VectorMath.h).
//
// Targets: <= 2 ulp for the primitives, sigmoid and tanh, <= 4 ulp for the
// other activations, except where the exact result is below 2^-24 in
// magnitude; there, the error must stay below 2^-23 in absolute terms.
//
//===----------------------------------------------------------------------===//

#include "act/Math/ScalarFloat.h"

#include <gtest/gtest.h>

#include <cfloat>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <functional>
#include <limits>
#include <string>
#include <vector>

using namespace mlir::act;
using math::F32;

namespace {

constexpr float kInf = std::numeric_limits<float>::infinity();
constexpr float kNaN = std::numeric_limits<float>::quiet_NaN();

float fromBits(uint32_t b) {
  float x;
  std::memcpy(&x, &b, sizeof(x));
  return x;
}

uint32_t toBits(float x) {
  uint32_t b;
  std::memcpy(&b, &x, sizeof(b));
  return b;
}

/// |y - r| in ulps of the float nearest r (subnormal ulps below 2^-126);
/// 0 when both are the same infinity or both NaN, infinite on any other
/// disagreement about NaN or infinity.
double ulpError(float y, double r) {
  if (std::isnan(r) || std::isnan(y))
    return std::isnan(r) && std::isnan(y) ? 0 : INFINITY;
  float rf = static_cast<float>(r);
  if (std::isinf(rf) || std::isinf(y))
    return y == rf ? 0 : INFINITY;
  int e = r == 0 ? -126 : std::max(std::ilogb(r), -126);
  return std::fabs(static_cast<double>(y) - r) / std::ldexp(1.0, e - 23);
}

/// The sample: every 8191st bit pattern (both signs, all exponents), and
/// 64 floats on either side of the points where the algorithms switch or
/// the results are special.
std::vector<float> sampleInputs() {
  std::vector<float> xs;
  for (uint64_t b = 0; b < (uint64_t(1) << 32); b += 8191)
    xs.push_back(fromBits(static_cast<uint32_t>(b)));
  const float points[] = {
      0.0f,        FLT_MIN,     FLT_MAX,    1.0f,        0.5f,
      2.0f,        0.25f,       0.477f,     1.125f,      9.5f,
      3.0f,        4.0f,        6.0f,       10.1f,       14.3f,
      88.72283f,   87.33654f,   103.97208f, 17.32868f,   20.0f,
      0.34657359f, 0.69314718f, 1.0397208f, 0.41421356f, 0.70710678f,
      1.41421356f, 9.01f,       5.65f,      0x1p-24f,    0x1p-30f,
      0x1p-125f,   1e-3f,       0.1f,       1.5f,        2.5f,
      1e30f,       3.4e38f,     0x1p100f,   0.75179152f, 14.7f};
  for (float p : points) {
    for (float s : {p, -p}) {
      uint32_t b = toBits(s);
      for (int d = -64; d <= 64; ++d)
        xs.push_back(fromBits(b + d));
    }
  }
  xs.push_back(kInf);
  xs.push_back(-kInf);
  xs.push_back(kNaN);
  return xs;
}

const std::vector<float> &inputs() {
  static const std::vector<float> xs = sampleInputs();
  return xs;
}

struct Case {
  const char *name;
  std::function<float(float)> f;
  std::function<double(double)> ref;
  double maxUlp;
};

/// Checks one function over the sample: the ulp bound where |ref| >= 2^-24,
/// an absolute 2^-23 below, NaN agreement, and the sign of exact zeros.
void check(const Case &c) {
  double worst = 0;
  float worstX = 0;
  int failures = 0;
  for (float x : inputs()) {
    float y = c.f(x);
    double r = c.ref(x);
    double err = ulpError(y, r);
    bool ok;
    if (std::isnan(r) || std::isinf(r) || std::fabs(r) >= 0x1p-24)
      ok = err <= c.maxUlp;
    else
      ok = std::fabs(static_cast<double>(y) - r) <= 0x1p-23;
    if (r == 0 && y == 0 && std::signbit(y) != std::signbit(r))
      ok = false;
    if (!ok && failures++ < 5)
      ADD_FAILURE() << c.name << "(" << x << ") = " << y << ", want " << r
                    << " (" << err << " ulp)";
    if ((std::fabs(r) >= 0x1p-24 || std::isnan(r)) && err > worst) {
      worst = err;
      worstX = x;
    }
  }
  EXPECT_EQ(failures, 0) << c.name;
  ::testing::Test::RecordProperty(std::string(c.name) + "_maxUlp",
                                  std::to_string(worst) + " at " +
                                      std::to_string(worstX));
}

} // namespace

TEST(VectorMath, Primitives) {
  using namespace math;
  const Case cases[] = {
      {"exp", [](float x) { return exp(F32{x}).v; },
       [](double x) { return std::exp(x); }, 2},
      // Its inputs are <= 0 (softmax's x - max); positive ones are outside
      // its contract and compared as exp(-|x|).
      {"expNonPositive",
       [](float x) { return expNonPositive(F32{-std::fabs(x)}).v; },
       [](double x) { return std::exp(-std::fabs(x)); }, 2},
      {"expm1", [](float x) { return expm1(F32{x}).v; },
       [](double x) { return std::expm1(x); }, 2},
      {"log1p", [](float x) { return log1p(F32{x}).v; },
       [](double x) { return std::log1p(x); }, 2},
      {"log", [](float x) { return log(F32{x}).v; },
       [](double x) { return std::log(x); }, 2},
      {"tanh", [](float x) { return tanh(F32{x}).v; },
       [](double x) { return std::tanh(x); }, 2},
      {"erf", [](float x) { return erf(F32{x}).v; },
       [](double x) { return std::erf(x); }, 2},
      {"erfc", [](float x) { return erfc(F32{x}).v; },
       [](double x) { return std::erfc(x); }, 2},
      {"logistic", [](float x) { return logistic(F32{x}).v; },
       [](double x) { return 1 / (1 + std::exp(-x)); }, 2},
      {"log1pExp", [](float x) { return log1pExp(F32{x}).v; },
       [](double x) { return math::log1pExp(x); }, 2},
      {"normalCdf", [](float x) { return normalCdf(F32{x}).v; },
       [](double x) { return math::normalCdf(x); }, 2},
      {"xMinusTanh", [](float x) { return xMinusTanh(F32{x}).v; },
       [](double x) { return math::xMinusTanh(x); }, 4},
      // gelu's derivative, for a 16-ulp budget (all inputs: 7 ulp).
      {"normalCdfPlusXPdf", [](float x) { return normalCdfPlusXPdf(F32{x}).v; },
       [](double x) { return math::normalCdfPlusXPdf(x); }, 8},
      {"sigmoidOfCubic",
       [](float x) {
         return sigmoidOfCubic(F32{x}, 2 * kSqrt2OverPi,
                               2 * kSqrt2OverPi * kGeluTanhCubic)
             .v;
       },
       [](double x) {
         return math::sigmoidOfCubic(x, 2 * kSqrt2OverPi,
                                     2 * kSqrt2OverPi * kGeluTanhCubic);
       },
       2},
  };
  for (const Case &c : cases)
    check(c);
}

TEST(VectorMath, Activations) {
  using namespace math;
#define ACT_CASE(NAME, CALL, BOUND)                                            \
  Case {                                                                       \
    NAME,                                                                      \
        [](float v) {                                                          \
          F32 x{v};                                                            \
          return (CALL).v;                                                     \
        },                                                                     \
        [](double x) { return (CALL); }, BOUND                                 \
  }
  const Case cases[] = {
      ACT_CASE("sigmoid", sigmoid(x), 2),
      ACT_CASE("tanh", tanhActivation(x), 2),
      ACT_CASE("gelu", gelu(x, false), 4),
      ACT_CASE("gelu_tanh", gelu(x, true), 4),
      ACT_CASE("silu", silu(x), 4),
      ACT_CASE("swish", swish(x, 1.0), 4),
      ACT_CASE("mish", mish(x), 4),
      ACT_CASE("softplus", softplus(x, 1.0, 20.0), 4),
      ACT_CASE("elu", elu(x, 1.0), 4),
      ACT_CASE("celu", celu(x, 1.0), 4),
      ACT_CASE("selu", selu(x), 4),
      ACT_CASE("log_sigmoid", logSigmoid(x), 4),
      ACT_CASE("softsign", softsign(x), 4),
      ACT_CASE("tanhshrink", tanhShrink(x), 4),
      ACT_CASE("hardswish", hardswish(x), 4),
  };
#undef ACT_CASE
  for (const Case &c : cases)
    check(c);
}

TEST(VectorMath, SpecialValues) {
  using namespace math;
  auto f = [](F32 y) { return y.v; };
  // exp: limits, overflow, gradual underflow.
  EXPECT_EQ(f(exp(F32{-kInf})), 0.0f);
  EXPECT_EQ(f(exp(F32{kInf})), kInf);
  EXPECT_EQ(f(exp(F32{88.8f})), kInf);
  EXPECT_EQ(f(exp(F32{88.72f})), std::exp(88.72f));
  EXPECT_EQ(f(exp(F32{-100.0f})), static_cast<float>(std::exp(-100.0)));
  EXPECT_EQ(f(exp(F32{-103.9f})), static_cast<float>(std::exp(-103.9)));
  EXPECT_EQ(f(exp(F32{-104.0f})), 0.0f);
  EXPECT_TRUE(std::isnan(f(exp(F32{kNaN}))));
  // expNonPositive: exp's results on x <= 0.
  for (float x : {-0.0f, 0.0f, -1e-30f, -0.5f, -87.3f, -100.0f, -103.9f,
                  -104.0f, -200.0f, -kInf})
    EXPECT_EQ(f(expNonPositive(F32{x})), f(exp(F32{x}))) << x;
  EXPECT_TRUE(std::isnan(f(expNonPositive(F32{kNaN}))));
  // expm1.
  EXPECT_EQ(f(expm1(F32{-kInf})), -1.0f);
  EXPECT_EQ(f(expm1(F32{kInf})), kInf);
  EXPECT_EQ(f(expm1(F32{88.8f})), kInf);
  EXPECT_TRUE(std::signbit(f(expm1(F32{-0.0f}))));
  EXPECT_EQ(f(expm1(F32{0x1p-149f})), 0x1p-149f);
  EXPECT_TRUE(std::isnan(f(expm1(F32{kNaN}))));
  // log1p.
  EXPECT_EQ(f(log1p(F32{-1.0f})), -kInf);
  EXPECT_TRUE(std::isnan(f(log1p(F32{-1.5f}))));
  EXPECT_TRUE(std::isnan(f(log1p(F32{-kInf}))));
  EXPECT_EQ(f(log1p(F32{kInf})), kInf);
  EXPECT_TRUE(std::signbit(f(log1p(F32{-0.0f}))));
  EXPECT_EQ(f(log1p(F32{FLT_MAX})), std::log1p(FLT_MAX));
  EXPECT_TRUE(std::isnan(f(log1p(F32{kNaN}))));
  // log.
  EXPECT_EQ(f(log(F32{0.0f})), -kInf);
  EXPECT_EQ(f(log(F32{-0.0f})), -kInf);
  EXPECT_TRUE(std::isnan(f(log(F32{-1.0f}))));
  EXPECT_EQ(f(log(F32{kInf})), kInf);
  EXPECT_EQ(f(log(F32{0x1p-149f})), static_cast<float>(std::log(0x1p-149)));
  EXPECT_EQ(f(log(F32{1.0f})), 0.0f);
  // tanh and x - tanh(x).
  EXPECT_EQ(f(tanh(F32{kInf})), 1.0f);
  EXPECT_EQ(f(tanh(F32{-kInf})), -1.0f);
  EXPECT_TRUE(std::signbit(f(tanh(F32{-0.0f}))));
  EXPECT_TRUE(std::isnan(f(tanh(F32{kNaN}))));
  EXPECT_EQ(f(xMinusTanh(F32{kInf})), kInf);
  EXPECT_TRUE(std::signbit(f(xMinusTanh(F32{-0.0f}))));
  // erf, erfc, Phi.
  EXPECT_EQ(f(erfc(F32{-kInf})), 2.0f);
  EXPECT_EQ(f(erfc(F32{kInf})), 0.0f);
  EXPECT_EQ(f(erfc(F32{0.0f})), 1.0f);
  EXPECT_TRUE(std::isnan(f(erfc(F32{kNaN}))));
  EXPECT_EQ(f(erf(F32{kInf})), 1.0f);
  EXPECT_EQ(f(erf(F32{-kInf})), -1.0f);
  EXPECT_TRUE(std::signbit(f(erf(F32{-0.0f}))));
  EXPECT_EQ(f(normalCdf(F32{-kInf})), 0.0f);
  EXPECT_EQ(f(normalCdf(F32{kInf})), 1.0f);
  EXPECT_EQ(f(normalCdf(F32{0.0f})), 0.5f);
  // Phi(x) + x phi(x): PyTorch's NaN at +-Inf (Inf * 0), +0 where the
  // negative tail underflows.
  EXPECT_TRUE(std::isnan(f(normalCdfPlusXPdf(F32{kInf}))));
  EXPECT_TRUE(std::isnan(f(normalCdfPlusXPdf(F32{-kInf}))));
  EXPECT_TRUE(std::isnan(f(normalCdfPlusXPdf(F32{kNaN}))));
  EXPECT_EQ(f(normalCdfPlusXPdf(F32{0.0f})), 0.5f);
  EXPECT_EQ(f(normalCdfPlusXPdf(F32{-0.0f})), 0.5f);
  EXPECT_EQ(f(normalCdfPlusXPdf(F32{0x1p-149f})), 0.5f);
  EXPECT_EQ(f(normalCdfPlusXPdf(F32{FLT_MAX})), 1.0f);
  for (float x : {-14.6f, -20.0f, -1e30f, -FLT_MAX}) {
    EXPECT_EQ(f(normalCdfPlusXPdf(F32{x})), 0.0f) << x;
    EXPECT_FALSE(std::signbit(f(normalCdfPlusXPdf(F32{x})))) << x;
  }
  EXPECT_LT(f(normalCdfPlusXPdf(F32{-14.5f})), 0.0f);
  // logistic, log1pExp, sigmoidOfCubic.
  EXPECT_EQ(f(logistic(F32{-kInf})), 0.0f);
  EXPECT_EQ(f(logistic(F32{kInf})), 1.0f);
  EXPECT_EQ(f(logistic(F32{-100.0f})),
            static_cast<float>(1 / (1 + std::exp(100.0))));
  EXPECT_EQ(f(log1pExp(F32{kInf})), kInf);
  EXPECT_EQ(f(log1pExp(F32{-kInf})), 0.0f);
  EXPECT_EQ(f(sigmoidOfCubic(F32{kInf}, 1.5, 0.07)), 1.0f);
  EXPECT_EQ(f(sigmoidOfCubic(F32{-kInf}, 1.5, 0.07)), 0.0f);
}

/// Every activation gives at NaN, +-Inf and +-0 what its double reference
/// gives (PyTorch's results), sign of zero included.
TEST(VectorMath, ActivationSpecialValues) {
  using namespace math;
  for (float v : {kNaN, kInf, -kInf, 0.0f, -0.0f}) {
    double x = v;
    F32 xf{v};
    auto same = [&](const char *name, float y, double r) {
      bool ok = std::isnan(r) ? std::isnan(y)
                              : (y == static_cast<float>(r) &&
                                 std::signbit(y) == std::signbit(r));
      EXPECT_TRUE(ok) << name << "(" << v << ") = " << y << ", want " << r;
    };
    same("sigmoid", sigmoid(xf).v, sigmoid(x));
    same("tanh", tanhActivation(xf).v, tanhActivation(x));
    same("gelu", gelu(xf, false).v, gelu(x, false));
    same("gelu_tanh", gelu(xf, true).v, gelu(x, true));
    same("silu", silu(xf).v, silu(x));
    same("mish", mish(xf).v, mish(x));
    same("softplus", softplus(xf, 1.0, 20.0).v, softplus(x, 1.0, 20.0));
    same("elu", elu(xf, 1.0).v, elu(x, 1.0));
    same("celu", celu(xf, 1.0).v, celu(x, 1.0));
    same("selu", selu(xf).v, selu(x));
    same("log_sigmoid", logSigmoid(xf).v, logSigmoid(x));
    same("softsign", softsign(xf).v, softsign(x));
    same("tanhshrink", tanhShrink(xf).v, tanhShrink(x));
    same("hardswish", hardswish(xf).v, hardswish(x));
  }
}
