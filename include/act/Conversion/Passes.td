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

def ActRaisePass : Pass<"act-raise"> {
  let summary = "Raise linalg activations and softmax chains to act ops";
  let description = [{
    Recognizes the ways importers and hand-written linalg spell
    activations, and replaces them by act ops, so that act's kernels, error
    bounds and special-value rules apply (docs/Importing.md lists the forms):

    - keepdim reductions and the broadcasts reading them through a constant
      index (`(d0, d1) -> (d0, 0)`, as torch-mlir writes softmax) lose their
      unit dimension first;
    - the softmax chain (a NaN-propagating max from -inf, x - max, exp, a sum
      from 0, a division) and the log_softmax chain (..., log of the sum,
      subtracted) along the last dimension become `act.softmax` and
      `act.log_softmax`, when their intermediates have no other user;
    - inside `linalg.generic` bodies, the scalar formulas of gelu (erf and
      tanh forms), silu, sigmoid, tanh, relu, leaky_relu, elu, celu, selu,
      hardswish, mish, softplus and log_sigmoid, and clamps that keep NaN
      (hard_tanh, relu6, hard_sigmoid), become scalar act ops, with their
      parameters read from the constants; convert-act-to-linalg expands
      them to act's formulas.

    A form is raised only when the act op gives what PyTorch's op gives,
    NaN, +-Inf and -0 included; where the decomposed formula itself differs
    from PyTorch (its own rounding, the sign of a zero), the raised op
    follows PyTorch, or the act op's own documented deviation (hardswish
    above FLT_MAX / 6; docs/Importing.md states each case). Anything else is
    left alone. Run it again after elementwise fusion to catch activations
    that the importer spread over several generics (silu, hardswish, elu):
    act-to-llvm does.
  }];
  let dependentDialects = [
    "::mlir::act::ActDialect",
    "::mlir::linalg::LinalgDialect",
    "::mlir::tensor::TensorDialect"
  ];
}

#endif // ACT_CONVERSION_PASSES
