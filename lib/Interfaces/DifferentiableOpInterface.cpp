//===- DifferentiableOpInterface.cpp - Reverse-mode rules -------*- C++ -*-===//

#include "act/Interfaces/DifferentiableOpInterface.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/TypeUtilities.h"

using namespace mlir;

#include "act/Interfaces/DifferentiableOpInterface.cpp.inc"

Value act::buildZerosLike(OpBuilder &b, Location loc, Value like) {
  Type type = like.getType();
  auto zero = cast<TypedAttr>(b.getZeroAttr(getElementTypeOrSelf(type)));
  if (auto tensor = dyn_cast<RankedTensorType>(type)) {
    // A filled empty tensor, not a splat constant: gradients accumulate into
    // it, and a constant would bufferize to a read-only global.
    Value empty = tensor::EmptyOp::create(
        b, loc, tensor::getMixedSizes(b, loc, like), tensor.getElementType());
    Value scalar = arith::ConstantOp::create(b, loc, zero);
    return linalg::FillOp::create(b, loc, scalar, empty).getResult(0);
  }
  if (auto shaped = dyn_cast<ShapedType>(type))
    return arith::ConstantOp::create(b, loc,
                                     DenseElementsAttr::get(shaped, zero));
  return arith::ConstantOp::create(b, loc, zero);
}

Value act::buildGradientSum(OpBuilder &b, Location loc, Value a, Value c) {
  if (!a)
    return c;
  if (!c)
    return a;
  return arith::AddFOp::create(b, loc, a, c);
}

LogicalResult act::propagateAdjoints(OpBuilder &builder,
                                     ArrayRef<Operation *> ops,
                                     DenseMap<Value, Value> &adjoints,
                                     llvm::function_ref<bool(Value)> isActive) {
  for (Operation *op : llvm::reverse(ops)) {
    SmallVector<Value> resultGradients;
    bool any = false;
    for (Value result : op->getResults()) {
      resultGradients.push_back(adjoints.lookup(result));
      any |= static_cast<bool>(resultGradients.back());
    }
    if (!any || llvm::none_of(op->getOperands(), isActive))
      continue;
    auto rule = dyn_cast<DifferentiableOpInterface>(op);
    if (!rule)
      return op->emitOpError(
          "cannot be differentiated: it has no derivative rule (see "
          "docs/Derivatives.md for the ops act-differentiate supports)");
    SmallVector<Value> operandGradients;
    if (failed(rule.buildGradients(builder, resultGradients, operandGradients)))
      return failure();
    for (auto [operand, gradient] :
         llvm::zip(op->getOperands(), operandGradients)) {
      if (!gradient || !isActive(operand))
        continue;
      Value &adjoint = adjoints[operand];
      adjoint = buildGradientSum(builder, op->getLoc(), adjoint, gradient);
    }
  }
  return success();
}
