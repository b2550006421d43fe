//===- act-plugin.cpp - act as an mlir-opt plugin ---------------*- C++ -*-===//
//
// Both plugin entry points live in this one library: loaded with
// --load-dialect-plugin and --load-pass-plugin, the same file is opened once,
// so act's dialect and passes share one copy of act (two libraries, each with
// its own copy, would register two different act dialects).
//
//===----------------------------------------------------------------------===//

#include "act/InitAll.h"

#include "mlir/IR/DialectRegistry.h"
#include "mlir/Tools/Plugins/DialectPlugin.h"
#include "mlir/Tools/Plugins/PassPlugin.h"

#include "llvm/Config/llvm-config.h"
#include "llvm/Support/Compiler.h"

using namespace mlir;

/// The act dialect, and the external models its ops rely on.
extern "C" LLVM_ATTRIBUTE_WEAK DialectPluginLibraryInfo
mlirGetDialectPluginInfo() {
  return {
      MLIR_PLUGIN_API_VERSION, "Act", LLVM_VERSION_STRING,
      [](DialectRegistry *registry) { act::registerAllDialects(*registry); }};
}

/// act's passes and the act-to-llvm pipeline.
extern "C" LLVM_ATTRIBUTE_WEAK PassPluginLibraryInfo mlirGetPassPluginInfo() {
  return {MLIR_PLUGIN_API_VERSION, "ActPasses", LLVM_VERSION_STRING,
          []() { act::registerAllPasses(); }};
}
