//===- VerifyTest.cpp - act-run --verify's bound and comparison ----------===//
//
// The propagated error bound of the --verify interpreter (its formula on a
// small matmul, checked by hand) and the verdict of compareWithBound: f32
// results computed as act's code may compute them (any summation order,
// fused or not) pass, and wrong kernels (a dropped k term, a wrong bias
// element, relu instead of gelu, a transposition forgotten, a result nudged
// past the bound) fail.
//
//===----------------------------------------------------------------------===//

#include "../../../lib/Runner/Evaluator.h"
#include "act/Math/Activations.h"
#include "act/Runner/Interpreter.h"
#include "act/Runner/Runner.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Parser/Parser.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <functional>
#include <limits>
#include <string>
#include <vector>

using namespace mlir;
using namespace mlir::act::runner;

namespace {

constexpr double kU = 0x1p-24; // f32's unit roundoff

/// Parses `ir` and runs its only function on `args`.
class Verify : public ::testing::Test {
protected:
  Verify() : context(createContext()) {}

  func::FuncOp parse(const std::string &ir) {
    module = parseSourceString<ModuleOp>(ir, context.get());
    EXPECT_TRUE(module) << ir;
    return *module->getOps<func::FuncOp>().begin();
  }

  std::vector<RefTensor> run(const std::string &ir,
                             const std::vector<RefTensor> &args) {
    func = parse(ir);
    auto r = interpret(func, args);
    EXPECT_TRUE(bool(r)) << (r ? "" : llvm::toString(r.takeError()));
    return r ? std::move(*r) : std::vector<RefTensor>{};
  }

  /// The error message of interpreting `ir` on `args`.
  std::string error(const std::string &ir, const std::vector<RefTensor> &args) {
    func = parse(ir);
    auto r = interpret(func, args);
    if (r)
      return "";
    return llvm::toString(r.takeError());
  }

  /// The verdict's bound use for `got` against result #0.
  double boundUse(const HostTensor &got, const RefTensor &expected) {
    AccuracyBound bound = getDocumentedBound(func, 0, ElementKind::f32);
    return compareWithBound(got, expected, bound).maxBoundUse;
  }

  std::unique_ptr<MLIRContext> context;
  OwningOpRef<ModuleOp> module;
  func::FuncOp func;
};

/// The interpreter's arguments.
template <typename... Ts>
std::vector<RefTensor> refs(const Ts &...tensors) {
  return {toRefTensor(tensors)...};
}

/// A tensor of f32 values uniform in [-1, 1), the same on every machine.
HostTensor uniform(ArrayRef<int64_t> shape, uint32_t seed) {
  HostTensor t(ElementKind::f32, shape);
  uint32_t state = seed * 2654435761u + 1;
  for (int64_t i = 0; i < t.getNumElements(); ++i) {
    state = state * 1664525u + 1013904223u;
    t.set(i, (state >> 8) * 0x1p-23 - 1);
  }
  return t;
}

HostTensor fromFloats(ArrayRef<int64_t> shape, const std::vector<float> &v) {
  HostTensor t(ElementKind::f32, shape);
  for (size_t i = 0; i < v.size(); ++i)
    t.set(i, v[i]);
  return t;
}

//===----------------------------------------------------------------------===//
// matmul + bias + gelu, as act's f32 code may compute it, and wrong.
//===----------------------------------------------------------------------===//

constexpr int64_t M = 7, K = 13, N = 17;

const char *kMatmulBiasGelu = R"mlir(
func.func @f(%a: tensor<7x13xf32>, %b: tensor<13x17xf32>, %bias: tensor<17xf32>)
    -> tensor<7x17xf32> {
  %z = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<7x17xf32>
  %c = linalg.fill ins(%z : f32) outs(%e : tensor<7x17xf32>) -> tensor<7x17xf32>
  %m = linalg.matmul ins(%a, %b : tensor<7x13xf32>, tensor<13x17xf32>)
                     outs(%c : tensor<7x17xf32>) -> tensor<7x17xf32>
  %bb = linalg.broadcast ins(%bias : tensor<17xf32>) outs(%e : tensor<7x17xf32>)
                         dimensions = [0]
  %s = arith.addf %m, %bb : tensor<7x17xf32>
  %g = act.gelu %s : tensor<7x17xf32>
  return %g : tensor<7x17xf32>
}
)mlir";

