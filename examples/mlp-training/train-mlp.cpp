//===- train-mlp.cpp - Train an MLP with a gradient act derived -*- C++ -*-===//
//
// Usage: act-train-mlp [mlp.mlir] [--steps=N] [--lr=X] [--threads=N]
//
// Loads the MLP of examples/mlp-training/mlp.mlir, lets act-differentiate
// add @loss_vjp, JIT-compiles @train_step (forward, backward and the SGD
// update in one compiled function) once, and trains the MLP on a synthetic
// task a 2-layer network can learn: the label of x ~ N(0, 1)^64 is the
// largest entry of x T for a fixed random "teacher" matrix T. Prints the
// loss as it falls and the accuracy on held-out samples before and after.
//
//===----------------------------------------------------------------------===//

#include "act/Autodiff/Passes.h"
#include "act/Runner/Runner.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Parser/Parser.h"
#include "mlir/Pass/PassManager.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/SourceMgr.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <random>

using namespace mlir;
using namespace mlir::act;
using namespace mlir::act::runner;
namespace cl = llvm::cl;

static cl::opt<std::string> inputFile(cl::Positional, cl::desc("<mlp.mlir>"),
                                      cl::init(ACT_MLP_MLIR));
static cl::opt<unsigned> steps("steps", cl::desc("SGD steps"), cl::init(300));
static cl::opt<double> learningRate("lr", cl::desc("Learning rate"),
                                    cl::init(0.1));
// libLLVM registers a `threads` option of its own; drop it before ours.
[[maybe_unused]] static const bool threadsReleased = releaseLLVMThreadsOption();
static cl::opt<unsigned> threads("threads", cl::desc("Threads (0: all cores)"),
                                 cl::init(1));

namespace {
constexpr int kBatch = 32, kIn = 64, kHidden = 256, kClasses = 10;

int fail(const std::string &message) {
  llvm::errs() << "act-train-mlp: error: " << message << "\n";
  return 1;
}

/// The synthetic task: x ~ N(0, 1), label = argmax(x T).
struct Task {
  std::mt19937 rng{1};
  std::normal_distribution<float> normal{0.0f, 1.0f};
  std::vector<float> teacher = std::vector<float>(kIn * kClasses);

  Task() {
    for (float &t : teacher)
      t = normal(rng);
  }
  int label(const float *x) const {
    int best = 0;
    double bestScore = -INFINITY;
    for (int c = 0; c < kClasses; ++c) {
      double s = 0;
      for (int i = 0; i < kIn; ++i)
        s += x[i] * teacher[i * kClasses + c];
      if (s > bestScore)
        bestScore = s, best = c;
    }
    return best;
  }
  /// A batch: x, one-hot y, and the labels.
  void sample(HostTensor &x, HostTensor &y, std::vector<int> &labels) {
    auto *xs = static_cast<float *>(x.getData());
    auto *ys = static_cast<float *>(y.getData());
    labels.resize(kBatch);
    for (int b = 0; b < kBatch; ++b) {
      for (int i = 0; i < kIn; ++i)
        xs[b * kIn + i] = normal(rng);
      labels[b] = label(xs + b * kIn);
      for (int c = 0; c < kClasses; ++c)
        ys[b * kClasses + c] = c == labels[b] ? 1.0f : 0.0f;
    }
  }
};

/// The fraction of `x`'s rows the MLP with these weights classifies right:
/// argmax of gelu(x W1 + b1) W2 + b2 (log_softmax keeps the argmax), in
/// double on the host.
double accuracy(const HostTensor &x, const std::vector<int> &labels,
                const std::vector<HostTensor> &w) {
  auto *xs = static_cast<const float *>(x.getData());
  auto *w1 = static_cast<const float *>(w[0].getData());
  auto *b1 = static_cast<const float *>(w[1].getData());
  auto *w2 = static_cast<const float *>(w[2].getData());
  auto *b2 = static_cast<const float *>(w[3].getData());
  int right = 0;
  std::vector<double> h(kHidden);
  for (int b = 0; b < kBatch; ++b) {
    for (int j = 0; j < kHidden; ++j) {
      double s = b1[j];
      for (int i = 0; i < kIn; ++i)
        s += xs[b * kIn + i] * w1[i * kHidden + j];
      h[j] = s * 0.5 * std::erfc(-s / std::sqrt(2.0));
    }
    int best = 0;
    double bestScore = -INFINITY;
    for (int c = 0; c < kClasses; ++c) {
      double s = b2[c];
      for (int j = 0; j < kHidden; ++j)
        s += h[j] * w2[j * kClasses + c];
      if (s > bestScore)
        bestScore = s, best = c;
    }
    right += best == labels[b];
  }
  return double(right) / kBatch;
}
} // namespace

