//===- BackwardSuite.cpp - act-bench --suite=backward ---------------------===//
//
// Two parts, in one run:
//
//  - The backward activations (Backward.h) on --size f32 elements at one
//    thread: act's act.*_grad kernel (compileAct with threads=1, writing dx
//    in place), oneDNN 2.6's eltwise_backward and PyTorch's aten backward
//    kernels (backward_peers.py), with a STREAM triad measured before and
//    after them (Machine.h) as the bandwidth of three streams. GB/s counts
//    12 bytes per element (dy and x or y in, dx out).
//  - The training step of examples/mlp-training (forward, backward from
//    act-differentiate, SGD update in one compiled @train_step) at every
//    --mlp-batches and --threads, against PyTorch eager autograd doing the
//    same step (backward_peers.py); act's gradients are checked against a
//    double reference (Backward.h) through the @loss_vjp the pass adds, and
//    each compiled step's update against the same reference.
//
//===----------------------------------------------------------------------===//

#include "BackwardSuite.h"

#include "Act.h"
#include "ActWorker.h"
#include "Bench.h"
#include "Machine.h"
#include "OneDnn.h"
#include "Torch.h"

#include "act/Autodiff/Passes.h"
#include "act/Runner/Runner.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Parser/Parser.h"
#include "mlir/Pass/PassManager.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/ScopeExit.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/Program.h"
#include "llvm/Support/raw_ostream.h"

#include <algorithm>
#include <cmath>

using namespace act::bench;
namespace runner = mlir::act::runner;

namespace {
/// One implementation of the training step at one batch and thread count:
/// the time per step; the error, the worst relative error (max |v - ref| /
/// max |ref| per tensor) of the loss, the gradients and the updated weights
/// against the double reference.
struct MlpResult : FlopsResult {
  int64_t batch = 0;

  MlpResult() = default;
  MlpResult(const MlpWorkload &w, std::string impl, int threads)
      : FlopsResult(w.name(), std::move(impl), threads, w.flops(),
                    kMlpTolerance),
        batch(w.batch) {}
};

/// The better of the triads measured before and after the kernels.
struct Triads {
  std::vector<TriadBandwidth> best;
  void add(const std::vector<TriadBandwidth> &measured) {
    for (const TriadBandwidth &t : measured) {
      auto it = llvm::find_if(
          best, [&](const TriadBandwidth &b) { return b.impl == t.impl; });
      if (it == best.end())
        best.push_back(t);
      else if (t.time.min < it->time.min)
        *it = t;
    }
  }
  double gbps() const {
    double g = NAN;
    for (const TriadBandwidth &t : best)
      g = std::isnan(g) ? t.gbps() : std::max(g, t.gbps());
    return g;
  }
};
} // namespace

/// The best FMA peak at each thread count over every measurement of it, so
/// the report can say when threads had no core of their own.
namespace {
struct Peaks {
  std::vector<std::pair<int, double>> best;
  void measure(const std::vector<int> &threads) {
    for (int t : threads) {
      double g = 0;
      for (const FmaPeak &p : measureFmaPeaks(t, 3))
        g = std::max(g, p.gflops);
      auto it = llvm::find_if(best, [&](auto &b) { return b.first == t; });
      if (it == best.end())
        best.push_back({t, g});
      else
        it->second = std::max(it->second, g);
    }
  }
  double at(int threads) const {
    for (const auto &[t, g] : best)
      if (t == threads)
        return g;
    return NAN;
  }
};
} // namespace

//===----------------------------------------------------------------------===//
// The backward activations: act and oneDNN here, in process.
//===----------------------------------------------------------------------===//

/// Runs `kernel` as `impl` on `w` and checks dx.
static Result measureBackward(const BackwardOptions &o,
                              const BackwardWorkload &w,
                              const std::string &impl, const Kernel &kernel,
                              const float *dy, const float *source,
                              const float *dx) {
  Result r;
  r.workload = w.name;
  r.impl = impl;
  r.shape = std::to_string(w.elements);
  r.bytes = w.bytes();
  r.setupSeconds = kernel.setupSeconds;
  r.note = kernel.note;
  r.time = measure(kernel.run, o.warmup, o.repetitions, r.cpuPerWall);
  r.error = checkBackward(w, dy, source, dx);
  llvm::errs() << llvm::format("  %-16s %-7s %9.3f ms  %7.2f GB/s  cpu/wall "
                               "%.2f\n",
                               w.name.c_str(), impl.c_str(), r.time.min * 1e3,
                               r.gbps(), r.cpuPerWall);
  return r;
}

