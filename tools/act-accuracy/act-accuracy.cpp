//===- act-accuracy.cpp - Accuracy sweeps of the f32 activations -*- C++
//-*-===//
//
// Compiles each elementwise activation with act-to-llvm, runs it on all 2^32
// f32 bit patterns (--all) or every K-th plus the special values and the
// neighbourhoods of 0, +-1 and the op's kinks (--stride=K), and reports the
// largest error in ulps against the double reference rounded to f32, the
// NaN/infinity/zero-sign mismatches and the results at the special values.
//
//===----------------------------------------------------------------------===//

#include "act/InitAll.h"
#include "act/Runner/Sweep.h"

#include "mlir/IR/DialectRegistry.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/InitAllDialects.h"
#include "mlir/InitAllExtensions.h"
#include "mlir/InitAllPasses.h"
#include "mlir/Target/LLVMIR/Dialect/Builtin/BuiltinToLLVMIRTranslation.h"
#include "mlir/Target/LLVMIR/Dialect/LLVMIR/LLVMToLLVMIRTranslation.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/WithColor.h"
#include "llvm/Support/raw_ostream.h"

#include <chrono>
#include <cmath>
#include <cstdio>
#ifdef __GLIBC__
#include <malloc.h>
#endif

using namespace mlir;
using namespace mlir::act::runner;
namespace cl = llvm::cl;

static cl::OptionCategory category("act-accuracy options");

static cl::opt<bool> all("all", cl::desc("Sweep all 2^32 f32 bit patterns"),
                         cl::cat(category));
static cl::opt<uint64_t> stride(
    "stride",
    cl::desc("Sweep every K-th bit pattern, plus the special values and the "
             "neighbourhoods of 0, +-1 and the op's kinks (default 65537)"),
    cl::value_desc("K"), cl::init(65537), cl::cat(category));
static cl::opt<std::string>
    opsOption("ops",
              cl::desc("Comma-separated ops to sweep (default: all of them)"),
              cl::value_desc("a,b,c"), cl::cat(category));
static cl::opt<act::MathMode>
    mathMode("math", cl::desc("Accuracy of exp, tanh, erf, ..."),
             act::mathModeValues(), cl::init(act::MathMode::precise),
             cl::cat(category));
static cl::opt<std::string>
    targetCpu("target-cpu",
              cl::desc("'host' (default) or an LLVM x86-64 CPU name"),
              cl::init("host"), cl::cat(category));
static cl::opt<int64_t> chunk("chunk",
                              cl::desc("Elements per kernel call (default "
                                       "1048576)"),
                              cl::init(1 << 20), cl::cat(category));
static cl::opt<std::string> jsonFile("json",
                                     cl::desc("Write all the results there"),
                                     cl::value_desc("FILE"), cl::cat(category));
static cl::opt<std::string>
    markdownFile("markdown", cl::desc("Write markdown tables there"),
                 cl::value_desc("FILE"), cl::cat(category));
static cl::opt<bool> checkBounds(
    "check-bounds",
    cl::desc("Exit 1 if an op exceeds its documented bound (precise mode) "
             "or has a NaN, infinity or zero-sign mismatch"),
    cl::cat(category));
static cl::opt<bool>
    progress("progress",
             cl::desc("Show a progress bar on stderr (default: with --all)"),
             cl::cat(category));

static int fail(const llvm::Twine &message) {
  llvm::WithColor::error(llvm::errs(), "act-accuracy") << message << "\n";
  return 1;
}

static const char *kSpecialNames[] = {
    "NaN", "+Inf", "-Inf", "-0", "+0", "+den", "-den", "FLT_MAX", "-FLT_MAX"};

static std::string hex(uint32_t bits) {
  char buf[16];
  std::snprintf(buf, sizeof(buf), "0x%08x", bits);
  return buf;
}

static std::string num(double v, int digits = 9) {
  if (std::isnan(v))
    return "nan";
  if (std::isinf(v))
    return v > 0 ? "inf" : "-inf";
  char buf[40];
  std::snprintf(buf, sizeof(buf), "%.*g", digits, v);
  return buf;
}

static std::string ulps(double u) {
  char buf[32];
  std::snprintf(buf, sizeof(buf), "%.2f", u);
  return buf;
}

