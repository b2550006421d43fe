//===- Act.cpp - act's JIT-compiled kernels for act-bench -----------------===//
//
// Each workload becomes
//
//   func.func @k(%x: tensor<S> {bufferization.writable = false},
//                %out: memref<S>) {
//     %y = act.OP %x ... : tensor<S>
//     bufferization.materialize_in_destination %y in restrict writable %out
//     return
//   }
//
// lowered with act-to-llvm (whose eliminate-empty-tensors lets the kernel's
// loops store into %out itself: no malloc'ed result, whose pages would be
// touched afresh on every call, and no copy) and JIT-compiled by the
// runner's jitLoweredModule. The kernel note says "in place" when the
// lowered code has no malloc, and "malloc+copy" otherwise.
//
//===----------------------------------------------------------------------===//

#include "Act.h"

#include "act/InitAll.h"
#include "act/Pipelines/Pipelines.h"
#include "act/Runner/Runner.h"

#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/ExecutionEngine/ExecutionEngine.h"
#include "mlir/ExecutionEngine/OptUtils.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/DialectRegistry.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/InitAllDialects.h"
#include "mlir/InitAllExtensions.h"
#include "mlir/InitAllPasses.h"
#include "mlir/Parser/Parser.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Pass/PassRegistry.h"
#include "mlir/Target/LLVMIR/Dialect/Builtin/BuiltinToLLVMIRTranslation.h"
#include "mlir/Target/LLVMIR/Dialect/LLVMIR/LLVMToLLVMIRTranslation.h"
#include "llvm/ExecutionEngine/Orc/JITTargetMachineBuilder.h"
#include "llvm/Support/ErrorHandling.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/TargetSelect.h"
#include "llvm/Target/TargetMachine.h"

#include <chrono>
#include <memory>

using namespace act::bench;