/// act's kernel for `w`, compiled for one thread.
static std::optional<Kernel> makeActBackward(const BackwardOptions &o,
                                             const BackwardWorkload &w,
                                             const float *dy,
                                             const float *source, float *dx,
                                             std::string *why) {
  double start = wallSeconds();
  std::optional<ActCompiled> compiled = compileAct(
      backwardActModuleText(w), actMathOption(o.math) + " threads=1", why);
  if (!compiled)
    return std::nullopt;
  Kernel kernel;
  kernel.setupSeconds = wallSeconds() - start;
  kernel.note = actJitNote(*compiled, o.math);
  std::vector<int64_t> shape = {w.elements};
  kernel.run = bindAct(*compiled, {{dy, shape}, {source, shape}, {dx, shape}});
  return kernel;
}

//===----------------------------------------------------------------------===//
// The training step: act here, in process.
//===----------------------------------------------------------------------===//

static runner::HostTensor tensor(const std::vector<float> &values,
                                 llvm::ArrayRef<int64_t> shape) {
  runner::HostTensor t(runner::ElementKind::f32, shape);
  std::copy(values.begin(), values.end(), static_cast<float *>(t.getData()));
  return t;
}

/// max |t - ref| / max |ref| (NaN or a size mismatch: kWrongOutput).
static double relativeError(const runner::HostTensor &t,
                            llvm::ArrayRef<double> ref) {
  if (t.getNumElements() != int64_t(ref.size()))
    return kWrongOutput;
  double diff = 0, scale = 0;
  for (size_t i = 0; i < ref.size(); ++i) {
    double d = std::fabs(t.get(i) - ref[i]);
    if (std::isnan(d))
      return kWrongOutput;
    diff = std::max(diff, d);
    scale = std::max(scale, std::fabs(ref[i]));
  }
  return scale > 0 ? diff / scale : diff;
}

namespace {
/// One batch size's inputs as the compiled functions take them.
struct MlpTensors {
  runner::HostTensor x, y, lr;
  std::vector<runner::HostTensor> weights;
  MlpTensors(const MlpWorkload &w, const MlpData &d, double learningRate) {
    constexpr int64_t in = MlpWorkload::kIn, hidden = MlpWorkload::kHidden,
                      classes = MlpWorkload::kClasses;
    x = tensor(d.x, {w.batch, in});
    y = tensor(d.y, {w.batch, classes});
    lr = runner::HostTensor(runner::ElementKind::f32, {});
    lr.set(0, learningRate);
    weights.push_back(tensor(d.w1, {in, hidden}));
    weights.push_back(tensor(d.b1, {hidden}));
    weights.push_back(tensor(d.w2, {hidden, classes}));
    weights.push_back(tensor(d.b2, {classes}));
  }
  std::vector<const runner::HostTensor *> stepInputs() const {
    return {&x, &y, &weights[0], &weights[1], &weights[2], &weights[3], &lr};
  }
};
} // namespace

namespace {
/// One batch size made ready for act: the module with @loss_vjp, the data,
/// the reference and what it says about @loss_vjp's gradients.
struct ActMlp {
  MlpWorkload workload;
  mlir::OwningOpRef<mlir::ModuleOp> module;
  std::unique_ptr<MlpData> data;
  MlpGradients ref;
  /// The reference's weights after one step, w - lr dw.
  std::vector<std::vector<double>> updated;
  double gradientError = NAN, differentiateSeconds = 0;
  /// Why it cannot run, if it cannot.
  std::string failure;
};
} // namespace