/// "x = 0x3f800000 (1)": where a result was taken.
static std::string where(const SweepPoint &p) {
  return hex(p.bits) + " (" + num(llvm::bit_cast<float>(p.bits)) + ")";
}

/// A special value's result: "got" if it is the rounded reference (NaNs
/// alike), else "got (ref R)".
static std::string special(const SweepPoint &p) {
  float r = static_cast<float>(p.ref);
  bool same = (std::isnan(p.got) && std::isnan(r)) ||
              llvm::bit_cast<uint32_t>(p.got) == llvm::bit_cast<uint32_t>(r);
  int digits = same ? 6 : 9;
  std::string s = num(p.got, digits);
  if (p.got == 0 && std::signbit(p.got))
    s = "-0";
  if (!same) {
    std::string rs = num(r, digits);
    if (r == 0 && std::signbit(r))
      rs = "-0";
    s += " (ref " + rs + ")";
  }
  return s;
}

static bool isPrecise() { return mathMode == act::MathMode::precise; }

static std::string status(const SweepStats &s) {
  if (s.exceptions())
    return "FAIL";
  if (!isPrecise())
    return "-";
  return s.withinBound() ? "ok" : "OVER";
}

static std::string formatTime(double s) {
  char buf[32];
  if (s < 60)
    std::snprintf(buf, sizeof(buf), "%.0fs", s);
  else
    std::snprintf(buf, sizeof(buf), "%dm%02ds", static_cast<int>(s) / 60,
                  static_cast<int>(s) % 60);
  return buf;
}

static void printTable(llvm::raw_ostream &os, ArrayRef<SweepStats> results) {
  os << llvm::format("%-13s %11s %11s %-28s %9s %-28s %5s %5s %5s %5s %s\n",
                     "op", "points", "max ulp", "at", "ulp>tiny", "at", "nan",
                     "inf", "+-0", "bound", "status");
  for (const SweepStats &s : results)
    os << llvm::format(
        "%-13s %11llu %11s %-28s %9s %-28s %5llu %5llu %5llu %5s %s\n",
        s.op.c_str(), static_cast<unsigned long long>(s.points),
        ulps(s.worst.ulps).c_str(), where(s.worst).c_str(),
        ulps(s.worstOutsideTiny.ulps).c_str(),
        where(s.worstOutsideTiny).c_str(),
        static_cast<unsigned long long>(s.nanMismatches),
        static_cast<unsigned long long>(s.infMismatches),
        static_cast<unsigned long long>(s.zeroSignMismatches),
        isPrecise() ? num(s.bound).c_str() : "-", status(s).c_str());
  os << "\nspecial values (result, and the reference where it differs):\n";
  os << llvm::format("%-13s", "op");
  for (const char *name : kSpecialNames)
    os << " " << llvm::format("%-12s", name);
  os << "\n";
  for (const SweepStats &s : results) {
    os << llvm::format("%-13s", s.op.c_str());
    for (const SweepPoint &p : s.specials)
      os << " " << llvm::format("%-12s", special(p).c_str());
    os << "\n";
  }
  for (const SweepStats &s : results) {
    if (s.nanMismatches)
      os << s.op << ": first NaN mismatch at " << where(s.firstNan) << ": got "
         << num(s.firstNan.got) << ", reference " << num(s.firstNan.ref)
         << "\n";
    if (s.infMismatches)
      os << s.op << ": first infinity mismatch at " << where(s.firstInf)
         << ": got " << num(s.firstInf.got) << ", reference "
         << num(s.firstInf.ref) << "\n";
    if (s.zeroSignMismatches)
      os << s.op << ": first zero-sign mismatch at " << where(s.firstZeroSign)
         << ": got " << (std::signbit(s.firstZeroSign.got) ? "-0" : "+0")
         << ", reference " << num(s.firstZeroSign.ref) << "\n";
  }
}

static std::string sweepDescription() {
  return all ? std::string("all 2^32 f32 bit patterns")
             : "every " + std::to_string(stride) +
                   "th bit pattern, plus special values and neighbourhoods";
}

