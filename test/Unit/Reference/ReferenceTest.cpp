//===- ReferenceTest.cpp - The double reference against mpmath ------------===//
//
// Holds act's double-precision reference, mlir::act::math at T = double and
// the row ops of mlir::act::reference, against reference-values.tsv, which
// tools/reference/make_reference_table.py computes with mpmath from the
// functions' definitions; then checks closed forms at special points and
// PyTorch's results on NaN, +-Inf and -0.
//
//===----------------------------------------------------------------------===//

#include "act/Reference/Reference.h"
#include "act/Math/Activations.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cfloat>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <functional>
#include <limits>
#include <map>
#include <sstream>
#include <string>
#include <vector>

namespace math = mlir::act::math;
namespace ref = mlir::act::reference;

namespace {

//===----------------------------------------------------------------------===//
// The table.
//===----------------------------------------------------------------------===//

struct Case {
  int line;
  std::string function, paramText, inputText;
  std::vector<double> params;
  /// Elementwise: {{x}}. Row ops: {x} or, backward, {x, dy}.
  std::vector<std::vector<double>> inputs;
  std::vector<double> expected;
};

struct Table {
  std::vector<Case> cases;
  std::vector<std::string> errors;
};

/// A decimal, or p/q for the double p / q.
bool parseNumber(const std::string &text, double &value) {
  size_t slash = text.find('/');
  if (slash != std::string::npos) {
    double p, q;
    if (!parseNumber(text.substr(0, slash), p) ||
        !parseNumber(text.substr(slash + 1), q))
      return false;
    value = p / q;
    return true;
  }
  if (text.empty())
    return false;
  char *end;
  // Expected values may lie outside the double range (ERANGE): they round
  // to 0 or +-Inf as they should.
  value = std::strtod(text.c_str(), &end);
  return *end == '\0';
}

std::vector<std::string> split(const std::string &text, char sep) {
  std::vector<std::string> parts;
  std::string part;
  std::istringstream stream(text);
  while (std::getline(stream, part, sep))
    parts.push_back(part);
  if (!text.empty() && text.back() == sep)
    parts.push_back("");
  return parts;
}

bool parseList(const std::string &text, std::vector<double> &values) {
  for (const std::string &part : split(text, ',')) {
    double v;
    if (!parseNumber(part, v))
      return false;
    values.push_back(v);
  }
  return !values.empty();
}

Table readTable() {
  Table table;
  std::ifstream file(ACT_REFERENCE_TABLE);
  if (!file) {
    table.errors.push_back("cannot open " ACT_REFERENCE_TABLE);
    return table;
  }
  std::string text;
  for (int line = 1; std::getline(file, text); ++line) {
    if (text.empty() || text[0] == '#')
      continue;
    std::vector<std::string> columns = split(text, '\t');
    Case c;
    c.line = line;
    bool ok = columns.size() == 4;
    if (ok) {
      c.function = columns[0];
      c.paramText = columns[1];
      c.inputText = columns[2];
      if (c.paramText != "-")
        ok = parseList(c.paramText, c.params);
      for (const std::string &input : split(c.inputText, ';')) {
        c.inputs.emplace_back();
        ok = ok && parseList(input, c.inputs.back());
      }
      ok = ok && !c.inputs.empty() && parseList(columns[3], c.expected);
    }
    if (!ok) {
      table.errors.push_back("line " + std::to_string(line) +
                             ": cannot parse '" + text + "'");
      continue;
    }
    table.cases.push_back(std::move(c));
  }
  return table;
}

const Table &table() {
  static const Table t = readTable();
  return t;
}

//===----------------------------------------------------------------------===//
// The functions under test.
//===----------------------------------------------------------------------===//

struct Elementwise {
  unsigned numParams;
  std::function<double(double x, const double *params)> fn;
};

Elementwise wrap(double (*f)(double)) {
  return {0, [f](double x, const double *) { return f(x); }};
}
Elementwise wrap(double (*f)(double, double)) {
  return {1, [f](double x, const double *p) { return f(x, p[0]); }};
}
Elementwise wrap(double (*f)(double, double, double)) {
  return {2, [f](double x, const double *p) { return f(x, p[0], p[1]); }};
}

#define ACT_FN(name)                                                           \
  { #name, wrap(math::name) }
// An activation and its derivative.
#define ACT_PAIR(name) ACT_FN(name), ACT_FN(name##Derivative)

const std::map<std::string, Elementwise> &elementwiseFunctions() {
  static const std::map<std::string, Elementwise> functions = {
      ACT_PAIR(step),
      ACT_PAIR(threshold),
      ACT_PAIR(linear),
      ACT_PAIR(sigmoid),
      ACT_PAIR(hardSigmoid),
      ACT_PAIR(logSigmoid),
      ACT_FN(tanhActivation),
      ACT_FN(tanhDerivative),
      ACT_PAIR(hardTanh),
      ACT_PAIR(tanhShrink),
      ACT_PAIR(softShrink),
      ACT_PAIR(hardShrink),
      ACT_PAIR(softsign),
      ACT_PAIR(relu),
      ACT_PAIR(relu6),
      ACT_PAIR(leakyRelu),
      ACT_PAIR(prelu),
      ACT_FN(preluSlopeDerivative),
      ACT_PAIR(rrelu),
      ACT_PAIR(elu),
      ACT_PAIR(celu),
      ACT_PAIR(selu),
      ACT_PAIR(geluErf),
      ACT_PAIR(geluTanh),
      {"gelu",
       {1,
        [](double x, const double *p) { return math::gelu(x, p[0] != 0.0); }}},
      {"geluDerivative",
       {1,
        [](double x, const double *p) {
          return math::geluDerivative(x, p[0] != 0.0);
        }}},
      ACT_PAIR(swish),
      ACT_PAIR(silu),
      ACT_PAIR(softplus),
      ACT_PAIR(mish),
      ACT_PAIR(hardswish),
  };
  return functions;
}

/// A row op's result and, per element, the size beyond the result's own
/// magnitude against which its error is measured (see rowOps()).
struct RowResult {
  std::vector<double> values, scales;
};
using RowOp = std::function<RowResult(const Case &)>;

const std::map<std::string, RowOp> &rowOps();

std::vector<std::string> functionNames() {
  std::vector<std::string> names;
  for (const auto &entry : elementwiseFunctions())
    names.push_back(entry.first);
  for (const auto &entry : rowOps())
    names.push_back(entry.first);
  return names;
}

//===----------------------------------------------------------------------===//
// Comparison.
//===----------------------------------------------------------------------===//

/// Relative error allowed: ~450 ulp, far below what a wrong constant or
/// formula gives, above the few ulp the libm calls and roundings add up to.
constexpr double kRelTol = 1e-13;

std::string format(double v) {
  std::ostringstream os;
  os.precision(17);
  os << v;
  return os.str();
}

/// |got - expected| relative to max(|expected|, scale), never below DBL_MIN:
/// a result that underflows (exp(-1000)) is compared absolutely at that level.
double relError(double got, double expected, double scale) {
  if (std::isnan(got) || std::isnan(expected))
    return std::isnan(got) && std::isnan(expected)
               ? 0.0
               : std::numeric_limits<double>::infinity();
  if (got == expected)
    return 0.0;
  return std::fabs(got - expected) /
         std::max({std::fabs(expected), scale, DBL_MIN});
}

/// The size, beyond |f(x)|, against which an elementwise result's error is
/// measured: where the formula subtracts terms much larger than the result,
/// an ulp of those terms is all double can promise.
double elementwiseScale(const std::string &function, double x) {
  // x - tanh(x) ~ x^3 / 3 near 0: both terms are ~|x| (as in PyTorch, which
  // computes it the same way; tanhShrink(1e-8) is 0 in double).
  if (function == "tanhShrink")
    return std::fabs(x);
  return 0.0;
}

class ReferenceTable : public ::testing::TestWithParam<std::string> {
protected:
  void check(const Case &c, size_t i, double got, double scale) {
    ++checked;
    double expected = c.expected[i];
    double err = relError(got, expected, scale);
    if (err <= kRelTol)
      return;
    if (++failures > 20)
      return;
    std::ostringstream where;
    where << "line " << c.line << ": " << c.function << "(" << c.inputText;
    if (c.paramText != "-")
      where << "; " << c.paramText;
    where << ")";
    if (c.expected.size() > 1)
      where << "[" << i << "]";
    ADD_FAILURE() << where.str() << ": expected " << format(expected)
                  << ", got " << format(got) << ", rel err "
                  << format(std::fabs(got - expected) / std::fabs(expected))
                  << " (allowed: " << kRelTol << " of "
                  << format(std::max({std::fabs(expected), scale, DBL_MIN}))
                  << ")";
  }
  int checked = 0, failures = 0;
};

} // namespace

TEST_P(ReferenceTable, MatchesMpmath) {
  const std::string &name = GetParam();
  auto elementwise = elementwiseFunctions().find(name);
  for (const Case &c : table().cases) {
    if (c.function != name)
      continue;
    if (elementwise != elementwiseFunctions().end()) {
      ASSERT_EQ(c.params.size(), elementwise->second.numParams)
          << "line " << c.line;
      ASSERT_EQ(c.inputs.size(), 1u) << "line " << c.line;
      ASSERT_EQ(c.inputs[0].size(), 1u) << "line " << c.line;
      double x = c.inputs[0][0];
      double got = elementwise->second.fn(x, c.params.data());
      check(c, 0, got, elementwiseScale(name, x));
      continue;
    }
    RowResult r = rowOps().at(name)(c);
    ASSERT_EQ(r.values.size(), c.expected.size()) << "line " << c.line;
    for (size_t i = 0; i < r.values.size(); ++i)
      check(c, i, r.values[i], r.scales[i]);
  }
  EXPECT_GT(checked, 0) << "no cases for " << name << " in "
                        << ACT_REFERENCE_TABLE;
  EXPECT_EQ(failures, 0) << failures << " of " << checked << " values of "
                         << name << " are off";
}

INSTANTIATE_TEST_SUITE_P(, ReferenceTable, ::testing::ValuesIn(functionNames()),
                         [](const ::testing::TestParamInfo<std::string> &info) {
                           return info.param;
                         });

TEST(ReferenceTableFile, ParsesAndNamesKnownFunctions) {
  const Table &t = table();
  for (const std::string &error : t.errors)
    ADD_FAILURE() << error;
  EXPECT_GT(t.cases.size(), 1000u);
  std::vector<std::string> names = functionNames();
  for (const Case &c : t.cases)
    EXPECT_NE(std::find(names.begin(), names.end(), c.function), names.end())
        << "line " << c.line << ": unknown function " << c.function;
}

//===----------------------------------------------------------------------===//
// Row ops.
//===----------------------------------------------------------------------===//

namespace {

double rowMax(const std::vector<double> &x) {
  return *std::max_element(x.begin(), x.end());
}

std::vector<double> negated(std::vector<double> x) {
  for (double &v : x)
    v = -v;
  return x;
}

using ForwardFn = void (*)(const double *, double *, int64_t);

// The sizes the row ops' errors are measured against follow from how each
// result is computed in double: exp(x - max) inherits the rounding of
// x - max, |x - max| ulp of the result; a sum or difference, an ulp of its
// largest term.

RowResult softmaxLike(ForwardFn forward, const std::vector<double> &x,
                      const std::vector<double> &shifted) {
  RowResult r{std::vector<double>(x.size()), std::vector<double>(x.size())};
  forward(x.data(), r.values.data(), x.size());
  double m = rowMax(shifted);
  for (size_t i = 0; i < x.size(); ++i)
    r.scales[i] = std::fabs(r.values[i]) * (1 + std::fabs(shifted[i] - m));
  return r;
}

/// dx = y (dy - sum(dy y)) (negated for softmin), with shifted = x or -x.
RowResult softmaxLikeBackward(ForwardFn forward,
                              void (*backward)(const double *, const double *,
                                               double *, int64_t),
                              const Case &c,
                              const std::vector<double> &shifted) {
  const std::vector<double> &x = c.inputs[0], &dy = c.inputs[1];
  RowResult y = softmaxLike(forward, x, shifted);
  RowResult r{std::vector<double>(x.size()), std::vector<double>(x.size())};
  backward(y.values.data(), dy.data(), r.values.data(), x.size());
  double dot = 0.0;
  for (size_t j = 0; j < x.size(); ++j)
    dot += std::fabs(dy[j]) * y.scales[j];
  for (size_t i = 0; i < x.size(); ++i)
    r.scales[i] = y.scales[i] * (std::fabs(dy[i]) + dot);
  return r;
}

const std::map<std::string, RowOp> &rowOps() {
  static const std::map<std::string, RowOp> ops = {
      {"softmax",
       [](const Case &c) {
         return softmaxLike(ref::softmax, c.inputs[0], c.inputs[0]);
       }},
      {"softmin",
       [](const Case &c) {
         return softmaxLike(ref::softmin, c.inputs[0], negated(c.inputs[0]));
       }},
      {"logSoftmax",
       [](const Case &c) {
         // y = (x - max) - log(sum): the size of the two terms, and 1, as
         // log(sum) of a sum >= 1 is off by up to an ulp of 1 (as in
         // PyTorch): y = -1.9e-13 in the row [30, -30, ...] gets no better.
         const std::vector<double> &x = c.inputs[0];
         RowResult r{std::vector<double>(x.size()),
                     std::vector<double>(x.size())};
         ref::logSoftmax(x.data(), r.values.data(), x.size());
         double m = rowMax(x);
         for (size_t i = 0; i < x.size(); ++i)
           r.scales[i] =
               std::fabs(x[i] - m) + std::fabs(x[i] - m - r.values[i]) + 1;
         return r;
       }},
      {"softmaxBackward",
       [](const Case &c) {
         return softmaxLikeBackward(ref::softmax, ref::softmaxBackward, c,
                                    c.inputs[0]);
       }},
      {"softminBackward",
       [](const Case &c) {
         return softmaxLikeBackward(ref::softmin, ref::softminBackward, c,
                                    negated(c.inputs[0]));
       }},
      {"logSoftmaxBackward",
       [](const Case &c) {
         // dx = dy - exp(y) sum(dy); exp(y) inherits y's absolute error.
         const std::vector<double> &x = c.inputs[0], &dy = c.inputs[1];
         RowResult y = rowOps().at("logSoftmax")(c);
         RowResult r{std::vector<double>(x.size()),
                     std::vector<double>(x.size())};
         ref::logSoftmaxBackward(y.values.data(), dy.data(), r.values.data(),
                                 x.size());
         double sum = 0.0;
         for (double d : dy)
           sum += std::fabs(d);
         for (size_t i = 0; i < x.size(); ++i)
           r.scales[i] = std::fabs(dy[i]) +
                         std::exp(y.values[i]) * sum * (1 + y.scales[i]);
         return r;
       }},
      {"glu",
       [](const Case &c) {
         const std::vector<double> &x = c.inputs[0];
         RowResult r{std::vector<double>(x.size() / 2),
                     std::vector<double>(x.size() / 2, 0.0)};
         ref::glu(x.data(), r.values.data(), x.size() / 2);
         return r;
       }},
      {"gluBackward",
       [](const Case &c) {
         const std::vector<double> &x = c.inputs[0];
         RowResult r{std::vector<double>(x.size()),
                     std::vector<double>(x.size(), 0.0)};
         ref::gluBackward(x.data(), c.inputs[1].data(), r.values.data(),
                          x.size() / 2);
         return r;
       }},
      {"maxout",
       [](const Case &c) {
         const std::vector<double> &x = c.inputs[0];
         int64_t groups = c.params.at(0), n = x.size() / groups;
         RowResult r{std::vector<double>(n), std::vector<double>(n, 0.0)};
         ref::maxout(x.data(), r.values.data(), n, groups);
         return r;
       }},
      {"maxoutBackward",
       [](const Case &c) {
         const std::vector<double> &x = c.inputs[0];
         int64_t groups = c.params.at(0), n = x.size() / groups;
         RowResult r{std::vector<double>(x.size()),
                     std::vector<double>(x.size(), 0.0)};
         ref::maxoutBackward(x.data(), c.inputs[1].data(), r.values.data(), n,
                             groups);
         return r;
       }},
  };
  return ops;
}

} // namespace

//===----------------------------------------------------------------------===//
// Closed forms at special points: exact, or within 1 ulp where the value is
// irrational.
//===----------------------------------------------------------------------===//

namespace {

/// Distance in ulps between two finite doubles.
int64_t ulpDistance(double a, double b) {
  auto key = [](double v) {
    int64_t i;
    std::memcpy(&i, &v, sizeof(i));
    // Two's-complement order for the sign-magnitude encoding.
    return i < 0 ? std::numeric_limits<int64_t>::min() - i : i;
  };
  return std::llabs(key(a) - key(b));
}

/// x, unknown to the compiler: the checks below are about what the reference
/// computes at run time (as act's constant folding does), not about how the
/// C++ compiler folds a call on constants (contracting x * a + b into an
/// exact fma, say).
double in(double x) {
  volatile double v = x;
  return v;
}

constexpr double kInf = std::numeric_limits<double>::infinity();
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr double kLn2 = 0.69314718055994530941723212145818;
// kSeluScale * kSeluAlpha to 32 digits, not the product of the doubles.
constexpr double kSeluScaleAlpha = 1.7580993408473768599402175208123;

#define EXPECT_ULP(got, want)                                                  \
  EXPECT_LE(ulpDistance(got, want), 1)                                         \
      << #got << " = " << format(got) << ", want " << format(want)

std::vector<double> softmaxOf(std::vector<double> x) {
  std::vector<double> y(x.size());
  ref::softmax(x.data(), y.data(), x.size());
  return y;
}

std::vector<double> logSoftmaxOf(std::vector<double> x) {
  std::vector<double> y(x.size());
  ref::logSoftmax(x.data(), y.data(), x.size());
  return y;
}

} // namespace

TEST(ClosedForms, Elementwise) {
  EXPECT_EQ(math::sigmoid(in(0.0)), 0.5);
  EXPECT_EQ(math::sigmoidDerivative(in(0.0)), 0.25);
  EXPECT_EQ(math::tanhActivation(in(0.0)), 0.0);
  EXPECT_EQ(math::tanhDerivative(in(0.0)), 1.0);
  EXPECT_ULP(math::softplus(in(0.0), 1.0, 20.0), kLn2);
  EXPECT_EQ(math::softplusDerivative(in(0.0), 1.0, 20.0), 0.5);
  EXPECT_ULP(math::logSigmoid(in(0.0)), -kLn2);
  EXPECT_EQ(math::logSigmoidDerivative(in(0.0)), 0.5);
  EXPECT_EQ(math::geluErf(in(0.0)), 0.0);
  EXPECT_EQ(math::geluTanh(in(0.0)), 0.0);
  EXPECT_EQ(math::geluErfDerivative(in(0.0)), 0.5);
  EXPECT_EQ(math::geluTanhDerivative(in(0.0)), 0.5);
  EXPECT_EQ(math::silu(in(0.0)), 0.0);
  EXPECT_EQ(math::siluDerivative(in(0.0)), 0.5);
  EXPECT_EQ(math::mish(in(0.0)), 0.0);
  // tanh(softplus(0)) = tanh(log 2) = 3/5.
  EXPECT_ULP(math::mishDerivative(in(0.0)), 0.6);
  EXPECT_EQ(math::hardswish(in(3.0)), 3.0);
  EXPECT_EQ(math::hardswish(in(-3.0)), 0.0);
  EXPECT_EQ(math::hardswishDerivative(in(0.0)), 0.5);
  EXPECT_EQ(math::hardSigmoid(in(0.0), 1.0 / 6.0, 0.5), 0.5);
  EXPECT_EQ(math::hardSigmoid(in(3.0), 1.0 / 6.0, 0.5), 1.0);
  // -3 * (1/6 rounded) + 0.5 is 2^-55 exactly: this takes rounding the
  // product first (no fma contraction).
  EXPECT_EQ(math::hardSigmoid(in(-3.0), 1.0 / 6.0, 0.5), 0.0);
  EXPECT_EQ(math::relu6(in(7.0)), 6.0);
  EXPECT_EQ(math::relu6(in(-7.0)), 0.0);
  EXPECT_EQ(math::hardTanh(in(-5.0), -2.0, 0.5), -2.0);
  EXPECT_EQ(math::softsign(in(1.0)), 0.5);
  EXPECT_EQ(math::softsignDerivative(in(0.0)), 1.0);
  EXPECT_EQ(math::softsignDerivative(in(1.0)), 0.25);
  EXPECT_EQ(math::softShrink(in(2.0), 0.5), 1.5);
  EXPECT_EQ(math::hardShrink(in(0.5), 0.5), 0.0);
  EXPECT_ULP(math::rrelu(in(-48.0), 1.0 / 8.0, 1.0 / 3.0), -11.0);
  EXPECT_EQ(math::elu(in(-kInf), 0.5), -0.5);
  EXPECT_EQ(math::celu(in(-kInf), 2.0), -2.0);
  EXPECT_EQ(math::selu(in(1.0)), math::kSeluScale);
  EXPECT_ULP(math::selu(in(-kInf)), -kSeluScaleAlpha);
  EXPECT_ULP(math::seluDerivative(in(0.0)), kSeluScaleAlpha);
  EXPECT_EQ(math::sigmoid(in(-kInf)), 0.0);
  EXPECT_EQ(math::sigmoid(in(kInf)), 1.0);
  EXPECT_EQ(math::tanhActivation(in(-kInf)), -1.0);
}

TEST(ClosedForms, RowOps) {
  for (double v : softmaxOf({5.0, 5.0, 5.0}))
    EXPECT_ULP(v, 1.0 / 3.0);
  for (double v : softmaxOf({-1e3, -1e3, -1e3, -1e3}))
    EXPECT_EQ(v, 0.25);
  for (double v : logSoftmaxOf({0.0, 0.0}))
    EXPECT_ULP(v, -kLn2);
  for (double v : logSoftmaxOf({1e3, 1e3, 1e3, 1e3}))
    EXPECT_ULP(v, -2 * kLn2);
  std::vector<double> x = {1.0, 2.0, 3.0}, y(3);
  ref::softmin(x.data(), y.data(), 3);
  EXPECT_EQ(y, softmaxOf({-1.0, -2.0, -3.0}));
  std::vector<double> ab = {3.0, 0.0}, g(1);
  ref::glu(ab.data(), g.data(), 1);
  EXPECT_EQ(g[0], 1.5);
}

//===----------------------------------------------------------------------===//
// NaN, +-Inf and -0: PyTorch's CPU results (torch 2.15, where float32 and
// float64 agree but for gelu(-0)).
//===----------------------------------------------------------------------===//

/// Exactly `want`, sign of zero included; NaN if want is NaN.
#define EXPECT_IEEE(got, want)                                                 \
  do {                                                                         \
    double gotValue = (got), wantValue = (want);                               \
    if (std::isnan(wantValue))                                                 \
      EXPECT_TRUE(std::isnan(gotValue)) << #got << " = " << format(gotValue);  \
    else                                                                       \
      EXPECT_TRUE(gotValue == wantValue &&                                     \
                  std::signbit(gotValue) == std::signbit(wantValue))           \
          << #got << " = " << format(gotValue) << ", want "                    \
          << format(wantValue);                                                \
  } while (false)

TEST(IeeeSpecials, SignOfZero) {
  EXPECT_IEEE(math::relu(in(-0.0)), -0.0);
  EXPECT_IEEE(math::relu6(in(-0.0)), -0.0);
  EXPECT_IEEE(math::hardTanh(in(-0.0), -1.0, 1.0), -0.0);
  EXPECT_IEEE(math::hardTanh(in(-0.0), 0.0, 1.0), -0.0);
  EXPECT_IEEE(math::leakyRelu(in(-0.0), 0.01), -0.0);
  EXPECT_IEEE(math::prelu(in(-0.0), 0.25), -0.0);
  EXPECT_IEEE(math::rrelu(in(-0.0), 1.0 / 8.0, 1.0 / 3.0), -0.0);
  EXPECT_IEEE(math::linear(in(-0.0), 1.0, 0.0), -0.0);
  EXPECT_IEEE(math::linear(in(-0.0), 2.0, 0.0), -0.0);
  EXPECT_IEEE(math::step(in(-0.0)), 1.0);
  // As PyTorch's f64/f16/bf16 gelu (its f32 kernel gives +0).
  EXPECT_IEEE(math::geluErf(in(-0.0)), -0.0);
  EXPECT_IEEE(math::geluTanh(in(-0.0)), -0.0);
  EXPECT_IEEE(math::silu(in(-0.0)), -0.0);
  EXPECT_IEEE(math::mish(in(-0.0)), -0.0);
  EXPECT_IEEE(math::hardswish(in(-0.0)), -0.0);
  EXPECT_IEEE(math::hardswish(in(-3.0)), -0.0);
  EXPECT_IEEE(math::softsign(in(-0.0)), -0.0);
  EXPECT_IEEE(math::tanhActivation(in(-0.0)), -0.0);
  EXPECT_IEEE(math::tanhShrink(in(-0.0)), 0.0);
  EXPECT_IEEE(math::elu(in(-0.0), 1.0), -0.0);
  EXPECT_IEEE(math::celu(in(-0.0), 2.0), -0.0);
  EXPECT_IEEE(math::selu(in(-0.0)), -0.0);
  // PyTorch's scalar path; its vectorized CPU kernel gives +0.
  EXPECT_IEEE(math::softShrink(in(-0.25), 0.5), -0.0);
  EXPECT_IEEE(math::softShrink(in(0.25), 0.5), 0.0);
  EXPECT_IEEE(math::softShrink(in(-0.0), 0.5), -0.0);
  EXPECT_IEEE(math::hardShrink(in(-0.0), 0.5), 0.0);
  EXPECT_IEEE(math::hardShrink(in(-0.25), 0.5), 0.0);
  EXPECT_IEEE(math::threshold(in(-0.0), 0.0, -1.0), -1.0);
  EXPECT_IEEE(math::softplus(in(-kInf), 1.0, 20.0), 0.0);
  EXPECT_IEEE(math::logSigmoid(in(kInf)), 0.0);
  EXPECT_IEEE(math::sigmoid(in(-kInf)), 0.0);
}

TEST(IeeeSpecials, Infinities) {
  for (double x : {-kInf, kInf})
    EXPECT_IEEE(math::softsign(in(x)), kNaN);
  EXPECT_IEEE(math::geluErf(in(-kInf)), kNaN);
  EXPECT_IEEE(math::geluTanh(in(-kInf)), kNaN);
  EXPECT_IEEE(math::silu(in(-kInf)), kNaN);
  EXPECT_IEEE(math::mish(in(-kInf)), kNaN);
  EXPECT_IEEE(math::hardswish(in(-kInf)), kNaN);
  EXPECT_IEEE(math::geluErf(in(kInf)), kInf);
  EXPECT_IEEE(math::geluTanh(in(kInf)), kInf);
  EXPECT_IEEE(math::silu(in(kInf)), kInf);
  EXPECT_IEEE(math::mish(in(kInf)), kInf);
  EXPECT_IEEE(math::hardswish(in(kInf)), kInf);
  EXPECT_IEEE(math::softplus(in(kInf), 1.0, 20.0), kInf);
  EXPECT_IEEE(math::logSigmoid(in(-kInf)), -kInf);
  EXPECT_IEEE(math::tanhShrink(in(kInf)), kInf);
  EXPECT_IEEE(math::tanhShrink(in(-kInf)), -kInf);
  EXPECT_IEEE(math::elu(in(-kInf), 1.0), -1.0);
  EXPECT_IEEE(math::relu(in(kInf)), kInf);
  EXPECT_IEEE(math::relu6(in(kInf)), 6.0);
}

TEST(IeeeSpecials, NaNs) {
  EXPECT_IEEE(math::relu(in(kNaN)), kNaN);
  EXPECT_IEEE(math::relu6(in(kNaN)), kNaN);
  EXPECT_IEEE(math::hardTanh(in(kNaN), -1.0, 1.0), kNaN);
  EXPECT_IEEE(math::leakyRelu(in(kNaN), 0.01), kNaN);
  // As torch.heaviside(x, 1).
  EXPECT_IEEE(math::step(in(kNaN)), 0.0);
  EXPECT_IEEE(math::threshold(in(kNaN), 0.0, -1.0), kNaN);
  EXPECT_IEEE(math::hardSigmoid(in(kNaN), 1.0 / 6.0, 0.5), kNaN);
  EXPECT_IEEE(math::softShrink(in(kNaN), 0.5), kNaN);
  EXPECT_IEEE(math::hardShrink(in(kNaN), 0.5), kNaN);
  EXPECT_IEEE(math::sigmoid(in(kNaN)), kNaN);
  EXPECT_IEEE(math::geluErf(in(kNaN)), kNaN);
  EXPECT_IEEE(math::elu(in(kNaN), 1.0), kNaN);
}

TEST(IeeeSpecials, RowOps) {
  for (double v : softmaxOf({kInf, 1.0}))
    EXPECT_IEEE(v, kNaN);
  for (double v : softmaxOf({-kInf, -kInf}))
    EXPECT_IEEE(v, kNaN);
  for (double v : softmaxOf({kNaN, 1.0}))
    EXPECT_IEEE(v, kNaN);
  std::vector<double> y = softmaxOf({-kInf, 1.0});
  EXPECT_IEEE(y[0], 0.0);
  EXPECT_IEEE(y[1], 1.0);
  y = logSoftmaxOf({-kInf, 1.0});
  EXPECT_IEEE(y[0], -kInf);
  EXPECT_IEEE(y[1], 0.0);
  std::vector<double> ab = {1.0, kInf}, g(1);
  ref::glu(ab.data(), g.data(), 1);
  EXPECT_IEEE(g[0], 1.0);
  // torch.max: NaN wins, and the first of equal maxima gets the gradient.
  std::vector<double> x = {1.0, kNaN, kNaN, 3.0, 1.0, 3.0}, m(2), dx(6);
  std::vector<double> dy = {10.0, 20.0};
  ref::maxout(x.data(), m.data(), 2, 3);
  EXPECT_IEEE(m[0], kNaN);
  EXPECT_IEEE(m[1], 3.0);
  ref::maxoutBackward(x.data(), dy.data(), dx.data(), 2, 3);
  EXPECT_EQ(dx, (std::vector<double>{0.0, 10.0, 0.0, 20.0, 0.0, 0.0}));
}
