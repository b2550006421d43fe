//===- DenseSuite.cpp - act-bench --suite=dense ---------------------------===//
//
// Dense layers, Y = act(X W + b), and a SwiGLU FFN, by
//  - act: the kernel of act's pipeline,
//
//      func.func @k(%x: tensor<MxK> {bufferization.writable = false},
//                   %w: tensor<KxN> ..., %b: tensor<N> ...,
//                   %out: memref<MxN>) {
//        linalg.fill + linalg.matmul, linalg.broadcast of %b, arith.addf,
//        act.gelu / act.relu / act.silu,
//        bufferization.materialize_in_destination into %out
//      }
//
//    compiled by compileAct (act-to-llvm, runner::jitLoweredModule) in a
//    child process with a compile timeout, because act's matmul code
//    generation may still crash or take minutes; the child measures it and
//    sends back its times and Y;
//  - oneDNN's matmul with bias and eltwise post-ops, weights as given and in
//    its preferred layout;
//  - Python peers (dense_peers.py): PyTorch eager and torch.compile,
//    numpy/OpenBLAS, IREE;
// at every thread count, next to the FMA peak and copy bandwidth measured in
// the same run at the same thread count.
//
//===----------------------------------------------------------------------===//

#include "DenseSuite.h"

#include "Act.h"
#include "ActWorker.h"
#include "Bench.h"
#include "Machine.h"
#include "OneDnn.h"
#include "Torch.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/raw_ostream.h"

#include <algorithm>
#include <cmath>
#include <cstring>

using namespace act::bench;

llvm::ArrayRef<const char *> act::bench::denseImpls() {
  static const char *const impls[] = {
      "onednn", "onednn_any", "act", "torch", "torch_compile", "numpy", "iree"};
  return impls;
}

namespace {
/// One implementation on one workload at one thread count.
struct DenseResult {
  std::string workload, impl;
  int threads = 1;
  double flops = 0;
  /// False when it did not run (see note).
  bool measured = false;
  Measurement time;
  /// Compile or primitive-creation time, outside the timing.
  double setupSeconds = NAN;
  double cpuPerWall = NAN;
  /// Against the double reference on the checked rows (Dense.h).
  std::optional<double> error;
  /// max |Y - Y_oneDNN| / max |Y_oneDNN| over all of Y, against oneDNN
  /// with the weights as given at the same thread count.
  std::optional<double> vsOneDnn;
  std::string note;

  /// From the median: a dense kernel runs for milliseconds, where the
  /// median is robust to the other jobs of a shared machine and the
  /// minimum is a lucky draw.
  double gflops() const { return measured ? flops / time.median * 1e-9 : NAN; }
  double minGflops() const { return measured ? flops / time.min * 1e-9 : NAN; }
  bool wrong() const {
    return (error && !(*error <= kDenseTolerance)) ||
           (vsOneDnn && !(*vsOneDnn <= kDenseTolerance));
  }
};

/// The inputs of `w`, allocated, filled and kept for the workload's runs.
struct DenseData {
  std::vector<std::unique_ptr<Buffer>> buffers;
  std::vector<const float *> inputs;
  explicit DenseData(const DenseWorkload &w) {
    std::vector<DenseInput> specs = denseInputs(w);
    for (size_t i = 0; i < specs.size(); ++i) {
      buffers.push_back(std::make_unique<Buffer>(specs[i].elements()));
      fillDenseInput(w, i, buffers.back()->get());
      inputs.push_back(buffers.back()->get());
    }
  }
};
} // namespace

static bool wanted(const DenseOptions &o, llvm::StringRef impl) {
  return llvm::is_contained(o.impls, impl);
}

//===----------------------------------------------------------------------===//
// act, in a child process.
//===----------------------------------------------------------------------===//

int act::bench::runActWorker(llvm::StringRef name, int threads,
                             llvm::StringRef outFile, int repetitions,
                             int warmup, mlir::act::math::MathMode math) {
  std::optional<DenseWorkload> w = parseDenseWorkload(name);
  if (!w) {
    sayToParent("failed unknown dense workload '" + name.str() + "'");
    return 1;
  }
  DenseData data(*w);
  Buffer out(w->outElements());
  std::fill(out.get(), out.get() + w->outElements(), NAN);
  std::vector<std::pair<const void *, std::vector<int64_t>>> args;
  std::vector<DenseInput> specs = denseInputs(*w);
  for (size_t i = 0; i < specs.size(); ++i)
    args.push_back({data.inputs[i], specs[i].shape});
  args.push_back({out.get(), {w->outRows(), w->outCols()}});
  return serveActWorker(denseActModuleText(*w), args, out.get(),
                        w->outElements(), threads, outFile, repetitions, warmup,
                        math);
}

