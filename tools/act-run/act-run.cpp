//===- act-run.cpp - Compile and run one function of an act module -*- C++
//-*-===//
//
// iree-run-module for act: parses a module, lowers one function with the
// act-to-llvm pipeline, JITs it for this machine and calls it on inputs given
// on the command line or in .npy files; prints or saves the results, checks
// them against a double-precision reference (--verify) or times the call
// (--benchmark).
//
//===----------------------------------------------------------------------===//

#include "act/Conversion/Passes.h"
#include "act/InitAll.h"
#include "act/Runner/HostTensor.h"
#include "act/Runner/Interpreter.h"
#include "act/Runner/Runner.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/DialectRegistry.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/InitAllDialects.h"
#include "mlir/InitAllExtensions.h"
#include "mlir/InitAllPasses.h"
#include "mlir/Parser/Parser.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Target/LLVMIR/Dialect/Builtin/BuiltinToLLVMIRTranslation.h"
#include "mlir/Target/LLVMIR/Dialect/LLVMIR/LLVMToLLVMIRTranslation.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/WithColor.h"
#include "llvm/Support/raw_ostream.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <malloc.h>

using namespace mlir;
using namespace mlir::act::runner;
namespace cl = llvm::cl;

static cl::OptionCategory category("act-run options");

static cl::opt<std::string> inputFile(cl::Positional, cl::desc("<FILE.mlir>"),
                                      cl::Required, cl::cat(category));
static cl::opt<std::string>
    functionName("function",
                 cl::desc("The function to run (default: the only one)"),
                 cl::value_desc("NAME"), cl::cat(category));
static cl::list<std::string> inputs(
    "input",
    cl::desc("An argument, in order: @FILE.npy, SHAPExTYPE=v1 v2 ... (e.g. "
             "2x3xf32=1,2,3,4,5,6; f32=1.5 is a scalar), "
             "SHAPExTYPE=random:SEED (uniform in [-8, 8)) or "
             "SHAPExTYPE=splat:V. A bf16 argument takes an f32 .npy"),
    cl::value_desc("SPEC"), cl::cat(category));
static cl::list<std::string>
    outputs("output",
            cl::desc("@FILE.npy: write the next result there instead of "
                     "printing it (bf16 is written as f32)"),
            cl::value_desc("@FILE.npy"), cl::cat(category));
static cl::list<std::string> expects(
    "expect",
    cl::desc("@FILE.npy: compare the next result with these values (e.g. "
             "PyTorch's, from act-import); exit 2 if max |result - expected| "
             "exceeds --expect-tolerance times max |expected|, or if a NaN or "
             "infinity differs"),
    cl::value_desc("@FILE.npy"), cl::cat(category));
static cl::opt<double> expectTolerance(
    "expect-tolerance",
    cl::desc("The bound of --expect, relative to the largest |expected| of "
             "the result (default 1e-5: both sides round in f32, in "
             "different orders, so the error scales with the tensor, not "
             "with each element)"),
    cl::init(1e-5), cl::cat(category));
static cl::opt<bool> verify(
    "verify",
    cl::desc("Compare the results with a double-precision evaluation of the "
             "IR (after act-raise: an imported activation is evaluated as the "
             "act op it is compiled as); exit 2 if one is off by more than the "
             "documented "
             "bound of its ops (docs/Accuracy.md) or --verify-ulp, or, for a "
             "result that depends on a contraction, a reduction or other "
             "arithmetic, by more than the error bound propagated through "
             "its ops (docs/Accuracy.md, \"Contractions and fused chains\")"),
    cl::cat(category));
static cl::opt<double> verifyUlp(
    "verify-ulp",
    cl::desc("The bound for --verify, in ulps of the result type (default: "
             "the largest documented bound of the function's ops in precise "
             "mode; none in fast mode). For a propagated bound: the least "
             "allowed"),
    cl::cat(category));
static cl::opt<double> verifyTolerance(
    "verify-tolerance",
    cl::desc("Scales the propagated error bound of --verify (default 1)"),
    cl::init(1.0), cl::cat(category));
static cl::opt<bool> benchmark(
    "benchmark",
    cl::desc("Time the call: one first call, then --benchmark-repetitions "
             "calls on the same inputs. Each time includes the malloc of the "
             "results (the code allocates them) but not their free; freed "
             "memory is kept for reuse (no fresh pages per call). Results "
             "are not printed"),
    cl::cat(category));
static cl::opt<unsigned>
    repetitions("benchmark-repetitions",
                cl::desc("Timed calls after the first (default 10)"),
                cl::init(10), cl::cat(category));
