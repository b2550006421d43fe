//===- FlopsSuite.h - What the dense and attention suites share -*- C++ -*-===//
//
// The dense and attention suites run and report the same way; they differ in
// their workloads, oneDNN's kernels, the Python peers' requests and the
// summary columns. What they share is written once here: their common
// options, the run itself (runFlopsSuite: oneDNN here and act in a child
// process, every output checked against the double reference and oneDNN,
// the Python peers' rows, the ceilings, the per-thread tables, the list of
// wrong outputs, the JSON and the chart), and the pieces their own parts
// build on. Each suite implements FlopsSuite.
//
//===----------------------------------------------------------------------===//

#ifndef ACT_BENCH_FLOPSSUITE_H
#define ACT_BENCH_FLOPSSUITE_H

#include "Bench.h"
#include "Dense.h"
#include "Machine.h"

#include "act/Dialect/Act/Transforms/MathEmitter.h"

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/raw_ostream.h"

#include <cmath>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace act {
namespace bench {

/// The options of the dense and attention suites (each adds its workloads).
struct FlopsSuiteOptions {
  std::vector<int> threads;
  int repetitions = 10, warmup = 2;
  /// Those of the suite's implementations to run.
  std::vector<std::string> impls;
  /// The Python of the Python peers ("" for none) and of the chart.
  std::string python, chartPython;
  /// act's kernels are compiled and run in a child process (this program,
  /// `self`, in worker mode; ActWorker.h): a crash or hang of act's compiler
  /// costs one row, not the run.
  std::string self;
  unsigned compileTimeout = 120, runTimeout = 600;
  mlir::act::math::MathMode math = mlir::act::math::MathMode::precise;
  /// Floats per copy for the bandwidth reference.
  int64_t copyFloats = 16 << 20;
  std::string jsonFile, chartFile;

