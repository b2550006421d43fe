//===- Backward.cpp - The backward suite's workloads ----------------------===//

#include "Backward.h"

#include "act/Math/Activations.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/MemoryBuffer.h"

#include <algorithm>
#include <cmath>
#include <random>

using namespace act::bench;
namespace math = mlir::act::math;

/// ELU's alpha in the suite (the op's and oneDNN's and PyTorch's default).
static constexpr double kEluAlpha = 1.0;

std::vector<BackwardWorkload> act::bench::backwardWorkloads(int64_t elements) {
  // From the output exactly where act-differentiate differentiates from it
  // (ActOps.td's DifferentiableOpInterface): relu, sigmoid, tanh, elu with
  // alpha >= 0.
  const std::pair<const char *, bool> ops[] = {
      {"relu", true},    {"gelu", false}, {"gelu_tanh", false}, {"silu", false},
      {"sigmoid", true}, {"tanh", true},  {"elu", true},        {"mish", false},
  };
  std::vector<BackwardWorkload> workloads;
  for (const auto &[op, fromOutput] : ops)
    workloads.push_back({std::string(op) + "_grad", op, fromOutput, elements});
  return workloads;
}

std::string act::bench::backwardActModuleText(const BackwardWorkload &w) {
  std::string tensor = "tensor<" + std::to_string(w.elements) + "xf32>";
  std::string memref = "memref<" + std::to_string(w.elements) + "xf32>";
  std::string op = w.op, suffix;
  if (op == "gelu_tanh") {
    op = "gelu";
    suffix = " approximate = tanh";
  }
  if (w.fromOutput)
    suffix = " from_output" + suffix;
  if (op == "elu")
    suffix += llvm::formatv(" {{alpha = {0:e16} : f64}", kEluAlpha).str();
  return llvm::formatv(
             "func.func @k(%dy: {0} {{bufferization.writable = false}, "
             "%s: {0} {{bufferization.writable = false}, %out: {1}) "
             "attributes {{llvm.emit_c_interface} {\n"
             "  %dx = act.{2}_grad %dy, %s{3} : {0}\n"
             "  bufferization.materialize_in_destination %dx in restrict "
             "writable %out : ({0}, {1}) -> ()\n"
             "  return\n"
             "}\n",
             tensor, memref, op, suffix)
      .str();
}

/// The forward op at double (the from-output workloads only).
static double forward(const BackwardWorkload &w, double x) {
  if (w.op == "relu")
    return math::relu(x);
  if (w.op == "sigmoid")
    return math::sigmoid(x);
  if (w.op == "tanh")
    return math::tanhActivation(x);
  return math::elu(x, kEluAlpha);
}

/// f'(.) at the workload's second operand (x, or the f32 y).
static double derivative(const BackwardWorkload &w, double s) {
  const std::string &op = w.op;
  if (op == "relu")
    return math::reluDerivativeFromOutput(s);
  if (op == "sigmoid")
    return math::sigmoidDerivativeFromOutput(s);
  if (op == "tanh")
    return math::tanhDerivativeFromOutput(s);
  if (op == "elu")
    return math::eluDerivativeFromOutput(s, kEluAlpha);
  if (op == "gelu")
    return math::geluErfDerivative(s);
  if (op == "gelu_tanh")
    return math::geluTanhDerivative(s);
  if (op == "silu")
    return math::siluDerivative(s);
  return math::mishDerivative(s);
}

void act::bench::fillBackwardInputs(const BackwardWorkload &w, float *dy,
                                    float *source) {
  // The eltwise suite's generator for x (both sides of every kink, the
  // tails), another stream of it for dy.
  uint64_t xs = 0x9e3779b97f4a7c15ull, ds = 0x2545f4914f6cdd1dull;
  auto next = [](uint64_t &state) {
    state = state * 6364136223846793005ull + 1442695040888963407ull;
    return float(int32_t(state >> 32)) * (1.0f / 2147483648.0f);
  };
  for (int64_t i = 0; i < w.elements; ++i) {
    float x = next(xs) * 10.0f;
    dy[i] = next(ds);
    source[i] = w.fromOutput ? float(forward(w, x)) : x;
  }
}

double act::bench::checkBackward(const BackwardWorkload &w, const float *dy,
                                 const float *source, const float *dx) {
  auto error = [&](int64_t i) {
    double ref =
        math::applyDerivative(double(dy[i]), derivative(w, double(source[i])));
    double y = dx[i];
    if (std::isnan(ref) || std::isnan(y))
      return std::isnan(ref) && std::isnan(y) ? 0.0 : kWrongOutput;
    double e = std::fabs(y - ref) / std::max(std::fabs(ref), 1.0);
    return std::isnan(e) ? kWrongOutput : std::min(e, kWrongOutput);
  };
  double worst = 0;
  // A prime stride, as checkOutput's.
  for (int64_t i = 0; i < w.elements; i += 997)
    worst = std::max(worst, error(i));
  return std::max(worst, error(w.elements - 1));
}

//===----------------------------------------------------------------------===//
// The MLP training step.
//===----------------------------------------------------------------------===//

double MlpWorkload::flops() const {
  double layer1 = 2.0 * batch * kIn * kHidden,
         layer2 = 2.0 * batch * kHidden * kClasses;
  // Forward: both layers; backward: dW2, dh and dW1.
  return 2 * layer1 + 3 * layer2;
}