/// act's kernel for `w` at `threads`, compiled and measured by a child
/// process (ActWorker.h); Y lands in `out`.
static DenseResult measureAct(const DenseOptions &o, const DenseWorkload &w,
                              int threads, float *out) {
  DenseResult r;
  r.workload = w.name;
  r.impl = "act";
  r.threads = threads;
  r.flops = w.flops();
  ActChildRequest request;
  request.self = o.self;
  request.args = {"--act-worker=" + w.name};
  request.threads = threads;
  request.repetitions = o.repetitions;
  request.warmup = o.warmup;
  request.math = o.math;
  request.compileTimeout = o.compileTimeout;
  request.runTimeout = o.runTimeout;
  request.out = out;
  request.outFloats = w.outElements();
  ActChildResult child = runActChild(request);
  r.measured = child.measured;
  r.time = child.time;
  r.setupSeconds = child.setupSeconds;
  r.cpuPerWall = child.cpuPerWall;
  r.note = child.note;
  return r;
}

//===----------------------------------------------------------------------===//
// oneDNN, in this process.
//===----------------------------------------------------------------------===//

static DenseResult measureOneDnn(const DenseOptions &o, const DenseWorkload &w,
                                 const DenseData &data, int threads,
                                 bool preferred, float *out) {
  DenseResult r;
  r.workload = w.name;
  r.impl = preferred ? "onednn_any" : "onednn";
  r.threads = threads;
  r.flops = w.flops();
  if (!setOneDnnThreads(threads)) {
    r.note = "cannot set oneDNN's threads (" + oneDnnRuntime() + " runtime)";
    return r;
  }
  std::string why;
  std::optional<Kernel> kernel =
      makeOneDnnDense(w, data.inputs, out, preferred, &why);
  if (!kernel) {
    r.note = why;
    return r;
  }
  r.setupSeconds = kernel->setupSeconds;
  r.note = kernel->note + ", " + oneDnnRuntime() + " " +
           std::to_string(threads) + " thread" + (threads == 1 ? "" : "s");
  double cpu = processCpuSeconds(), wall = wallSeconds();
  r.time = measure(kernel->run, o.warmup, o.repetitions);
  r.cpuPerWall = (processCpuSeconds() - cpu) / (wallSeconds() - wall);
  r.measured = true;
  return r;
}

//===----------------------------------------------------------------------===//
// Python peers.
//===----------------------------------------------------------------------===//