/// How a kernel computes one dot product of K f32 terms.
enum class Order { forward, backward, lanes8, fma };

struct Kernel {
  Order order = Order::forward;
  /// (i, j, k) of a term left out, if any.
  int64_t dropI = -1, dropJ = -1, dropK = -1;
  /// The column whose bias is read from the next column, if any.
  int64_t wrongBiasColumn = -1;
  bool relu = false;
};

float dot(const HostTensor &a, const HostTensor &b, int64_t i, int64_t j,
          const Kernel &kernel) {
  auto term = [&](int64_t k) -> float {
    if (i == kernel.dropI && j == kernel.dropJ && k == kernel.dropK)
      return 0;
    return float(a.get(i * K + k)) * float(b.get(k * N + j));
  };
  float acc = 0;
  switch (kernel.order) {
  case Order::forward:
    for (int64_t k = 0; k < K; ++k)
      acc += term(k);
    break;
  case Order::backward:
    for (int64_t k = K - 1; k >= 0; --k)
      acc += term(k);
    break;
  case Order::lanes8: {
    // Eight partial sums, as a vectorized reduction keeps them.
    float lanes[8] = {};
    for (int64_t k = 0; k < K; ++k)
      lanes[k % 8] += term(k);
    for (float lane : lanes)
      acc += lane;
    break;
  }
  case Order::fma:
    for (int64_t k = 0; k < K; ++k)
      acc =
          k == kernel.dropK && i == kernel.dropI && j == kernel.dropJ
              ? acc
              : std::fma(float(a.get(i * K + k)), float(b.get(k * N + j)), acc);
    break;
  }
  return acc;
}

HostTensor matmulBiasGelu(const HostTensor &a, const HostTensor &b,
                          const HostTensor &bias, const Kernel &kernel) {
  HostTensor out(ElementKind::f32, {M, N});
  for (int64_t i = 0; i < M; ++i)
    for (int64_t j = 0; j < N; ++j) {
      int64_t biasColumn = j == kernel.wrongBiasColumn ? j + 1 : j;
      float s = dot(a, b, i, j, kernel) + float(bias.get(biasColumn));
      // act's gelu is within its 4 ulp of the rounded reference.
      float y = kernel.relu ? (s < 0 ? 0.0f : s)
                            : float(act::math::gelu<double>(s, false));
      out.set(i * N + j, y);
    }
  return out;
}

TEST_F(Verify, MatmulBiasGeluAsComputedInF32Passes) {
  HostTensor a = uniform({M, K}, 1), b = uniform({K, N}, 2),
             bias = uniform({N}, 3);
  std::vector<RefTensor> ref = run(kMatmulBiasGelu, refs(a, b, bias));
  ASSERT_EQ(ref.size(), 1u);
  EXPECT_TRUE(ref[0].propagated);
  for (Order order :
       {Order::forward, Order::backward, Order::lanes8, Order::fma}) {
    Kernel kernel;
    kernel.order = order;
    double use = boundUse(matmulBiasGelu(a, b, bias, kernel), ref[0]);
    EXPECT_LE(use, 1) << "order " << int(order);
    // The bound is not vacuous: it is used, but not by orders of
    // magnitude less than the legitimate error.
    EXPECT_GT(use, 1e-3) << "order " << int(order);
  }
}

