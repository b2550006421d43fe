//===- act-bench.cpp - act's kernels against copy and oneDNN --------------===//
//
// One command: measures copy bandwidth and every workload with every
// implementation in the same run, prints a per-measurement table and a
// per-workload summary, and optionally writes JSON. f32. Four suites:
// --suite=eltwise (the default; single thread): the activations alone;
// --suite=dense (DenseSuite.cpp): dense layers and a SwiGLU FFN at 1 thread
// and all cores, against the FMA peak measured in the same run;
// --suite=backward (BackwardSuite.cpp): the backward activations against a
// triad measured in the same run, and the MLP training step against
// PyTorch eager autograd;
// --suite=attention (AttentionSuite.cpp): attention scores and full
// attention (matmul, act.softmax, matmul) at 1 thread and all cores, against
// oneDNN, PyTorch, IREE and the FMA peak measured in the same run.
//
//===----------------------------------------------------------------------===//

#include "Act.h"
#include "AttentionSuite.h"
#include "BackwardSuite.h"
#include "Bench.h"
#include "DenseSuite.h"
#include "Machine.h"
#include "OneDnn.h"
#include "Torch.h"

#include "act/Pipelines/Pipelines.h"
#include "act/Runner/Runner.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/Regex.h"
#include "llvm/Support/raw_ostream.h"

#include <cmath>
#include <cstdlib>
#include <ctime>
#include <fstream>
#include <memory>

using namespace act::bench;
namespace cl = llvm::cl;

static cl::OptionCategory benchCategory("act-bench options");

static cl::opt<int> repetitions("repetitions", cl::cat(benchCategory),
                                cl::desc("Timed calls per measurement"),
                                cl::init(10));
static cl::opt<int> warmup("warmup", cl::cat(benchCategory),
                           cl::desc("Untimed calls after the first call"),
                           cl::init(2));
static cl::opt<std::string> jsonFile("json", cl::cat(benchCategory),
                                     cl::desc("Write all results as JSON here"),
                                     cl::value_desc("file"));
static cl::opt<std::string>
    filter("filter", cl::cat(benchCategory),
           cl::desc("Run only workloads whose name matches this"),
           cl::value_desc("regex"));
static cl::opt<int64_t>
    size("size", cl::cat(benchCategory),
         cl::desc("Elements of the elementwise workloads and copies"),
         cl::init(16 * 1024 * 1024));
static cl::opt<std::string>
    torchPython("torch", cl::cat(benchCategory),
                cl::desc("A python with torch, to measure PyTorch's kernels "
                         "too (default: the project's .venv if present; "
                         "'none' to skip)"),
                cl::value_desc("PYTHON"), cl::init("auto"));
static cl::opt<mlir::act::math::MathMode>
    mathMode("math", cl::cat(benchCategory),
             cl::desc("act's transcendentals (act-to-llvm's math option)"),
             mlir::act::mathModeValues(),
             cl::init(mlir::act::math::MathMode::precise));
static cl::opt<bool> list("list", cl::cat(benchCategory),
                          cl::desc("List the workloads and exit"));

namespace {
enum class Suite { eltwise, dense, backward, attention };
} // namespace

static cl::opt<Suite>
    suite("suite", cl::cat(benchCategory), cl::desc("What to measure"),
          cl::values(clEnumValN(Suite::eltwise, "eltwise",
                                "the activations alone, one thread (default)"),
                     clEnumValN(Suite::dense, "dense",
                                "dense layers act(X W + b) and a SwiGLU FFN"),
                     clEnumValN(Suite::backward, "backward",
                                "the backward activations and the MLP "
                                "training step"),
                     clEnumValN(Suite::attention, "attention",
                                "attention scores softmax(Q K^T / sqrt d) "
                                "and full attention (times V)")),
          cl::init(Suite::eltwise));

// The dense suite's own options (--threads and --chart also the backward
// suite's; --threads, --impls, --compile-timeout, --run-timeout and --chart
// also the attention suite's).
static cl::OptionCategory denseCategory("act-bench --suite=dense options");
static cl::OptionCategory
    backwardCategory("act-bench --suite=backward options (and --threads, "
                     "--chart)");
static cl::OptionCategory attentionCategory(
    "act-bench --suite=attention options (and --threads, --impls, "
    "--compile-timeout, --run-timeout, --chart)");
