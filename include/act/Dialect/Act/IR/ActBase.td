//===- ActBase.td - The act dialect, its types and attributes -------------===//

#ifndef ACT_BASE
#define ACT_BASE

include "mlir/IR/OpBase.td"
include "mlir/IR/EnumAttr.td"
include "mlir/IR/AttrTypeBase.td"

def Act_Dialect : Dialect {
  let name = "act";
  let cppNamespace = "::mlir::act";
  let summary = "Neural-network activation functions, with their derivatives";
  let description = [{
    The `act` dialect models the activation functions used in practice as
    one op each: the step, sigmoid, tanh and ReLU families, ELU/CELU/SELU,
    GELU (erf and tanh), swish/SiLU, mish, softplus, hardswish, the shrinks,
    softmax/log_softmax/softmin, GLU and maxout.

    Float parameters are `f64` attributes named and defaulted as in PyTorch,
    so an op with no attributes is PyTorch's default (`act.gelu` is
    `torch.nn.GELU()`). Elementwise ops apply to f16, bf16, f32 and f64
    scalars, vectors and ranked tensors; the ops along a dimension (softmax,
    glu, maxout, ...) apply to vectors and ranked tensors.

    Results on NaN, +-Inf and -0 are PyTorch's; docs/Activations.md lists
    them, and the few deviations, per op.
  }];
  let dependentDialects = ["::mlir::arith::ArithDialect"];
  let hasConstantMaterializer = 1;
  let useDefaultAttributePrinterParser = 1;
}

//===----------------------------------------------------------------------===//
// Type constraints.
//===----------------------------------------------------------------------===//

def Act_Float : AnyTypeOf<[F16, BF16, F32, F64], "f16, bf16, f32 or f64">;

def Act_FloatLike : AnyTypeOf<[Act_Float, VectorOfAnyRankOf<[Act_Float]>,
                               RankedTensorOf<[Act_Float]>],
    "f16, bf16, f32 or f64, or a vector or ranked tensor of them">;

def Act_FloatShaped : AnyTypeOf<[VectorOfAnyRankOf<[Act_Float]>,
                                 RankedTensorOf<[Act_Float]>],
    "vector or ranked tensor of f16, bf16, f32 or f64">;

//===----------------------------------------------------------------------===//
// Attributes.
//===----------------------------------------------------------------------===//

def Act_GeluApproximation : I32EnumAttr<"GeluApproximation",
    "gelu approximation", [
      I32EnumAttrCase<"none", 0>,
      I32EnumAttrCase<"tanh", 1>
    ]> {
  let cppNamespace = "::mlir::act";
  let genSpecializedAttr = 0;
}

def Act_GeluApproximationAttr : EnumAttr<Act_Dialect, Act_GeluApproximation,
                                         "approximate">;

#endif // ACT_BASE
