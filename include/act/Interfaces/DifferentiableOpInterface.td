//===- DifferentiableOpInterface.td - Reverse-mode rules ---*- tablegen -*-===//

#ifndef ACT_INTERFACES_DIFFERENTIABLEOPINTERFACE
#define ACT_INTERFACES_DIFFERENTIABLEOPINTERFACE

include "mlir/IR/OpBase.td"

def DifferentiableOpInterface : OpInterface<"DifferentiableOpInterface"> {
  let cppNamespace = "::mlir::act";
  let description = [{
    An op's reverse-mode derivative rule (its vector-Jacobian product): given
    the gradients of the op's results, build the gradients of its operands.
    `act-differentiate` talks only to this interface. act's own ops implement
    it in ODS from their math (act/Math/Activations.h); linalg structured
    ops, the elementwise arith ops and the tensor reshapes get it as external
    models (act/Interfaces/DifferentiableOpInterface.h,
    `registerDifferentiableExternalModels`).

    The same rules serve tensors and scalars: an elementwise rule written with
    elementwise ops applies to a `tensor<...>` value as to the `f32` of a
    `linalg.generic` body, which is how generic bodies are differentiated.
  }];
  let methods = [
    InterfaceMethod<[{
        Builds, at `builder`'s insertion point, the gradient of every
        operand: `resultGradients` holds one value per result, null where
        that result gets no gradient (it is zero). Sets `operandGradients`
        (resized to the operand count) to the gradient of each operand, null
        where the operand gets none (an integer, index or mask operand, or a
        zero gradient). Fails, with a diagnostic on the op, where the op's
        configuration has no rule.
      }],
      "::llvm::LogicalResult", "buildGradients",
      (ins "::mlir::OpBuilder &":$builder,
           "::mlir::ValueRange":$resultGradients,
           "::llvm::SmallVectorImpl<::mlir::Value> &":$operandGradients)>,
  ];
}

#endif // ACT_INTERFACES_DIFFERENTIABLEOPINTERFACE