/// --threads, registered in main rather than at static initialization so
/// that libLLVM's own option of that name is released first.
static cl::opt<std::string> &threadsOption() {
  static cl::opt<std::string> *threads = [] {
    mlir::act::runner::releaseLLVMThreadsOption();
    return new cl::opt<std::string>(
        "threads", cl::cat(denseCategory),
        cl::desc("Thread counts, comma-separated; N = all cores (the "
                 "backward suite: of the MLP training step)"),
        cl::value_desc("list"), cl::init("1,N"));
  }();
  return *threads;
}
static cl::opt<std::string> denseShapes(
    "dense-shapes", cl::cat(denseCategory),
    cl::desc("The dense layers' shapes MxKxN (X: MxK, W: KxN), each with "
             "every activation"),
    cl::value_desc("list"),
    cl::init("512x768x3072,512x3072x768,1024x1024x1024,128x4096x4096,"
             "64x256x256,1x4096x4096"));
static cl::opt<std::string> swigluShapes(
    "swiglu-shapes", cl::cat(denseCategory),
    cl::desc("The SwiGLU FFNs' shapes MxDxH (X: MxD, W1, W3: DxH, W2: HxD); "
             "empty for none"),
    cl::value_desc("list"), cl::init("512x768x2048"));
static cl::opt<std::string>
    impls("impls", cl::cat(denseCategory),
          cl::desc("The implementations to run, comma-separated, of onednn, "
                   "onednn_any, act, torch, torch_compile, numpy, iree "
                   "(--suite=dense) or onednn, act, torch, torch_sdpa, "
                   "torch_compile, iree (--suite=attention) (default: all; "
                   "--torch=none drops the Python ones)"),
          cl::value_desc("list"), cl::init("all"));
static cl::opt<unsigned> compileTimeout(
    "compile-timeout", cl::cat(denseCategory),
    cl::desc("Seconds act may take to compile a kernel before its row says "
             "'compile timeout'"),
    cl::init(120));
static cl::opt<unsigned>
    runTimeout("run-timeout", cl::cat(denseCategory),
               cl::desc("Seconds act's compiled kernel may take to be "
                        "measured"),
               cl::init(600));
static cl::opt<std::string>
    chartFile("chart", cl::cat(denseCategory),
              cl::desc("Draw the suite's results here (PNG; needs "
                       "matplotlib)"),
              cl::value_desc("file.png"));

// The attention suite's own options.
static cl::opt<std::string> attentionShapes(
    "attention-shapes", cl::cat(attentionCategory),
    cl::desc("The attention shapes, LxSxd (one head, 2-D) or HxLxSxd (H "
             "heads, 3-D), each as scores and as full attention"),
    cl::value_desc("list"), cl::init(kDefaultAttentionShapes));

// The backward suite's own options.
static cl::opt<std::string>
    mlpBatches("mlp-batches", cl::cat(backwardCategory),
               cl::desc("Batch sizes of the MLP training step, "
                        "comma-separated; empty for none"),
               cl::value_desc("list"), cl::init("32,256"));
static cl::opt<int> mlpSteps("mlp-steps", cl::cat(backwardCategory),
                             cl::desc("Training steps per timed repetition"),
                             cl::init(20));

// The child process measuring one act kernel (DenseSuite.cpp).
static cl::opt<std::string> actWorker("act-worker", cl::cat(denseCategory),
                                      cl::ReallyHidden);
static cl::opt<std::string>
    actWorkerOut("act-worker-out", cl::cat(denseCategory), cl::ReallyHidden);
static cl::opt<int> actWorkerThreads("act-worker-threads",
                                     cl::cat(denseCategory), cl::ReallyHidden,
                                     cl::init(1));

namespace {
/// An implementation under test: makes its kernel for a workload over the
/// given buffers, or nullopt (setting the reason) if it has none. `name` is
/// the impl column ("onednn", "act") the summary reads.
struct Provider {
  std::string name;
  std::function<std::optional<Kernel>(const Workload &, const float *in,
                                      float *out, std::string *why)>
      make;
};
} // namespace

/// The implementations besides the copies, in column order.
static std::vector<Provider> providers() {
  return {
      {"onednn", makeOneDnn},
      {"act",
       [](const Workload &w, const float *in, float *out, std::string *why) {
         return makeAct(w, in, out, why, mathMode);
       }},
  };
}