TEST_F(Verify, MatmulBiasGeluWrongKernelsFail) {
  HostTensor a = uniform({M, K}, 1), b = uniform({K, N}, 2),
             bias = uniform({N}, 3);
  std::vector<RefTensor> ref = run(kMatmulBiasGelu, refs(a, b, bias));
  ASSERT_EQ(ref.size(), 1u);

  // One k term missing from one element: the largest of that dot product's
  // terms, and a median one. (A term below the rounding noise of the sum
  // could not be told apart from it.)
  int64_t i = 3, j = 5;
  std::vector<std::pair<double, int64_t>> terms;
  for (int64_t k = 0; k < K; ++k)
    terms.push_back({std::fabs(a.get(i * K + k) * b.get(k * N + j)), k});
  std::sort(terms.begin(), terms.end());
  for (int64_t k : {terms.back().second, terms[K / 2].second}) {
    Kernel kernel;
    kernel.dropI = i, kernel.dropJ = j, kernel.dropK = k;
    EXPECT_GT(boundUse(matmulBiasGelu(a, b, bias, kernel), ref[0]), 1)
        << "dropped k = " << k;
  }

  // One column's bias read from the next column.
  for (int64_t column : {0, 7, 15}) {
    Kernel kernel;
    kernel.wrongBiasColumn = column;
    EXPECT_GT(boundUse(matmulBiasGelu(a, b, bias, kernel), ref[0]), 1)
        << "bias of column " << column;
  }

  // relu instead of gelu.
  Kernel relu;
  relu.relu = true;
  EXPECT_GT(boundUse(matmulBiasGelu(a, b, bias, relu), ref[0]), 1);
}

TEST_F(Verify, PerturbedResultFailsPastTheBound) {
  HostTensor a = uniform({M, K}, 4), b = uniform({K, N}, 5),
             bias = uniform({N}, 6);
  std::vector<RefTensor> ref = run(kMatmulBiasGelu, refs(a, b, bias));
  ASSERT_EQ(ref.size(), 1u);
  AccuracyBound bound = getDocumentedBound(func, 0, ElementKind::f32);
  // The exact result rounded to f32 passes with room to spare.
  HostTensor rounded(ElementKind::f32, {M, N});
  for (int64_t i = 0; i < M * N; ++i)
    rounded.set(i, ref[0].data[i]);
  EXPECT_LT(compareWithBound(rounded, ref[0], bound).maxBoundUse, 0.5);
  // Nudged by 0.9 and 1.1 times what is allowed there (several ulps, so
  // the f32 rounding of the nudge does not matter).
  int64_t at = 2 * N + 9;
  double allowed =
      std::max(ref[0].error[at],
               bound.ulps * bound.getUnit(ElementKind::f32,
                                          roundToKind(ElementKind::f32,
                                                      ref[0].data[at])));
  ASSERT_GT(allowed, 8 * getUlp(ElementKind::f32, ref[0].data[at]));
  HostTensor nudged = rounded.convertTo(ElementKind::f32);
  nudged.set(at, ref[0].data[at] + 0.9 * allowed);
  Comparison c = compareWithBound(nudged, ref[0], bound);
  EXPECT_LE(c.maxBoundUse, 1);
  EXPECT_EQ(c.worstIndex, at);
  nudged.set(at, ref[0].data[at] - 1.1 * allowed);
  c = compareWithBound(nudged, ref[0], bound);
  EXPECT_GT(c.maxBoundUse, 1);
  EXPECT_EQ(c.worstIndex, at);
  EXPECT_DOUBLE_EQ(c.worstAllowed, allowed);
  // --verify-tolerance=2 lets it through.
  EXPECT_LE(compareWithBound(nudged, ref[0], bound, 2).maxBoundUse, 1);
}

//===----------------------------------------------------------------------===//
// The bound's formula.
//===----------------------------------------------------------------------===//