/// Parses the example at `w.batch`, differentiates @loss, and checks the
/// gradients of @loss_vjp (compiled once, one thread) against the double
/// reference.
static ActMlp prepareActMlp(const BackwardOptions &o, const MlpWorkload &w,
                            mlir::MLIRContext &context) {
  ActMlp m;
  m.workload = w;
  llvm::Expected<std::string> text = mlpModuleText(w.batch);
  if (!text) {
    m.failure = llvm::toString(text.takeError());
    return m;
  }
  runner::FirstError firstError(&context);
  m.module = mlir::parseSourceString<mlir::ModuleOp>(*text, &context);
  if (!m.module) {
    m.failure = "cannot parse the MLP: " + firstError.str();
    return m;
  }
  double start = wallSeconds();
  mlir::PassManager pm(&context);
  mlir::act::ActDifferentiatePassOptions options;
  options.function = "loss";
  options.wrt = {2, 3, 4, 5};
  pm.addPass(mlir::act::createActDifferentiatePass(options));
  if (failed(pm.run(*m.module))) {
    m.failure = "act-differentiate failed: " + firstError.str();
    return m;
  }
  m.differentiateSeconds = wallSeconds() - start;

  m.data = std::make_unique<MlpData>(w);
  m.ref = mlpReference(w, *m.data);
  const std::vector<double> *gradients[] = {&m.ref.dw1, &m.ref.db1, &m.ref.dw2,
                                            &m.ref.db2};
  const std::vector<float> *weights[] = {&m.data->w1, &m.data->b1, &m.data->w2,
                                         &m.data->b2};
  // w - lr dw from the f32 weights and the learning rate as f32.
  double lr = float(o.learningRate);
  m.updated.resize(4);
  for (size_t i = 0; i < 4; ++i)
    for (size_t j = 0; j < weights[i]->size(); ++j)
      m.updated[i].push_back(double((*weights[i])[j]) -
                             lr * (*gradients[i])[j]);

  runner::CompileOptions compileOptions;
  compileOptions.math = o.math;
  compileOptions.threads = 1;
  auto vjp =
      runner::CompiledFunction::compile(*m.module, "loss_vjp", compileOptions);
  if (!vjp) {
    m.failure = llvm::toString(vjp.takeError());
    return m;
  }
  MlpTensors in(w, *m.data, o.learningRate);
  runner::HostTensor one(runner::ElementKind::f32, {});
  one.set(0, 1.0);
  std::vector<const runner::HostTensor *> args = {
      &in.x,          &in.y, &in.weights[0], &in.weights[1], &in.weights[2],
      &in.weights[3], &one};
  std::vector<runner::HostTensor> out;
  (*vjp)->call(args, &out);
  if (out.size() != 5) {
    m.gradientError = kWrongOutput;
    return m;
  }
  m.gradientError = relativeError(out[0], {m.ref.loss});
  for (size_t i = 0; i < 4; ++i)
    m.gradientError =
        std::max(m.gradientError, relativeError(out[i + 1], *gradients[i]));
  return m;
}

namespace {
/// act's training step of one batch at one thread count, compiled once and
/// measured in every round.
struct ActStep {
  const ActMlp *mlp = nullptr;
  std::unique_ptr<runner::CompiledFunction> step;
  /// The better of the rounds (by median).
  MlpResult result;
};
} // namespace

/// Compiles `m`'s @train_step at `threads` and checks its first step from
/// the initial weights; the result says why if it cannot run.
static ActStep compileActStep(const BackwardOptions &o, const ActMlp &m,
                              int threads) {
  const MlpWorkload &w = m.workload;
  ActStep s;
  s.mlp = &m;
  s.result = MlpResult(w, "act", threads);
  MlpResult &r = s.result;
  auto failed = [&](const std::string &why) {
    r.note = why;
    s.step.reset();
    llvm::errs() << "  " << r.workload << " act " << threads << " thr: " << why
                 << "\n";
    return std::move(s);
  };
  if (!m.failure.empty())
    return failed(m.failure);
  runner::CompileOptions options;
  options.math = o.math;
  options.threads = unsigned(threads);
  auto step =
      runner::CompiledFunction::compile(*m.module, "train_step", options);
  if (!step)
    return failed(llvm::toString(step.takeError()));
  s.step = std::move(*step);
  r.setupSeconds = m.differentiateSeconds + s.step->getPipelineSeconds() +
                   s.step->getJitSeconds();

  MlpTensors in(w, *m.data, o.learningRate);
  std::vector<runner::HostTensor> out;
  s.step->call(in.stepInputs(), &out);
  if (out.size() != 5)
    return failed("@train_step returned " + std::to_string(out.size()) +
                  " results, not 5");
  double stepError = relativeError(out[0], {m.ref.loss});
  for (size_t i = 0; i < 4; ++i)
    stepError = std::max(stepError, relativeError(out[i + 1], m.updated[i]));
  r.error = std::max(m.gradientError, stepError);
  return s;
}

/// Measures `s`'s training loop from the initial weights, keeping the
/// better median of this and any earlier round.
static void timeActStep(const BackwardOptions &o, ActStep &s) {
  if (!s.step)
    return;
  const ActMlp &m = *s.mlp;
  MlpResult &r = s.result;
  // Each step's weights are the last one's results, as in train-mlp.cpp. A
  // step's time includes copying its results out (CompiledFunction::call);
  // `inside` is the compiled function's own share.
  MlpTensors loop(m.workload, *m.data, o.learningRate);
  std::vector<runner::HostTensor> out;
  double inside = 0;
  auto steps = [&] {
    for (int i = 0; i < o.mlpSteps; ++i) {
      double seconds = 0;
      s.step->call(loop.stepInputs(), &out, &seconds);
      inside += seconds;
      for (size_t j = 0; j < 4; ++j)
        loop.weights[j] = std::move(out[j + 1]);
    }
  };
  double cpu = processCpuSeconds(), wall = wallSeconds();
  Measurement t = measure(steps, o.warmup, o.repetitions);
  double total = wallSeconds() - wall;
  double cpuPerWall = (processCpuSeconds() - cpu) / total;
  for (double *v : {&t.min, &t.median, &t.max, &t.first})
    *v /= o.mlpSteps;
  double lastLoss = out[0].get(0);
  if (!std::isfinite(lastLoss))
    r.error = kWrongOutput;
  llvm::errs() << llvm::format("  %-16s act     %2d thr %9.4f ms/step  "
                               "cpu/wall %.2f\n",
                               r.workload.c_str(), r.threads, t.median * 1e3,
                               cpuPerWall);
  if (r.measured && r.time.median <= t.median)
    return;
  r.time = t;
  r.measured = true;
  r.cpuPerWall = cpuPerWall;
  r.note = llvm::formatv("@train_step, act-to-llvm{{threads={0}}, {1} math, "
                         "~{2:f0}% of a step in the compiled function, "
                         "pipeline {3:f2}s + llvm {4:f2}s, loss {5:f3} -> "
                         "{6:f3}",
                         r.threads, mathName(o.math),
                         std::min(100.0, 100.0 * inside / total),
                         s.step->getPipelineSeconds(), s.step->getJitSeconds(),
                         m.ref.loss, lastLoss)
               .str();
}