/// Runs dense_peers.py for `impls` (those wanted) under `env`, appending its
/// rows to `results` and its notes to `skipped` and `info`.
static llvm::Error
measurePython(const DenseOptions &o, llvm::ArrayRef<const char *> impls,
              const std::vector<std::string> &env,
              std::vector<DenseResult> &results,
              std::vector<std::string> &skipped,
              std::vector<std::pair<std::string, std::string>> &info) {
  llvm::json::Array want;
  for (const char *impl : impls)
    if (wanted(o, impl))
      want.push_back(impl);
  if (want.empty())
    return llvm::Error::success();
  llvm::json::Array workloads;
  for (const DenseWorkload &w : o.workloads)
    workloads.push_back(llvm::json::Object{
        {"name", w.name},
        {"act", w.act},
        {"m", w.m},
        {"k", w.k},
        {"n", w.n},
        {"flops", w.flops()},
        {"checked_rows", llvm::json::Array(denseCheckedRows(w))},
        {"linalg", denseLinalgModuleText(w)}});
  llvm::json::Value request =
      llvm::json::Object{{"workloads", std::move(workloads)},
                         {"threads", llvm::json::Array(o.threads)},
                         {"repetitions", o.repetitions},
                         {"warmup", o.warmup},
                         {"impls", std::move(want)}};
  std::vector<llvm::StringRef> envRefs(env.begin(), env.end());
  llvm::Expected<llvm::json::Value> reply =
      runPythonJson(o.python, ACT_BENCH_DENSE_SCRIPT, request, envRefs);
  if (!reply)
    return reply.takeError();
  const llvm::json::Object *root = reply->getAsObject();
  const llvm::json::Array *rows = root ? root->getArray("results") : nullptr;
  if (!rows)
    return llvm::createStringError("--torch: malformed results of " +
                                   llvm::Twine(ACT_BENCH_DENSE_SCRIPT));
  for (const llvm::json::Value &row : *rows) {
    const llvm::json::Object *r = row.getAsObject();
    if (!r)
      continue;
    DenseResult d;
    d.workload = r->getString("workload").value_or("").str();
    d.impl = r->getString("impl").value_or("").str();
    d.threads = int(r->getInteger("threads").value_or(1));
    const DenseWorkload *w = nullptr;
    for (const DenseWorkload &candidate : o.workloads)
      if (candidate.name == d.workload)
        w = &candidate;
    if (!w)
      return llvm::createStringError("--torch: results for an unknown "
                                     "workload '" +
                                     d.workload + "'");
    d.flops = w->flops();
    d.time.min = r->getNumber("min").value_or(NAN);
    d.time.median = r->getNumber("median").value_or(NAN);
    d.time.max = r->getNumber("max").value_or(NAN);
    d.time.first = r->getNumber("first").value_or(NAN);
    d.time.repetitions = o.repetitions;
    d.measured = std::isfinite(d.time.median);
    d.setupSeconds = r->getNumber("setup_s").value_or(NAN);
    d.cpuPerWall = r->getNumber("cpu_per_wall").value_or(NAN);
    if (std::optional<double> e = r->getNumber("error"))
      d.error = *e;
    d.note = r->getString("note").value_or("").str();
    results.push_back(std::move(d));
  }
  if (const llvm::json::Array *s = root->getArray("skipped"))
    for (const llvm::json::Value &v : *s)
      if (std::optional<llvm::StringRef> line = v.getAsString())
        skipped.push_back(line->str());
  if (const llvm::json::Object *i = root->getObject("info"))
    for (const auto &[key, value] : *i)
      if (std::optional<llvm::StringRef> text = value.getAsString())
        info.push_back({key.str(), text->str()});
  return llvm::Error::success();
}

//===----------------------------------------------------------------------===//
// Reports.
//===----------------------------------------------------------------------===//

/// The best non-act result of `workload` at `threads` (by GFLOP/s), among
/// those with a correct output.
static const DenseResult *bestPeer(const std::vector<DenseResult> &results,
                                   llvm::StringRef workload, int threads) {
  const DenseResult *best = nullptr;
  for (const DenseResult &r : results)
    if (r.workload == workload && r.threads == threads && r.impl != "act" &&
        r.measured && !r.wrong() && (!best || r.gflops() > best->gflops()))
      best = &r;
  return best;
}

static const DenseResult *find(const std::vector<DenseResult> &results,
                               llvm::StringRef workload, llvm::StringRef impl,
                               int threads) {
  for (const DenseResult &r : results)
    if (r.workload == workload && r.impl == impl && r.threads == threads)
      return &r;
  return nullptr;
}

/// Milliseconds with at least 3 significant digits, without an exponent.
static std::string milliseconds(double seconds) {
  double ms = seconds * 1e3;
  return fmt(ms, ms >= 1 ? "%.3f" : ms >= 0.01 ? "%.4f" : "%.6f");
}

static std::string checkCell(const DenseResult &r) {
  if (!r.vsOneDnn)
    return "-";
  return (*r.vsOneDnn <= kDenseTolerance ? "ok " : "MISMATCH ") +
         fmt(*r.vsOneDnn, "%.1e");
}

