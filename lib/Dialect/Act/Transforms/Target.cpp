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
  if (subtarget->checkFeatures("+avx512f"))
    info.vectorBits = 512;
  else if (subtarget->checkFeatures("+avx"))
    info.vectorBits = 256;
  return info;
}