//===----------------------------------------------------------------------===//
// PyTorch, in a subprocess.
//===----------------------------------------------------------------------===//

static llvm::Error
measureTorchPeers(const BackwardOptions &o, std::vector<Result> &backward,
                  std::vector<MlpResult> &mlp,
                  std::vector<std::pair<std::string, std::string>> &info) {
  llvm::json::Array workloads, mlps;
  for (const BackwardWorkload &w : o.workloads)
    workloads.push_back(llvm::json::Object{{"name", w.name},
                                           {"op", w.op},
                                           {"from_output", w.fromOutput},
                                           {"elements", w.elements}});
  for (const MlpWorkload &w : o.mlps)
    mlps.push_back(llvm::json::Object{{"name", w.name()},
                                      {"batch", w.batch},
                                      {"in", MlpWorkload::kIn},
                                      {"hidden", MlpWorkload::kHidden},
                                      {"classes", MlpWorkload::kClasses}});
  llvm::json::Value request =
      llvm::json::Object{{"backward", std::move(workloads)},
                         {"mlp", std::move(mlps)},
                         {"threads", llvm::json::Array(o.threads)},
                         {"repetitions", o.repetitions},
                         {"warmup", o.warmup},
                         {"mlp_steps", o.mlpSteps},
                         {"lr", o.learningRate}};
  // Not this process's OMP_NUM_THREADS=1 (oneDNN's): torch sets its own.
  llvm::Expected<llvm::json::Value> reply =
      runPeers(o.python, ACT_BENCH_BACKWARD_SCRIPT, request,
               environmentWithout({"OMP_NUM_THREADS"}));
  if (!reply)
    return reply.takeError();
  const llvm::json::Object &root = *reply->getAsObject();
  for (const llvm::json::Object *r : peerRows(root)) {
    std::string name = r->getString("workload").value_or("").str();
    if (auto w = llvm::find_if(
            o.workloads,
            [&](const BackwardWorkload &w) { return w.name == name; });
        w != o.workloads.end()) {
      Result res;
      res.workload = name;
      res.impl = "torch";
      res.shape = std::to_string(w->elements);
      res.bytes = w->bytes();
      res.time = peerTimes(*r, o.repetitions);
      res.error = r->getNumber("error");
      res.note = r->getString("note").value_or("").str();
      res.cpuPerWall = r->getNumber("cpu_per_wall").value_or(NAN);
      llvm::errs() << llvm::format("  %-16s torch   %9.3f ms  %7.2f GB/s  "
                                   "cpu/wall %.2f\n",
                                   name.c_str(), res.time.min * 1e3, res.gbps(),
                                   res.cpuPerWall);
      backward.push_back(std::move(res));
      continue;
    }
    auto w = llvm::find_if(
        o.mlps, [&](const MlpWorkload &w) { return w.name() == name; });
    if (w == o.mlps.end())
      return unknownPeerWorkload(name);
    MlpResult res(*w, "torch", int(r->getInteger("threads").value_or(1)));
    readPeerResult(*r, o.repetitions, res);
    llvm::errs() << llvm::format("  %-16s torch   %2d thr %9.4f ms/step  "
                                 "cpu/wall %.2f\n",
                                 name.c_str(), res.threads,
                                 res.time.median * 1e3, res.cpuPerWall);
    mlp.push_back(std::move(res));
  }
  readPeerInfo(root, info);
  return llvm::Error::success();
}

//===----------------------------------------------------------------------===//
// Reports.
//===----------------------------------------------------------------------===//

/// The faster of oneDNN and PyTorch on `workload`, among correct outputs.
static const Result *bestPeer(const std::vector<Result> &results,
                              llvm::StringRef workload) {
  const Result *best = nullptr;
  for (const Result &r : results)
    if (r.workload == workload && r.impl != "act" &&
        !(r.error && !(*r.error <= kErrorTolerance)) &&
        (!best || r.gbps() > best->gbps()))
      best = &r;
  return best;
}