static void printReport(llvm::raw_ostream &os, const DenseOptions &o,
                        const std::vector<Ceiling> &ceilings,
                        const std::vector<DenseResult> &results) {
  for (int t : o.threads) {
    const Ceiling *c = ceilingAt(ceilings, t);
    printCeilingHeader(os, *c);
    std::vector<std::vector<std::string>> rows = {
        {"workload", "impl", "threads", "median ms", "min ms", "GFLOP/s",
         "peak", "/best", "compile s", "cpu/wall", "error", "vs oneDNN",
         "note"}};
    for (const DenseWorkload &w : o.workloads) {
      const DenseResult *best = bestPeer(results, w.name, t);
      for (const char *impl : denseImpls()) {
        const DenseResult *r = find(results, w.name, impl, t);
        if (!r)
          continue;
        double g = r->gflops();
        rows.push_back(
            {w.name, r->impl, std::to_string(t),
             r->measured ? milliseconds(r->time.median) : "-",
             r->measured ? milliseconds(r->time.min) : "-", fmt(g, "%.1f"),
             fmt(g / c->peak()), best ? fmt(g / best->gflops()) : "-",
             fmt(r->setupSeconds, "%.3f"), fmt(r->cpuPerWall),
             r->error ? fmt(*r->error, "%.1e") : "-", checkCell(*r), r->note});
      }
    }
    printTable(os, rows, 2, /*lastIsText=*/true);
  }

  printUnscaledPeakNotes(os, ceilings);

  os << "\nsummary (GFLOP/s from the median time; best peer = the fastest "
        "correct non-act implementation):\n";
  std::vector<std::vector<std::string>> rows = {
      {"workload", "threads", "best peer", "best", "oneDNN", "act", "act/best",
       "act/oneDNN", "act check"}};
  for (int t : o.threads)
    for (const DenseWorkload &w : o.workloads) {
      const DenseResult *best = bestPeer(results, w.name, t);
      const DenseResult *dnnl = find(results, w.name, "onednn", t);
      const DenseResult *act = find(results, w.name, "act", t);
      double b = best ? best->gflops() : NAN, d = dnnl ? dnnl->gflops() : NAN,
             a = act ? act->gflops() : NAN;
      std::string check = "-";
      if (act && act->measured)
        check = act->vsOneDnn
                    ? (*act->vsOneDnn <= kDenseTolerance ? "ok" : "MISMATCH")
                    : "unchecked";
      else if (act)
        // Why not: "compile timeout", "compile failed", "not run".
        check = llvm::StringRef(act->note)
                    .split(" (")
                    .first.split(':')
                    .first.split(';')
                    .first.str();
      rows.push_back({w.name, std::to_string(t), best ? best->impl : "-",
                      fmt(b, "%.1f"), fmt(d, "%.1f"), fmt(a, "%.1f"),
                      fmt(a / b), fmt(a / d), check});
    }
  printTable(os, rows, 1, /*lastIsText=*/true);
}

static llvm::json::Value number(double v) {
  return std::isfinite(v) ? llvm::json::Value(v) : llvm::json::Value(nullptr);
}

