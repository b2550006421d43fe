//===- Torch.h - PyTorch's kernels as act-bench peers -----------*- C++ -*-===//
//
// Runs tools/act-bench/torch_peers.py under a Python with torch and reads
// back its measurements of the same workloads (aten's `out=` kernels, one
// thread, reused buffers), as "torch" results.
//
//===----------------------------------------------------------------------===//

#ifndef ACT_BENCH_TORCH_H
#define ACT_BENCH_TORCH_H

#include "Bench.h"

#include "llvm/Support/Error.h"
#include "llvm/Support/JSON.h"

#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace act {
namespace bench {

/// The project's virtual environment's python, if it exists ("" if not).
std::string defaultTorchPython();

/// Runs `python script` with `request` as its stdin and parses its stdout as
/// JSON; `env` replaces the environment if given. Errors start "--torch: ".
llvm::Expected<llvm::json::Value> runPythonJson(
    llvm::StringRef python, llvm::StringRef script,
    const llvm::json::Value &request,
    std::optional<llvm::ArrayRef<llvm::StringRef>> env = std::nullopt);

/// Runs a suite's peers `script` under `python` and environment `env`
/// (runPythonJson) and checks that the answer is an object with a "results"
/// array, one row per measurement.
llvm::Expected<llvm::json::Value> runPeers(llvm::StringRef python,
                                           llvm::StringRef script,
                                           const llvm::json::Value &request,
                                           llvm::ArrayRef<std::string> env);

/// The rows of a runPeers answer: the objects of its "results".
std::vector<const llvm::json::Object *>
peerRows(const llvm::json::Object &answer);

/// The times of a peer's result row: its "min", "median", "max" and "first"
/// seconds, NaN where missing.
Measurement peerTimes(const llvm::json::Object &row, int repetitions);

/// The rest of a peer's row into `r`: its times, whether it ran (a finite
/// median), its compile time, CPU per wall time, error and note.
void readPeerResult(const llvm::json::Object &row, int repetitions,
                    FlopsResult &r);

/// Appends the "skipped" lines of a peers' answer to `skipped`.
void readPeerSkipped(const llvm::json::Object &answer,
                     std::vector<std::string> &skipped);
/// Appends the "info" entries (versions, libraries) of a peers' answer to
/// `info`.
void readPeerInfo(const llvm::json::Object &answer,
                  std::vector<std::pair<std::string, std::string>> &info);

/// The error for a peer's row of a workload it was not asked for.
llvm::Error unknownPeerWorkload(llvm::StringRef name);

/// Measures `workloads` with PyTorch under `python`; workloads torch has no
/// `out=` kernel for are missing from the result.
llvm::Expected<std::vector<Result>>
measureTorch(llvm::StringRef python, const std::vector<Workload> &workloads,
             int repetitions, int warmup);

} // namespace bench
} // namespace act

#endif // ACT_BENCH_TORCH_H