static std::string yesNo(double value, double target) {
  if (!std::isfinite(value))
    return "-";
  return value >= target ? "yes" : "no";
}

/// The numbers of one backward workload the tables and the JSON share.
namespace {
struct BackwardSummary {
  const Result *act = nullptr, *dnnl = nullptr, *torch = nullptr,
               *best = nullptr;
  double vsPeer = NAN, vsTriad = NAN;
  BackwardSummary(const std::vector<Result> &results, const BackwardWorkload &w,
                  double triad) {
    act = findResult(results, w.name, "act");
    dnnl = findResult(results, w.name, "onednn");
    torch = findResult(results, w.name, "torch");
    best = bestPeer(results, w.name);
    if (act) {
      vsPeer = best ? act->gbps() / best->gbps() : NAN;
      vsTriad = act->gbps() / triad;
    }
  }
};

/// The numbers of one training step (batch and thread count) the tables and
/// the JSON share.
struct MlpSummary {
  const MlpResult *act, *torch;
  /// The median seconds per step, NaN where there is none.
  double actSeconds = NAN, torchSeconds = NAN;
  MlpSummary(const std::vector<MlpResult> &mlp, const MlpWorkload &w,
             int threads)
      : act(findResult(mlp, w.name(), "act", threads)),
        torch(findResult(mlp, w.name(), "torch", threads)) {
    if (act && act->measured)
      actSeconds = act->time.median;
    if (torch && torch->measured)
      torchSeconds = torch->time.median;
  }
};
} // namespace

static void printReport(llvm::raw_ostream &os, const BackwardOptions &o,
                        const Triads &triads, const Peaks &peaks,
                        const std::vector<Result> &backward,
                        const std::vector<MlpResult> &mlp) {
  double triad = triads.gbps();
  if (!o.workloads.empty()) {
    os << "\n== backward activations, 1 thread, " << o.workloads[0].elements
       << " f32 elements; triad";
    for (const TriadBandwidth &t : triads.best)
      os << llvm::format(" %s %.2f", t.impl.c_str(), t.gbps());
    os << " GB/s\n";
    printDetails(os, backward);

    os << "\nsummary (GB/s = 12 bytes per element / min time; peer = the "
          "faster correct one of oneDNN and torch; triad = the better "
          "triad):\n";
    std::vector<std::vector<std::string>> rows = {
        {"workload", "operands", "act", "oneDNN", "torch", "act/peer",
         "act/triad", "peer >= " + fmt(kBackwardPeerTarget, "%.1f"),
         "triad >= " + fmt(kBackwardTriadTarget, "%.2f")}};
    for (const BackwardWorkload &w : o.workloads) {
      BackwardSummary s(backward, w, triad);
      rows.push_back(
          {w.name, w.operands(), fmt(s.act ? s.act->gbps() : NAN),
           fmt(s.dnnl ? s.dnnl->gbps() : NAN),
           fmt(s.torch ? s.torch->gbps() : NAN), fmt(s.vsPeer), fmt(s.vsTriad),
           yesNo(s.vsPeer, kBackwardPeerTarget),
           // Only the memory-bound ones (from the output) have the target.
           w.fromOutput ? yesNo(s.vsTriad, kBackwardTriadTarget) : "n/a"});
    }
    printTable(os, rows, 2);
  }

  if (!o.mlps.empty()) {
    os << "\n== MLP training step (examples/mlp-training: forward, backward, "
          "SGD), time per step from the median of "
       << o.repetitions << " x " << o.mlpSteps << " steps\n";
    std::vector<std::vector<std::string>> rows = {
        {"workload", "impl", "threads", "median ms", "min ms", "GFLOP/s",
         "compile s", "cpu/wall", "error", "note"}};
    for (int t : o.threads)
      for (const MlpWorkload &w : o.mlps)
        for (const char *impl : {"act", "torch"})
          if (const MlpResult *r = findResult(mlp, w.name(), impl, t))
            rows.push_back({r->workload, r->impl, std::to_string(t),
                            r->measured ? milliseconds(r->time.median) : "-",
                            r->measured ? milliseconds(r->time.min) : "-",
                            fmt(r->gflops(), "%.1f"),
                            fmt(r->setupSeconds, "%.3f"), fmt(r->cpuPerWall),
                            r->error ? fmt(*r->error, "%.1e") : "-", r->note});
    printTable(os, rows, 2, /*lastIsText=*/true);

    os << "\nsummary (speedup = torch's median time / act's):\n";
    rows = {{"workload", "threads", "act ms", "torch ms", "speedup",
             ">= " + fmt(kMlpTorchTarget, "%.1f"), "act check"}};
    for (int t : o.threads)
      for (const MlpWorkload &w : o.mlps) {
        MlpSummary s(mlp, w, t);
        const MlpResult *a = s.act;
        double at = s.actSeconds, pt = s.torchSeconds;
        std::string check =
            !a ? "-"
            : !a->measured
                ? "not run"
                : (a->error ? (a->wrong() ? "WRONG" : "ok") : "unchecked");
        rows.push_back({w.name(), std::to_string(t), milliseconds(at),
                        milliseconds(pt), fmt(pt / at),
                        yesNo(pt / at, kMlpTorchTarget), check});
      }
    printTable(os, rows, 1, /*lastIsText=*/true);

    // Threads that had no core of their own show as a peak that does not
    // scale; then the threaded rows measure the other jobs, not the step.
    double one = peaks.at(1);
    for (const auto &[t, g] : peaks.best)
      if (t > 1 && g < 0.8 * t * one)
        os << llvm::format("\nnote: the %d-thread FMA peak is %.2fx the "
                           "1-thread peak, not %dx: other jobs share these "
                           "cores, and the %d-thread rows are not reliable\n",
                           t, g / one, t, t);
  }
}