static llvm::json::Value
jsonReport(const DenseOptions &o, const std::vector<Ceiling> &ceilings,
           const std::vector<DenseResult> &results,
           const std::vector<std::pair<std::string, std::string>> &info) {
  llvm::json::Object meta{
      {"suite", "dense"},
      {"repetitions", o.repetitions},
      {"warmup", o.warmup},
      {"threads", llvm::json::Array(o.threads)},
      {"math", o.math == mlir::act::math::MathMode::fast ? "fast" : "precise"},
      {"tolerance", kDenseTolerance},
      {"gflops", "flops / median time; 2 m k n per matmul"}};
  for (const auto &[key, value] : info)
    meta[key] = value;
  llvm::json::Object machine = machineJson(ceilings);

  llvm::json::Array workloads;
  for (const DenseWorkload &w : o.workloads)
    workloads.push_back(llvm::json::Object{{"name", w.name},
                                           {"act", w.act},
                                           {"m", w.m},
                                           {"k", w.k},
                                           {"n", w.n},
                                           {"flops", w.flops()}});
  llvm::json::Array rows;
  for (const DenseResult &r : results) {
    const Ceiling *c = ceilingAt(ceilings, r.threads);
    const DenseResult *best = bestPeer(results, r.workload, r.threads);
    double g = r.gflops();
    rows.push_back(llvm::json::Object{
        {"workload", r.workload},
        {"impl", r.impl},
        {"threads", r.threads},
        {"measured", r.measured},
        {"flops", r.flops},
        {"repetitions", r.time.repetitions},
        {"min_s", number(r.measured ? r.time.min : NAN)},
        {"median_s", number(r.measured ? r.time.median : NAN)},
        {"max_s", number(r.measured ? r.time.max : NAN)},
        {"first_s", number(r.measured ? r.time.first : NAN)},
        {"gflops", number(g)},
        {"gflops_min_time", number(r.minGflops())},
        {"peak_fraction", number(c ? g / c->peak() : NAN)},
        {"vs_best_peer", number(best ? g / best->gflops() : NAN)},
        {"best_peer", best ? llvm::json::Value(best->impl) : nullptr},
        {"setup_s", number(r.setupSeconds)},
        {"cpu_per_wall", number(r.cpuPerWall)},
        {"error", r.error ? number(*r.error) : nullptr},
        {"vs_onednn", r.vsOneDnn ? number(*r.vsOneDnn) : nullptr},
        {"wrong", r.wrong()},
        {"note", r.note}});
  }
  llvm::json::Array summary;
  for (int t : o.threads)
    for (const DenseWorkload &w : o.workloads) {
      const DenseResult *best = bestPeer(results, w.name, t);
      const DenseResult *dnnl = find(results, w.name, "onednn", t);
      const DenseResult *act = find(results, w.name, "act", t);
      double b = best ? best->gflops() : NAN, d = dnnl ? dnnl->gflops() : NAN,
             a = act ? act->gflops() : NAN;
      summary.push_back(llvm::json::Object{
          {"workload", w.name},
          {"threads", t},
          {"best_peer", best ? llvm::json::Value(best->impl) : nullptr},
          {"best_peer_gflops", number(b)},
          {"onednn_gflops", number(d)},
          {"act_gflops", number(a)},
          {"act_vs_best_peer", number(a / b)},
          {"act_vs_onednn", number(a / d)},
          {"act_matches_onednn",
           act && act->vsOneDnn
               ? llvm::json::Value(*act->vsOneDnn <= kDenseTolerance)
               : nullptr}});
    }
  return llvm::json::Object{{"meta", std::move(meta)},
                            {"machine", std::move(machine)},
                            {"workloads", std::move(workloads)},
                            {"rows", std::move(rows)},
                            {"summary", std::move(summary)}};
}

//===----------------------------------------------------------------------===//
// The suite.
//===----------------------------------------------------------------------===//