  bool wants(llvm::StringRef impl) const {
    return llvm::is_contained(impls, impl);
  }
  bool wantsAny(llvm::ArrayRef<const char *> some) const {
    return llvm::any_of(some, [&](const char *impl) { return wants(impl); });
  }
};

/// A workload's inputs, allocated, filled and kept for its runs.
struct InputBuffers {
  std::vector<DenseInput> specs;
  std::vector<std::unique_ptr<Buffer>> buffers;
  /// In `specs` order.
  std::vector<const float *> inputs;
  /// `fill(i, data)` writes input i of `specs`.
  InputBuffers(std::vector<DenseInput> specs,
               llvm::function_ref<void(size_t, float *)> fill);
};

/// The child side of act's measurement (ActWorker.h) of a workload with
/// `inputs` and an output of `outShape`.
int serveFlopsWorker(llvm::StringRef moduleText, const InputBuffers &inputs,
                     const std::vector<int64_t> &outShape, int threads,
                     llvm::StringRef outFile, int repetitions, int warmup,
                     mlir::act::math::MathMode math,
                     llvm::StringRef mallocNote = "malloc+copy",
                     llvm::StringRef inPlaceNote = "in place");

/// What a run has measured and gathered, for the suite's own parts.
struct FlopsRun {
  /// The better of the ceilings measured before and after the kernels.
  std::vector<Ceiling> ceilings;
  std::vector<FlopsResult> results;
  /// Implementations that did not run and why; failures of the harness.
  std::vector<std::string> skipped, errors;
  /// Versions and libraries, for the JSON's meta.
  std::vector<std::pair<std::string, std::string>> info;
};

/// Runs the Python peers `script` for those of `impls` the options want, on
/// `workloads` (as the script reads them, each with its "name" and
/// "flops"), under the environment `env`: their rows (at `tolerance`) and
/// notes into `run`, a failure into run.errors.
void measurePythonPeers(const FlopsSuiteOptions &o, llvm::StringRef script,
                        llvm::ArrayRef<const char *> impls,
                        const llvm::json::Array &workloads,
                        llvm::ArrayRef<std::string> env, double tolerance,
                        FlopsRun &run);

/// Why `r` did not run, from its note: "compile timeout", "compile failed",
/// "run failed", "not run".
std::string whyNotRun(const FlopsResult &r);

/// One workload at one thread count in a suite's summary: the best peer (the
/// fastest correct non-act implementation) and act.
struct FlopsSummary {
  std::string workload;
  int threads = 1;
  const FlopsResult *best = nullptr, *act = nullptr;
  /// GFLOP/s, NaN where there is none.
  double bestGflops = NAN, actGflops = NAN;
  FlopsSummary(const std::vector<FlopsResult> &results,
               llvm::StringRef workload, int threads);
  /// The JSON summary entry as far as every suite has it (the workload, the
  /// best peer, act against it and whether act matches oneDNN).
  llvm::json::Object json() const;
};

/// The JSON "meta" of a suite: its name, the options, the tolerance, what
/// GFLOP/s means (`gflops`) and the peers' `info`.
llvm::json::Object
flopsMetaJson(llvm::StringRef suite, const FlopsSuiteOptions &o,
              double tolerance, llvm::StringRef gflops,
              const std::vector<std::pair<std::string, std::string>> &info);

/// The JSON of a run: `meta`, the machine (machineJson), `workloads`, a row
/// per result and `summary`.
llvm::json::Value flopsReportJson(llvm::json::Object meta, const FlopsRun &run,
                                  llvm::json::Array workloads,
                                  llvm::json::Array summary);

/// A workload as runFlopsSuite sees it.
struct FlopsWorkload {
  std::string name;
  double flops = 0;
  int64_t outFloats = 0;
  /// Its inputs, made as every process makes them.
  std::function<InputBuffers()> inputs;
  /// The error of an output `out` (from `inputs`) against the double
  /// reference.
  std::function<double(llvm::ArrayRef<const float *> inputs, const float *out)>
      referenceError;
  /// oneDNN's kernel `impl` from `inputs` into `out`, or nullopt with the
  /// reason in `why`.
  std::function<std::optional<Kernel>(llvm::StringRef impl,
                                      llvm::ArrayRef<const float *> inputs,
                                      float *out, std::string *why)>
      makeOneDnn;
};

/// `workloads` (each with a name, flops() and outElements()) as
/// runFlopsSuite sees them: the suite's functions make their inputs, check
/// an output against the double reference and make oneDNN's kernels. The
/// workloads must outlive the result.
template <typename Workload>
std::vector<FlopsWorkload> flopsWorkloads(
    const std::vector<Workload> &workloads,
    InputBuffers (*inputs)(const Workload &),
    double (*referenceError)(const Workload &, llvm::ArrayRef<const float *>,
                             const float *),
    std::optional<Kernel> (*makeOneDnn)(const Workload &, llvm::StringRef,
                                        llvm::ArrayRef<const float *>, float *,
                                        std::string *)) {
  std::vector<FlopsWorkload> out;
  for (const Workload &w : workloads)
    out.push_back(
        {w.name, w.flops(), w.outElements(), [&w, inputs] { return inputs(w); },
         [&w, referenceError](llvm::ArrayRef<const float *> in,
                              const float *y) {
           return referenceError(w, in, y);
         },
         [&w, makeOneDnn](
             llvm::StringRef impl, llvm::ArrayRef<const float *> in, float *y,
             std::string *why) { return makeOneDnn(w, impl, in, y, why); }});
  return out;
}

/// A GFLOP/s suite as runFlopsSuite runs it: its constants, its workloads and
/// the parts of the run and the reports in which the dense and attention
/// suites differ.
class FlopsSuite {
public:
  struct Description {
    /// "dense", "attention": the banner, the JSON's meta.suite, the
    /// temporary files.
    const char *name;
    /// The implementations in table order.
    llvm::ArrayRef<const char *> impls;
    /// oneDNN's, measured in this process in this order; the first one's
    /// output is what every later output is compared with.
    llvm::ArrayRef<const char *> oneDnnImpls;
    /// An error or a difference from oneDNN above this is a wrong output;
    /// both are relative to `scale` ("max |Y|").
    double tolerance;
    const char *scale;
    /// The width of the workload column of the progress lines.
    int nameWidth;
    /// The arguments before --act-worker=NAME that make this program the
    /// suite's worker (ActWorker.h).
    llvm::ArrayRef<const char *> workerArgs;
    /// Draws the chart from the JSON.
    const char *chartScript;
  };

  FlopsSuite(const FlopsSuiteOptions &options, Description description,
             std::vector<FlopsWorkload> workloads)
      : options(options), description(description),
        workloads(std::move(workloads)) {}
  virtual ~FlopsSuite() = default;

  const FlopsSuiteOptions &options;
  const Description description;
  const std::vector<FlopsWorkload> workloads;

  /// Every workload at every thread count, in the order of the summaries.
  std::vector<FlopsSummary> summaries(const FlopsRun &run) const;

  /// Measures the Python peers, if any are to run, into `run`.
  virtual void measurePeers(FlopsRun &run) const = 0;
  /// The summary table after the per-thread tables.
  virtual void printSummary(llvm::raw_ostream &os,
                            const FlopsRun &run) const = 0;
  /// The JSON of the run (flopsMetaJson, flopsReportJson).
  virtual llvm::json::Value jsonReport(const FlopsRun &run) const = 0;
};

/// Runs `suite`: oneDNN and act (in a child process) on every workload at
/// every thread count, then the Python peers, between two measurements of
/// the ceilings; then the tables, the JSON and the chart. Returns 0, 1 for
/// an error of the harness (a peer's script, the chart), 2 when an output
/// is wrong (against the double reference or oneDNN).
int runFlopsSuite(const FlopsSuite &suite);

} // namespace bench
} // namespace act

#endif // ACT_BENCH_FLOPSSUITE_H
