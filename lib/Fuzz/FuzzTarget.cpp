//===- FuzzTarget.cpp - One fuzz input through act's tools ----------------===//

#include "act/Fuzz/Fuzz.h"
#include "act/Pipelines/Pipelines.h"
#include "act/Runner/HostTensor.h"
#include "act/Runner/Runner.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Parser/Parser.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Transforms/Passes.h"
#include "llvm/Support/MathExtras.h"

#include <cmath>
#include <cstring>
#include <limits>

using namespace mlir;
using namespace mlir::act;
using namespace mlir::act::fuzz;

StringRef fuzz::getStageName(Stage stage) {
  switch (stage) {
  case Stage::parseFailed:
    return "parse-failed";
  case Stage::tooBig:
    return "too-big";
  case Stage::canonicalizeFailed:
    return "canonicalize-failed";
  case Stage::pipelineFailed:
    return "pipeline-failed";
  case Stage::lowered:
    return "lowered";
  case Stage::ran:
    return "ran";
  case Stage::numStages:
    break;
  }
  return "?";
}

int64_t fuzz::getElementCount(ArrayRef<int64_t> shape) {
  int64_t count = 1;
  for (int64_t d : shape)
    if (d < 0 || llvm::MulOverflow(count, d, count))
      return -1;
  return count;
}

/// Whether a static shape of `type` (or of a type nested in it) has more
/// elements than `max`.
static bool isTooBig(Type type, int64_t max) {
  bool tooBig = false;
  type.walk([&](ShapedType shaped) {
    if (!shaped.hasRank())
      return;
    SmallVector<int64_t> sizes;
    for (int64_t d : shaped.getShape())
      sizes.push_back(ShapedType::isDynamic(d) ? 1 : d);
    int64_t count = getElementCount(sizes);
    tooBig |= count < 0 || count > max;
  });
  return tooBig;
}

static bool hasTooBigType(ModuleOp module, int64_t max) {
  return module
      ->walk([&](Operation *op) {
        auto check = [&](Type t) { return isTooBig(t, max); };
        bool tooBig = llvm::any_of(op->getResultTypes(), check);
        for (Region &region : op->getRegions())
          for (Block &block : region)
            tooBig |= llvm::any_of(block.getArgumentTypes(), check);
        op->getAttrDictionary().walk([&](Type t) { tooBig |= check(t); });
        return tooBig ? WalkResult::interrupt() : WalkResult::advance();
      })
      .wasInterrupted();
}

/// Inputs with the values that break kernels: signed zeros, infinities,
/// NaN, subnormals, large and small magnitudes.
static runner::HostTensor makeInput(const runner::TensorSpec &spec,
                                    unsigned salt) {
  static const double values[] = {0.5,
                                  -1.25,
                                  0.0,
                                  -0.0,
                                  3.0,
                                  -7.5,
                                  1e-3,
                                  88.0,
                                  -88.0,
                                  1e30,
                                  std::numeric_limits<double>::infinity(),
                                  -std::numeric_limits<double>::infinity(),
                                  std::numeric_limits<double>::quiet_NaN(),
                                  1e-40,
                                  20.0,
                                  -0.3};
  runner::HostTensor t(spec.kind, spec.shape);
  for (int64_t i = 0, n = t.getNumElements(); i < n; ++i)
    t.set(i, values[(i * 7 + salt) % std::size(values)]);
  return t;
}

/// Whether `func` is small and static enough to run.
static bool isRunnable(func::FuncOp func, const FuzzLimits &limits) {
  if (func.isExternal())
    return false;
  auto signature = runner::getSignature(func);
  if (!signature) {
    llvm::consumeError(signature.takeError());
    return false;
  }
  auto small = [&](const runner::TensorSpec &spec) {
    if (!spec.hasStaticShape())
      return false;
    int64_t count = getElementCount(spec.shape);
    return count >= 0 && count <= limits.maxRunElements;
  };
  return llvm::all_of(signature->first, small) &&
         llvm::all_of(signature->second, small);
}