static llvm::json::Value
jsonReport(const BackwardOptions &o, const Triads &triads, const Peaks &peaks,
           const std::vector<Result> &backward,
           const std::vector<MlpResult> &mlp,
           const std::vector<std::pair<std::string, std::string>> &info) {
  double triad = triads.gbps();
  llvm::json::Object meta{
      {"suite", "backward"},
      {"repetitions", o.repetitions},
      {"warmup", o.warmup},
      {"threads", llvm::json::Array(o.threads)},
      {"mlp_steps_per_repetition", o.mlpSteps},
      {"learning_rate", o.learningRate},
      {"math", mathName(o.math)},
      {"gbps", "12 bytes per element (dy, x or y in; dx out) / min time"},
      {"mlp_time", "per step, median (and min) of the repetitions"},
      {"targets",
       llvm::json::Object{{"backward_vs_best_peer", kBackwardPeerTarget},
                          {"memory_bound_vs_triad", kBackwardTriadTarget},
                          {"mlp_vs_torch", kMlpTorchTarget}}}};
  for (const auto &[key, value] : info)
    meta[key] = value;
  llvm::json::Array triadRows;
  for (const TriadBandwidth &t : triads.best)
    triadRows.push_back(
        llvm::json::Object{{"impl", t.impl},
                           {"floats", t.floats},
                           {"bytes", 12.0 * double(t.floats)},
                           {"min_s", finiteOrNull(t.time.min)},
                           {"median_s", finiteOrNull(t.time.median)},
                           {"gbps", finiteOrNull(t.gbps())}});
  llvm::json::Object machine = hostJson();
  machine["triad"] = std::move(triadRows);
  machine["triad_gbps"] = finiteOrNull(triad);
  llvm::json::Object peakByThreads;
  for (const auto &[t, g] : peaks.best)
    peakByThreads[std::to_string(t)] = finiteOrNull(g);
  machine["peak_gflops"] = std::move(peakByThreads);

  llvm::json::Array workloads, rows, summary;
  for (const BackwardWorkload &w : o.workloads) {
    workloads.push_back(llvm::json::Object{{"name", w.name},
                                           {"op", w.op},
                                           {"from_output", w.fromOutput},
                                           {"elements", w.elements},
                                           {"bytes", w.bytes()}});
    BackwardSummary s(backward, w, triad);
    summary.push_back(llvm::json::Object{
        {"workload", w.name},
        {"act_gbps", finiteOrNull(s.act ? s.act->gbps() : NAN)},
        {"onednn_gbps", finiteOrNull(s.dnnl ? s.dnnl->gbps() : NAN)},
        {"torch_gbps", finiteOrNull(s.torch ? s.torch->gbps() : NAN)},
        {"best_peer", s.best ? llvm::json::Value(s.best->impl) : nullptr},
        {"act_vs_best_peer", finiteOrNull(s.vsPeer)},
        {"act_vs_triad", finiteOrNull(s.vsTriad)},
        {"memory_bound", w.fromOutput},
        {"meets_peer_target",
         std::isfinite(s.vsPeer)
             ? llvm::json::Value(s.vsPeer >= kBackwardPeerTarget)
             : nullptr},
        {"meets_triad_target",
         w.fromOutput && std::isfinite(s.vsTriad)
             ? llvm::json::Value(s.vsTriad >= kBackwardTriadTarget)
             : nullptr}});
  }
  for (const Result &r : backward)
    rows.push_back(llvm::json::Object{
        {"workload", r.workload},
        {"impl", r.impl},
        {"shape", r.shape},
        {"bytes", r.bytes},
        {"repetitions", r.time.repetitions},
        {"min_s", finiteOrNull(r.time.min)},
        {"median_s", finiteOrNull(r.time.median)},
        {"max_s", finiteOrNull(r.time.max)},
        {"first_s", finiteOrNull(r.time.first)},
        {"setup_s", finiteOrNull(r.setupSeconds)},
        {"gbps", finiteOrNull(r.gbps())},
        {"median_gbps", finiteOrNull(r.medianGbps())},
        {"vs_triad", finiteOrNull(r.gbps() / triad)},
        {"cpu_per_wall", finiteOrNull(r.cpuPerWall)},
        {"error", r.error ? finiteOrNull(*r.error) : nullptr},
        {"note", r.note}});

  llvm::json::Array mlps, mlpRows, mlpSummary;
  for (const MlpWorkload &w : o.mlps)
    mlps.push_back(llvm::json::Object{{"name", w.name()},
                                      {"batch", w.batch},
                                      {"in", MlpWorkload::kIn},
                                      {"hidden", MlpWorkload::kHidden},
                                      {"classes", MlpWorkload::kClasses},
                                      {"flops", w.flops()}});
  for (const MlpResult &r : mlp) {
    llvm::json::Object row = r.json();
    row["batch"] = r.batch;
    mlpRows.push_back(std::move(row));
  }
  for (int t : o.threads)
    for (const MlpWorkload &w : o.mlps) {
      MlpSummary s(mlp, w, t);
      const MlpResult *a = s.act;
      double at = s.actSeconds, pt = s.torchSeconds;
      mlpSummary.push_back(llvm::json::Object{
          {"workload", w.name()},
          {"batch", w.batch},
          {"threads", t},
          {"act_s", finiteOrNull(at)},
          {"torch_s", finiteOrNull(pt)},
          {"speedup_vs_torch", finiteOrNull(pt / at)},
          {"meets_target", std::isfinite(pt / at)
                               ? llvm::json::Value(pt / at >= kMlpTorchTarget)
                               : nullptr},
          {"act_correct",
           a && a->error ? llvm::json::Value(!a->wrong()) : nullptr}});
    }
  return llvm::json::Object{{"meta", std::move(meta)},
                            {"machine", std::move(machine)},
                            {"workloads", std::move(workloads)},
                            {"rows", std::move(rows)},
                            {"summary", std::move(summary)},
                            {"mlp_workloads", std::move(mlps)},
                            {"mlp_rows", std::move(mlpRows)},
                            {"mlp_summary", std::move(mlpSummary)}};
}