/// Runs `kernel` and records it as `impl` on `workload`.
static Result run(const std::string &workload, const std::string &shape,
                  double bytes, const std::string &impl, const Kernel &kernel) {
  Result r;
  r.workload = workload;
  r.impl = impl;
  r.shape = shape;
  r.bytes = bytes;
  r.setupSeconds = kernel.setupSeconds;
  r.note = kernel.note;
  r.time = measure(kernel.run, warmup, repetitions, r.cpuPerWall);
  llvm::errs() << llvm::format("  %-22s %-12s %9.3f ms  %7.2f GB/s  cpu/wall "
                               "%.2f\n",
                               workload.c_str(), impl.c_str(), r.time.min * 1e3,
                               r.gbps(), r.cpuPerWall);
  return r;
}

/// The Python of the peers: the project's venv, "" for none.
static std::string peerPython() {
  if (torchPython == "none")
    return "";
  return torchPython == "auto" ? defaultTorchPython() : torchPython.getValue();
}

/// --threads into `threads` (N: all cores, each count once); false after
/// saying what is wrong.
static bool parseThreads(std::vector<int> &threads) {
  llvm::SmallVector<llvm::StringRef> items;
  llvm::StringRef(threadsOption().getValue()).split(items, ',', -1, false);
  for (llvm::StringRef item : items) {
    int t = 0;
    if (item.trim() == "N")
      t = hostCores();
    else if (item.trim().getAsInteger(10, t) || t < 1) {
      llvm::errs() << "act-bench: bad --threads entry '" << item << "'\n";
      return false;
    }
    if (!llvm::is_contained(threads, t))
      threads.push_back(t);
  }
  if (threads.empty()) {
    llvm::errs() << "act-bench: --threads is empty\n";
    return false;
  }
  return true;
}

/// --filter as a regex (none: matches everything); nullopt after saying
/// what is wrong.
static std::optional<llvm::Regex> filterRegex() {
  llvm::Regex re(filter.empty() ? std::string(".*") : filter.getValue());
  std::string error;
  if (!re.isValid(error)) {
    llvm::errs() << "act-bench: bad --filter: " << error << "\n";
    return std::nullopt;
  }
  return re;
}

/// The options of the dense, backward and attention suites that every one of
/// them takes, into `o`.
template <typename Options>
static void setSuiteOptions(Options &o) {
  o.repetitions = repetitions;
  o.warmup = warmup;
  o.math = mathMode;
  o.jsonFile = jsonFile;
  o.chartFile = chartFile;
  o.python = peerPython();
  // The chart needs matplotlib, not torch: the venv's python even with
  // --torch=none.
  o.chartPython = o.python.empty() ? defaultTorchPython() : o.python;
}

/// --suite=backward: the options into BackwardOptions, then the suite.
static int runBackward() {
  BackwardOptions o;
  setSuiteOptions(o);
  if (mlpSteps < 1) {
    llvm::errs() << "act-bench: need --mlp-steps >= 1\n";
    return 1;
  }
  o.mlpSteps = mlpSteps;
  if (!parseThreads(o.threads))
    return 1;
  llvm::SmallVector<llvm::StringRef> items;
  llvm::StringRef(mlpBatches).split(items, ',', -1, false);
  for (llvm::StringRef item : items) {
    int64_t batch = 0;
    if (item.trim().getAsInteger(10, batch) || batch < 1) {
      llvm::errs() << "act-bench: bad --mlp-batches entry '" << item
                   << "' (want a batch size of at least 1)\n";
      return 1;
    }
    if (llvm::none_of(o.mlps,
                      [&](const MlpWorkload &w) { return w.batch == batch; }))
      o.mlps.push_back(MlpWorkload{batch});
  }
  o.workloads = backwardWorkloads(size);
  std::optional<llvm::Regex> re = filterRegex();
  if (!re)
    return 1;
  llvm::erase_if(o.workloads,
                 [&](const BackwardWorkload &w) { return !re->match(w.name); });
  llvm::erase_if(o.mlps,
                 [&](const MlpWorkload &w) { return !re->match(w.name()); });
  if (list) {
    for (const BackwardWorkload &w : o.workloads) {
      std::string dnnl = oneDnnBackwardAlgorithm(w);
      llvm::outs() << llvm::format("%-16s %-6s %10lld  %s\n", w.name.c_str(),
                                   w.operands().c_str(), (long long)w.elements,
                                   dnnl.empty() ? "-" : dnnl.c_str());
    }
    for (const MlpWorkload &w : o.mlps)
      llvm::outs() << llvm::format(
          "%-16s %lldx%lldx%lldx%lld %8.3f "
          "GFLOP/step\n",
          w.name().c_str(), (long long)w.batch, (long long)MlpWorkload::kIn,
          (long long)MlpWorkload::kHidden, (long long)MlpWorkload::kClasses,
          w.flops() * 1e-9);
    return 0;
  }
  if (o.workloads.empty() && o.mlps.empty()) {
    llvm::errs() << "act-bench: nothing to measure (--filter and "
                    "--mlp-batches leave no workload)\n";
    return 1;
  }
  return runBackwardSuite(o);
}