/// Lowers `func` (act-run's way: a clone with what it calls), JITs it and
/// calls it on special values; fails where the lowering or the JIT fails.
static LogicalResult runFunction(ModuleOp module, func::FuncOp func) {
  runner::CompileOptions options;
  options.threads = 1;
  // The JIT's LLVM optimizations are LLVM's to test and cost most of the
  // time of an input: act's code is what runs either way.
  options.jitOptLevel = 0;
  auto compiled =
      runner::CompiledFunction::compile(module, func.getSymName(), options);
  if (!compiled) {
    llvm::consumeError(compiled.takeError());
    return failure();
  }
  std::vector<runner::HostTensor> inputs;
  for (auto [i, spec] : llvm::enumerate((*compiled)->getArgSpecs()))
    inputs.push_back(makeInput(spec, i));
  SmallVector<const runner::HostTensor *> inputPtrs;
  for (const runner::HostTensor &t : inputs)
    inputPtrs.push_back(&t);
  std::vector<runner::HostTensor> results;
  (*compiled)->call(inputPtrs, &results);
  return success();
}

/// Inputs that crash upstream MLIR 22's parser (docs/Testing.md, "Fuzzing"),
/// which act cannot prevent: skipped so that a run finds something new.
static bool hitsKnownUpstreamCrash(StringRef text) {
  // linalg.transpose's parser dereferences a null attribute when its
  // permutation is not a well-formed list.
  for (size_t at = text.find("permutation = "); at != StringRef::npos;
       at = text.find("permutation = ", at + 1)) {
    StringRef rest = text.drop_front(at + strlen("permutation = "));
    if (!rest.consume_front("["))
      return true;
    size_t close = rest.find(']');
    if (close == StringRef::npos || rest.take_front(close).find_first_not_of(
                                        "0123456789, ") != StringRef::npos)
      return true;
  }
  // The named matmuls' region builders call through a null pointer for an
  // index element type.
  return text.contains("matmul") && text.contains("xindex>");
}

fuzz::Target::Target(FuzzLimits limits, unsigned contextLifetime)
    : limits(limits), contextLifetime(contextLifetime) {}

fuzz::Target::~Target() = default;

Stage fuzz::Target::runOneInput(StringRef text) {
  if (!context || inputs++ % contextLifetime == 0) {
    context = runner::createContext();
    // One thread: reproducible, and a pool per context would be slow to
    // start; no IR printed with each (captured and dropped) diagnostic.
    context->disableMultithreading();
    context->printOpOnDiagnostic(false);
    context->printStackTraceOnDiagnostic(false);
  }
  MLIRContext *ctx = context.get();
  // Diagnostics are the expected outcome of most inputs: keep them quiet.
  ScopedDiagnosticHandler quiet(ctx, [](Diagnostic &) { return success(); });

  if (hitsKnownUpstreamCrash(text))
    return Stage::parseFailed;
  // Parsing verifies, as act-opt does.
  ParserConfig config(ctx);
  OwningOpRef<ModuleOp> module = parseSourceString<ModuleOp>(text, config);
  if (!module)
    return Stage::parseFailed;
  if (hasTooBigType(*module, limits.maxElements))
    return Stage::tooBig;

  {
    PassManager pm(ctx);
    pm.addPass(createCanonicalizerPass());
    if (failed(pm.run(*module)))
      return Stage::canonicalizeFailed;
  }
  // Canonicalization may make types (a reshape's result) no input had.
  if (hasTooBigType(*module, limits.maxElements))
    return Stage::tooBig;

  SmallVector<func::FuncOp> functions, runnable;
  for (auto func : module->getOps<func::FuncOp>())
    if (!func.isExternal()) {
      functions.push_back(func);
      if (limits.run && isRunnable(func, limits))
        runnable.push_back(func);
    }
  // When every function will be lowered on its own to run it, lowering the
  // whole module first would only repeat that.
  bool runAll = !runnable.empty() && runnable.size() == functions.size() &&
                runnable.size() <= limits.maxRunFunctions;
  if (!runAll) {
    OwningOpRef<ModuleOp> lowered = module->clone();
    PassManager pm(ctx);
    ActToLLVMPipelineOptions options;
    options.threads = 1;
    buildActToLLVMPipeline(pm, options);
    if (failed(pm.run(*lowered)))
      return Stage::pipelineFailed;
  }
  if (runnable.size() > limits.maxRunFunctions)
    runnable.resize(limits.maxRunFunctions);
  bool ran = false;
  for (func::FuncOp func : runnable) {
    if (failed(runFunction(*module, func)))
      return Stage::pipelineFailed;
    ran = true;
  }
  return ran ? Stage::ran : Stage::lowered;
}
