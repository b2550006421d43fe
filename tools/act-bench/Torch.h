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

/// Measures `workloads` with PyTorch under `python`; workloads torch has no
/// `out=` kernel for are missing from the result.
llvm::Expected<std::vector<Result>>
measureTorch(llvm::StringRef python, const std::vector<Workload> &workloads,
             int repetitions, int warmup);

} // namespace bench
} // namespace act

#endif // ACT_BENCH_TORCH_H