int act::bench::runDenseSuite(const DenseOptions &o) {
  initOneDnn();
  std::string dnnlInfo = oneDnnVersion();
  IsaFlags isa = hostIsa();
  llvm::outs() << "act-bench --suite=dense: " << cpuModel() << ", "
               << hostCores() << " cores, avx2 " << (isa.avx2 ? "yes" : "no")
               << ", fma " << (isa.fma ? "yes" : "no") << ", avx512f "
               << (isa.avx512f ? "yes" : "no") << "; " << dnnlInfo
               << "; threads "
               << llvm::join(
                      llvm::map_range(o.threads,
                                      [](int t) { return std::to_string(t); }),
                      ",")
               << "; " << o.repetitions << " repetitions after 1 + " << o.warmup
               << " warm-up calls\n";

  // The ceilings before and after the kernels, the better of the two: on a
  // shared machine a peak measured while another job ran would understate
  // what the kernels had at other times.
  std::vector<Ceiling> ceilings;
  measureCeilings(o.threads, o.copyFloats, o.warmup, o.repetitions, ceilings,
                  "before");

  std::vector<DenseResult> results;
  llvm::errs() << "measuring (median time):\n";
  auto progress = [](const DenseResult &r) {
    if (!r.measured) {
      llvm::errs() << llvm::format("  %-24s %-13s %2d thr  %s\n",
                                   r.workload.c_str(), r.impl.c_str(),
                                   r.threads, r.note.c_str());
      return;
    }
    llvm::errs() << llvm::format("  %-24s %-13s %2d thr %10.4f ms %8.1f "
                                 "GFLOP/s  cpu/wall %.2f\n",
                                 r.workload.c_str(), r.impl.c_str(), r.threads,
                                 r.time.median * 1e3, r.gflops(), r.cpuPerWall);
  };
  // Thread counts outermost: after a threaded run, its pool's threads spin
  // for a while, and on a small machine they would steal from the
  // single-threaded runs that follow.
  for (int t : o.threads) {
    for (const DenseWorkload &w : o.workloads) {
      DenseData data(w);
      Buffer out(w.outElements());
      // oneDNN's output (weights as given) at this thread count: what the
      // other implementations are compared with.
      std::optional<std::vector<float>> reference;
      auto check = [&](DenseResult &r, bool isReference) {
        if (!r.measured)
          return;
        r.error = denseReferenceError(w, data.inputs, out.get());
        if (isReference)
          reference.emplace(out.get(), out.get() + w.outElements());
        else if (reference)
          r.vsOneDnn =
              relativeMaxDiff(out.get(), reference->data(), w.outElements());
      };
      for (bool preferred : {false, true}) {
        if (!wanted(o, preferred ? "onednn_any" : "onednn"))
          continue;
        // NaN first, so a kernel that writes nothing (or only part) fails
        // the checks instead of inheriting the last one's output.
        std::fill(out.get(), out.get() + w.outElements(), NAN);
        DenseResult r = measureOneDnn(o, w, data, t, preferred, out.get());
        check(r, !preferred);
        progress(r);
        results.push_back(std::move(r));
      }
      if (wanted(o, "act")) {
        std::fill(out.get(), out.get() + w.outElements(), NAN);
        DenseResult r = measureAct(o, w, t, out.get());
        check(r, false);
        progress(r);
        results.push_back(std::move(r));
      }
    }
  }

  // The Python peers last, each group in its own process: numpy's OpenBLAS
  // reads OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE when it loads, and those are
  // dropped for it alone; OMP_NUM_THREADS (oneDNN's setting here) for all.
  std::vector<std::string> skipped, errors;
  std::vector<std::pair<std::string, std::string>> info = {
      {"onednn", dnnlInfo}, {"onednn_runtime", oneDnnRuntime()}};
  if (!o.python.empty() && llvm::any_of(o.impls, [](const std::string &impl) {
        return impl == "torch" || impl == "torch_compile" || impl == "numpy" ||
               impl == "iree";
      })) {
    llvm::errs() << "measuring the Python peers (" << o.python << "):\n";
    static const char *const torchLike[] = {"torch", "torch_compile", "iree"};
    static const char *const blas[] = {"numpy"};
    std::vector<std::string> env = environmentWithout({"OMP_NUM_THREADS"});
    std::vector<std::string> blasEnv = environmentWithout(
        {"OMP_NUM_THREADS", "OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE"});
    size_t before = results.size();
    if (llvm::Error e =
            measurePython(o, torchLike, env, results, skipped, info))
      errors.push_back(llvm::toString(std::move(e)));
    if (llvm::Error e = measurePython(o, blas, blasEnv, results, skipped, info))
      errors.push_back(llvm::toString(std::move(e)));
    for (size_t i = before; i < results.size(); ++i)
      progress(results[i]);
  }

  measureCeilings(o.threads, o.copyFloats, o.warmup, o.repetitions, ceilings,
                  "after");
  printReport(llvm::outs(), o, ceilings, results);
  if (!skipped.empty()) {
    llvm::outs() << "\nskipped:\n";
    for (const std::string &s : skipped)
      llvm::outs() << "  " << s << "\n";
  }
  bool wrong = false;
  for (const DenseResult &r : results)
    if (r.wrong()) {
      if (!wrong)
        llvm::outs() << "\nWRONG OUTPUT / MISMATCH (tolerance "
                     << kDenseTolerance
                     << " of max |Y|, against the double reference and "
                        "oneDNN):\n";
      wrong = true;
      llvm::outs() << "  " << r.workload << " (" << r.impl << ", " << r.threads
                   << " thread" << (r.threads == 1 ? "" : "s") << "): error "
                   << (r.error ? fmt(*r.error, "%.3g") : std::string("-"))
                   << ", vs oneDNN "
                   << (r.vsOneDnn ? fmt(*r.vsOneDnn, "%.3g") : std::string("-"))
                   << "\n";
    }

  // The JSON, and from it the chart.
  llvm::json::Value report = jsonReport(o, ceilings, results, info);
  writeReportAndChart(report, o.jsonFile, o.chartFile, o.chartPython,
                      ACT_BENCH_CHART_SCRIPT, "act-bench-dense", errors);
  for (const std::string &e : errors)
    llvm::errs() << "act-bench: error: " << e << "\n";
  if (wrong)
    return 2;
  return errors.empty() ? 0 : 1;
}