TEST_F(Verify, ContractionBoundIsGammaKTimesSumOfMagnitudes) {
  // 2x3 by 3x2, then + 1: the bound of each dot product is the products'
  // roundings (half an ulp each) plus gamma_3 sum |a b|; the add adds its
  // own half ulp.
  const char *ir = R"mlir(
func.func @f(%a: tensor<2x3xf32>, %b: tensor<3x2xf32>) -> (tensor<2x2xf32>, tensor<2x2xf32>) {
  %z = arith.constant 0.0 : f32
  %one = arith.constant dense<1.0> : tensor<2x2xf32>
  %e = tensor.empty() : tensor<2x2xf32>
  %c = linalg.fill ins(%z : f32) outs(%e : tensor<2x2xf32>) -> tensor<2x2xf32>
  %m = linalg.matmul ins(%a, %b : tensor<2x3xf32>, tensor<3x2xf32>)
                     outs(%c : tensor<2x2xf32>) -> tensor<2x2xf32>
  %s = arith.addf %m, %one : tensor<2x2xf32>
  return %m, %s : tensor<2x2xf32>, tensor<2x2xf32>
}
)mlir";
  std::vector<float> av = {1.5f, -2.25f, 0.1f, 3.0f, 0.7f, -1.0f};
  std::vector<float> bv = {0.3f, -4.0f, 1.25f, 2.0f, -0.5f, 8.0f};
  std::vector<RefTensor> r =
      run(ir, refs(fromFloats({2, 3}, av), fromFloats({3, 2}, bv)));
  ASSERT_EQ(r.size(), 2u);
  double gamma3 = 3 * kU / (1 - 3 * kU);
  for (int64_t i = 0; i < 2; ++i)
    for (int64_t j = 0; j < 2; ++j) {
      double sum = 0, sumAbs = 0, roundings = 0;
      for (int64_t k = 0; k < 3; ++k) {
        double t = double(av[i * 3 + k]) * double(bv[k * 2 + j]);
        sum += t;
        sumAbs += std::fabs(t);
        roundings += 0.5 * getUlp(ElementKind::f32, t);
      }
      double bound = roundings + gamma3 * sumAbs;
      EXPECT_DOUBLE_EQ(r[0].data[i * 2 + j], sum);
      EXPECT_DOUBLE_EQ(r[0].error[i * 2 + j], bound);
      EXPECT_DOUBLE_EQ(r[1].error[i * 2 + j],
                       bound + 0.5 * getUlp(ElementKind::f32, sum + 1));
    }
}

TEST_F(Verify, BoundsPropagateThroughDerivatives) {
  // x * y with bounds ex, ey: |y| ex + |x| ey (+ ex ey) plus the rounding;
  // gelu of that: at least gelu'(s) times it plus gelu's 4 ulp.
  const char *ir = R"mlir(
func.func @f(%x: tensor<3xf32>, %y: tensor<3xf32>) -> tensor<3xf32> {
  %ex = math.exp %x : tensor<3xf32>
  %p = arith.mulf %ex, %y : tensor<3xf32>
  %g = act.gelu %p : tensor<3xf32>
  return %g : tensor<3xf32>
}
)mlir";
  std::vector<float> xv = {0.5f, -1.0f, 2.0f}, yv = {1.0f, -3.0f, 0.25f};
  std::vector<RefTensor> r =
      run(ir, refs(fromFloats({3}, xv), fromFloats({3}, yv)));
  ASSERT_EQ(r.size(), 1u);
  for (int i = 0; i < 3; ++i) {
    double e = std::exp(double(xv[i]));
    double ee = 2 * getUlp(ElementKind::f32, e); // act's exp: 2 ulp
    double p = e * yv[i];
    double ep = std::fabs(yv[i]) * ee + 0.5 * getUlp(ElementKind::f32, p);
    double slope = act::math::geluDerivative<double>(p, false);
    double lower = std::fabs(slope) * ep +
                   4 * getUlp(ElementKind::f32, act::math::gelu(p, false));
    EXPECT_GE(r[0].error[i], lower);
    EXPECT_LE(r[0].error[i], 1.5 * lower);
  }
}