enum class BenchFormat { text, json };
static cl::opt<BenchFormat> benchFormat(
    "benchmark-format", cl::desc("How --benchmark reports"),
    cl::values(clEnumValN(BenchFormat::text, "text", "lines of text"),
               clEnumValN(BenchFormat::json, "json", "one JSON object")),
    cl::init(BenchFormat::text), cl::cat(category));
static cl::opt<std::string>
    targetCpu("target-cpu",
              cl::desc("'host' (default) or an LLVM x86-64 CPU name; code for "
                       "a CPU with wider vectors than this one cannot run"),
              cl::init("host"), cl::cat(category));
[[maybe_unused]] static const bool threadsReleased = releaseLLVMThreadsOption();
static cl::opt<unsigned>
    threads("threads",
            cl::desc("Threads the kernels run on (act-to-llvm's threads): 0 "
                     "(default) all cores, 1 single-threaded, N"),
            cl::init(0), cl::cat(category));
static cl::opt<act::MathMode>
    mathMode("math", cl::desc("Accuracy of exp, tanh, erf, ..."),
             act::mathModeValues(), cl::init(act::MathMode::precise),
             cl::cat(category));

static int fail(const llvm::Twine &message) {
  llvm::WithColor::error(llvm::errs(), "act-run") << message << "\n";
  return 1;
}

static int fail(llvm::Error error) {
  return fail(llvm::toString(std::move(error)));
}

/// Checks `given` against argument `i` of the signature; converts an f32
/// .npy for a bf16 argument (numpy has no bf16).
static llvm::Error checkInput(unsigned i, const TensorSpec &spec,
                              HostTensor &given, bool fromNpy) {
  if (spec.isScalar && given.getRank() == 0 && given.getKind() == spec.kind)
    return llvm::Error::success();
  if (fromNpy && spec.kind == ElementKind::bf16 &&
      given.getKind() == ElementKind::f32 &&
      spec.matchesShape(given.getShape())) {
    given = given.convertTo(ElementKind::bf16);
    return llvm::Error::success();
  }
  if (!spec.isScalar && spec.matches(given))
    return llvm::Error::success();
  std::string givenType = given.getTypeString();
  if (given.getRank() == 0 && spec.isScalar)
    givenType = getElementKindName(given.getKind()).str();
  return llvm::createStringError("input #" + std::to_string(i) + ": expected " +
                                 spec.str() + ", given " + givenType);
}

namespace {
struct ExpectComparison {
  /// Over the elements where both are finite.
  double maxAbs = 0;
  /// The largest finite |expected| (at least the smallest normal f32, so
  /// that an all-zero expectation allows only tiny errors).
  double scale = 0;
  int64_t worstIndex = -1;
  /// The first element where a NaN or an infinity differs; -1 if none.
  int64_t mismatchIndex = -1;
};
} // namespace

/// --expect: both sides are f32 computations that round in different orders,
/// so the error is measured against the tensor's scale, not per element;
/// non-finite values must match exactly (NaN with NaN, infinities by sign).
static ExpectComparison compareWithExpected(const HostTensor &got,
                                            const HostTensor &expected) {
  ExpectComparison c;
  c.scale = std::numeric_limits<float>::min();
  for (int64_t i = 0, e = expected.getNumElements(); i < e; ++i) {
    double want = expected.get(i);
    if (std::isfinite(want))
      c.scale = std::max(c.scale, std::fabs(want));
  }
  for (int64_t i = 0, e = expected.getNumElements(); i < e; ++i) {
    double want = expected.get(i), have = got.get(i);
    if (!std::isfinite(want) || !std::isfinite(have)) {
      bool same = std::isnan(want) ? std::isnan(have) : have == want;
      if (!same && c.mismatchIndex < 0)
        c.mismatchIndex = i;
      continue;
    }
    double err = std::fabs(have - want);
    if (err > c.maxAbs || c.worstIndex < 0) {
      c.maxAbs = std::max(c.maxAbs, err);
      c.worstIndex = i;
    }
  }
  return c;
}

static std::string formatSeconds(double s) {
  char buf[32];
  if (s < 1e-3)
    std::snprintf(buf, sizeof(buf), "%.2f us", s * 1e6);
  else if (s < 1)
    std::snprintf(buf, sizeof(buf), "%.3f ms", s * 1e3);
  else
    std::snprintf(buf, sizeof(buf), "%.3f s", s);
  return buf;
}

