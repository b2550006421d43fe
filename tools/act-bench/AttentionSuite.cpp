//===- AttentionSuite.cpp - act-bench --suite=attention -------------------===//
//
// Attention scores P = softmax(Q K^T * scale) and full attention
// O = softmax(Q K^T * scale) V (Attention.h), f32, by
//  - act: the function as the user writes it in plain linalg + act ops
//    (Q K^T by linalg.matmul reading K transposed, or linalg.transpose +
//    linalg.batch_matmul; arith.mulf by a dense constant; act.softmax; P V
//    by linalg.matmul / batch_matmul), compiled by act's pipeline as the
//    dense suite compiles its kernels (act-to-llvm{threads=t}, in a child
//    process with a compile timeout: ActWorker.h), writing its result in
//    place;
//  - oneDNN: matmul (K transposed, the scale as output scale), softmax_v2 in
//    place, matmul;
//  - Python peers (attention_peers.py): PyTorch eager with explicit ops,
//    F.scaled_dot_product_attention (attention only), torch.compile of the
//    explicit form, IREE on the same linalg with linalg.softmax;
// at every thread count, next to the FMA peak and copy bandwidth measured in
// the same run at the same thread count. GFLOP/s counts the matmuls only.
//
//===----------------------------------------------------------------------===//

#include "AttentionSuite.h"

#include "ActWorker.h"
#include "Bench.h"
#include "Machine.h"
#include "OneDnn.h"
#include "Torch.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/ScopeExit.h"
#include "llvm/ADT/SmallString.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/raw_ostream.h"

#include <algorithm>
#include <cmath>
#include <memory>

using namespace act::bench;

llvm::ArrayRef<const char *> act::bench::attentionImpls() {
  static const char *const impls[] = {"onednn",     "act",           "torch",
                                      "torch_sdpa", "torch_compile", "iree"};
  return impls;
}

const char *const act::bench::kDefaultAttentionShapes =
    "512x512x64,1024x1024x64,2048x2048x64,4096x4096x64,"
    "8x512x512x64,8x1024x1024x64,8x2048x2048x64,8x4096x4096x64";

/// The Python peers, whose rows attention_peers.py makes.
static const char *const kPythonImpls[] = {"torch", "torch_sdpa",
                                           "torch_compile", "iree"};

namespace {
/// One implementation on one workload at one thread count.
struct AttnResult {
  std::string workload, impl;
  int threads = 1;
  double flops = 0;
  /// False when it did not run (see note).
  bool measured = false;
  Measurement time;
  /// Compile or primitive-creation time, outside the timing.
  double setupSeconds = NAN;
  double cpuPerWall = NAN;
  /// Against the double reference on the checked rows (Attention.h).
  std::optional<double> error;
  /// max |out - out_oneDNN| / max |out_oneDNN| over the whole output,
  /// against oneDNN at the same thread count.
  std::optional<double> vsOneDnn;
  std::string note;

  /// From the median, as the dense suite.
  double gflops() const { return measured ? flops / time.median * 1e-9 : NAN; }
  double minGflops() const { return measured ? flops / time.min * 1e-9 : NAN; }
  bool wrong() const {
    return (error && !(*error <= kAttentionTolerance)) ||
           (vsOneDnn && !(*vsOneDnn <= kAttentionTolerance));
  }
};

/// The inputs of `w`, allocated, filled and kept for the workload's runs.
struct AttentionData {
  std::vector<std::unique_ptr<Buffer>> buffers;
  std::vector<const float *> inputs;
  explicit AttentionData(const AttentionWorkload &w) {
    std::vector<DenseInput> specs = attentionInputs(w);
    for (size_t i = 0; i < specs.size(); ++i) {
      buffers.push_back(std::make_unique<Buffer>(specs[i].elements()));
      fillAttentionInput(w, i, buffers.back()->get());
      inputs.push_back(buffers.back()->get());
    }
  }
};
} // namespace

static bool wanted(const AttentionOptions &o, llvm::StringRef impl) {
  return llvm::is_contained(o.impls, impl);
}

static const char *plural(int n) { return n == 1 ? "" : "s"; }

//===----------------------------------------------------------------------===//
// act, in a child process.
//===----------------------------------------------------------------------===//

