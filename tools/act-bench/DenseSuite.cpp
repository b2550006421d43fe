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

#include "ActWorker.h"
#include "Bench.h"
#include "OneDnn.h"

#include "llvm/Support/JSON.h"
#include "llvm/Support/raw_ostream.h"

#include <cmath>

using namespace act::bench;

llvm::ArrayRef<const char *> act::bench::denseImpls() {
  static const char *const impls[] = {
      "onednn", "onednn_any", "act", "torch", "torch_compile", "numpy", "iree"};
  return impls;
}

/// The Python peers, in the two groups dense_peers.py runs them in (see
/// DenseRun::measurePeers).
static const char *const kTorchLikeImpls[] = {"torch", "torch_compile", "iree"};
static const char *const kBlasImpls[] = {"numpy"};

/// oneDNN's matmul with the weights as given (the reference) and in its
/// preferred layout.
static const char *const kOneDnnImpls[] = {"onednn", "onednn_any"};

/// `w`'s inputs, filled as every process fills them.
static InputBuffers inputsOf(const DenseWorkload &w) {
  return InputBuffers(denseInputs(w), [&](size_t i, float *data) {
    fillDenseInput(w, i, data);
  });
}

/// What the JSON report and the peers' request say of `w`.
static llvm::json::Object workloadJson(const DenseWorkload &w) {
  return llvm::json::Object{{"name", w.name}, {"act", w.act},
                            {"m", w.m},       {"k", w.k},
                            {"n", w.n},       {"flops", w.flops()}};
}

int act::bench::runActWorker(llvm::StringRef name, int threads,
                             llvm::StringRef outFile, int repetitions,
                             int warmup, mlir::act::math::MathMode math) {
  std::optional<DenseWorkload> w = parseDenseWorkload(name);
  if (!w) {
    sayToParent("failed unknown dense workload '" + name.str() + "'");
    return 1;
  }
  return serveFlopsWorker(denseActModuleText(*w), inputsOf(*w),
                          {w->outRows(), w->outCols()}, threads, outFile,
                          repetitions, warmup, math);
}

/// oneDNN's kernel `impl` for `w`: weights as given, or in its preferred
/// layout (onednn_any).
static std::optional<Kernel> oneDnnKernel(const DenseWorkload &w,
                                          llvm::StringRef impl,
                                          llvm::ArrayRef<const float *> inputs,
                                          float *out, std::string *why) {
  return makeOneDnnDense(w, inputs, out,
                         /*preferredWeights=*/impl == "onednn_any", why);
}

namespace {
/// The dense suite for runFlopsSuite.
class DenseRun final : public FlopsSuite {
public:
  explicit DenseRun(const DenseOptions &o)
      : FlopsSuite(o,
                   {"dense", denseImpls(), kOneDnnImpls, kDenseTolerance,
                    "max |Y|", /*nameWidth=*/24, /*workerArgs=*/{},
                    ACT_BENCH_CHART_SCRIPT},
                   flopsWorkloads(o.workloads, inputsOf, denseReferenceError,
                                  oneDnnKernel)),
        o(o) {}

  // Each group of Python peers in its own process: numpy's OpenBLAS reads
  // OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE when it loads, and those are
  // dropped for it alone; OMP_NUM_THREADS (oneDNN's setting here) for all.
  void measurePeers(FlopsRun &run) const override {
    if (o.python.empty() ||
        !(o.wantsAny(kTorchLikeImpls) || o.wantsAny(kBlasImpls)))
      return;
    llvm::errs() << "measuring the Python peers (" << o.python << "):\n";
    llvm::json::Array workloads;
    for (const DenseWorkload &w : o.workloads) {
      llvm::json::Object request = workloadJson(w);
      request["checked_rows"] = llvm::json::Array(denseCheckedRows(w));
      request["linalg"] = denseLinalgModuleText(w);
      workloads.push_back(std::move(request));
    }
    measurePythonPeers(o, ACT_BENCH_DENSE_SCRIPT, kTorchLikeImpls, workloads,
                       environmentWithout({"OMP_NUM_THREADS"}), kDenseTolerance,
                       run);
    measurePythonPeers(
        o, ACT_BENCH_DENSE_SCRIPT, kBlasImpls, workloads,
        environmentWithout(
            {"OMP_NUM_THREADS", "OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE"}),
        kDenseTolerance, run);
  }

  void printSummary(llvm::raw_ostream &os, const FlopsRun &run) const override {
    os << "\nsummary (GFLOP/s from the median time; best peer = the fastest "
          "correct non-act implementation):\n";
    std::vector<std::vector<std::string>> rows = {
        {"workload", "threads", "best peer", "best", "oneDNN", "act",
         "act/best", "act/oneDNN", "act check"}};
    for (const FlopsSummary &s : summaries(run)) {
      double b = s.bestGflops, d = oneDnnGflops(run, s), a = s.actGflops;
      std::string check = "-";
      if (s.act && s.act->measured)
        check = s.act->vsOneDnn
                    ? (*s.act->vsOneDnn <= kDenseTolerance ? "ok" : "MISMATCH")
                    : "unchecked";
      else if (s.act)
        check = whyNotRun(*s.act);
      rows.push_back({s.workload, std::to_string(s.threads),
                      s.best ? s.best->impl : "-", fmt(b, "%.1f"),
                      fmt(d, "%.1f"), fmt(a, "%.1f"), fmt(a / b), fmt(a / d),
                      check});
    }
    printTable(os, rows, 1, /*lastIsText=*/true);
  }

  llvm::json::Value jsonReport(const FlopsRun &run) const override {
    llvm::json::Array workloads, summary;
    for (const DenseWorkload &w : o.workloads)
      workloads.push_back(workloadJson(w));
    for (const FlopsSummary &s : summaries(run)) {
      double d = oneDnnGflops(run, s);
      llvm::json::Object entry = s.json();
      entry["onednn_gflops"] = finiteOrNull(d);
      entry["act_vs_onednn"] = finiteOrNull(s.actGflops / d);
      summary.push_back(std::move(entry));
    }
    return flopsReportJson(
        flopsMetaJson("dense", o, kDenseTolerance,
                      "flops / median time; 2 m k n per matmul", run.info),
        run, std::move(workloads), std::move(summary));
  }

private:
  /// oneDNN's (weights as given) GFLOP/s where `s` is, NaN if none.
  static double oneDnnGflops(const FlopsRun &run, const FlopsSummary &s) {
    const FlopsResult *r =
        findResult(run.results, s.workload, "onednn", s.threads);
    return r ? r->gflops() : NAN;
  }

  const DenseOptions &o;
};
} // namespace

int act::bench::runDenseSuite(const DenseOptions &o) {
  return runFlopsSuite(DenseRun(o));
}
