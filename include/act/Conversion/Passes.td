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

    Standard transcendentals stay math ops (math.exp, math.erfc, ...), for
    `act-expand-math` to replace with act's own approximations. The few
    primitives without a math op (the normal CDF of gelu, x - tanh(x) of
    tanhshrink, the sigmoid of gelu's cubic) are emitted as act's f32
    approximations with `math=precise`, and composed from math ops with
    `math=fast` (and for f64).
  }];
  let options = [
    Option<"math", "math", "::mlir::act::math::MathMode",
           /*default=*/"::mlir::act::math::MathMode::precise",
           "How accurately transcendentals are computed",
           [{::llvm::cl::values(
             clEnumValN(::mlir::act::math::MathMode::precise, "precise",
                        "act's approximations, within docs/Accuracy.md's bounds"),
             clEnumValN(::mlir::act::math::MathMode::fast, "fast",
                        "MLIR's polynomial approximations"))}]>,
  ];
  let dependentDialects = [
    "::mlir::arith::ArithDialect",
    "::mlir::linalg::LinalgDialect",
    "::mlir::math::MathDialect",
    "::mlir::tensor::TensorDialect"
  ];
}

#endif // ACT_CONVERSION_PASSES