TEST(VerifyModel, LocalBoundCatchesKinksAndJumps) {
  using act::runner::detail::localBound;
  auto relu = [](double x) { return x < 0 ? 0.0 : x; };
  auto reluDerivative = [](double x) { return x <= 0 ? 0.0 : 1.0; };
  // Just left of the kink the derivative is 0, but x + e is past it.
  EXPECT_GE(localBound(relu, reluDerivative, -1e-9, 1e-8), 1e-8);
  auto step = [](double x) { return x >= 0 ? 1.0 : 0.0; };
  auto zero = [](double) { return 0.0; };
  EXPECT_GE(localBound(step, zero, -1e-9, 1e-8), 1);
  EXPECT_EQ(localBound(step, zero, -1, 1e-8), 0);
  EXPECT_EQ(localBound(relu, reluDerivative, 3, 0), 0);
  // An infinity within a finite bound is exact (a mask's -inf), and so is
  // f of it; an infinite bound stays infinite.
  constexpr double inf = std::numeric_limits<double>::infinity();
  EXPECT_EQ(localBound(relu, reluDerivative, inf, 1e-8), 0);
  EXPECT_EQ(localBound(relu, reluDerivative, -inf, 1e-8), 0);
  EXPECT_TRUE(std::isinf(localBound(relu, reluDerivative, 3, inf)));
}

//===----------------------------------------------------------------------===//
// Reductions, transpositions, special values.
//===----------------------------------------------------------------------===//

TEST_F(Verify, RowSumOrdersPassAndDroppedTermFails) {
  const char *ir = R"mlir(
func.func @f(%x: tensor<5x40xf32>) -> tensor<5xf32> {
  %z = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<5xf32>
  %c = linalg.fill ins(%z : f32) outs(%e : tensor<5xf32>) -> tensor<5xf32>
  %s = linalg.reduce ins(%x : tensor<5x40xf32>) outs(%c : tensor<5xf32>)
      dimensions = [1]
    (%in: f32, %acc: f32) {
      %r = arith.addf %in, %acc : f32
      linalg.yield %r : f32
    }
  return %s : tensor<5xf32>
}
)mlir";
  HostTensor x = uniform({5, 40}, 7);
  // Large, cancelling terms make the order matter.
  for (int64_t i = 0; i < 200; i += 3)
    x.set(i, x.get(i) * 4096);
  std::vector<RefTensor> r = run(ir, refs(x));
  ASSERT_EQ(r.size(), 1u);
  EXPECT_TRUE(r[0].propagated);
  auto rowSum = [&](bool pairwise, int64_t dropRow, int64_t dropCol) {
    HostTensor out(ElementKind::f32, {5});
    for (int64_t i = 0; i < 5; ++i) {
      std::vector<float> v;
      for (int64_t k = 0; k < 40; ++k)
        v.push_back(i == dropRow && k == dropCol ? 0.0f
                                                 : float(x.get(i * 40 + k)));
      while (pairwise && v.size() > 1) {
        std::vector<float> half;
        for (size_t k = 0; k + 1 < v.size(); k += 2)
          half.push_back(v[k] + v[k + 1]);
        if (v.size() % 2)
          half.push_back(v.back());
        v = half;
      }
      float acc = 0;
      for (float t : v)
        acc += t;
      out.set(i, acc);
    }
    return out;
  };
  EXPECT_LE(boundUse(rowSum(false, -1, -1), r[0]), 1);
  EXPECT_LE(boundUse(rowSum(true, -1, -1), r[0]), 1);
  // A term of 0.5 or more dropped from a row whose sum reaches ~10^5.
  int64_t col = 1;
  while (std::fabs(x.get(2 * 40 + col)) < 0.5)
    col += 3;
  EXPECT_GT(boundUse(rowSum(false, 2, col), r[0]), 1);
}