int main(int argc, char **argv) {
  llvm::InitLLVM initLLVM(argc, argv);
  // Keep freed memory for reuse, as PyTorch's caching allocator does: with
  // glibc's defaults every call's multi-MiB results and intermediates come
  // from fresh mmap'd pages, and their page faults were a third of a dense
  // layer's backward (62 -> 44 ms).
  mallopt(M_MMAP_THRESHOLD, 1 << 30);
  mallopt(M_TRIM_THRESHOLD, 1 << 30);
  cl::HideUnrelatedOptions(category);
  cl::ParseCommandLineOptions(
      argc, argv,
      "act-run: compile a function with act-to-llvm, JIT it and run it\n");

  // Parse.
  std::unique_ptr<MLIRContext> contextOwner = createContext();
  MLIRContext &context = *contextOwner;

  std::string errorMessage;
  auto file = llvm::MemoryBuffer::getFileOrSTDIN(inputFile);
  if (!file)
    return fail("cannot open " + inputFile + ": " + file.getError().message());
  llvm::SourceMgr sourceMgr;
  sourceMgr.AddNewSourceBuffer(std::move(*file), llvm::SMLoc());
  OwningOpRef<ModuleOp> module;
  {
    FirstError parseError(&context);
    module = parseSourceFile<ModuleOp>(sourceMgr, &context);
    if (!module)
      return fail(parseError.str().empty() ? "cannot parse " + inputFile
                                           : parseError.str());
  }

  // Find the function.
  SmallVector<func::FuncOp> funcs(module->getOps<func::FuncOp>());
  auto listFunctions = [&] {
    std::string names;
    for (func::FuncOp f : funcs)
      if (!f.isExternal())
        names += (names.empty() ? "@" : ", @") + f.getSymName().str();
    return names.empty() ? std::string("none") : names;
  };
  func::FuncOp func;
  if (functionName.empty()) {
    if (funcs.size() != 1)
      return fail("--function=NAME is needed; available: " + listFunctions());
    func = funcs.front();
  } else {
    func = module->lookupSymbol<func::FuncOp>(functionName);
    if (!func || func.isExternal())
      return fail("no function @" + functionName + " in " + inputFile +
                  "; available: " + listFunctions());
  }
  StringRef name = func.getSymName();

  auto signature = getSignature(func);
  if (!signature)
    return fail("@" + name + ": " + llvm::toString(signature.takeError()));
  std::vector<TensorSpec> &argSpecs = signature->first;
  std::vector<TensorSpec> &resultSpecs = signature->second;

  // Results the machine cannot hold fail here, not in the compiled code.
  for (auto [i, spec] : llvm::enumerate(resultSpecs))
    if (llvm::Expected<uint64_t> bytes =
            spec.hasStaticShape() ? checkTensorBytes(spec.kind, spec.shape)
                                  : llvm::Expected<uint64_t>(0);
        !bytes)
      return fail("@" + name + " result #" + Twine(i) + ": " +
                  llvm::toString(bytes.takeError()));

  // Inputs.
  if (inputs.size() != argSpecs.size())
    return fail("@" + name + " takes " + Twine(argSpecs.size()) +
                " inputs, given " + Twine(inputs.size()));
  std::vector<HostTensor> args;
  for (auto [i, spec] : llvm::enumerate(inputs)) {
    llvm::Expected<HostTensor> t = parseInputSpec(spec);
    if (!t)
      return fail(t.takeError());
    if (llvm::Error err =
            checkInput(i, argSpecs[i], *t, StringRef(spec).starts_with("@")))
      return fail(std::move(err));
    args.push_back(std::move(*t));
  }
  if (outputs.size() > resultSpecs.size())
    return fail("@" + name + " has " + Twine(resultSpecs.size()) +
                " results, given " + Twine(outputs.size()) + " --output");
  for (const std::string &out : outputs)
    if (!StringRef(out).starts_with("@"))
      return fail("--output takes @FILE.npy, given '" + out + "'");

  std::vector<HostTensor> expectedResults;
  if (expects.size() > resultSpecs.size())
    return fail("@" + name + " has " + Twine(resultSpecs.size()) +
                " results, given " + Twine(expects.size()) + " --expect");
  for (auto [i, spec] : llvm::enumerate(expects)) {
    if (!StringRef(spec).starts_with("@"))
      return fail("--expect takes @FILE.npy, given '" + spec + "'");
    llvm::Expected<HostTensor> t = readNpy(StringRef(spec).drop_front());
    if (!t)
      return fail(t.takeError());
    const TensorSpec &want = resultSpecs[i];
    if (!want.matchesShape(t->getShape()))
      return fail("--expect #" + Twine(i) + ": result #" + Twine(i) + " is " +
                  want.str() + ", " + spec.substr(1) + " holds " +
                  t->getTypeString());
    expectedResults.push_back(std::move(*t));
  }

  // The reference first, on the original IR, so that an unsupported op
  // fails before any compiling.
  // It evaluates the IR after act-raise: imported activations are checked
  // against the act ops they are compiled as (docs/Importing.md lists where
  // an act op and the formula it replaces differ).
  std::vector<RefTensor> reference;
  if (verify) {
    std::vector<RefTensor> refArgs;
    for (const HostTensor &t : args)
      refArgs.push_back(toRefTensor(t));
    InterpretOptions interpretOptions;
    interpretOptions.math = mathMode;
    OwningOpRef<ModuleOp> raised = module->clone();
    PassManager raise(&context);
    raise.addNestedPass<func::FuncOp>(act::createActRaisePass());
    if (failed(raise.run(*raised)))
      return fail("internal error in act: act-raise failed on " + inputFile +
                  " (please report this input)");
    auto r = interpret(raised->lookupSymbol<func::FuncOp>(name), refArgs,
                       interpretOptions);
    if (!r)
      return fail(r.takeError());
    reference = std::move(*r);
  }

  // Compile.
  CompileOptions options;
  options.targetCpu = targetCpu;
  options.math = mathMode;
  options.threads = threads;
  auto compiled = CompiledFunction::compile(*module, name, options);
  if (!compiled)
    return fail(compiled.takeError());

  // Run.
  SmallVector<const HostTensor *> argPtrs;
  for (const HostTensor &t : args)
    argPtrs.push_back(&t);
  std::vector<HostTensor> results;
  double firstCall;
  (*compiled)->call(argPtrs, &results, &firstCall);

  for (auto [i, out] : llvm::enumerate(outputs))
    if (llvm::Error err = writeNpy(StringRef(out).drop_front(), results[i]))
      return fail(std::move(err));
  if (!benchmark)
    // A result that is checked (--expect) or written is not printed.
    for (size_t i = std::max(outputs.size(), expects.size());
         i < results.size(); ++i)
      printTensor(llvm::outs(), results[i]);

  int exitCode = 0;
  if (verify) {
    for (auto [i, got] : llvm::enumerate(results)) {
      const RefTensor &expected = reference[i];
      AccuracyBound bound = getDocumentedBound(func, i, got.getKind());
      if (verifyUlp.getNumOccurrences())
        bound.ulps = verifyUlp;
      // In fast mode the act ops have no documented bound; a propagated
      // bound is infinite where it depends on them.
      else if (mathMode == act::MathMode::fast && !expected.propagated)
        bound.ulps = std::numeric_limits<double>::infinity();
      Comparison c =
          expected.propagated
              ? compareWithBound(got, expected, bound, verifyTolerance)
              : compare(got, expected, bound);
      bool ok =
          expected.propagated ? c.maxBoundUse <= 1 : c.maxUlp <= bound.ulps;
      llvm::outs() << "result #" << i << ": max abs "
                   << llvm::format("%.2g", c.maxAbs) << ", max rel "
                   << llvm::format("%.2g", c.maxRel) << ", max ulp "
                   << llvm::format("%.1f", c.maxUlp);
      if (expected.propagated)
        llvm::outs() << ", bound use " << llvm::format("%.2g", c.maxBoundUse);
      if (c.worstIndex >= 0) {
        llvm::outs() << " (at index "
                     << formatIndex(got.getShape(), c.worstIndex) << ": got "
                     << llvm::format("%.9g", c.worstGot) << ", expected "
                     << llvm::format("%.9g", c.worstExpected);
        if (expected.propagated)
          llvm::outs() << ", allowed " << llvm::format("%.2g", c.worstAllowed);
        llvm::outs() << ")";
      }
      llvm::outs() << " - " << (ok ? "ok" : "FAILED") << " (";
      if (expected.propagated) {
        llvm::outs() << "propagated bound";
        if (verifyTolerance != 1)
          llvm::outs() << " x"
                       << llvm::format("%g", verifyTolerance.getValue());
        llvm::outs() << ", at least ";
      } else {
        llvm::outs() << "bound ";
      }
      llvm::outs() << llvm::format("%g", bound.ulps) << " ulp";
      if (bound.floor > 0)
        llvm::outs() << " above " << llvm::format("%g", bound.floor);
      llvm::outs() << ")\n";
      if (!ok)
        exitCode = 2;
    }
  }

  for (auto [i, expected] : llvm::enumerate(expectedResults)) {
    if (results[i].getShape() != expected.getShape())
      return fail("--expect #" + Twine(i) + ": result #" + Twine(i) + " is " +
                  results[i].getTypeString() + ", " + expects[i].substr(1) +
                  " holds " + expected.getTypeString());
    ExpectComparison c = compareWithExpected(results[i], expected);
    bool ok = c.mismatchIndex < 0 && c.maxAbs <= expectTolerance * c.scale;
    llvm::outs() << "result #" << i << " vs " << expects[i].substr(1)
                 << ": max abs " << llvm::format("%.2g", c.maxAbs)
                 << ", max |expected| " << llvm::format("%.3g", c.scale);
    int64_t worst = c.mismatchIndex >= 0 ? c.mismatchIndex : c.worstIndex;
    if (worst >= 0)
      llvm::outs() << " (at index " << formatIndex(results[i].getShape(), worst)
                   << ": got " << llvm::format("%.9g", results[i].get(worst))
                   << ", expected " << llvm::format("%.9g", expected.get(worst))
                   << ")";
    llvm::outs() << " - " << (ok ? "ok" : "FAILED") << " (tolerance "
                 << llvm::format("%g", expectTolerance.getValue())
                 << " x max |expected|)\n";
    if (!ok)
      exitCode = 2;
  }

  if (benchmark) {
    std::vector<double> times(repetitions);
    for (double &t : times)
      (*compiled)->call(argPtrs, nullptr, &t);
    std::sort(times.begin(), times.end());
    double minT = times.empty() ? firstCall : times.front();
    double maxT = times.empty() ? firstCall : times.back();
    double median = firstCall;
    if (!times.empty())
      median =
          times.size() % 2
              ? times[times.size() / 2]
              : (times[times.size() / 2 - 1] + times[times.size() / 2]) / 2;
    int64_t bytes = 0;
    for (const HostTensor &t : args)
      bytes += t.getSizeInBytes();
    for (const HostTensor &t : results)
      bytes += t.getSizeInBytes();
    double gbps = minT > 0 ? bytes / minT / 1e9 : 0;
    // The contractions' FLOPs, from the inputs' shapes.
    SmallVector<SmallVector<int64_t>> argShapes;
    for (const HostTensor &t : args)
      argShapes.emplace_back(t.getShape());
    std::optional<int64_t> flops = countContractionFlops(func, argShapes);
    double gflops = flops && minT > 0 ? *flops / minT / 1e9 : 0;
    std::string flopsJson = "null", gflopsJson = "null";
    if (flops) {
      flopsJson = std::to_string(*flops);
      char buf[32];
      std::snprintf(buf, sizeof(buf), "%.3f", gflops);
      gflopsJson = buf;
    }
    double pipeline = (*compiled)->getPipelineSeconds();
    double jit = (*compiled)->getJitSeconds();
    if (benchFormat == BenchFormat::json) {
      llvm::outs() << llvm::format(
          "{\"function\": \"%s\", \"target\": \"%s\", \"repetitions\": %u, "
          "\"compile_pipeline_ms\": %.3f, \"compile_jit_ms\": %.3f, "
          "\"first_call_us\": %.3f, \"min_us\": %.3f, \"median_us\": %.3f, "
          "\"max_us\": %.3f, \"bytes\": %lld, \"gb_per_s\": %.3f, "
          "\"flops\": %s, \"gflop_per_s\": %s}\n",
          name.str().c_str(), targetCpu.c_str(), repetitions.getValue(),
          pipeline * 1e3, jit * 1e3, firstCall * 1e6, minT * 1e6, median * 1e6,
          maxT * 1e6, static_cast<long long>(bytes), gbps, flopsJson.c_str(),
          gflopsJson.c_str());
    } else {
      llvm::outs() << "@" << name << " on "
                   << (*compiled)->getTargetDescription().split(' ').first
                   << "\n"
                   << "compile: pipeline " << formatSeconds(pipeline)
                   << ", JIT " << formatSeconds(jit) << "\n"
                   << "first call: " << formatSeconds(firstCall) << "\n"
                   << repetitions << " calls: min " << formatSeconds(minT)
                   << ", median " << formatSeconds(median) << ", max "
                   << formatSeconds(maxT) << "\n"
                   << "bandwidth: " << llvm::format("%.2f", gbps) << " GB/s ("
                   << bytes << " bytes in + out at the min)\n";
      if (!flops)
        llvm::outs() << "compute: unknown (a contraction's loop ranges are "
                        "dynamic)\n";
      else if (*flops > 0)
        llvm::outs() << "compute: " << llvm::format("%.2f", gflops)
                     << " GFLOP/s (" << *flops
                     << " FLOPs of contractions at the min)\n";
    }
  }
  return exitCode;
}
