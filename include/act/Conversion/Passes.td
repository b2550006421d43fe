//===- Passes.td - act conversion passes -------------------*- tablegen -*-===//

#ifndef ACT_CONVERSION_PASSES
#define ACT_CONVERSION_PASSES

include "mlir/Pass/PassBase.td"

def ConvertActToLinalgPass : Pass<"convert-act-to-linalg"> {
  let summary = "Expand act ops into linalg, tensor, arith and math ops";
  let description = [{
    Rewrites every act op into upstream dialects, with the math of
    act/Math/Activations.h:

    - an elementwise activation on a ranked tensor becomes a
      `linalg.generic` whose body is the activation's formula in arith and
      math ops (f16 and bf16 are computed in f32); on a scalar or vector it
      becomes that formula directly;
    - `act.prelu` becomes a `linalg.generic` that broadcasts the slope along
      the channel dimension;
    - `act.softmax`, `act.log_softmax` and `act.softmin` become a max
      reduction, then exp(x - max) with a sum reduction, then the
      normalization (log_softmax subtracts log(sum) instead of dividing, so
      there is no log(exp) round trip); the max propagates NaN, as PyTorch;
    - `act.glu` becomes two `tensor.extract_slice` halves and a generic;
    - `act.maxout` becomes a `tensor.expand_shape` and a max reduction.

    Transcendentals stay math ops (math.exp, math.erfc, ...), for
    `act-expand-math` to replace with act's own approximations.
  }];
  let dependentDialects = [
    "::mlir::arith::ArithDialect",
    "::mlir::linalg::LinalgDialect",
    "::mlir::math::MathDialect",
    "::mlir::tensor::TensorDialect"
  ];
}

#endif // ACT_CONVERSION_PASSES
