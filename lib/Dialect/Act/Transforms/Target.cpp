//===- Target.cpp - The CPU act compiles for --------------------*- C++ -*-===//

#include "act/Dialect/Act/Transforms/Target.h"

#include "llvm/ADT/StringMap.h"
#include "llvm/MC/MCSubtargetInfo.h"
#include "llvm/MC/TargetRegistry.h"
#include "llvm/Support/TargetSelect.h"
#include "llvm/TargetParser/Host.h"
#include "llvm/TargetParser/Triple.h"

#include <memory>

using namespace mlir;

FailureOr<act::TargetInfo> act::resolveTarget(StringRef cpu,
                                              std::string &error) {
  static bool initialized = [] {
    llvm::InitializeAllTargetInfos();
    llvm::InitializeAllTargetMCs();
    return true;
  }();
  (void)initialized;

  TargetInfo info;
  llvm::Triple triple("x86_64-unknown-linux-gnu");
  info.triple = triple.str();
  const llvm::Target *target =
      llvm::TargetRegistry::lookupTarget(triple, error);
  if (!target)
    return failure();

  if (cpu == "host") {
    info.cpu = llvm::sys::getHostCPUName().str();
    std::string features;
    for (const auto &feature : llvm::sys::getHostCPUFeatures()) {
      if (!features.empty())
        features += ",";
      features += (feature.second ? "+" : "-") + feature.first().str();
    }
    info.features = features;
  } else {
    info.cpu = cpu.str();
  }
  // Validate the name first: creating a subtarget for an unknown CPU prints
  // a warning of LLVM's own.
  std::unique_ptr<llvm::MCSubtargetInfo> generic(
      target->createMCSubtargetInfo(triple, "generic", ""));
  std::unique_ptr<llvm::MCSubtargetInfo> subtarget;
  if (generic && generic->isCPUStringValid(info.cpu))
    subtarget.reset(
        target->createMCSubtargetInfo(triple, info.cpu, info.features));
  if (!subtarget) {
    error = "unknown x86-64 CPU '" + cpu.str() +
            "' (use 'host' or an LLVM CPU name such as 'znver4', "
            "'skylake-avx512', 'haswell', 'x86-64-v3')";
    return failure();
  }
  // LLVM 22's x86 backend aborts ("Do not know how to soft promote this
  // operator's operand") on fcmp and fabs of bf16 vectors that are not a
  // whole register when AVX512-BF16 makes bf16 vectors legal; the IR
  // optimizer creates both from act's f32 math on bf16 tensors. Without the
  // feature bf16 is promoted to f32 throughout, which is what act computes.
  if (subtarget->checkFeatures("+avx512bf16"))
    info.features += info.features.empty() ? "-avx512bf16" : ",-avx512bf16";
  info.hasFMA = subtarget->checkFeatures("+fma");
  if (subtarget->checkFeatures("+avx512f"))
    info.vectorBits = 512;
  else if (subtarget->checkFeatures("+avx"))
    info.vectorBits = 256;
  return info;
}
