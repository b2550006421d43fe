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
#include "OneDnn.h"

#include "llvm/ADT/ScopeExit.h"
#include "llvm/ADT/SmallString.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/raw_ostream.h"

#include <cmath>

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

/// oneDNN's matmul + softmax (+ matmul), the reference.
static const char *const kOneDnnImpls[] = {"onednn"};

/// `w`'s inputs, filled as every process fills them.
static InputBuffers inputsOf(const AttentionWorkload &w) {
  return InputBuffers(attentionInputs(w), [&](size_t i, float *data) {
    fillAttentionInput(w, i, data);
  });
}

/// What the JSON report and the peers' request say of `w`.
static llvm::json::Object workloadJson(const AttentionWorkload &w) {
  return llvm::json::Object{{"name", w.name},     {"kind", w.kind()},
                            {"heads", w.heads},   {"l", w.l},
                            {"s", w.s},           {"d", w.d},
                            {"scale", w.scale()}, {"flops", w.flops()}};
}

int act::bench::runAttentionActWorker(llvm::StringRef name, int threads,
                                      llvm::StringRef outFile, int repetitions,
                                      int warmup,
                                      mlir::act::math::MathMode math) {
  std::optional<AttentionWorkload> w = parseAttentionWorkload(name);
  if (!w) {
    sayToParent("failed unknown attention workload '" + name.str() + "'");
    return 1;
  }
  return serveFlopsWorker(attentionActModuleText(*w), inputsOf(*w),
                          w->outShape(), threads, outFile, repetitions, warmup,
                          math, "calls malloc", "no malloc");
}

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

/// Runs attention_peers.py for the wanted Python peers, into `run`.
static void measurePython(const AttentionOptions &o, FlopsRun &run) {
  if (!o.wantsAny(kPythonImpls))
    return;
  std::vector<std::vector<std::string>> paths;
  std::vector<std::string> files;
  llvm::scope_exit remove([&] {
    for (const std::string &f : files)
      llvm::sys::fs::remove(f);
  });
  if (llvm::Error e = writeInputs(o, paths, files)) {
    run.errors.push_back(llvm::toString(std::move(e)));
    return;
  }
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
    llvm::json::Object request = workloadJson(w);
    request["full"] = w.full;
    request["checked"] = std::move(checked);
    request["inputs"] = std::move(inputs);
    request["linalg"] = attentionLinalgModuleText(w);
    workloads.push_back(std::move(request));
  }
  // OMP_NUM_THREADS is this process's oneDNN setting, not the peers'.
  measurePythonPeers(o, ACT_BENCH_ATTENTION_SCRIPT, kPythonImpls, workloads,
                     environmentWithout({"OMP_NUM_THREADS"}),
                     kAttentionTolerance, run);
}

/// act's GFLOP/s over `impl`'s on `workload` at `threads` (NaN where either
/// has none, or `impl`'s output is wrong).
static double actOver(const std::vector<FlopsResult> &results,
                      llvm::StringRef workload, llvm::StringRef impl,
                      int threads) {
  const FlopsResult *act = findResult(results, workload, "act", threads);
  const FlopsResult *peer = findResult(results, workload, impl, threads);
  if (!act || !peer || !peer->measured || peer->wrong())
    return NAN;
  return act->gflops() / peer->gflops();
}

