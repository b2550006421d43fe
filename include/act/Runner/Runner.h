//===- Runner.h - Compile and call a function with the JIT --------*- C++
//-*-===//
//
// act-run's engine: lowers one function of a module with the act-to-llvm
// pipeline, JIT-compiles it for the host (or a named CPU) with
// mlir::ExecutionEngine, and calls it through its C interface
// (_mlir_ciface_NAME) on HostTensors.
//
//===----------------------------------------------------------------------===//

#ifndef ACT_RUNNER_RUNNER_H
#define ACT_RUNNER_RUNNER_H

#include "act/Pipelines/Pipelines.h"
#include "act/Runner/HostTensor.h"

#include "mlir/IR/BuiltinTypes.h"

#include "mlir/IR/Diagnostics.h"
#include "mlir/Support/LLVM.h"
#include "llvm/Support/Error.h"

#include <memory>
#include <string>
#include <vector>

namespace mlir {
class ExecutionEngine;
class MLIRContext;
class ModuleOp;
namespace func {
class FuncOp;
} // namespace func

namespace act {
namespace runner {

/// The static type of one argument or result: a ranked tensor (or a float
/// scalar, `isScalar`) of a supported element type.
struct TensorSpec {
  ElementKind kind = ElementKind::f32;
  SmallVector<int64_t> shape;
  bool isScalar = false;

  /// "tensor<4x?xf32>": a dynamic size prints as ?.
  std::string str() const;
  bool hasStaticShape() const {
    return llvm::none_of(shape, ShapedType::isDynamic);
  }
  /// Whether `other` is this shape, any size where this one's is dynamic.
  bool matchesShape(ArrayRef<int64_t> other) const {
    if (other.size() != shape.size())
      return false;
    for (auto [want, have] : llvm::zip(shape, other))
      if (!ShapedType::isDynamic(want) && want != have)
        return false;
    return true;
  }
  bool matches(const HostTensor &t) const {
    return t.getKind() == kind && matchesShape(t.getShape());
  }
};

/// The signature of `func` in act-run's terms; fails (naming the offending
/// argument or result) for dynamic shapes or unsupported types.
llvm::Expected<std::pair<std::vector<TensorSpec>, std::vector<TensorSpec>>>
getSignature(func::FuncOp func);

struct CompileOptions {
  std::string targetCpu = "host";
  MathMode math = MathMode::precise;
  /// act-to-llvm's `threads`: 0 all cores, 1 single-threaded, N.
  unsigned threads = 0;
  /// The LLVM IR optimizer's and code generator's level for the JIT (0-3);
  /// below 3 only where compile time matters more than the code (act-fuzz).
  unsigned jitOptLevel = 3;
};

/// libLLVM registers an undocumented global `-threads` option of its own;
/// a tool that offers act-to-llvm's `--threads` calls this from a static
/// initializer placed before its option, which then takes the name.
bool releaseLLVMThreadsOption();

/// Captures the first error reported on a context while it lives, as
/// "file:line:col: message" when the error has a file location: the one line
/// the tools print for a failed parse, pipeline or JIT.
class FirstError {
public:
  explicit FirstError(MLIRContext *context);
  const std::string &str() const { return message; }

private:
  std::string message;
  ScopedDiagnosticHandler handler;
};

/// The memref descriptor of a dense row-major buffer, as the C interface
/// takes it: {allocated, aligned, offset 0, sizes[r], strides[r]}, every
/// field 8 bytes.
SmallVector<int64_t> makeMemRefDescriptor(const void *data,
                                          ArrayRef<int64_t> shape);

/// A context for act's tools: act's and every upstream dialect, extension
/// and LLVM IR translation, with all passes registered (once) so that the
/// act-to-llvm pipeline, which is built from pass names, can be parsed.
std::unique_ptr<MLIRContext> createContext();

/// JITs a module already lowered to the LLVM dialect, for `targetCpu`
/// ("host" or a CPU name; refused when its vectors are wider than the
/// host's), with the target machine given to both the LLVM IR optimizer and
/// code generation. `targetDescription` receives the CPU and features.
llvm::Expected<std::unique_ptr<ExecutionEngine>>
jitLoweredModule(ModuleOp lowered, StringRef targetCpu,
                 std::string *targetDescription = nullptr,
                 unsigned optLevel = 3);

class CompiledFunction {
public:
  /// Lowers a clone of `module` (which is not modified) and JITs it. The
  /// pipeline's passes must be registered (act::registerAllPasses and
  /// mlir::registerAllPasses).
  static llvm::Expected<std::unique_ptr<CompiledFunction>>
  compile(ModuleOp module, StringRef name, const CompileOptions &options);
  ~CompiledFunction();

  /// Calls the function. `inputs` must match the signature (the caller
  /// checks). Results are copied into `results` when it is non-null, and the
  /// buffers the generated code malloc'ed are freed. `seconds` receives the
  /// time of the call alone (which includes the result mallocs).
  void call(ArrayRef<const HostTensor *> inputs,
            std::vector<HostTensor> *results, double *seconds = nullptr);

  ArrayRef<TensorSpec> getArgSpecs() const { return argSpecs; }
  ArrayRef<TensorSpec> getResultSpecs() const { return resultSpecs; }
  double getPipelineSeconds() const { return pipelineSeconds; }
  double getJitSeconds() const { return jitSeconds; }
  /// The CPU and features of the target machine the JIT used.
  StringRef getTargetDescription() const { return targetDescription; }

private:
  CompiledFunction() = default;

  std::unique_ptr<ExecutionEngine> engine;
  void (*packedFn)(void **) = nullptr;
  std::vector<TensorSpec> argSpecs, resultSpecs;
  double pipelineSeconds = 0, jitSeconds = 0;
  std::string targetDescription;
};

} // namespace runner
} // namespace act
} // namespace mlir

#endif // ACT_RUNNER_RUNNER_H