static void writeMarkdown(llvm::raw_ostream &os, ArrayRef<SweepStats> results) {
  os << "Math mode `" << (isPrecise() ? "precise" : "fast") << "`, "
     << sweepDescription() << ".\n\n";
  os << "| op | points | max ulp | at | max ulp (\\|ref\\| >= 2^-24) | at | "
        "NaN | Inf | ±0 | bound | status |\n";
  os << "|---|--:|--:|---|--:|---|--:|--:|--:|--:|---|\n";
  for (const SweepStats &s : results)
    os << "| " << s.op << " | " << s.points << " | " << ulps(s.worst.ulps)
       << " | `" << where(s.worst) << "` | " << ulps(s.worstOutsideTiny.ulps)
       << " | `" << where(s.worstOutsideTiny) << "` | " << s.nanMismatches
       << " | " << s.infMismatches << " | " << s.zeroSignMismatches << " | "
       << (isPrecise() ? num(s.bound) : "-") << " | " << status(s) << " |\n";
  os << "\nSpecial values (result; the reference in parentheses where it "
        "differs):\n\n| op |";
  for (const char *name : kSpecialNames)
    os << " " << name << " |";
  os << "\n|---|";
  for (size_t i = 0; i < std::size(kSpecialNames); ++i)
    os << "---|";
  os << "\n";
  for (const SweepStats &s : results) {
    os << "| " << s.op << " |";
    for (const SweepPoint &p : s.specials)
      os << " " << special(p) << " |";
    os << "\n";
  }
}

static llvm::json::Value toJson(const SweepPoint &p) {
  return llvm::json::Object{{"input_bits", hex(p.bits)},
                            {"input", num(llvm::bit_cast<float>(p.bits))},
                            {"got", num(p.got)},
                            {"reference", num(p.ref, 17)},
                            {"ulps", std::isinf(p.ulps)
                                         ? llvm::json::Value("inf")
                                         : llvm::json::Value(p.ulps)}};
}

static void writeJson(llvm::raw_ostream &os, ArrayRef<SweepStats> results,
                      StringRef target) {
  llvm::json::Array ops;
  for (const SweepStats &s : results) {
    llvm::json::Object specials;
    for (auto [i, p] : llvm::enumerate(s.specials))
      specials[kSpecialNames[i]] = toJson(p);
    llvm::json::Object o{
        {"op", s.op},
        {"points", static_cast<int64_t>(s.points)},
        {"inexact", static_cast<int64_t>(s.inexact)},
        {"max_ulp", toJson(s.worst)},
        {"max_ulp_outside_tiny", toJson(s.worstOutsideTiny)},
        {"nan_mismatches", static_cast<int64_t>(s.nanMismatches)},
        {"inf_mismatches", static_cast<int64_t>(s.infMismatches)},
        {"zero_sign_mismatches", static_cast<int64_t>(s.zeroSignMismatches)},
        {"tiny_zero_sign_mismatches",
         static_cast<int64_t>(s.tinyZeroSignMismatches)},
        {"specials", std::move(specials)},
        {"seconds", s.seconds},
        {"status", status(s)}};
    if (isPrecise())
      o["bound_ulp"] = s.bound;
    if (s.nanMismatches)
      o["first_nan_mismatch"] = toJson(s.firstNan);
    if (s.infMismatches)
      o["first_inf_mismatch"] = toJson(s.firstInf);
    if (s.zeroSignMismatches)
      o["first_zero_sign_mismatch"] = toJson(s.firstZeroSign);
    ops.push_back(std::move(o));
  }
  llvm::json::Object top{
      {"math", isPrecise() ? "precise" : "fast"},
      {"target", target},
      {"stride", static_cast<int64_t>(all ? 1 : stride.getValue())},
      {"sweep", sweepDescription()},
      {"tiny", "|reference| < 2^-24"},
      {"ops", std::move(ops)}};
  os << llvm::formatv("{0:2}", llvm::json::Value(std::move(top))) << "\n";
}

