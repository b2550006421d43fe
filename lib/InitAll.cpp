//===- InitAll.cpp - Register everything act provides -----------*- C++ -*-===//

#include "act/InitAll.h"
#include "act/Autodiff/ExternalModels.h"
#include "act/Autodiff/Passes.h"
#include "act/Codegen/CPU/Passes.h"
#include "act/Conversion/Passes.h"
#include "act/Dialect/Act/IR/ActDialect.h"
#include "act/Dialect/Act/Transforms/Passes.h"
#include "act/Pipelines/Pipelines.h"

#include "mlir/IR/DialectRegistry.h"

void mlir::act::registerAllDialects(DialectRegistry &registry) {
  registry.insert<act::ActDialect, arith::ArithDialect>();
  registerDifferentiableExternalModels(registry);
}

void mlir::act::registerAllPasses() {
  registerActAutodiffPasses();
  registerActCodegenCPUPasses();
  registerActConversionPasses();
  registerActTransformsPasses();
  registerActPipelines();
}