llvm::Expected<std::string> act::bench::mlpModuleText(int64_t batch) {
  auto buffer = llvm::MemoryBuffer::getFile(ACT_BENCH_MLP_MLIR);
  if (!buffer)
    return llvm::createStringError(llvm::Twine("cannot read ") +
                                   ACT_BENCH_MLP_MLIR + ": " +
                                   buffer.getError().message());
  std::string text = (*buffer)->getBuffer().str();
  auto replaceAll = [&](llvm::StringRef from, const std::string &to) {
    int count = 0;
    for (size_t at = text.find(from); at != std::string::npos;
         at = text.find(from, at + to.size())) {
      text.replace(at, from.size(), to);
      ++count;
    }
    return count;
  };
  std::string scale =
      llvm::formatv("dense<{0:e16}>", -1.0 / double(batch)).str();
  if (replaceAll("tensor<32x", "tensor<" + std::to_string(batch) + "x") == 0 ||
      replaceAll("dense<-0.03125>", scale) != 1)
    return llvm::createStringError(
        llvm::Twine(ACT_BENCH_MLP_MLIR) +
        " no longer has the batch of 32 (tensor<32x...>) and the loss scale "
        "dense<-0.03125> that act-bench rewrites for other batch sizes");
  return text;
}

MlpData::MlpData(const MlpWorkload &w) {
  constexpr int64_t in = MlpWorkload::kIn, hidden = MlpWorkload::kHidden,
                    classes = MlpWorkload::kClasses;
  std::mt19937 rng(w.batch * 7919 + 1);
  std::normal_distribution<float> normal(0.0f, 1.0f);
  std::uniform_int_distribution<int> label(0, classes - 1);
  auto fill = [&](std::vector<float> &v, int64_t n, double scale) {
    v.resize(n);
    for (float &e : v)
      e = float(normal(rng) * scale);
  };
  fill(x, w.batch * in, 1.0);
  fill(w1, in * hidden, std::sqrt(2.0 / in));
  fill(b1, hidden, 0.1);
  fill(w2, hidden * classes, std::sqrt(2.0 / hidden));
  fill(b2, classes, 0.1);
  y.assign(w.batch * classes, 0.0f);
  for (int64_t b = 0; b < w.batch; ++b)
    y[b * classes + label(rng)] = 1.0f;
}

MlpGradients act::bench::mlpReference(const MlpWorkload &w, const MlpData &d) {
  constexpr int64_t in = MlpWorkload::kIn, hidden = MlpWorkload::kHidden,
                    classes = MlpWorkload::kClasses;
  int64_t batch = w.batch;
  std::vector<double> a1(batch * hidden), h(batch * hidden),
      dlogits(batch * classes);
  MlpGradients g;
  g.dw1.assign(in * hidden, 0);
  g.db1.assign(hidden, 0);
  g.dw2.assign(hidden * classes, 0);
  g.db2.assign(classes, 0);
  for (int64_t b = 0; b < batch; ++b) {
    for (int64_t j = 0; j < hidden; ++j) {
      double s = d.b1[j];
      for (int64_t i = 0; i < in; ++i)
        s += double(d.x[b * in + i]) * d.w1[i * hidden + j];
      a1[b * hidden + j] = s;
      h[b * hidden + j] = math::geluErf(s);
    }
    double logits[classes], max = -INFINITY;
    for (int64_t c = 0; c < classes; ++c) {
      double s = d.b2[c];
      for (int64_t j = 0; j < hidden; ++j)
        s += h[b * hidden + j] * d.w2[j * classes + c];
      logits[c] = s;
      max = std::max(max, s);
    }
    double sum = 0;
    for (int64_t c = 0; c < classes; ++c)
      sum += std::exp(logits[c] - max);
    double lse = max + std::log(sum), labels = 0;
    for (int64_t c = 0; c < classes; ++c) {
      double t = d.y[b * classes + c];
      g.loss -= t * (logits[c] - lse) / double(batch);
      labels += t;
    }
    // d loss / d lp = -y / batch; through log_softmax: dlp - softmax sum dlp.
    for (int64_t c = 0; c < classes; ++c)
      dlogits[b * classes + c] =
          (-double(d.y[b * classes + c]) + std::exp(logits[c] - lse) * labels) /
          double(batch);
  }
  std::vector<double> da1(batch * hidden);
  for (int64_t b = 0; b < batch; ++b)
    for (int64_t j = 0; j < hidden; ++j) {
      double dh = 0;
      for (int64_t c = 0; c < classes; ++c) {
        double dl = dlogits[b * classes + c];
        dh += dl * d.w2[j * classes + c];
        g.dw2[j * classes + c] += h[b * hidden + j] * dl;
      }
      da1[b * hidden + j] = dh * math::geluErfDerivative(a1[b * hidden + j]);
      g.db1[j] += da1[b * hidden + j];
    }
  for (int64_t b = 0; b < batch; ++b) {
    for (int64_t c = 0; c < classes; ++c)
      g.db2[c] += dlogits[b * classes + c];
    for (int64_t i = 0; i < in; ++i)
      for (int64_t j = 0; j < hidden; ++j)
        g.dw1[i * hidden + j] += double(d.x[b * in + i]) * da1[b * hidden + j];
  }
  return g;
}