static double now() {
  return std::chrono::duration<double>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

/// A float attribute value MLIR parses whatever the value (always with an
/// exponent, so never an integer literal).
static std::string f64(double v) {
  return llvm::formatv("{0:e16} : f64", v).str();
}

std::string act::bench::actModuleText(const Workload &w) {
  std::string shape;
  for (int64_t d : w.shape)
    shape += std::to_string(d) + "x";
  std::string tensor = "tensor<" + shape + "f32>";
  std::string memref = "memref<" + shape + "f32>";

  std::string op = w.op, operands = "%x", operandTypes = tensor, prelude;
  std::vector<std::string> attrs;
  if (op == "gelu_tanh") {
    op = "gelu";
    attrs.push_back("approximate = #act<approximate tanh>");
  }
  if (op == "prelu") {
    prelude = llvm::formatv("    %slope = arith.constant dense<{0:e16}> : "
                            "tensor<1xf32>\n",
                            double(kPreluSlope))
                  .str();
    operands += ", %slope";
    operandTypes += ", tensor<1xf32>";
  }
  for (const auto &[name, value] : w.attrs)
    attrs.push_back(name + " = " + f64(value));
  std::string attrDict;
  if (!attrs.empty())
    attrDict = " <{" + llvm::join(attrs, ", ") + "}>";

  return llvm::formatv(
             "func.func @k(%x: {0} {{bufferization.writable = false}, "
             "%out: {1}) attributes {{llvm.emit_c_interface} {\n"
             "{2}"
             "    %y = \"act.{3}\"({4}){5} : ({6}) -> {0}\n"
             "    bufferization.materialize_in_destination %y in restrict "
             "writable %out : ({0}, {1}) -> ()\n"
             "    return\n"
             "}\n",
             tensor, memref, prelude, op, operands, attrDict, operandTypes)
      .str();
}

namespace {
/// The context every act kernel is parsed and lowered in, with all dialects,
/// passes and LLVM IR translations act-run has.
struct ActState {
  std::unique_ptr<mlir::MLIRContext> context;
};
} // namespace

static ActState &getState() {
  static ActState state = [] {
    ActState s;
    s.context = mlir::act::runner::createContext();
    return s;
  }();
  return state;
}

std::string act::bench::mathName(mlir::act::math::MathMode math) {
  return math == mlir::act::math::MathMode::fast ? "fast" : "precise";
}

std::string act::bench::actMathOption(mlir::act::math::MathMode math) {
  return "math=" + mathName(math);
}

std::string act::bench::actJitNote(const ActCompiled &compiled,
                                   mlir::act::math::MathMode math,
                                   llvm::StringRef mallocNote,
                                   llvm::StringRef inPlaceNote) {
  return llvm::formatv(
             "jit {0}, {1}, {2} math, pipeline {3:f2}s + llvm "
             "{4:f2}s",
             compiled.cpu, compiled.mallocs ? mallocNote : inPlaceNote,
             mathName(math), compiled.pipelineSeconds, compiled.jitSeconds)
      .str();
}

std::optional<ActCompiled>
act::bench::compileAct(llvm::StringRef moduleText,
                       llvm::StringRef pipelineOptions, std::string *why) {
  auto fail = [&](const std::string &reason) -> std::optional<ActCompiled> {
    if (why)
      *why = reason;
    return std::nullopt;
  };
  ActState &state = getState();
  mlir::MLIRContext &context = *state.context;
  mlir::act::runner::FirstError firstError(&context);

  double start = now();
  mlir::OwningOpRef<mlir::ModuleOp> module =
      mlir::parseSourceString<mlir::ModuleOp>(moduleText, &context);
  if (!module)
    return fail("cannot parse the kernel: " + firstError.str());

  mlir::act::ActToLLVMPipelineOptions options;
  std::string optionError;
  llvm::raw_string_ostream optionErrorStream(optionError);
  if (failed(options.parseFromString(pipelineOptions, optionErrorStream)))
    return fail("act-to-llvm{" + pipelineOptions.str() + "}: " + optionError);
  mlir::PassManager pm(&context);
  mlir::act::buildActToLLVMPipeline(pm, options);
  if (failed(pm.run(*module)))
    return fail("act-to-llvm failed: " + firstError.str());
  ActCompiled compiled;
  compiled.pipelineSeconds = now() - start;
  module->walk([&](mlir::LLVM::CallOp call) {
    if (call.getCallee() == "malloc")
      compiled.mallocs = true;
  });

  double jitStart = now();
  std::string target;
  llvm::Expected<std::unique_ptr<mlir::ExecutionEngine>> created =
      mlir::act::runner::jitLoweredModule(*module, "host", &target);
  if (!created)
    return fail("cannot JIT: " + llvm::toString(created.takeError()));
  compiled.engine = std::move(*created);
  compiled.cpu = llvm::StringRef(target).split(' ').first.str();
  llvm::Expected<void *> symbol = compiled.engine->lookup("_mlir_ciface_k");
  if (!symbol)
    return fail("cannot JIT: " + llvm::toString(symbol.takeError()));
  compiled.function = *symbol;
  compiled.jitSeconds = now() - jitStart;
  return compiled;
}

std::function<void()> act::bench::bindAct(
    const ActCompiled &compiled,
    llvm::ArrayRef<std::pair<const void *, std::vector<int64_t>>> args) {
  // What the call needs, made once and owned by the kernel: the engine (the
  // code lives in it) and the descriptors the pointers point into.
  struct Bound {
    std::shared_ptr<mlir::ExecutionEngine> engine;
    std::vector<llvm::SmallVector<int64_t>> descriptors;
    std::vector<void *> p;
  };
  auto b = std::make_shared<Bound>();
  b->engine = compiled.engine;
  for (const auto &[data, shape] : args)
    b->descriptors.push_back(
        mlir::act::runner::makeMemRefDescriptor(data, shape));
  for (llvm::SmallVector<int64_t> &d : b->descriptors)
    b->p.push_back(d.data());
  void *f = compiled.function;
  // The C interface takes one pointer per memref argument.
  using P = void *;
  switch (b->p.size()) {
  case 2:
    return [b, f] { reinterpret_cast<void (*)(P, P)>(f)(b->p[0], b->p[1]); };
  case 3:
    return [b, f] {
      reinterpret_cast<void (*)(P, P, P)>(f)(b->p[0], b->p[1], b->p[2]);
    };
  case 4:
    return [b, f] {
      reinterpret_cast<void (*)(P, P, P, P)>(f)(b->p[0], b->p[1], b->p[2],
                                                b->p[3]);
    };
  case 5:
    return [b, f] {
      reinterpret_cast<void (*)(P, P, P, P, P)>(f)(b->p[0], b->p[1], b->p[2],
                                                   b->p[3], b->p[4]);
    };
  case 6:
    return [b, f] {
      reinterpret_cast<void (*)(P, P, P, P, P, P)>(f)(
          b->p[0], b->p[1], b->p[2], b->p[3], b->p[4], b->p[5]);
    };
  default:
    llvm::report_fatal_error("bindAct: unsupported number of arguments");
  }
}

std::optional<Kernel> act::bench::makeAct(const Workload &w, const float *in,
                                          float *out, std::string *why,
                                          mlir::act::math::MathMode math) {
  // The shared context is made on first use; that is not the kernel's cost.
  getState();
  double start = now();
  std::optional<ActCompiled> compiled =
      compileAct(actModuleText(w), actMathOption(math) + " threads=1", why);
  if (!compiled)
    return std::nullopt;
  Kernel kernel;
  kernel.setupSeconds = now() - start;
  kernel.note = actJitNote(*compiled, math);
  kernel.run = bindAct(*compiled, {{in, w.shape}, {out, w.shape}});
  return kernel;
}
