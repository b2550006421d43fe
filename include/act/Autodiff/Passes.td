//===- Passes.td - act's differentiation passes ------------*- tablegen -*-===//

#ifndef ACT_AUTODIFF_PASSES
#define ACT_AUTODIFF_PASSES

include "mlir/Pass/PassBase.td"

def ActDifferentiatePass : Pass<"act-differentiate", "::mlir::ModuleOp"> {
  let summary = "Add the reverse-mode gradient function (VJP) of a function";
  let description = [{
    For `function=NAME`, adds `@NAME_vjp` to the module. Its arguments are
    NAME's arguments followed by one cotangent per result (of the result's
    type); its results are NAME's results followed by the gradient with
    respect to every floating-point tensor argument, in argument order
    (zeros for an argument the results do not depend on). With `wrt`, only
    the listed argument positions get gradients.

    The body is NAME's forward computation followed by its reverse sweep:
    every op, last to first, builds the gradients of its operands from those
    of its results through `DifferentiableOpInterface` (act ops from their
    derivative rules; linalg structured ops, elementwise arith and math ops
    and tensor reshapes, slices and casts through act's external models).
    A value used more than once sums its gradients. An op that depends on an
    argument and has no rule is an error naming it.

    ```mlir
    // act-opt --act-differentiate=function=f
    func.func @f(%x: tensor<8xf32>) -> tensor<8xf32> {
      %y = act.gelu %x : tensor<8xf32>
      return %y : tensor<8xf32>
    }
    // adds
    func.func @f_vjp(%x: tensor<8xf32>, %dy: tensor<8xf32>)
        -> (tensor<8xf32>, tensor<8xf32>) {
      %y = act.gelu %x : tensor<8xf32>
      %dx = act.gelu_grad %dy, %x : tensor<8xf32>
      return %y, %dx : tensor<8xf32>, tensor<8xf32>
    }
    ```
  }];
  let options = [
    Option<"function", "function", "std::string", /*default=*/"",
           "The function to differentiate (required)">,
    ListOption<"wrt", "wrt", "unsigned",
               "Argument positions to differentiate with respect to "
               "(default: every floating-point tensor argument)">,
  ];
  let dependentDialects = [
    "::mlir::act::ActDialect",
    "::mlir::arith::ArithDialect",
    "::mlir::linalg::LinalgDialect",
    "::mlir::math::MathDialect",
    "::mlir::tensor::TensorDialect"
  ];
}

#endif // ACT_AUTODIFF_PASSES