/// --impls into `out`, each one of `known` ("all": every one of them);
/// false after saying what is wrong.
static bool parseImpls(llvm::ArrayRef<const char *> known,
                       std::vector<std::string> &out) {
  llvm::SmallVector<llvm::StringRef> items;
  llvm::StringRef(impls).split(items, ',', -1, false);
  for (llvm::StringRef item : items) {
    item = item.trim();
    if (item == "all") {
      out.assign(known.begin(), known.end());
      continue;
    }
    if (!llvm::is_contained(known, item)) {
      llvm::errs() << "act-bench: unknown implementation '" << item
                   << "' in --impls\n";
      return false;
    }
    if (!llvm::is_contained(out, item))
      out.push_back(item.str());
  }
  return true;
}

/// The options the dense and attention suites share into `o`, `known` their
/// implementations; false after saying what is wrong.
static bool setFlopsSuiteOptions(FlopsSuiteOptions &o, const char *argv0,
                                 llvm::ArrayRef<const char *> known) {
  setSuiteOptions(o);
  o.copyFloats = size;
  o.compileTimeout = compileTimeout;
  o.runTimeout = runTimeout;
  o.self = llvm::sys::fs::getMainExecutable(
      argv0, reinterpret_cast<void *>(&peerPython));
  return parseThreads(o.threads) && parseImpls(known, o.impls);
}

/// --suite=attention: the options into AttentionOptions, then the suite.
static int runAttention(const char *argv0) {
  AttentionOptions o;
  if (!setFlopsSuiteOptions(o, argv0, attentionImpls()))
    return 1;
  auto shapes = parseAttentionShapes(attentionShapes);
  if (!shapes) {
    llvm::errs() << "act-bench: " << llvm::toString(shapes.takeError()) << "\n";
    return 1;
  }
  o.workloads = attentionWorkloads(*shapes);
  std::optional<llvm::Regex> re = filterRegex();
  if (!re)
    return 1;
  llvm::erase_if(o.workloads, [&](const AttentionWorkload &w) {
    return !re->match(w.name);
  });
  if (list) {
    for (const AttentionWorkload &w : o.workloads) {
      std::string q = llvm::join(
          llvm::map_range(w.qShape(),
                          [](int64_t d) { return std::to_string(d); }),
          "x");
      llvm::outs() << llvm::format(
          "%-26s %-9s %-3s Q %-10s %8.3f GFLOP\n", w.name.c_str(), w.kind(),
          w.batched() ? "3-D" : "2-D", q.c_str(), w.flops() * 1e-9);
    }
    return 0;
  }
  if (o.workloads.empty()) {
    llvm::errs() << "act-bench: nothing to measure (--filter and "
                    "--attention-shapes leave no workload)\n";
    return 1;
  }
  if (o.impls.empty()) {
    llvm::errs() << "act-bench: --impls is empty\n";
    return 1;
  }
  return runAttentionSuite(o);
}

