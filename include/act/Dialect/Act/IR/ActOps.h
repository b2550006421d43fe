//===- ActOps.h - The act activation ops ------------------------*- C++ -*-===//

#ifndef ACT_DIALECT_ACT_IR_ACTOPS_H
#define ACT_DIALECT_ACT_IR_ACTOPS_H

#include "act/Dialect/Act/IR/ActDialect.h"
#include "act/Interfaces/DifferentiableOpInterface.h"
#include "act/Math/Activations.h"

#include "mlir/Bytecode/BytecodeOpInterface.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/OpDefinition.h"
#include "mlir/IR/OpImplementation.h"
#include "mlir/IR/TypeUtilities.h"
#include "mlir/Interfaces/InferTypeOpInterface.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"

#include "act/Dialect/Act/IR/ActEnums.h.inc"

#define GET_ATTRDEF_CLASSES
#include "act/Dialect/Act/IR/ActAttrs.h.inc"

#define GET_OP_CLASSES
#include "act/Dialect/Act/IR/ActOps.h.inc"

#endif // ACT_DIALECT_ACT_IR_ACTOPS_H
