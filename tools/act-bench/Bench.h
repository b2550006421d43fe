//===- Bench.h - Timing harness, workloads and reports for act-bench -*- C++
//-*-===//
//
// The pieces of act-bench that know nothing about any implementation: the
// workloads, a timer over a callable, the result rows, the table and the JSON.
// An implementation (copy, oneDNN, act) only has to turn a workload and two
// preallocated buffers into a `Kernel`.
//
//===----------------------------------------------------------------------===//

#ifndef ACT_BENCH_BENCH_H
#define ACT_BENCH_BENCH_H

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/raw_ostream.h"

#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace act {
namespace bench {

/// The shared slope of the prelu workload (PyTorch's initial value).
constexpr float kPreluSlope = 0.25f;

/// One thing to measure: an act op over an f32 tensor of `shape`, with the op
/// attributes in `attrs` (all others at the op's defaults).
struct Workload {
  /// Unique; what --filter matches and the tables show, e.g.
  /// "softmax/4096x512".
  std::string name;
  /// The act op name (step, relu, ..., gelu_tanh = act.gelu approximate=tanh,
  /// softmax, log_softmax).
  std::string op;
  /// [n] for elementwise ops; [rows, cols] for the row ops (along cols).
  std::vector<int64_t> shape;
  /// Non-default op attributes, as they would be written on the act op.
  std::vector<std::pair<std::string, double>> attrs;

  bool isRowOp() const { return op == "softmax" || op == "log_softmax"; }
  int64_t elements() const;
  /// Input plus output, the traffic a bandwidth-bound kernel cannot avoid.
  double bytes() const { return 2.0 * 4.0 * double(elements()); }
  std::string shapeString() const;
};

/// The workloads of the suite: every elementwise op on `eltwiseSize` elements,
/// then softmax and log_softmax on [4096 x 4096] and [32768 x 512].
std::vector<Workload> allWorkloads(int64_t eltwiseSize);

/// A runnable kernel bound to its buffers, made once and called many times.
struct Kernel {
  std::function<void()> run;
  /// Seconds spent making it (primitive creation, JIT compilation, ...).
  double setupSeconds = 0;
  /// What actually runs, e.g. "eltwise_gelu_erf jit:avx2".
  std::string note;
};

/// Wall-clock times of one kernel, in seconds.
struct Measurement {
  double min = 0, median = 0, max = 0;
  /// The very first call, before any warm-up: what a one-shot user pays.
  double first = 0;
  int repetitions = 0;
};

/// Calls `kernel` once (timed as `first`), `warmup` times untimed, then
/// `reps` times timed.
Measurement measure(const std::function<void()> &kernel, int warmup, int reps);
/// The same, and the process's CPU time over wall time meanwhile (about 1
/// for a kernel on one thread) in `cpuPerWall`.
Measurement measure(const std::function<void()> &kernel, int warmup, int reps,
                    double &cpuPerWall);

/// One implementation on one workload.
struct Result {
  std::string workload;
  /// "memcpy", "stream_copy", "onednn" or "act".
  std::string impl;
  std::string shape;
  double bytes = 0;
  Measurement time;
  std::optional<double> flops;
  double setupSeconds = 0;
  std::string note;
  /// Worst max(|y - ref| / max(1, |ref|)) over a sample of the output, against
  /// act's double-precision reference; unset where not checked.
  std::optional<double> error;
  /// Process CPU time over wall time while measuring: about 1 when the kernel
  /// runs on one thread, as the suite intends.
  double cpuPerWall = 0;

  /// Bandwidth from the best (minimum) time: contention on a shared machine
  /// only ever adds time.
  double gbps() const { return bytes / time.min * 1e-9; }
  double medianGbps() const { return bytes / time.median * 1e-9; }
};

/// One implementation on one workload at one thread count, in GFLOP/s: the
/// rows of the dense and attention suites (FlopsSuite.h) and of the MLP
/// training step.
struct FlopsResult {
  std::string workload, impl;
  int threads = 1;
  double flops = 0;
  /// The suite's: an error or a difference from oneDNN above it is a wrong
  /// output.
  double tolerance = 0;
  /// False when it did not run (see note).
  bool measured = false;
  Measurement time;
  /// Compile or primitive-creation time, outside the timing.
  double setupSeconds = NAN;
  double cpuPerWall = NAN;
  /// Relative to the largest reference value, against the double reference
  /// (Dense.h, Attention.h: on the checked rows).
  std::optional<double> error;
  /// max |out - out_oneDNN| / max |out_oneDNN| over the whole output,
  /// against oneDNN (weights as given) at the same thread count.
  std::optional<double> vsOneDnn;
  std::string note;

  FlopsResult() = default;
  FlopsResult(std::string workload, std::string impl, int threads, double flops,
              double tolerance)
      : workload(std::move(workload)), impl(std::move(impl)), threads(threads),
        flops(flops), tolerance(tolerance) {}

