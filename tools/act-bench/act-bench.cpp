//===- act-bench.cpp - act's kernels against copy and oneDNN --------------===//
//
// One command: measures copy bandwidth and every workload with every
// implementation in the same run, prints a per-measurement table and a
// per-workload summary, and optionally writes JSON. Single thread, f32.
//
//===----------------------------------------------------------------------===//

#include "Act.h"
#include "Bench.h"
#include "OneDnn.h"
#include "Torch.h"

#include "act/Pipelines/Pipelines.h"

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
  double cpu = processCpuSeconds(), wall = wallSeconds();
  r.time = measure(kernel.run, warmup, repetitions);
  r.cpuPerWall = (processCpuSeconds() - cpu) / (wallSeconds() - wall);
  llvm::errs() << llvm::format("  %-22s %-12s %9.3f ms  %7.2f GB/s  cpu/wall "
                               "%.2f\n",
                               workload.c_str(), impl.c_str(), r.time.min * 1e3,
                               r.gbps(), r.cpuPerWall);
  return r;
}

int main(int argc, char **argv) {
  llvm::InitLLVM init(argc, argv);
  // libLLVM registers hundreds of options of its own; show only ours.
  cl::HideUnrelatedOptions(benchCategory);
  cl::ParseCommandLineOptions(
      argc, argv,
      "act-bench: act's activation kernels against memcpy, streaming copy "
      "and oneDNN\n");
  if (size < 1 || repetitions < 1 || warmup < 0) {
    llvm::errs() << "act-bench: need --size >= 1, --repetitions >= 1 and "
                    "--warmup >= 0\n";
    return 1;
  }

  std::vector<Workload> workloads = allWorkloads(size);
  if (!filter.empty()) {
    llvm::Regex re(filter);
    std::string error;
    if (!re.isValid(error)) {
      llvm::errs() << "act-bench: bad --filter: " << error << "\n";
      return 1;
    }
    llvm::erase_if(workloads,
                   [&](const Workload &w) { return !re.match(w.name); });
  }
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
  uint64_t state = 0x9e3779b97f4a7c15ull;
  for (int64_t i = 0; i < capacity; ++i) {
    state = state * 6364136223846793005ull + 1442695040888963407ull;
    in.get()[i] = float(int32_t(state >> 32)) * (10.0f / 2147483648.0f);
  }
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
  std::string python =
      torchPython == "auto" ? defaultTorchPython() : torchPython.getValue();
  if (!python.empty() && python != "none") {
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
  if (!unsupported.empty()) {
    llvm::outs() << "\nunsupported:\n";
    for (const std::string &u : unsupported)
      llvm::outs() << "  " << u << "\n";
  }

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
    writeJson(
        os,
        {{"cpu", cpuModel()},
         {"onednn", dnnlInfo},
         {"repetitions", std::to_string(repetitions)},
         {"warmup", std::to_string(warmup)},
         {"eltwise_size", std::to_string(size)},
         {"math",
          mathMode == mlir::act::math::MathMode::fast ? "fast" : "precise"},
         {"gbps", "(input + output bytes) / min time"}},
        results);
  }
  return wrong ? 2 : 0;
}