//===----------------------------------------------------------------------===//
// The suite.
//===----------------------------------------------------------------------===//

int act::bench::runBackwardSuite(const BackwardOptions &o) {
  initOneDnn();
  std::string dnnlInfo = oneDnnVersion();
  llvm::outs() << "act-bench --suite=backward: " << cpuModel() << ", "
               << hostCores() << " cores; " << dnnlInfo << "; MLP threads "
               << joinThreads(o.threads) << "; " << o.repetitions
               << " repetitions after 1 + " << o.warmup << " warm-up calls\n";

  std::vector<Result> backward;
  std::vector<MlpResult> mlp;
  std::vector<std::string> errors, unsupported;
  Triads triads;
  Peaks peaks;

  // The backward kernels, made once over buffers touched once and reused
  // (as the eltwise suite's).
  int64_t n = o.workloads.empty() ? 1 : o.workloads.front().elements;
  Buffer dy(n), source(n), dx(n);
  std::fill(dy.get(), dy.get() + n, 1.0f);
  std::fill(source.get(), source.get() + n, 1.0f);
  std::fill(dx.get(), dx.get() + n, 0.0f);
  struct BackwardKernel {
    const BackwardWorkload *workload;
    std::string impl;
    Kernel kernel;
  };
  std::vector<BackwardKernel> kernels;
  for (const BackwardWorkload &w : o.workloads)
    for (const char *impl : {"onednn", "act"}) {
      std::string why;
      std::optional<Kernel> kernel =
          impl == std::string("act")
              ? makeActBackward(o, w, dy.get(), source.get(), dx.get(), &why)
              : makeOneDnnBackward(w, dy.get(), source.get(), dx.get(), &why);
      if (kernel)
        kernels.push_back({&w, impl, std::move(*kernel)});
      else
        unsupported.push_back(w.name + " (" + impl + "): " + why);
    }

  // And the training steps.
  std::unique_ptr<mlir::MLIRContext> context;
  std::vector<std::unique_ptr<ActMlp>> prepared;
  std::vector<ActStep> steps;
  if (!o.mlps.empty()) {
    llvm::errs() << "compiling act's MLP training steps:\n";
    context = runner::createContext();
    for (const MlpWorkload &w : o.mlps)
      prepared.push_back(
          std::make_unique<ActMlp>(prepareActMlp(o, w, *context)));
    // Thread counts outermost: a threaded pool spinning after its work
    // would slow the single-threaded steps after it.
    for (int t : o.threads)
      for (const std::unique_ptr<ActMlp> &m : prepared)
        steps.push_back(compileActStep(o, *m, t));
  }

  // Everything here in two rounds, before and after PyTorch's process, the
  // better of the two kept: on a shared machine the bandwidth moves over a
  // run, and a peer measured only at another time than act would be
  // compared with another machine.
  auto round = [&](const char *when) {
    if (!o.workloads.empty()) {
      llvm::errs() << "measuring the triad (" << when << "):\n";
      std::vector<TriadBandwidth> measured = measureTriads(
          dx.get(), dy.get(), source.get(), n, o.warmup, o.repetitions);
      for (const TriadBandwidth &t : measured)
        llvm::errs() << llvm::format("  %-12s %7.2f GB/s\n", t.impl.c_str(),
                                     t.gbps());
      triads.add(measured);
      llvm::errs() << "measuring the backward activations (" << when
                   << ", min time):\n";
    }
    const BackwardWorkload *filled = nullptr;
    for (const BackwardKernel &k : kernels) {
      if (filled != k.workload)
        fillBackwardInputs(*k.workload, dy.get(), source.get());
      filled = k.workload;
      // NaN first, so a kernel that writes nothing (or only part) fails
      // the check instead of inheriting the last one's result.
      std::fill(dx.get(), dx.get() + n, NAN);
      Result r = measureBackward(o, *k.workload, k.impl, k.kernel, dy.get(),
                                 source.get(), dx.get());
      const Result *before = findResult(backward, r.workload, r.impl);
      if (!before) {
        backward.push_back(r);
        continue;
      }
      Result &best = backward[before - backward.data()];
      r.error = std::max(*r.error, *best.error);
      if (r.time.min < best.time.min)
        best = r;
      else
        best.error = r.error;
    }
    if (!steps.empty()) {
      peaks.measure(o.threads);
      llvm::errs() << "measuring act's MLP training step (" << when
                   << ", median time):\n";
      for (ActStep &s : steps)
        timeActStep(o, s);
    }
  };
  round("before PyTorch");

  std::vector<std::pair<std::string, std::string>> info = {
      {"onednn", dnnlInfo}, {"onednn_runtime", oneDnnRuntime()}};
  std::vector<MlpResult> torchSteps;
  if (!o.python.empty()) {
    llvm::errs() << "measuring PyTorch (" << o.python << "):\n";
    if (llvm::Error e = measureTorchPeers(o, backward, torchSteps, info))
      errors.push_back(llvm::toString(std::move(e)));
  }
  round("after PyTorch");
  for (const ActStep &s : steps)
    mlp.push_back(s.result);
  mlp.insert(mlp.end(), torchSteps.begin(), torchSteps.end());

  if (!steps.empty() && !llvm::is_contained(o.threads, 1))
    peaks.measure({1});
  printReport(llvm::outs(), o, triads, peaks, backward, mlp);
  printNotes(llvm::outs(), "unsupported", unsupported);
  bool wrong = false;
  auto reportWrong = [&](const std::string &what, double error) {
    if (!wrong)
      llvm::outs() << "\nWRONG OUTPUT (against the double reference):\n";
    wrong = true;
    llvm::outs() << "  " << what << ": error " << fmt(error, "%.3g") << "\n";
  };
  for (const Result &r : backward)
    if (r.error && !(*r.error <= kErrorTolerance))
      reportWrong(r.workload + " (" + r.impl + ")", *r.error);
  for (const MlpResult &r : mlp)
    if (r.wrong())
      reportWrong(r.workload + " (" + r.impl + ", " +
                      std::to_string(r.threads) + " thread" +
                      (r.threads == 1 ? "" : "s") + ")",
                  *r.error);
  for (const MlpResult &r : mlp)
    if (r.impl == "act" && !r.measured)
      errors.push_back(r.workload + " (act, " + std::to_string(r.threads) +
                       " threads) did not run: " + r.note);
  for (const Result &r : backward)
    if (r.cpuPerWall > 1.2)
      llvm::outs() << llvm::format("\nnote: %s (%s) used %.2f CPUs\n",
                                   r.workload.c_str(), r.impl.c_str(),
                                   r.cpuPerWall);

  // The JSON, and from it the chart.
  return finishSuite(jsonReport(o, triads, peaks, backward, mlp, info),
                     o.jsonFile, o.chartFile, o.chartPython,
                     ACT_BENCH_BACKWARD_CHART_SCRIPT, "act-bench-backward",
                     errors, wrong);
}
