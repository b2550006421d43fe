//===- Runner.cpp - Compile and call a function with the JIT --------------===//

#include "act/Runner/Runner.h"
#include "act/Dialect/Act/Transforms/Target.h"
#include "act/InitAll.h"
#include "mlir/Dialect/OpenMP/OpenMPDialect.h"
#include "mlir/InitAllDialects.h"
#include "mlir/InitAllExtensions.h"
#include "mlir/InitAllPasses.h"
#include "mlir/Target/LLVMIR/Dialect/Builtin/BuiltinToLLVMIRTranslation.h"
#include "mlir/Target/LLVMIR/Dialect/LLVMIR/LLVMToLLVMIRTranslation.h"
#include "mlir/Target/LLVMIR/Dialect/OpenMP/OpenMPToLLVMIRTranslation.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/ExecutionEngine/ExecutionEngine.h"
#include "mlir/ExecutionEngine/OptUtils.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/SymbolTable.h"
#include "mlir/Pass/PassManager.h"
#include "llvm/ExecutionEngine/Orc/JITTargetMachineBuilder.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/TargetSelect.h"
#include "llvm/Target/TargetMachine.h"
#include "llvm/TargetParser/SubtargetFeature.h"

#include <chrono>
#include <cstdlib>
#include <cstring>

using namespace mlir;
using namespace mlir::act::runner;
using llvm::createStringError;