TEST_F(Verify, TransposedMapsAreRead) {
  // B given as N x K: a kernel reading it as K x N (the transposition
  // forgotten) fails.
  const char *ir = R"mlir(
func.func @f(%a: tensor<4x4xf32>, %b: tensor<4x4xf32>) -> tensor<4x4xf32> {
  %z = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<4x4xf32>
  %c = linalg.fill ins(%z : f32) outs(%e : tensor<4x4xf32>) -> tensor<4x4xf32>
  %m = linalg.matmul indexing_maps = [
      affine_map<(m, n, k) -> (m, k)>, affine_map<(m, n, k) -> (n, k)>,
      affine_map<(m, n, k) -> (m, n)>]
      ins(%a, %b : tensor<4x4xf32>, tensor<4x4xf32>)
      outs(%c : tensor<4x4xf32>) -> tensor<4x4xf32>
  return %m : tensor<4x4xf32>
}
)mlir";
  HostTensor a = uniform({4, 4}, 8), b = uniform({4, 4}, 9);
  std::vector<RefTensor> r = run(ir, refs(a, b));
  ASSERT_EQ(r.size(), 1u);
  auto mm = [&](bool transposed) {
    HostTensor out(ElementKind::f32, {4, 4});
    for (int64_t i = 0; i < 4; ++i)
      for (int64_t j = 0; j < 4; ++j) {
        float acc = 0;
        for (int64_t k = 0; k < 4; ++k)
          acc += float(a.get(i * 4 + k)) *
                 float(b.get(transposed ? j * 4 + k : k * 4 + j));
        out.set(i * 4 + j, acc);
      }
    return out;
  };
  EXPECT_LE(boundUse(mm(true), r[0]), 1);
  EXPECT_GT(boundUse(mm(false), r[0]), 1);
}

TEST_F(Verify, ImportedModelsOps) {
  // What torch-mlir's models hold: weights as dense_resource blobs, a
  // scalar act op act-raise put in a linalg body, math.fpowi, and a -inf
  // mask whose exp is exactly 0.
  const char *ir = R"mlir(
func.func @f(%x: tensor<4xf32>) -> (tensor<4xf32>, tensor<4xf32>) {
  %w = arith.constant dense_resource<weights> : tensor<4xf32>
  %mask = arith.constant dense<[0.0, 0xFF800000, 0.0, 0xFF800000]> : tensor<4xf32>
  %c3 = arith.constant 3 : i32
  %e = tensor.empty() : tensor<4xf32>
  %y:2 = linalg.generic {indexing_maps = [affine_map<(d0) -> (d0)>, affine_map<(d0) -> (d0)>,
                         affine_map<(d0) -> (d0)>, affine_map<(d0) -> (d0)>, affine_map<(d0) -> (d0)>],
                         iterator_types = ["parallel"]}
      ins(%x, %w, %mask : tensor<4xf32>, tensor<4xf32>, tensor<4xf32>)
      outs(%e, %e : tensor<4xf32>, tensor<4xf32>) {
    ^bb0(%in: f32, %wi: f32, %m: f32, %o: f32, %o2: f32):
      %v = arith.mulf %in, %wi : f32
      %g = act.gelu %v : f32
      %p = math.fpowi %in, %c3 : f32, i32
      %s = arith.addf %g, %p : f32
      %a = arith.addf %in, %m : f32
      %x2 = math.exp %a : f32
      linalg.yield %s, %x2 : f32, f32
  } -> (tensor<4xf32>, tensor<4xf32>)
  return %y#0, %y#1 : tensor<4xf32>, tensor<4xf32>
}
{-#
  dialect_resources: {
    builtin: {
      weights: "0x040000000000803F00000040000000BF00004040"
    }
  }
#-}
)mlir";
  HostTensor x = fromFloats({4}, {0.5f, -1.25f, 2.0f, 0.75f});
  std::vector<RefTensor> r = run(ir, refs(x));
  ASSERT_EQ(r.size(), 2u);
  const double w[] = {1.0, 2.0, -0.5, 3.0};
  for (int i = 0; i < 4; ++i) {
    double xi = x.get(i), v = xi * w[i];
    double gelu = 0.5 * v * (1 + std::erf(v / std::sqrt(2.0)));
    EXPECT_NEAR(r[0].data[i], gelu + xi * xi * xi, 1e-15) << i;
    // act.gelu's documented bound is part of the propagated one.
    EXPECT_GT(r[0].getError(i), 0) << i;
    EXPECT_LT(r[0].getError(i), 1e-5) << i;
  }
  EXPECT_EQ(r[1].data[1], 0);
  EXPECT_LT(r[1].getError(1), 1e-40); // exp's rounding of 0 only
  EXPECT_EQ(r[1].data[0], std::exp(0.5));
  EXPECT_TRUE(std::isfinite(r[1].getError(0)));
}