/// The summary's "act check": ok / MISMATCH against oneDNN, WRONG against
/// the double reference, or why act has no result.
static std::string actCheck(const FlopsResult *act) {
  if (!act)
    return "-";
  if (!act->measured)
    return whyNotRun(*act);
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

/// oneDNN's matmul + softmax (+ matmul) for `w`.
static std::optional<Kernel> oneDnnKernel(const AttentionWorkload &w,
                                          llvm::StringRef,
                                          llvm::ArrayRef<const float *> inputs,
                                          float *out, std::string *why) {
  return makeOneDnnAttention(w, inputs, out, why);
}

/// How act-bench.cpp tells a worker that its workload is an attention one.
static const char *const kWorkerArgs[] = {"--suite=attention"};

namespace {
/// The attention suite for runFlopsSuite.
class AttentionRun final : public FlopsSuite {
public:
  explicit AttentionRun(const AttentionOptions &o)
      : FlopsSuite(o,
                   {"attention", attentionImpls(), kOneDnnImpls,
                    kAttentionTolerance, "max |ref|", /*nameWidth=*/26,
                    kWorkerArgs, ACT_BENCH_ATTENTION_CHART_SCRIPT},
                   flopsWorkloads(o.workloads, inputsOf,
                                  attentionReferenceError, oneDnnKernel)),
        o(o) {}

  // The Python peers in one process (IREE in a child per thread count).
  void measurePeers(FlopsRun &run) const override {
    if (!o.python.empty()) {
      llvm::errs() << "measuring the Python peers (" << o.python << "):\n";
      measurePython(o, run);
    } else if (o.wantsAny(kPythonImpls)) {
      run.skipped.push_back("torch, torch_sdpa, torch_compile, iree: "
                            "--torch=none (or no .venv)");
    }
  }

  void printSummary(llvm::raw_ostream &os, const FlopsRun &run) const override {
    os << "\nsummary (GFLOP/s of the matmuls, from the median time; best "
          "peer = the fastest correct non-act implementation; act/X = act's "
          "GFLOP/s / X's):\n";
    std::vector<std::string> header = {"workload", "threads", "best peer",
                                       "best",     "act",     "act/best"};
    for (const auto &[impl, column] : kRatioColumns)
      header.push_back(column);
    header.push_back("act check");
    std::vector<std::vector<std::string>> rows = {header};
    for (const FlopsSummary &s : summaries(run)) {
      double b = s.bestGflops, a = s.actGflops;
      std::vector<std::string> row = {s.workload,
                                      std::to_string(s.threads),
                                      s.best ? s.best->impl : "-",
                                      fmt(b, "%.1f"),
                                      fmt(a, "%.1f"),
                                      fmt(a / b)};
      for (const auto &[impl, column] : kRatioColumns)
        row.push_back(fmt(actOver(run.results, s.workload, impl, s.threads)));
      row.push_back(actCheck(s.act));
      rows.push_back(std::move(row));
    }
    printTable(os, rows, 1, /*lastIsText=*/true);
  }

  llvm::json::Value jsonReport(const FlopsRun &run) const override {
    llvm::json::Object meta = flopsMetaJson(
        "attention", o, kAttentionTolerance,
        "flops / median time; flops = the matmuls': 2 L S d per head for "
        "scores, 4 L S d for attention",
        run.info);
    meta["impls"] = llvm::json::Array(o.impls);
    llvm::json::Array workloads, summary;
    for (const AttentionWorkload &w : o.workloads)
      workloads.push_back(workloadJson(w));
    for (const FlopsSummary &s : summaries(run)) {
      const Ceiling *c = ceilingAt(run.ceilings, s.threads);
      llvm::json::Object ratios;
      for (const auto &[impl, column] : kRatioColumns)
        ratios[impl] =
            finiteOrNull(actOver(run.results, s.workload, impl, s.threads));
      llvm::json::Object entry = s.json();
      entry["act_peak_fraction"] =
          finiteOrNull(c ? s.actGflops / c->peak() : NAN);
      entry["act_vs"] = std::move(ratios);
      entry["act_check"] = actCheck(s.act);
      summary.push_back(std::move(entry));
    }
    return flopsReportJson(std::move(meta), run, std::move(workloads),
                           std::move(summary));
  }

private:
  const AttentionOptions &o;
};
} // namespace

int act::bench::runAttentionSuite(const AttentionOptions &o) {
  return runFlopsSuite(AttentionRun(o));
}