  /// From the median: these kernels run for milliseconds, where the median
  /// is robust to the other jobs of a shared machine and the minimum is a
  /// lucky draw.
  double gflops() const { return measured ? flops / time.median * 1e-9 : NAN; }
  double minGflops() const { return measured ? flops / time.min * 1e-9 : NAN; }
  bool wrong() const {
    return (error && !(*error <= tolerance)) ||
           (vsOneDnn && !(*vsOneDnn <= tolerance));
  }
  /// The JSON row as far as every GFLOP/s report has it: the times, GFLOP/s,
  /// the check and the note.
  llvm::json::Object json() const;
};

/// The result of `impl` on `workload` at `threads` among `results` (of
/// FlopsResult or a row like it), if any.
template <typename Row>
const Row *findResult(const std::vector<Row> &results, llvm::StringRef workload,
                      llvm::StringRef impl, int threads) {
  for (const Row &r : results)
    if (r.workload == workload && r.impl == impl && r.threads == threads)
      return &r;
  return nullptr;
}

/// The error reported for NaN or Inf where the reference is finite (or the
/// other way round); also the cap of any error.
constexpr double kWrongOutput = 1e9;
/// An error above this is a wrong result, not rounding (f32 kernels with
/// polynomial approximations are at ~1e-6).
constexpr double kErrorTolerance = 1e-4;

/// The worst error (see Result::error) of `out` for `w` over the input `in`,
/// on a strided sample of elements (elementwise) or rows (row ops); nullopt
/// for an op the reference here does not know.
std::optional<double> checkOutput(const Workload &w, const float *in,
                                  const float *out);

/// Fills `data` with `n` deterministic values in [-bound, bound) from a 64-bit
/// LCG started at `seed`: every process that asks gets the same numbers (act's
/// kernels are measured in a child process that makes its own inputs).
void fillUniform(float *data, int64_t n, uint64_t seed, float bound);

/// A buffer of floats, 2 MiB aligned so streaming stores and any vector width
/// are aligned (and transparent huge pages could back it).
class Buffer {
public:
  explicit Buffer(int64_t n);
  float *get() const { return data.get(); }

private:
  std::unique_ptr<float, decltype(&std::free)> data{nullptr, &std::free};
};

/// Seconds on a monotonic clock.
double wallSeconds();
/// CPU seconds of the whole process (all its threads).
double processCpuSeconds();
/// The CPU's model name from /proc/cpuinfo ("unknown" if absent).
std::string cpuModel();

/// `v` formatted with `spec`, or "-" if it is not finite.
std::string fmt(double v, const char *spec = "%.2f");
/// Milliseconds with at least 3 significant digits, without an exponent.
std::string milliseconds(double seconds);
/// "1,2,8".
std::string joinThreads(llvm::ArrayRef<int> threads);
/// `v` as a JSON number, or null if it is not finite (JSON has no NaN).
llvm::json::Value finiteOrNull(double v);
/// Prints rows of cells in aligned columns; the first `leftColumns` columns
/// (names) and, if `lastIsText`, the last one are left-aligned, the rest
/// (numbers) right-aligned.
void printTable(llvm::raw_ostream &os,
                const std::vector<std::vector<std::string>> &rows,
                size_t leftColumns, bool lastIsText = false);

/// "\n`title`:\n" and an indented line per entry of `lines`; nothing if
/// there are none (the skipped or unsupported rows of a run).
void printNotes(llvm::raw_ostream &os, llvm::StringRef title,
                const std::vector<std::string> &lines);

/// The result of `impl` on `workload`, if any.
const Result *findResult(const std::vector<Result> &results,
                         llvm::StringRef workload, llvm::StringRef impl);

/// One line per workload: copy, oneDNN and act bandwidth and the ratios
/// ("-" where an implementation has none). The copy column is the better of
/// the "copy" results that move as many bytes as the workload.
void printSummary(llvm::raw_ostream &os, const std::vector<Workload> &workloads,
                  const std::vector<Result> &results);
/// Every result with its min/median/max/first times.
void printDetails(llvm::raw_ostream &os, const std::vector<Result> &results);
/// {"meta": {...}, "rows": [...]}, every number of every result.
void writeJson(llvm::raw_ostream &os,
               const std::vector<std::pair<std::string, std::string>> &meta,
               const std::vector<Result> &results);

/// Writes `report` to `jsonFile` (a temporary file when only a chart is
/// asked for) and draws `chartFile` from it with `chartScript` run by
/// `chartPython`; failures are appended to `errors`.
void writeReportAndChart(const llvm::json::Value &report,
                         llvm::StringRef jsonFile, llvm::StringRef chartFile,
                         llvm::StringRef chartPython,
                         llvm::StringRef chartScript,
                         llvm::StringRef tempPrefix,
                         std::vector<std::string> &errors);

/// The end of a suite's run: writeReportAndChart, then every error on
/// stderr; returns the exit status, 2 when an output was `wrong`, else 1
/// after any error, else 0.
int finishSuite(const llvm::json::Value &report, llvm::StringRef jsonFile,
                llvm::StringRef chartFile, llvm::StringRef chartPython,
                llvm::StringRef chartScript, llvm::StringRef tempPrefix,
                std::vector<std::string> &errors, bool wrong);

} // namespace bench
} // namespace act

#endif