int act::bench::runAttentionActWorker(llvm::StringRef name, int threads,
                                      llvm::StringRef outFile, int repetitions,
                                      int warmup,
                                      mlir::act::math::MathMode math) {
  std::optional<AttentionWorkload> w = parseAttentionWorkload(name);
  if (!w) {
    sayToParent("failed unknown attention workload '" + name.str() + "'");
    return 1;
  }
  AttentionData data(*w);
  Buffer out(w->outElements());
  std::fill(out.get(), out.get() + w->outElements(), NAN);
  std::vector<std::pair<const void *, std::vector<int64_t>>> args;
  std::vector<DenseInput> specs = attentionInputs(*w);
  for (size_t i = 0; i < specs.size(); ++i)
    args.push_back({data.inputs[i], specs[i].shape});
  args.push_back({out.get(), w->outShape()});
  return serveActWorker(attentionActModuleText(*w), args, out.get(),
                        w->outElements(), threads, outFile, repetitions, warmup,
                        math, "calls malloc", "no malloc");
}

static AttnResult measureAct(const AttentionOptions &o,
                             const AttentionWorkload &w, int threads,
                             float *out) {
  AttnResult r;
  r.workload = w.name;
  r.impl = "act";
  r.threads = threads;
  r.flops = w.flops();
  ActChildRequest request;
  request.self = o.self;
  request.args = {"--suite=attention", "--act-worker=" + w.name};
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

static AttnResult measureOneDnn(const AttentionOptions &o,
                                const AttentionWorkload &w,
                                const AttentionData &data, int threads,
                                float *out) {
  AttnResult r;
  r.workload = w.name;
  r.impl = "onednn";
  r.threads = threads;
  r.flops = w.flops();
  if (!setOneDnnThreads(threads)) {
    r.note = "cannot set oneDNN's threads (" + oneDnnRuntime() + " runtime)";
    return r;
  }
  std::string why;
  std::optional<Kernel> kernel = makeOneDnnAttention(w, data.inputs, out, &why);
  if (!kernel) {
    r.note = why;
    return r;
  }
  r.setupSeconds = kernel->setupSeconds;
  r.note = kernel->note + ", " + oneDnnRuntime() + " " +
           std::to_string(threads) + " thread" + plural(threads);
  double cpu = processCpuSeconds(), wall = wallSeconds();
  r.time = measure(kernel->run, o.warmup, o.repetitions);
  r.cpuPerWall = (processCpuSeconds() - cpu) / (wallSeconds() - wall);
  r.measured = true;
  return r;
}

//===----------------------------------------------------------------------===//
// Python peers.
//===----------------------------------------------------------------------===//

/// Writes every workload's inputs (raw f32, attentionInputs order) to
/// temporary files, so that the Python peers compute on act-bench's very
/// numbers; the paths per workload, in `files` (all of them, for removal).
static llvm::Error writeInputs(const AttentionOptions &o,
                               std::vector<std::vector<std::string>> &paths,
                               std::vector<std::string> &files) {
  for (const AttentionWorkload &w : o.workloads) {
    paths.emplace_back();
    std::vector<DenseInput> specs = attentionInputs(w);
    for (size_t i = 0; i < specs.size(); ++i) {
      llvm::SmallString<128> path;
      if (std::error_code ec = llvm::sys::fs::createTemporaryFile(
              "act-bench-attention-" + specs[i].name, "f32", path))
        return llvm::createStringError("cannot create a temporary file: " +
                                       ec.message());
      files.push_back(path.str().str());
      paths.back().push_back(path.str().str());
      std::vector<float> data(specs[i].elements());
      fillAttentionInput(w, i, data.data());
      std::error_code ec;
      llvm::raw_fd_ostream os(path, ec, llvm::sys::fs::OF_None);
      if (ec)
        return llvm::createStringError("cannot write " + path + ": " +
                                       ec.message());
      os.write(reinterpret_cast<const char *>(data.data()),
               data.size() * sizeof(float));
    }
  }
  return llvm::Error::success();
}

/// Runs attention_peers.py for the wanted Python peers, appending its rows
/// to `results` and its notes to `skipped` and `info`.
static llvm::Error
measurePython(const AttentionOptions &o, std::vector<AttnResult> &results,
              std::vector<std::string> &skipped,
              std::vector<std::pair<std::string, std::string>> &info) {
  llvm::json::Array want;
  for (const char *impl : kPythonImpls)
    if (wanted(o, impl))
      want.push_back(impl);
  if (want.empty())
    return llvm::Error::success();
  std::vector<std::vector<std::string>> paths;
  std::vector<std::string> files;
  llvm::scope_exit remove([&] {
    for (const std::string &f : files)
      llvm::sys::fs::remove(f);
  });
  if (llvm::Error e = writeInputs(o, paths, files))
    return e;
  llvm::json::Array workloads;
  for (size_t i = 0; i < o.workloads.size(); ++i) {
    const AttentionWorkload &w = o.workloads[i];
    llvm::json::Array checked;
    for (auto [h, row] : attentionCheckedRows(w))
      checked.push_back(llvm::json::Array{h, row});
    llvm::json::Array inputs;
    std::vector<DenseInput> specs = attentionInputs(w);
    for (size_t j = 0; j < specs.size(); ++j)
      inputs.push_back(
          llvm::json::Object{{"name", specs[j].name},
                             {"shape", llvm::json::Array(specs[j].shape)},
                             {"path", paths[i][j]}});
    workloads.push_back(
        llvm::json::Object{{"name", w.name},
                           {"kind", w.kind()},
                           {"full", w.full},
                           {"heads", w.heads},
                           {"l", w.l},
                           {"s", w.s},
                           {"d", w.d},
                           {"scale", w.scale()},
                           {"flops", w.flops()},
                           {"checked", std::move(checked)},
                           {"inputs", std::move(inputs)},
                           {"linalg", attentionLinalgModuleText(w)}});
  }
  llvm::json::Value request =
      llvm::json::Object{{"workloads", std::move(workloads)},
                         {"threads", llvm::json::Array(o.threads)},
                         {"repetitions", o.repetitions},
                         {"warmup", o.warmup},
                         {"impls", std::move(want)}};
  // OMP_NUM_THREADS is this process's oneDNN setting, not the peers'.
  std::vector<std::string> env = environmentWithout({"OMP_NUM_THREADS"});
  std::vector<llvm::StringRef> envRefs(env.begin(), env.end());
  llvm::Expected<llvm::json::Value> reply =
      runPythonJson(o.python, ACT_BENCH_ATTENTION_SCRIPT, request, envRefs);
  if (!reply)
    return reply.takeError();
  const llvm::json::Object *root = reply->getAsObject();
  const llvm::json::Array *rows = root ? root->getArray("results") : nullptr;
  if (!rows)
    return llvm::createStringError("--torch: malformed results of " +
                                   llvm::Twine(ACT_BENCH_ATTENTION_SCRIPT));
  for (const llvm::json::Value &row : *rows) {
    const llvm::json::Object *r = row.getAsObject();
    if (!r)
      continue;
    AttnResult a;
    a.workload = r->getString("workload").value_or("").str();
    a.impl = r->getString("impl").value_or("").str();
    a.threads = int(r->getInteger("threads").value_or(1));
    const AttentionWorkload *w = nullptr;
    for (const AttentionWorkload &candidate : o.workloads)
      if (candidate.name == a.workload)
        w = &candidate;
    if (!w)
      return llvm::createStringError("--torch: results for an unknown "
                                     "workload '" +
                                     a.workload + "'");
    a.flops = w->flops();
    a.time.min = r->getNumber("min").value_or(NAN);
    a.time.median = r->getNumber("median").value_or(NAN);
    a.time.max = r->getNumber("max").value_or(NAN);
    a.time.first = r->getNumber("first").value_or(NAN);
    a.time.repetitions = o.repetitions;
    a.measured = std::isfinite(a.time.median);
    a.setupSeconds = r->getNumber("setup_s").value_or(NAN);
    a.cpuPerWall = r->getNumber("cpu_per_wall").value_or(NAN);
    if (std::optional<double> e = r->getNumber("error"))
      a.error = *e;
    a.note = r->getString("note").value_or("").str();
    results.push_back(std::move(a));
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
static const AttnResult *bestPeer(const std::vector<AttnResult> &results,
                                  llvm::StringRef workload, int threads) {
  const AttnResult *best = nullptr;
  for (const AttnResult &r : results)
    if (r.workload == workload && r.threads == threads && r.impl != "act" &&
        r.measured && !r.wrong() && (!best || r.gflops() > best->gflops()))
      best = &r;
  return best;
}

static const AttnResult *find(const std::vector<AttnResult> &results,
                              llvm::StringRef workload, llvm::StringRef impl,
                              int threads) {
  for (const AttnResult &r : results)
    if (r.workload == workload && r.impl == impl && r.threads == threads)
      return &r;
  return nullptr;
}

/// Milliseconds with at least 3 significant digits, without an exponent.
static std::string milliseconds(double seconds) {
  double ms = seconds * 1e3;
  return fmt(ms, ms >= 1 ? "%.3f" : ms >= 0.01 ? "%.4f" : "%.6f");
}

static std::string checkCell(const AttnResult &r) {
  if (!r.vsOneDnn)
    return "-";
  return (*r.vsOneDnn <= kAttentionTolerance ? "ok " : "MISMATCH ") +
         fmt(*r.vsOneDnn, "%.1e");
}

/// act's GFLOP/s over `impl`'s on `workload` at `threads` (NaN where either
/// has none, or `impl`'s output is wrong).
static double actOver(const std::vector<AttnResult> &results,
                      llvm::StringRef workload, llvm::StringRef impl,
                      int threads) {
  const AttnResult *act = find(results, workload, "act", threads);
  const AttnResult *peer = find(results, workload, impl, threads);
  if (!act || !peer || !peer->measured || peer->wrong())
    return NAN;
  return act->gflops() / peer->gflops();
}

/// The summary's "act check": ok / MISMATCH against oneDNN, WRONG against
/// the double reference, or why act has no result.
static std::string actCheck(const AttnResult *act) {
  if (!act)
    return "-";
  if (!act->measured)
    // Why not: "compile timeout", "compile failed", "run failed".
    return llvm::StringRef(act->note)
        .split(" (")
        .first.split(':')
        .first.split(';')
        .first.str();
  if (act->error && !(*act->error <= kAttentionTolerance))
    return "WRONG";
  if (!act->vsOneDnn)
    return "unchecked";
  return *act->vsOneDnn <= kAttentionTolerance ? "ok" : "MISMATCH";
}

/// The peers' short names in the summary's act/X columns.
static const std::pair<const char *, const char *> kRatioColumns[] = {
    {"onednn", "act/oneDNN"},
    {"torch", "act/torch"},
    {"torch_sdpa", "act/sdpa"},
    {"torch_compile", "act/compile"},
    {"iree", "act/iree"}};

static void printReport(llvm::raw_ostream &os, const AttentionOptions &o,
                        const std::vector<Ceiling> &ceilings,
                        const std::vector<AttnResult> &results) {
  for (int t : o.threads) {
    const Ceiling *c = ceilingAt(ceilings, t);
    printCeilingHeader(os, *c);
    std::vector<std::vector<std::string>> rows = {
        {"workload", "impl", "threads", "median ms", "min ms", "GFLOP/s",
         "peak", "/best", "compile s", "cpu/wall", "error", "vs oneDNN",
         "note"}};
    for (const AttentionWorkload &w : o.workloads) {
      const AttnResult *best = bestPeer(results, w.name, t);
      for (const char *impl : attentionImpls()) {
        const AttnResult *r = find(results, w.name, impl, t);
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

  os << "\nsummary (GFLOP/s of the matmuls, from the median time; best peer "
        "= the fastest correct non-act implementation; act/X = act's "
        "GFLOP/s / X's):\n";
  std::vector<std::string> header = {"workload", "threads", "best peer",
                                     "best",     "act",     "act/best"};
  for (const auto &[impl, column] : kRatioColumns)
    header.push_back(column);
  header.push_back("act check");
  std::vector<std::vector<std::string>> rows = {header};
  for (int t : o.threads)
    for (const AttentionWorkload &w : o.workloads) {
      const AttnResult *best = bestPeer(results, w.name, t);
      const AttnResult *act = find(results, w.name, "act", t);
      double b = best ? best->gflops() : NAN, a = act ? act->gflops() : NAN;
      std::vector<std::string> row = {
          w.name,         std::to_string(t), best ? best->impl : "-",
          fmt(b, "%.1f"), fmt(a, "%.1f"),    fmt(a / b)};
      for (const auto &[impl, column] : kRatioColumns)
        row.push_back(fmt(actOver(results, w.name, impl, t)));
      row.push_back(actCheck(act));
      rows.push_back(std::move(row));
    }
  printTable(os, rows, 1, /*lastIsText=*/true);
}

static llvm::json::Value number(double v) {
  return std::isfinite(v) ? llvm::json::Value(v) : llvm::json::Value(nullptr);
}

static llvm::json::Value
jsonReport(const AttentionOptions &o, const std::vector<Ceiling> &ceilings,
           const std::vector<AttnResult> &results,
           const std::vector<std::pair<std::string, std::string>> &info) {
  llvm::json::Object meta{
      {"suite", "attention"},
      {"repetitions", o.repetitions},
      {"warmup", o.warmup},
      {"threads", llvm::json::Array(o.threads)},
      {"impls", llvm::json::Array(o.impls)},
      {"math", o.math == mlir::act::math::MathMode::fast ? "fast" : "precise"},
      {"tolerance", kAttentionTolerance},
      {"gflops", "flops / median time; flops = the matmuls': 2 L S d per "
                 "head for scores, 4 L S d for attention"}};
  for (const auto &[key, value] : info)
    meta[key] = value;

  llvm::json::Array workloads;
  for (const AttentionWorkload &w : o.workloads)
    workloads.push_back(llvm::json::Object{{"name", w.name},
                                           {"kind", w.kind()},
                                           {"heads", w.heads},
                                           {"l", w.l},
                                           {"s", w.s},
                                           {"d", w.d},
                                           {"scale", w.scale()},
                                           {"flops", w.flops()}});
  llvm::json::Array rows;
  for (const AttnResult &r : results) {
    const Ceiling *c = ceilingAt(ceilings, r.threads);
    const AttnResult *best = bestPeer(results, r.workload, r.threads);
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
    for (const AttentionWorkload &w : o.workloads) {
      const AttnResult *best = bestPeer(results, w.name, t);
      const AttnResult *act = find(results, w.name, "act", t);
      double b = best ? best->gflops() : NAN, a = act ? act->gflops() : NAN;
      llvm::json::Object ratios;
      for (const auto &[impl, column] : kRatioColumns)
        ratios[impl] = number(actOver(results, w.name, impl, t));
      summary.push_back(llvm::json::Object{
          {"workload", w.name},
          {"threads", t},
          {"best_peer", best ? llvm::json::Value(best->impl) : nullptr},
          {"best_peer_gflops", number(b)},
          {"act_gflops", number(a)},
          {"act_peak_fraction",
           number(ceilingAt(ceilings, t) ? a / ceilingAt(ceilings, t)->peak()
                                         : NAN)},
          {"act_vs_best_peer", number(a / b)},
          {"act_vs", std::move(ratios)},
          {"act_check", actCheck(act)},
          {"act_matches_onednn",
           act && act->vsOneDnn
               ? llvm::json::Value(*act->vsOneDnn <= kAttentionTolerance)
               : nullptr}});
    }
  return llvm::json::Object{{"meta", std::move(meta)},
                            {"machine", machineJson(ceilings)},
                            {"workloads", std::move(workloads)},
                            {"rows", std::move(rows)},
                            {"summary", std::move(summary)}};
}

//===----------------------------------------------------------------------===//
// The suite.
//===----------------------------------------------------------------------===//

int act::bench::runAttentionSuite(const AttentionOptions &o) {
  initOneDnn();
  std::string dnnlInfo = oneDnnVersion();
  IsaFlags isa = hostIsa();
  llvm::outs() << "act-bench --suite=attention: " << cpuModel() << ", "
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
  llvm::outs().flush();

  // The ceilings before and after the kernels, the better of the two.
  std::vector<Ceiling> ceilings;
  measureCeilings(o.threads, o.copyFloats, o.warmup, o.repetitions, ceilings,
                  "before");

  std::vector<AttnResult> results;
  llvm::errs() << "measuring (median time):\n";
  auto progress = [](const AttnResult &r) {
    if (!r.measured) {
      llvm::errs() << llvm::format("  %-26s %-13s %2d thr  %s\n",
                                   r.workload.c_str(), r.impl.c_str(),
                                   r.threads, r.note.c_str());
      return;
    }
    llvm::errs() << llvm::format("  %-26s %-13s %2d thr %10.4f ms %8.1f "
                                 "GFLOP/s  cpu/wall %.2f\n",
                                 r.workload.c_str(), r.impl.c_str(), r.threads,
                                 r.time.median * 1e3, r.gflops(), r.cpuPerWall);
  };
  // Thread counts outermost, as in the dense suite: a threaded pool spins
  // for a while after its work and would slow single-threaded runs after it.
  for (int t : o.threads) {
    for (const AttentionWorkload &w : o.workloads) {
      AttentionData data(w);
      Buffer out(w.outElements());
      // oneDNN's output at this thread count: what act is compared with.
      std::optional<std::vector<float>> reference;
      auto check = [&](AttnResult &r, bool isReference) {
        if (!r.measured)
          return;
        r.error = attentionReferenceError(w, data.inputs, out.get());
        if (isReference)
          reference.emplace(out.get(), out.get() + w.outElements());
        else if (reference)
          r.vsOneDnn =
              relativeMaxDiff(out.get(), reference->data(), w.outElements());
      };
      if (wanted(o, "onednn")) {
        // NaN first, so a kernel that writes nothing (or only part) fails
        // the checks instead of inheriting the last one's output.
        std::fill(out.get(), out.get() + w.outElements(), NAN);
        AttnResult r = measureOneDnn(o, w, data, t, out.get());
        check(r, true);
        progress(r);
        results.push_back(std::move(r));
      }
      if (wanted(o, "act")) {
        std::fill(out.get(), out.get() + w.outElements(), NAN);
        AttnResult r = measureAct(o, w, t, out.get());
        check(r, false);
        progress(r);
        results.push_back(std::move(r));
      }
    }
  }

  // The Python peers last, in one process (IREE in a child per thread
  // count).
  std::vector<std::string> skipped, errors;
  std::vector<std::pair<std::string, std::string>> info = {
      {"onednn", dnnlInfo}, {"onednn_runtime", oneDnnRuntime()}};
  if (!o.python.empty()) {
    llvm::errs() << "measuring the Python peers (" << o.python << "):\n";
    size_t before = results.size();
    if (llvm::Error e = measurePython(o, results, skipped, info))
      errors.push_back(llvm::toString(std::move(e)));
    for (size_t i = before; i < results.size(); ++i)
      progress(results[i]);
  } else if (llvm::any_of(kPythonImpls,
                          [&](const char *impl) { return wanted(o, impl); })) {
    skipped.push_back("torch, torch_sdpa, torch_compile, iree: --torch=none "
                      "(or no .venv)");
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
  for (const AttnResult &r : results)
    if (r.wrong()) {
      if (!wrong)
        llvm::outs() << "\nWRONG OUTPUT / MISMATCH (tolerance "
                     << kAttentionTolerance
                     << " of max |ref|, against the double reference and "
                        "oneDNN):\n";
      wrong = true;
      llvm::outs() << "  " << r.workload << " (" << r.impl << ", " << r.threads
                   << " thread" << plural(r.threads) << "): error "
                   << (r.error ? fmt(*r.error, "%.3g") : std::string("-"))
                   << ", vs oneDNN "
                   << (r.vsOneDnn ? fmt(*r.vsOneDnn, "%.3g") : std::string("-"))
                   << "\n";
    }

  // The JSON, and from it the chart.
  llvm::json::Value report = jsonReport(o, ceilings, results, info);
  writeReportAndChart(report, o.jsonFile, o.chartFile, o.chartPython,
                      ACT_BENCH_ATTENTION_CHART_SCRIPT, "act-bench-attention",
                      errors);
  for (const std::string &e : errors)
    llvm::errs() << "act-bench: error: " << e << "\n";
  if (wrong)
    return 2;
  return errors.empty() ? 0 : 1;
}