int main(int argc, char **argv) {
  llvm::InitLLVM initLLVM(argc, argv);
  cl::HideUnrelatedOptions(category);
  cl::ParseCommandLineOptions(
      argc, argv,
      "act-accuracy: sweep the f32 activations against the double "
      "reference\n");

#ifdef __GLIBC__
  // Keep the kernel's result buffers in the heap, so that each call reuses
  // the pages of the last one rather than faulting in fresh mmap'ed memory.
  mallopt(M_MMAP_THRESHOLD, 256 << 20);
  mallopt(M_TRIM_THRESHOLD, 1 << 30);
#endif

  if (!all && stride == 0)
    return fail("--stride must be positive");
  if (chunk <= 0)
    return fail("--chunk must be positive");

  std::vector<const SweepOpInfo *> selected;
  if (opsOption.empty()) {
    for (const SweepOpInfo &op : getSweepOps())
      selected.push_back(&op);
  } else {
    SmallVector<StringRef> names;
    StringRef(opsOption).split(names, ',', -1, /*KeepEmpty=*/false);
    for (StringRef name : names) {
      const SweepOpInfo *op = lookupSweepOp(name.trim());
      if (!op) {
        std::string known;
        for (const SweepOpInfo &o : getSweepOps())
          known += (known.empty() ? "" : ", ") + std::string(o.name);
        return fail("unknown op '" + name.trim() +
                    "' in --ops; known: " + known);
      }
      selected.push_back(op);
    }
    if (selected.empty())
      return fail("--ops names no op");
  }

  std::unique_ptr<MLIRContext> contextOwner = createContext();
  MLIRContext &context = *contextOwner;

  SweepOptions options;
  options.stride = all ? 1 : stride.getValue();
  options.chunk = chunk;
  options.compile.targetCpu = targetCpu;
  options.compile.math = mathMode;

  uint64_t totalPoints = 0;
  for (const SweepOpInfo *op : selected)
    totalPoints += countSweepPoints(*op, options);
  bool showProgress = progress || all;
  auto clock = [] {
    return std::chrono::duration<double>(
               std::chrono::steady_clock::now().time_since_epoch())
        .count();
  };
  double start = clock(), lastShown = 0;
  uint64_t pointsBefore = 0;

  std::vector<SweepStats> results;
  std::string target;
  for (auto [index, op] : llvm::enumerate(selected)) {
    if (showProgress)
      options.progress = [&, index = index, op = op](uint64_t done,
                                                     uint64_t total) {
        double t = clock();
        if (t - lastShown < 0.5 && done != total)
          return;
        lastShown = t;
        double overall = static_cast<double>(pointsBefore + done) / totalPoints;
        double elapsed = t - start;
        double eta = overall > 0 ? elapsed * (1 - overall) / overall : 0;
        constexpr int width = 30;
        int filled = static_cast<int>(overall * width);
        std::string bar(filled, '#');
        bar.resize(width, '.');
        llvm::errs() << llvm::format(
            "\r[%s] %5.1f%%  %-12s (%zu/%zu) %5.1f%%  elapsed %s  ETA %s   ",
            bar.c_str(), overall * 100, op->name, index + 1, selected.size(),
            100.0 * done / total, formatTime(elapsed).c_str(),
            formatTime(eta).c_str());
      };
    auto stats = sweep(context, *op, options);
    if (!stats) {
      if (showProgress)
        llvm::errs() << "\n";
      return fail(llvm::toString(stats.takeError()));
    }
    pointsBefore += countSweepPoints(*op, options);
    results.push_back(std::move(*stats));
  }
  if (showProgress)
    llvm::errs() << "\n";

  {
    // The target, as the JIT saw it (for the JSON).
    target = targetCpu;
  }

  llvm::outs() << "act-accuracy: math=" << (isPrecise() ? "precise" : "fast")
               << ", " << sweepDescription() << "; ulp>tiny excludes "
               << "|reference| < 2^-24\n";
  printTable(llvm::outs(), results);

  if (!jsonFile.empty()) {
    std::error_code ec;
    llvm::raw_fd_ostream os(jsonFile, ec, llvm::sys::fs::OF_Text);
    if (ec)
      return fail("cannot write " + jsonFile + ": " + ec.message());
    writeJson(os, results, target);
  }
  if (!markdownFile.empty()) {
    std::error_code ec;
    llvm::raw_fd_ostream os(markdownFile, ec, llvm::sys::fs::OF_Text);
    if (ec)
      return fail("cannot write " + markdownFile + ": " + ec.message());
    writeMarkdown(os, results);
  }

  if (checkBounds) {
    bool ok = true;
    for (const SweepStats &s : results)
      if (s.exceptions() || (isPrecise() && !s.withinBound())) {
        ok = false;
        llvm::errs() << "act-accuracy: " << s.op << " exceeds its bound\n";
      }
    if (!ok)
      return 1;
  }
  return 0;
}