int main(int argc, char **argv) {
  llvm::InitLLVM initLLVM(argc, argv);
  cl::ParseCommandLineOptions(argc, argv,
                              "act-train-mlp: train an MLP with act's "
                              "gradients\n");
  std::unique_ptr<MLIRContext> context = createContext();
  OwningOpRef<ModuleOp> module;
  {
    FirstError error(context.get());
    module = parseSourceFile<ModuleOp>(inputFile, context.get());
    if (!module)
      return fail(error.str().empty() ? "cannot parse " + inputFile
                                      : error.str());
  }

  // The gradient of @loss with respect to the weights (arguments 2-5).
  {
    FirstError error(context.get());
    PassManager pm(context.get());
    ActDifferentiatePassOptions options;
    options.function = "loss";
    options.wrt = {2, 3, 4, 5};
    pm.addPass(createActDifferentiatePass(options));
    if (failed(pm.run(*module)))
      return fail(error.str());
  }

  CompileOptions options;
  options.threads = threads;
  auto step = CompiledFunction::compile(*module, "train_step", options);
  if (!step)
    return fail(llvm::toString(step.takeError()));
  std::printf("compiled @train_step (forward, backward, SGD) in %.2f s\n",
              (*step)->getPipelineSeconds() + (*step)->getJitSeconds());

  // He-initialized weights, zero biases.
  std::mt19937 rng(2);
  std::normal_distribution<float> normal(0.0f, 1.0f);
  std::vector<HostTensor> weights;
  weights.emplace_back(ElementKind::f32, ArrayRef<int64_t>{kIn, kHidden});
  weights.emplace_back(ElementKind::f32, ArrayRef<int64_t>{kHidden});
  weights.emplace_back(ElementKind::f32, ArrayRef<int64_t>{kHidden, kClasses});
  weights.emplace_back(ElementKind::f32, ArrayRef<int64_t>{kClasses});
  for (int w : {0, 2}) {
    double fanIn = weights[w].getShape()[0];
    for (int64_t i = 0; i < weights[w].getNumElements(); ++i)
      weights[w].set(i, normal(rng) * std::sqrt(2.0 / fanIn));
  }
  for (int b : {1, 3})
    for (int64_t i = 0; i < weights[b].getNumElements(); ++i)
      weights[b].set(i, 0.0);

  Task task;
  HostTensor x(ElementKind::f32, {kBatch, kIn});
  HostTensor y(ElementKind::f32, {kBatch, kClasses});
  HostTensor heldX(ElementKind::f32, {kBatch, kIn});
  HostTensor heldY(ElementKind::f32, {kBatch, kClasses});
  std::vector<int> labels, heldLabels;
  task.sample(heldX, heldY, heldLabels);
  HostTensor lr(ElementKind::f32, {});
  lr.set(0, learningRate);

  std::printf("held-out accuracy before training: %.2f\n",
              accuracy(heldX, heldLabels, weights));
  double first = 0, last = 0, seconds = 0;
  // Mean losses of the first and last 25 steps: a single batch's loss is
  // noisy.
  double head = 0, tail = 0;
  unsigned window = std::min(25u, unsigned(steps));
  for (unsigned s = 0; s < steps; ++s) {
    task.sample(x, y, labels);
    std::vector<HostTensor> results;
    double t = 0;
    (*step)->call(
        {&x, &y, &weights[0], &weights[1], &weights[2], &weights[3], &lr},
        &results, &t);
    seconds += t;
    double loss = results[0].get(0);
    if (!std::isfinite(loss))
      return fail("the loss is not finite at step " + std::to_string(s));
    if (s == 0)
      first = loss;
    last = loss;
    if (s < window)
      head += loss / window;
    if (s + window >= steps)
      tail += loss / window;
    for (int w = 0; w < 4; ++w)
      weights[w] = std::move(results[w + 1]);
    if (s % 25 == 0 || s + 1 == steps)
      std::printf("step %4u  loss %.4f\n", s, loss);
  }
  std::printf("held-out accuracy after %u steps: %.2f\n", unsigned(steps),
              accuracy(heldX, heldLabels, weights));
  std::printf("loss %.4f -> %.4f; mean of the first %u steps %.4f, of the "
              "last %u %.4f; %.3f ms per step\n",
              first, last, window, head, window, tail,
              1e3 * seconds / unsigned(steps));
  return 0;
}