TEST_F(Verify, SpecialValuesMustMatch) {
  const char *ir = R"mlir(
func.func @f(%a: tensor<2x2xf32>, %b: tensor<2x2xf32>) -> tensor<2x2xf32> {
  %z = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<2x2xf32>
  %c = linalg.fill ins(%z : f32) outs(%e : tensor<2x2xf32>) -> tensor<2x2xf32>
  %m = linalg.matmul ins(%a, %b : tensor<2x2xf32>, tensor<2x2xf32>)
                     outs(%c : tensor<2x2xf32>) -> tensor<2x2xf32>
  return %m : tensor<2x2xf32>
}
)mlir";
  float nan = std::numeric_limits<float>::quiet_NaN();
  float inf = std::numeric_limits<float>::infinity();
  // Row 0 holds a NaN: NaN everywhere. Row 1: inf * 0 is NaN, inf * 1 is
  // inf.
  std::vector<RefTensor> r = run(ir, refs(fromFloats({2, 2}, {nan, 1, inf, 1}),
                                          fromFloats({2, 2}, {0, 1, 2, 3})));
  ASSERT_EQ(r.size(), 1u);
  EXPECT_TRUE(std::isnan(r[0].data[0]) && std::isnan(r[0].data[1]));
  EXPECT_TRUE(std::isnan(r[0].data[2]));
  EXPECT_EQ(r[0].data[3], std::numeric_limits<double>::infinity());
  EXPECT_EQ(boundUse(fromFloats({2, 2}, {nan, nan, nan, inf}), r[0]), 0);
  EXPECT_TRUE(
      std::isinf(boundUse(fromFloats({2, 2}, {nan, nan, 0, inf}), r[0])));
  EXPECT_TRUE(
      std::isinf(boundUse(fromFloats({2, 2}, {nan, nan, nan, -inf}), r[0])));
  EXPECT_TRUE(
      std::isinf(boundUse(fromFloats({2, 2}, {nan, nan, nan, 3.4e38f}), r[0])));
}

//===----------------------------------------------------------------------===//
// Which results are judged by the propagated bound; errors; FLOPs.
//===----------------------------------------------------------------------===//

TEST_F(Verify, PureActAndDataMovementKeepTheUlpContract) {
  const char *ir = R"mlir(
func.func @f(%x: tensor<3x4xf32>) -> (tensor<3x4xf32>, tensor<4x3xf32>, tensor<4x3xf32>) {
  %g = act.gelu %x : tensor<3x4xf32>
  %e = tensor.empty() : tensor<4x3xf32>
  %t = linalg.transpose ins(%g : tensor<3x4xf32>) outs(%e : tensor<4x3xf32>)
      permutation = [1, 0]
  %n = arith.negf %t : tensor<4x3xf32>
  return %g, %t, %n : tensor<3x4xf32>, tensor<4x3xf32>, tensor<4x3xf32>
}
)mlir";
  std::vector<RefTensor> r = run(ir, refs(uniform({3, 4}, 10)));
  ASSERT_EQ(r.size(), 3u);
  EXPECT_FALSE(r[0].propagated);
  EXPECT_FALSE(r[1].propagated);
  EXPECT_TRUE(r[2].propagated);
  EXPECT_EQ(r[1].data[1], r[0].data[4]);
}

