//===- main.cpp - A compiler that embeds act's pipeline ---------*- C++ -*-===//
//
// Builds a function with an act op, compiles it with act-to-llvm through
// act's C++ entry point, and prints the LLVM dialect it gives (with
// --print-input, the function built instead). No pass is registered
// globally: the pipeline constructs its passes itself.
//
//===----------------------------------------------------------------------===//

#include "act/Dialect/Act/IR/ActDialect.h"
#include "act/Dialect/Act/IR/ActOps.h"
#include "act/InitAll.h"
#include "act/Pipelines/Pipelines.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/IR/Verifier.h"
#include "mlir/InitAllDialects.h"
#include "mlir/InitAllExtensions.h"
#include "mlir/Pass/PassManager.h"

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/raw_ostream.h"

using namespace mlir;

int main(int argc, char **argv) {
  // Bufferization and convert-to-llvm find their per-dialect implementations
  // through interfaces registered here.
  DialectRegistry registry;
  registerAllDialects(registry);
  registerAllExtensions(registry);
  act::registerAllDialects(registry);
  MLIRContext context(registry);
  context.loadDialect<func::FuncDialect, act::ActDialect>();

  // func.func @swish(%x: tensor<64xf32>) -> tensor<64xf32>, act.silu inside.
  OpBuilder b(&context);
  Location loc = b.getUnknownLoc();
  OwningOpRef<ModuleOp> module = ModuleOp::create(loc);
  b.setInsertionPointToEnd(module->getBody());
  auto type = RankedTensorType::get({64}, b.getF32Type());
  auto fn =
      func::FuncOp::create(b, loc, "swish", b.getFunctionType(type, type));
  Block *entry = fn.addEntryBlock();
  b.setInsertionPointToStart(entry);
  Value y = act::SiluOp::create(b, loc, type, entry->getArgument(0));
  func::ReturnOp::create(b, loc, y);
  if (failed(verify(*module)))
    return 1;
  if (argc > 1 && llvm::StringRef(argv[1]) == "--print-input") {
    llvm::outs() << *module << "\n";
    return 0;
  }

  PassManager pm(&context);
  act::ActToLLVMPipelineOptions options;
  options.targetCpu = "haswell";
  options.threads = 1;
  act::buildActToLLVMPipeline(pm, options);
  if (failed(pm.run(*module))) {
    llvm::errs() << "act-to-llvm failed\n";
    return 1;
  }
  llvm::outs() << *module << "\n";
  return 0;
}