/// --suite=dense: the options into DenseOptions, then the suite.
static int runDense(const char *argv0) {
  DenseOptions o;
  if (!setFlopsSuiteOptions(o, argv0, denseImpls()))
    return 1;
  auto dense = parseShapes(denseShapes);
  auto swiglu = parseShapes(swigluShapes);
  for (auto *shapes : {&dense, &swiglu})
    if (!*shapes) {
      llvm::errs() << "act-bench: " << llvm::toString(shapes->takeError())
                   << "\n";
      return 1;
    }
  o.workloads = denseWorkloads(*dense, *swiglu);
  std::optional<llvm::Regex> re = filterRegex();
  if (!re)
    return 1;
  llvm::erase_if(o.workloads,
                 [&](const DenseWorkload &w) { return !re->match(w.name); });
  if (list) {
    for (const DenseWorkload &w : o.workloads)
      llvm::outs() << llvm::format("%-24s %10.3f GFLOP\n", w.name.c_str(),
                                   w.flops() * 1e-9);
    return 0;
  }
  return runDenseSuite(o);
}

int main(int argc, char **argv) {
  llvm::InitLLVM init(argc, argv);
  threadsOption();
  // libLLVM registers hundreds of options of its own; show only ours.
  cl::HideUnrelatedOptions(
      {&benchCategory, &denseCategory, &backwardCategory, &attentionCategory});
  cl::ParseCommandLineOptions(
      argc, argv,
      "act-bench: act's kernels against memcpy, streaming copy, oneDNN, "
      "PyTorch and (--suite=dense, --suite=attention) IREE\n");
  // --threads and --chart belong to both suites that take them.
  threadsOption().addCategory(backwardCategory);
  chartFile.addCategory(backwardCategory);
  for (cl::Option *o : std::initializer_list<cl::Option *>{
           &threadsOption(), &impls, &compileTimeout, &runTimeout, &chartFile})
    o->addCategory(attentionCategory);
  if (size < 1 || repetitions < 1 || warmup < 0) {
    llvm::errs() << "act-bench: need --size >= 1, --repetitions >= 1 and "
                    "--warmup >= 0\n";
    return 1;
  }
  if (!actWorker.empty())
    return suite == Suite::attention
               ? runAttentionActWorker(actWorker, actWorkerThreads,
                                       actWorkerOut, repetitions, warmup,
                                       mathMode)
               : runActWorker(actWorker, actWorkerThreads, actWorkerOut,
                              repetitions, warmup, mathMode);
  // An option of another suite is a mistake, not something to ignore.
  auto refuse = [](std::initializer_list<cl::Option *> options,
                   const char *suites) {
    for (cl::Option *o : options)
      if (o->getNumOccurrences()) {
        llvm::errs() << "act-bench: --" << o->ArgStr << " is an option of "
                     << suites << "\n";
        return true;
      }
    return false;
  };
  if (suite != Suite::backward &&
      refuse({&mlpBatches, &mlpSteps}, "--suite=backward"))
    return 1;
  if (suite != Suite::dense &&
      refuse({&denseShapes, &swigluShapes}, "--suite=dense"))
    return 1;
  if (suite != Suite::attention &&
      refuse({&attentionShapes}, "--suite=attention"))
    return 1;
  if (suite != Suite::dense && suite != Suite::attention &&
      refuse({&impls, &compileTimeout, &runTimeout},
             "--suite=dense and --suite=attention"))
    return 1;
  if (suite == Suite::dense)
    return runDense(argv[0]);
  if (suite == Suite::attention)
    return runAttention(argv[0]);
  if (suite == Suite::backward)
    return runBackward();
  if (refuse({&threadsOption(), &chartFile},
             "--suite=dense and --suite=backward (and --suite=attention)"))
    return 1;

  std::vector<Workload> workloads = allWorkloads(size);
  std::optional<llvm::Regex> re = filterRegex();
  if (!re)
    return 1;
  llvm::erase_if(workloads,
                 [&](const Workload &w) { return !re->match(w.name); });
  if (list) {
    for (const Workload &w : workloads) {
      std::string dnnl = oneDnnAlgorithm(w);
      llvm::outs() << llvm::format("%-22s %-12s %s\n", w.name.c_str(),
                                   w.shapeString().c_str(),
                                   dnnl.empty() ? "-" : dnnl.c_str());
    }
    return 0;
  }

  // Before anything else touches oneDNN (or its OpenMP runtime).
  std::string dnnlInfo = initOneDnn();

  // All buffers once, touched up front and reused by every kernel: first
  // touch of a page costs far more than any kernel's pass over it here.
  int64_t capacity = size;
  for (const Workload &w : workloads)
    capacity = std::max(capacity, w.elements());
  Buffer in(capacity), out(capacity);
  // Deterministic values in [-10, 10): both sides of every kink, the tails
  // of the smooth ops, and rows that softmax has to rescale.
  fillUniform(in.get(), capacity, 0x9e3779b97f4a7c15ull, 10.0f);
  std::fill(out.get(), out.get() + capacity, 0.0f);

  llvm::outs() << "act-bench: " << cpuModel() << "; " << dnnlInfo << "; "
               << repetitions << " repetitions after 1 + " << warmup
               << " warm-up calls\n";

  std::vector<Result> results;
  llvm::errs() << "measuring (min time):\n";
  // Copies of every size a workload moves (at the default --size, all are
  // 16M floats), for the summary's copy column.
  std::vector<int64_t> copySizes;
  for (const Workload &w : workloads)
    if (!llvm::is_contained(copySizes, w.elements()))
      copySizes.push_back(w.elements());
  if (copySizes.empty())
    copySizes.push_back(size);
  for (int64_t n : copySizes) {
    results.push_back(run("copy", std::to_string(n), 2.0 * 4.0 * n, "memcpy",
                          makeMemcpy(in.get(), out.get(), n)));
    results.push_back(run("copy", std::to_string(n), 2.0 * 4.0 * n,
                          "stream_copy",
                          makeStreamCopy(in.get(), out.get(), n)));
  }

  std::vector<std::string> unsupported;
  for (const Workload &w : workloads) {
    for (const Provider &p : providers()) {
      // NaN in the output first, so a kernel that writes nothing (or only
      // part) fails the check instead of inheriting the last one's result.
      std::fill(out.get(), out.get() + w.elements(), NAN);
      std::string why;
      std::optional<Kernel> kernel = p.make(w, in.get(), out.get(), &why);
      if (!kernel) {
        unsupported.push_back(w.name + " (" + p.name + "): " + why);
        continue;
      }
      Result r = run(w.name, w.shapeString(), w.bytes(), p.name, *kernel);
      r.error = checkOutput(w, in.get(), out.get());
      results.push_back(r);
    }
  }

  // PyTorch last, in a subprocess, on the same workloads.
  std::string python = peerPython();
  if (!python.empty()) {
    llvm::errs() << "measuring PyTorch (" << python << "):\n";
    auto torch = measureTorch(python, workloads, repetitions, warmup);
    if (!torch) {
      llvm::errs() << "act-bench: error: " << llvm::toString(torch.takeError())
                   << "\n";
      return 1;
    }
    results.insert(results.end(), torch->begin(), torch->end());
  }

  llvm::outs() << "\n";
  printDetails(llvm::outs(), results);
  llvm::outs() << "\n";
  printSummary(llvm::outs(), workloads, results);
  printNotes(llvm::outs(), "unsupported", unsupported);

  bool wrong = false;
  for (const Result &r : results)
    if (r.error && *r.error > kErrorTolerance) {
      if (!wrong)
        llvm::outs() << "\nWRONG OUTPUT (error > " << kErrorTolerance
                     << " against act's reference):\n";
      wrong = true;
      llvm::outs() << llvm::format("  %s (%s): error %.3g\n",
                                   r.workload.c_str(), r.impl.c_str(),
                                   *r.error);
    }

  // The suite is single-threaded by intent; say so if a kernel was not.
  for (const Result &r : results)
    if (r.cpuPerWall > 1.2)
      llvm::outs() << llvm::format("\nnote: %s (%s) used %.2f CPUs\n",
                                   r.workload.c_str(), r.impl.c_str(),
                                   r.cpuPerWall);

  if (!jsonFile.empty()) {
    std::error_code ec;
    llvm::raw_fd_ostream os(jsonFile, ec, llvm::sys::fs::OF_Text);
    if (ec) {
      llvm::errs() << "act-bench: cannot write " << jsonFile << ": "
                   << ec.message() << "\n";
      return 1;
    }
    writeJson(os,
              {{"cpu", cpuModel()},
               {"onednn", dnnlInfo},
               {"repetitions", std::to_string(repetitions)},
               {"warmup", std::to_string(warmup)},
               {"eltwise_size", std::to_string(size)},
               {"math", mathName(mathMode)},
               {"gbps", "(input + output bytes) / min time"}},
              results);
  }
  return wrong ? 2 : 0;
}