TEST_F(Verify, Errors) {
  HostTensor x = uniform({4}, 11);
  EXPECT_EQ(error(R"mlir(
func.func @f(%x: tensor<4xf32>) -> tensor<4xf32> {
  %e = tensor.empty() : tensor<4xf32>
  %y = linalg.generic {indexing_maps = [affine_map<(d0) -> (d0)>, affine_map<(d0) -> (d0)>],
                       iterator_types = ["parallel"]}
      ins(%x : tensor<4xf32>) outs(%e : tensor<4xf32>) {
    ^bb0(%in: f32, %out: f32):
      %r = math.acos %in : f32
      linalg.yield %r : f32
  } -> tensor<4xf32>
  return %y : tensor<4xf32>
}
)mlir",
                  refs(x)),
            "-:8:12: --verify does not support op math.acos in a linalg body");
  EXPECT_EQ(error(R"mlir(
func.func @f(%x: tensor<4xf32>) -> tensor<f32> {
  %e = tensor.empty() : tensor<f32>
  %s = linalg.reduce ins(%x : tensor<4xf32>) outs(%e : tensor<f32>) dimensions = [0]
    (%in: f32, %acc: f32) {
      %r = arith.addf %in, %acc : f32
      linalg.yield %r : f32
    }
  return %s : tensor<f32>
}
)mlir",
                  refs(x)),
            "--verify: linalg.reduce reads its init #0, the undefined "
            "contents of a tensor.empty (fill it first)");
}

TEST_F(Verify, ContractionFlops) {
  func::FuncOp f = parse(R"mlir(
func.func @f(%a: tensor<3x7x13xf32>, %b: tensor<3x13x5xf32>, %x: tensor<7x13xf32>,
             %y: tensor<5x13xf32>) -> (tensor<3x7x5xf32>, tensor<7x5xf32>, tensor<7xf32>) {
  %z = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<3x7x5xf32>
  %c = linalg.fill ins(%z : f32) outs(%e : tensor<3x7x5xf32>) -> tensor<3x7x5xf32>
  %m = linalg.batch_matmul ins(%a, %b : tensor<3x7x13xf32>, tensor<3x13x5xf32>)
                           outs(%c : tensor<3x7x5xf32>) -> tensor<3x7x5xf32>
  %e2 = tensor.empty() : tensor<7x5xf32>
  %c2 = linalg.fill ins(%z : f32) outs(%e2 : tensor<7x5xf32>) -> tensor<7x5xf32>
  %t = linalg.matmul indexing_maps = [
      affine_map<(m, n, k) -> (m, k)>, affine_map<(m, n, k) -> (n, k)>,
      affine_map<(m, n, k) -> (m, n)>]
      ins(%x, %y : tensor<7x13xf32>, tensor<5x13xf32>)
      outs(%c2 : tensor<7x5xf32>) -> tensor<7x5xf32>
  %e3 = tensor.empty() : tensor<7xf32>
  %c3 = linalg.fill ins(%z : f32) outs(%e3 : tensor<7xf32>) -> tensor<7xf32>
  %s = linalg.reduce ins(%x : tensor<7x13xf32>) outs(%c3 : tensor<7xf32>) dimensions = [1]
    (%in: f32, %acc: f32) {
      %r = arith.addf %in, %acc : f32
      linalg.yield %r : f32
    }
  return %m, %t, %s : tensor<3x7x5xf32>, tensor<7x5xf32>, tensor<7xf32>
}
)mlir");
  std::optional<int64_t> flops = countContractionFlops(f, {});
  ASSERT_TRUE(flops);
  // A sum is a reduction but not a contraction.
  EXPECT_EQ(*flops, 2 * (3 * 7 * 5 * 13) + 2 * (7 * 5 * 13));
}

} // namespace