static double now() {
  return std::chrono::duration<double>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

std::string TensorSpec::str() const {
  if (isScalar)
    return getElementKindName(kind).str();
  std::string s = "tensor<";
  for (int64_t d : shape)
    s +=
        (ShapedType::isDynamic(d) ? std::string("?") : std::to_string(d)) + "x";
  return s + getElementKindName(kind).str() + ">";
}

static llvm::Expected<TensorSpec> getSpec(Type type, const Twine &what) {
  auto fail = [&](StringRef why) {
    std::string s;
    llvm::raw_string_ostream os(s);
    os << what << " has type " << type << ": " << why;
    return createStringError(s);
  };
  TensorSpec spec;
  Type elementType = type;
  if (auto tensor = dyn_cast<RankedTensorType>(type)) {
    // Dynamic sizes come from the inputs (and, for results, from the
    // descriptors the code returns).
    spec.shape.assign(tensor.getShape().begin(), tensor.getShape().end());
    elementType = tensor.getElementType();
  } else if (isa<FloatType>(type)) {
    spec.isScalar = true;
  } else {
    return fail("act-run supports ranked tensors and float scalars");
  }
  std::optional<ElementKind> kind = getElementKind(elementType);
  if (!kind)
    return fail("act-run supports f16, bf16, f32 and f64");
  spec.kind = *kind;
  return spec;
}

llvm::Expected<std::pair<std::vector<TensorSpec>, std::vector<TensorSpec>>>
act::runner::getSignature(func::FuncOp func) {
  std::vector<TensorSpec> args, results;
  FunctionType type = func.getFunctionType();
  for (auto [i, t] : llvm::enumerate(type.getInputs())) {
    llvm::Expected<TensorSpec> spec = getSpec(t, "argument #" + Twine(i));
    if (!spec)
      return spec.takeError();
    args.push_back(*spec);
  }
  for (auto [i, t] : llvm::enumerate(type.getResults())) {
    llvm::Expected<TensorSpec> spec = getSpec(t, "result #" + Twine(i));
    if (!spec)
      return spec.takeError();
    // A scalar result is returned by value (or in a padded struct), not
    // through a memref descriptor; nothing act compiles needs it.
    if (spec->isScalar)
      return createStringError("result #" + Twine(i) +
                               " is a scalar; act-run supports tensor results");
    results.push_back(*spec);
  }
  return std::make_pair(std::move(args), std::move(results));
}

/// The target machine for the JIT: the host's CPU and features, or a named
/// CPU (with the features that name implies). Given to both the LLVM IR
/// optimizer (for its cost model) and code generation.
static llvm::Expected<std::unique_ptr<llvm::TargetMachine>>
createTargetMachine(StringRef cpu) {
  static bool initialized = [] {
    llvm::InitializeNativeTarget();
    llvm::InitializeNativeTargetAsmPrinter();
    return true;
  }();
  (void)initialized;
  llvm::Expected<llvm::orc::JITTargetMachineBuilder> jtmb =
      llvm::orc::JITTargetMachineBuilder::detectHost();
  if (!jtmb)
    return jtmb.takeError();
  {
    std::string error;
    FailureOr<act::TargetInfo> target = act::resolveTarget(cpu, error);
    if (failed(target))
      return createStringError(error);
    FailureOr<act::TargetInfo> host = act::resolveTarget("host", error);
    // Running code for wider vectors than the host has dies with SIGILL.
    if (cpu != "host" && succeeded(host) &&
        target->vectorBits > host->vectorBits)
      return createStringError(
          "--target-cpu=" + cpu.str() + " uses " +
          Twine(target->vectorBits).str() + "-bit vectors; this host has " +
          Twine(host->vectorBits).str() + "-bit ones, so the code cannot run");
    jtmb->setCPU(target->cpu);
    jtmb->getFeatures() = llvm::SubtargetFeatures(target->features);
  }
  jtmb->setCodeGenOptLevel(llvm::CodeGenOptLevel::Aggressive);
  return jtmb->createTargetMachine();
}

bool act::runner::releaseLLVMThreadsOption() {
  auto &options = llvm::cl::getRegisteredOptions();
  auto it = options.find("threads");
  if (it != options.end())
    it->second->removeArgument();
  return true;
}

std::unique_ptr<MLIRContext> act::runner::createContext() {
  static bool registered = [] {
    mlir::registerAllPasses();
    act::registerAllPasses();
    return true;
  }();
  (void)registered;
  DialectRegistry registry;
  mlir::registerAllDialects(registry);
  mlir::registerAllExtensions(registry);
  act::registerAllDialects(registry);
  registerBuiltinDialectTranslation(registry);
  registerLLVMDialectTranslation(registry);
  registerOpenMPDialectTranslation(registry);
  auto context = std::make_unique<MLIRContext>(registry);
  context->loadAllAvailableDialects();
  return context;
}

llvm::Expected<std::unique_ptr<ExecutionEngine>>
act::runner::jitLoweredModule(ModuleOp lowered, StringRef targetCpu,
                              std::string *targetDescription,
                              unsigned optLevel) {
  llvm::Expected<std::unique_ptr<llvm::TargetMachine>> tm =
      createTargetMachine(targetCpu);
  if (!tm)
    return tm.takeError();
  if (targetDescription)
    *targetDescription =
        ((*tm)->getTargetCPU() + " " + (*tm)->getTargetFeatureString()).str();
  ExecutionEngineOptions engineOptions;
  optLevel = std::min(optLevel, 3u);
  auto transformer = makeOptimizingTransformer(optLevel, 0, tm->get());
  engineOptions.transformer = transformer;
  engineOptions.jitCodeGenOptLevel =
      static_cast<llvm::CodeGenOptLevel>(optLevel);
  // memrefCopy and friends, should the lowering ever call them.
  SmallVector<StringRef> libs;
  if (llvm::sys::fs::exists(ACT_RUNNER_C_RUNNER_UTILS))
    libs.push_back(ACT_RUNNER_C_RUNNER_UTILS);
  // Multi-threaded kernels call the OpenMP runtime (libomp, LLVM's).
  bool usesOpenMP = lowered
                        .walk([](Operation *op) {
                          return isa<omp::OpenMPDialect>(op->getDialect())
                                     ? WalkResult::interrupt()
                                     : WalkResult::advance();
                        })
                        .wasInterrupted();
  if (usesOpenMP) {
    if (!llvm::sys::fs::exists(ACT_RUNNER_OPENMP))
      return createStringError(
          "the kernels are multi-threaded but the OpenMP runtime " +
          Twine(ACT_RUNNER_OPENMP) +
          " is missing (tools/setup.sh installs libomp-22-dev; or compile "
          "with threads=1)");
    libs.push_back(ACT_RUNNER_OPENMP);
  }
  engineOptions.sharedLibPaths = libs;
  FirstError firstError(lowered.getContext());
  auto engine = ExecutionEngine::create(lowered, engineOptions, std::move(*tm));
  if (!engine) {
    std::string msg = llvm::toString(engine.takeError());
    if (!firstError.str().empty())
      msg += ": " + firstError.str();
    return createStringError(msg);
  }
  (*engine)->initialize();
  return std::move(*engine);
}

llvm::Expected<std::unique_ptr<CompiledFunction>>
CompiledFunction::compile(ModuleOp module, StringRef name,
                          const CompileOptions &options) {
  std::unique_ptr<CompiledFunction> result(new CompiledFunction());
  auto func = SymbolTable::lookupNearestSymbolFrom<func::FuncOp>(
      module, StringAttr::get(module.getContext(), name));
  if (!func)
    return createStringError("no function @" + name.str());
  auto signature = getSignature(func);
  if (!signature)
    return signature.takeError();
  result->argSpecs = std::move(signature->first);
  result->resultSpecs = std::move(signature->second);

  // Lower a clone that holds only what @name needs, so that unrelated
  // functions cannot fail the pipeline.
  OwningOpRef<ModuleOp> clone = module.clone();
  bool erased = true;
  while (erased) {
    erased = false;
    for (auto f : llvm::make_early_inc_range(clone->getOps<func::FuncOp>()))
      if (f.getSymName() != name &&
          SymbolTable::symbolKnownUseEmpty(f, *clone)) {
        f.erase();
        erased = true;
      }
  }
  auto cloneFunc = SymbolTable::lookupNearestSymbolFrom<func::FuncOp>(
      *clone, StringAttr::get(module.getContext(), name));
  cloneFunc->setAttr("llvm.emit_c_interface",
                     UnitAttr::get(module.getContext()));
  // Read-only arguments: the kernel may not reuse input buffers for its
  // results, so inputs survive a call (--benchmark reuses them).
  for (unsigned i = 0; i < cloneFunc.getNumArguments(); ++i)
    if (isa<TensorType>(cloneFunc.getArgument(i).getType()))
      cloneFunc.setArgAttr(i, "bufferization.writable",
                           BoolAttr::get(module.getContext(), false));

  double start = now();
  {
    FirstError firstError(module.getContext());
    PassManager pm(module.getContext());
    act::ActToLLVMPipelineOptions pipelineOptions;
    pipelineOptions.targetCpu = options.targetCpu;
    pipelineOptions.math = options.math;
    pipelineOptions.threads = options.threads;
    act::buildActToLLVMPipeline(pm, pipelineOptions);
    if (failed(pm.run(*clone)))
      return createStringError(
          "cannot compile @" + name.str() + ": " +
          (firstError.str().empty()
               ? std::string("act's pipeline failed without a "
                             "diagnostic (a bug in act: please "
                             "report it with this input)")
               : firstError.str()));
  }
  result->pipelineSeconds = now() - start;

  start = now();
  llvm::Expected<std::unique_ptr<ExecutionEngine>> engine =
      jitLoweredModule(*clone, options.targetCpu, &result->targetDescription,
                       options.jitOptLevel);
  if (!engine)
    return createStringError("cannot JIT @" + name.str() + ": " +
                             llvm::toString(engine.takeError()));
  result->engine = std::move(*engine);
  auto fn = result->engine->lookupPacked(("_mlir_ciface_" + name).str());
  if (!fn)
    return createStringError("cannot JIT @" + name.str() + ": " +
                             llvm::toString(fn.takeError()));
  result->packedFn = *fn;
  result->jitSeconds = now() - start;
  return std::move(result);
}

CompiledFunction::~CompiledFunction() = default;

act::runner::FirstError::FirstError(MLIRContext *context)
    : handler(context, [this](Diagnostic &diag) {
        if (diag.getSeverity() != DiagnosticSeverity::Error || !message.empty())
          return success();
        llvm::raw_string_ostream os(message);
        auto loc = dyn_cast<FileLineColLoc>(diag.getLocation());
        if (loc && !loc.getFilename().getValue().empty())
          os << loc.getFilename().getValue() << ":" << loc.getLine() << ":"
             << loc.getColumn() << ": ";
        os << diag.str();
        return success();
      }) {}

SmallVector<int64_t>
act::runner::makeMemRefDescriptor(const void *data, ArrayRef<int64_t> shape) {
  int64_t rank = shape.size();
  SmallVector<int64_t> desc(3 + 2 * rank);
  desc[0] = desc[1] = reinterpret_cast<intptr_t>(data);
  desc[2] = 0;
  int64_t stride = 1;
  for (int64_t d = rank - 1; d >= 0; --d) {
    desc[3 + d] = shape[d];
    desc[3 + rank + d] = stride;
    stride *= shape[d];
  }
  return desc;
}

void CompiledFunction::call(ArrayRef<const HostTensor *> inputs,
                            std::vector<HostTensor> *results, double *seconds) {
  // The C interface takes a pointer to the results (one descriptor, or a
  // struct of descriptors, which has no padding) first, then a pointer to
  // each memref argument's descriptor or a scalar by value. The packed
  // wrapper wants a pointer to each of those parameters.
  size_t resultWords = 0;
  for (const TensorSpec &spec : resultSpecs)
    resultWords += 3 + 2 * spec.shape.size();
  SmallVector<int64_t> resultDescs(resultWords, 0);
  void *resultPtr = resultDescs.data();

  SmallVector<SmallVector<int64_t>> argDescs(inputs.size());
  SmallVector<void *> argPtrs(inputs.size());
  SmallVector<void *> packed;
  if (!resultSpecs.empty())
    packed.push_back(&resultPtr);
  for (auto [i, input] : llvm::enumerate(inputs)) {
    if (argSpecs[i].isScalar) {
      packed.push_back(const_cast<void *>(input->getData()));
      continue;
    }
    argDescs[i] = makeMemRefDescriptor(input->getData(), input->getShape());
    argPtrs[i] = argDescs[i].data();
    packed.push_back(&argPtrs[i]);
  }

  double start = now();
  packedFn(packed.data());
  if (seconds)
    *seconds = now() - start;

  if (results)
    results->clear();
  SmallVector<void *> freed;
  int64_t *desc = resultDescs.data();
  for (const TensorSpec &spec : resultSpecs) {
    auto *allocated = reinterpret_cast<char *>(desc[0]);
    auto *aligned = reinterpret_cast<char *>(desc[1]);
    int64_t offset = desc[2];
    if (results) {
      // The sizes and strides the code returned (dynamic sizes are known
      // only there); row-major results are copied at once.
      int64_t rank = spec.shape.size();
      ArrayRef<int64_t> sizes(desc + 3, rank), strides(desc + 3 + rank, rank);
      HostTensor t(spec.kind, sizes);
      int64_t elementSize = getElementKindSize(spec.kind);
      const char *base = aligned + offset * elementSize;
      bool rowMajor = true;
      for (int64_t d = rank - 1, expected = 1; d >= 0; --d) {
        rowMajor &= sizes[d] == 1 || strides[d] == expected;
        expected *= sizes[d];
      }
      if (rowMajor) {
        std::memcpy(t.getData(), base, t.getSizeInBytes());
      } else {
        char *out = static_cast<char *>(t.getData());
        for (int64_t i = 0, n = t.getNumElements(); i < n; ++i) {
          int64_t rest = i, at = 0;
          for (int64_t d = rank - 1; d >= 0; --d) {
            at += (rest % sizes[d]) * strides[d];
            rest /= sizes[d];
          }
          std::memcpy(out + i * elementSize, base + at * elementSize,
                      elementSize);
        }
      }
      results->push_back(std::move(t));
    }
    // The deallocation pipeline hands results over as fresh mallocs; still,
    // never free an input buffer or the same buffer twice. Freed only once
    // every result is copied: results may share a buffer (`return %0, %0`).
    bool isInput = llvm::any_of(inputs, [&](const HostTensor *in) {
      return in->getData() == allocated;
    });
    if (allocated && !isInput && !llvm::is_contained(freed, allocated))
      freed.push_back(allocated);
    desc += 3 + 2 * spec.shape.size();
  }
  for (void *p : freed)
    std::free(p);
}
