//===- ActOps.td - The act activation ops ------------------*- tablegen -*-===//

#ifndef ACT_OPS
#define ACT_OPS

include "act/Dialect/Act/IR/ActBase.td"
include "mlir/Interfaces/SideEffectInterfaces.td"
include "mlir/Interfaces/InferTypeOpInterface.td"
include "act/Interfaces/DifferentiableOpInterface.td"

class Act_Op<string mnemonic, list<Trait> traits = []> :
    Op<Act_Dialect, mnemonic, traits # [Pure]>;

// An elementwise activation. `fn` names its formula in act/Math/Activations.h
// (and `derivativeFn` that of its derivative); `params` is the C++ tail of the
// argument list after `x`, read from the op's attributes. `forward` and
// `derivative` are thereby the single definition of the op's math: folding,
// the reference, the lowering and the derivative rule all call them.
//
// Where the derivative is cheaper or more stable from the forward output y,
// `outputDerivativeFn` names that formula of y (same `params`), and
// `outputDerivativeCondition` the C++ condition on `op`'s parameters under
// which it holds (`outputDerivativeRequires` says it in words, for the docs); the rule then differentiates from y, as oneDNN's
// use_dst_for_bwd does. Each op has a backward op, Act_UnaryGradOp below.
class Act_UnaryOp<string mnemonic, string fn, string params = "",
                  string derivativeFn = fn # "Derivative",
                  list<Trait> traits = []> :
    Act_Op<mnemonic, traits # [SameOperandsAndResultType,
                               DeclareOpInterfaceMethods<DifferentiableOpInterface>] #
                     ElementwiseMappable.traits> {
  string formula = fn;
  string derivativeFormula = derivativeFn;
  string formulaParams = params;
  string outputDerivativeFn = "";
  string outputDerivativeCondition = "true";
  string outputDerivativeRequires = "";
  let results = (outs Act_FloatLike:$result);
  let assemblyFormat = "$input attr-dict `:` type($result)";
  let hasFolder = 1;
  let extraClassDefinition = [{
    ::mlir::OpFoldResult $cppClass::fold(FoldAdaptor adaptor) {
      return foldActivation(*this, adaptor.getInput());
    }
    ::llvm::LogicalResult $cppClass::buildGradients(
        ::mlir::OpBuilder &builder, ::mlir::ValueRange resultGradients,
        ::llvm::SmallVectorImpl<::mlir::Value> &operandGradients) {
      return buildUnaryGradient<GradOp>(*this, builder, resultGradients,
                                        operandGradients);
    }
  }];
  let extraClassDeclaration = [{
    /// The backward op of this activation.
    using GradOp = class }] # !subst("Op", "GradOp", !subst("Act_", "", NAME)) # [{;
    /// The activation at `x`, for any value type of act/Math/Activations.h.
    template <typename T>
    T forward(T x) { return ::mlir::act::math::}] # fn # [{(x}] # params # [{); }
    /// d(activation)/dx at `x`.
    template <typename T>
    T derivative(T x) {
      return ::mlir::act::math::}] # derivativeFn # [{(x}] # params # [{);
    }
    /// Whether the derivative rule reads the forward output rather than the
    /// input.
    bool derivativeFromOutput() { return }] #
      !if(!empty(outputDerivativeFn), "false",
          "[](auto op) { return " # outputDerivativeCondition # "; }(*this)") # [{; }
  }];
}

// The backward op of the elementwise activation `fwd`: dx = dy * f'(x), or
// dy * g(y) with f'(x) = g(f(x)) when `from_output` is set. Its attributes are
// those of `fwd`. Where the derivative is 0, dx is +0 even if dy is NaN or
// +-Inf: PyTorch's masked backward kernels (threshold_backward, hardtanh's,
// ...) do the same.
class Act_UnaryGradOp<Act_UnaryOp fwd, string format = ""> :
    Act_Op<fwd.opName # "_grad", [AllTypesMatch<["grad", "source", "result"]>] #
                                 ElementwiseMappable.traits> {
  let summary = "Backward of `act." # fwd.opName # "`: dx from dy and x" #
                !if(!empty(fwd.outputDerivativeFn), "", " or y");
  let description = "`dx = dy * act." # fwd.opName # "'(x)`, the vector-" #
    "Jacobian product of `act." # fwd.opName # "` (the op that " #
    "`act-differentiate` emits for it; also written by hand). `source` is " #
    "the forward input x" #
    !if(!empty(fwd.outputDerivativeFn), ".",
        ", or with `from_output` the forward output y (`" #
        fwd.outputDerivativeFn # "` in act/Math/Activations.h" #
        !if(!empty(fwd.outputDerivativeRequires), "",
            "; only for " # fwd.outputDerivativeRequires) #
        "), which is what `act-differentiate` uses" #
        !if(!empty(fwd.outputDerivativeRequires), "",
            " where it applies") # ".") #
    " The parameters are those of `act." # fwd.opName # "`. Where the " #
    "derivative is 0, dx is +0 whatever dy is, as in PyTorch's masked " #
    "backward kernels.";
  let arguments = !con((ins Act_FloatLike:$grad, Act_FloatLike:$source,
                            UnitAttr:$from_output),
                       !dag(ins,
                            !foreach(i, !range(1, !size(fwd.arguments)),
                                     !getdagarg<Constraint>(fwd.arguments, i)),
                            !foreach(i, !range(1, !size(fwd.arguments)),
                                     !getdagname(fwd.arguments, i))));
  let results = (outs Act_FloatLike:$result);
  let assemblyFormat = !if(!empty(format),
      "$grad `,` $source (`from_output` $from_output^)? attr-dict `:` type($result)",
      format);
  let hasFolder = 1;
  let hasVerifier = 1;
  let extraClassDefinition = [{
    ::mlir::OpFoldResult $cppClass::fold(FoldAdaptor adaptor) {
      return foldActivationGrad(*this, adaptor.getGrad(), adaptor.getSource());
    }
    ::llvm::LogicalResult $cppClass::verify() {
      if (getFromOutput() && !outputRuleApplies(*this))
        return emitOpError("has no rule from the forward output")
               << (}] # !if(!empty(fwd.outputDerivativeFn), [{""}],
                         [{" for these parameters"}]) # [{);
      return ::mlir::success();
    }
  }];
  let extraClassDeclaration = [{
    /// The forward activation.
    using ForwardOp = class }] # !subst("Act_", "", !cast<string>(fwd)) # [{;
    /// Whether a forward op (or this op) with these parameters can be
    /// differentiated from its output.
    template <typename OpT>
    static bool outputRuleApplies(OpT op) {
      return }] # !if(!empty(fwd.outputDerivativeFn), "false",
                      "[](auto op) { return " # fwd.outputDerivativeCondition #
                      "; }(op)") # [{;
    }
    /// f'(x) from `source` (x, or y with from_output).
    template <typename T>
    T derivativeAt(T source) {
      }] # !if(!empty(fwd.outputDerivativeFn), "",
               "if (getFromOutput()) return ::mlir::act::math::" #
               fwd.outputDerivativeFn # "(source" # fwd.formulaParams # ");") # [{
      return ::mlir::act::math::}] # fwd.derivativeFormula #
                                   [{(source}] # fwd.formulaParams # [{);
    }
    /// dx from dy and `source`.
    template <typename T>
    T backward(T grad, T source) {
      return ::mlir::act::math::applyDerivative(grad, derivativeAt(source));
    }
  }];
}

// Reads an f64 attribute as a double, for `params`.
class P<string getter> { string r = ", " # getter # "().convertToDouble()"; }

// An op that works along one dimension of a vector or ranked tensor.
class Act_DimOp<string mnemonic, list<Trait> traits = []> :
    Act_Op<mnemonic, traits> {
  let hasVerifier = 1;
  let extraClassDeclaration = [{
    /// `dim` as an index in [0, rank). (I64Attr getters return uint64_t.)
    int64_t getNormalizedDim() {
      int64_t rank = ::llvm::cast<::mlir::ShapedType>(getInput().getType()).getRank();
      int64_t dim = static_cast<int64_t>(getDim());
      return dim < 0 ? dim + rank : dim;
    }
  }];
}

//===----------------------------------------------------------------------===//
// Step, threshold, linear.
//===----------------------------------------------------------------------===//

def Act_StepOp : Act_UnaryOp<"step", "step"> {
  let summary = "Heaviside step: 1 where x >= 0, else 0";
  let description = [{
    `step(x) = x >= 0 ? 1 : 0`, PyTorch's `torch.heaviside(x, 1)` (NaN gives
    0, as there). Its derivative is 0.

    ```mlir
    %y = act.step %x : tensor<4x8xf32>
    ```
  }];
  let arguments = (ins Act_FloatLike:$input);
}

def Act_ThresholdOp : Act_UnaryOp<"threshold", "threshold",
    P<"getThreshold">.r # P<"getValue">.r> {
  let summary = "x where x > threshold, else value";
  let description = [{
    `threshold(x) = x > threshold ? x : value`, `torch.nn.Threshold`. Both
    parameters are required, as in PyTorch. NaN passes through.

    ```mlir
    %y = act.threshold %x {threshold = 0.1 : f64, value = 20.0 : f64} : tensor<8xf32>
    ```
  }];
  let arguments = (ins Act_FloatLike:$input, F64Attr:$threshold,
                       F64Attr:$value);
}

def Act_LinearOp : Act_UnaryOp<"linear", "linear",
    P<"getAlpha">.r # P<"getBeta">.r> {
  let summary = "alpha * x + beta";
  let description = [{
    `linear(x) = alpha * x + beta` (oneDNN's eltwise_linear); alpha = 1,
    beta = 0 is the identity and folds away.

    ```mlir
    %y = act.linear %x {alpha = 2.0 : f64, beta = 1.0 : f64} : tensor<8xf32>
    ```
  }];
  let arguments = (ins Act_FloatLike:$input,
                       DefaultValuedAttr<F64Attr, "1.0">:$alpha,
                       DefaultValuedAttr<F64Attr, "0.0">:$beta);
}

//===----------------------------------------------------------------------===//
// Sigmoid family.
//===----------------------------------------------------------------------===//

def Act_SigmoidOp : Act_UnaryOp<"sigmoid", "sigmoid"> {
  let summary = "Logistic sigmoid 1 / (1 + exp(-x))";
  let description = [{
    `torch.nn.Sigmoid`. Derivative `y (1 - y)`.

    ```mlir
    %y = act.sigmoid %x : tensor<4x8xf32>
    ```
  }];
  let outputDerivativeFn = "sigmoidDerivativeFromOutput";
  let arguments = (ins Act_FloatLike:$input);
}

def Act_HardSigmoidOp : Act_UnaryOp<"hard_sigmoid", "hardSigmoid",
    P<"getAlpha">.r # P<"getBeta">.r> {
  let summary = "clamp(alpha * x + beta, 0, 1)";
  let description = [{
    With the defaults alpha = 1/6 and beta = 1/2 this is
    `torch.nn.Hardsigmoid`; alpha = 0.2 gives the Keras form.

    ```mlir
    %y = act.hard_sigmoid %x {alpha = 2.0e-01 : f64} : tensor<8xf32>
    ```
  }];
  let arguments = (ins Act_FloatLike:$input,
                       DefaultValuedAttr<F64Attr, "1.0 / 6.0">:$alpha,
                       DefaultValuedAttr<F64Attr, "0.5">:$beta);
}

def Act_LogSigmoidOp : Act_UnaryOp<"log_sigmoid", "logSigmoid"> {
  let summary = "log(sigmoid(x))";
  let description = [{
    `torch.nn.LogSigmoid`, computed as `min(x, 0) - log1p(exp(-|x|))`.

    ```mlir
    %y = act.log_sigmoid %x : tensor<8xf32>
    ```
  }];
  let arguments = (ins Act_FloatLike:$input);
}

//===----------------------------------------------------------------------===//
// Tanh family and the shrinks.
//===----------------------------------------------------------------------===//

def Act_TanhOp : Act_UnaryOp<"tanh", "tanhActivation", "", "tanhDerivative"> {
  let summary = "Hyperbolic tangent";
  let description = [{
    `torch.nn.Tanh`. Derivative `1 - y^2`.

    ```mlir
    %y = act.tanh %x : tensor<8xf32>
    ```
  }];
  let outputDerivativeFn = "tanhDerivativeFromOutput";
  let arguments = (ins Act_FloatLike:$input);
}

def Act_HardTanhOp : Act_UnaryOp<"hard_tanh", "hardTanh",
    P<"getMinVal">.r # P<"getMaxVal">.r> {
  let summary = "clamp(x, min_val, max_val)";
  let description = [{
    `torch.nn.Hardtanh`; requires `min_val <= max_val`. NaN and -0 pass
    through as in PyTorch's clamp.

    ```mlir
    %y = act.hard_tanh %x {min_val = -2.0 : f64, max_val = 2.0 : f64} : tensor<8xf32>
    ```
  }];
  let arguments = (ins Act_FloatLike:$input,
                       DefaultValuedAttr<F64Attr, "-1.0">:$min_val,
                       DefaultValuedAttr<F64Attr, "1.0">:$max_val);
  let hasVerifier = 1;
}

def Act_TanhShrinkOp : Act_UnaryOp<"tanhshrink", "tanhShrink"> {
  let summary = "x - tanh(x)";
  let description = [{
    `torch.nn.Tanhshrink`.

    ```mlir
    %y = act.tanhshrink %x : tensor<8xf32>
    ```
  }];
  let arguments = (ins Act_FloatLike:$input);
}

def Act_SoftShrinkOp : Act_UnaryOp<"softshrink", "softShrink",
    P<"getLambd">.r> {
  let summary = "Shrink towards 0 by lambd, 0 inside [-lambd, lambd]";
  let description = [{
    `torch.nn.Softshrink`: `x - lambd` above `lambd`, `x + lambd` below
    `-lambd`, else 0 (with the sign of x, as PyTorch). Requires `lambd >= 0`.

    ```mlir
    %y = act.softshrink %x {lambd = 1.0 : f64} : tensor<8xf32>
    ```
  }];
  let arguments = (ins Act_FloatLike:$input,
                       DefaultValuedAttr<F64Attr, "0.5">:$lambd);
  let hasVerifier = 1;
}

def Act_HardShrinkOp : Act_UnaryOp<"hardshrink", "hardShrink",
    P<"getLambd">.r> {
  let summary = "0 inside [-lambd, lambd], else x";
  let description = [{
    `torch.nn.Hardshrink`. Requires `lambd >= 0`.

    ```mlir
    %y = act.hardshrink %x : tensor<8xf32>
    ```
  }];
  let arguments = (ins Act_FloatLike:$input,
                       DefaultValuedAttr<F64Attr, "0.5">:$lambd);
  let hasVerifier = 1;
}

def Act_SoftsignOp : Act_UnaryOp<"softsign", "softsign"> {
  let summary = "x / (1 + |x|)";
  let description = [{
    `torch.nn.Softsign`. Like PyTorch, +-Inf gives NaN.

    ```mlir
    %y = act.softsign %x : tensor<8xf32>
    ```
  }];
  let arguments = (ins Act_FloatLike:$input);
}

//===----------------------------------------------------------------------===//
// ReLU family.
//===----------------------------------------------------------------------===//

def Act_ReluOp : Act_UnaryOp<"relu", "relu"> {
  let summary = "max(x, 0)";
  let description = [{
    `torch.nn.ReLU`; keeps NaN and -0 as PyTorch does.

    ```mlir
    %y = act.relu %x : tensor<8xf32>
    ```
  }];
  let outputDerivativeFn = "reluDerivativeFromOutput";
  let arguments = (ins Act_FloatLike:$input);
}

def Act_Relu6Op : Act_UnaryOp<"relu6", "relu6"> {
  let summary = "min(max(x, 0), 6)";
  let description = [{
    `torch.nn.ReLU6`.

    ```mlir
    %y = act.relu6 %x : tensor<8xf32>
    ```
  }];
  let arguments = (ins Act_FloatLike:$input);
}

def Act_LeakyReluOp : Act_UnaryOp<"leaky_relu", "leakyRelu",
    P<"getNegativeSlope">.r> {
  let summary = "x where x > 0, else negative_slope * x";
  let description = [{
    `torch.nn.LeakyReLU`; a slope of 1 is the identity and folds away.

    ```mlir
    %y = act.leaky_relu %x {negative_slope = 2.0e-01 : f64} : tensor<8xf32>
    ```
  }];
  let outputDerivativeFn = "leakyReluDerivativeFromOutput";
  let outputDerivativeCondition = "op.getNegativeSlope().convertToDouble() >= 0.0";
  let outputDerivativeRequires = "negative_slope >= 0";
  let arguments = (ins Act_FloatLike:$input,
                       DefaultValuedAttr<F64Attr, "0.01">:$negative_slope);
}

def Act_PReluOp : Act_Op<"prelu", [AllTypesMatch<["input", "result"]>,
    DeclareOpInterfaceMethods<DifferentiableOpInterface>]> {
  let summary = "Leaky ReLU with a slope operand, shared or per channel";
  let description = [{
    `torch.nn.PReLU`: `x > 0 ? x : slope * x`. The slope has one element
    (shared) or one per channel, the channels being dimension 1 of the input
    (an input of rank < 2 has one channel), as in PyTorch. The slope is a
    1-D tensor (vector) for a tensor (vector) input, or a scalar for a scalar
    input, of the input's element type.

    ```mlir
    %y = act.prelu %x, %slope : tensor<2x3x8xf32>, tensor<3xf32>
    ```
  }];
  let arguments = (ins Act_FloatLike:$input, Act_FloatLike:$slope);
  let results = (outs Act_FloatLike:$result);
  let assemblyFormat = [{
    $input `,` $slope attr-dict `:` type($input) `,` type($slope)
  }];
  let hasVerifier = 1;
  let hasFolder = 1;
  let extraClassDeclaration = [{
    /// The activation at `x` with the slope element that applies there.
    template <typename T>
    static T forward(T x, T slope) { return ::mlir::act::math::prelu(x, slope); }
    /// The axis of `input` that the slope runs along, or -1 if it is shared.
    int64_t getChannelDim();
  }];
}

def Act_RReluOp : Act_UnaryOp<"rrelu", "rrelu",
    P<"getLower">.r # P<"getUpper">.r> {
  let summary = "Randomized leaky ReLU, in its deterministic inference form";
  let description = [{
    `torch.nn.RReLU` in eval mode: a leaky ReLU with slope
    `(lower + upper) / 2`. Requires `lower <= upper`.

    ```mlir
    %y = act.rrelu %x : tensor<8xf32>
    ```
  }];
  let arguments = (ins Act_FloatLike:$input,
                       DefaultValuedAttr<F64Attr, "1.0 / 8.0">:$lower,
                       DefaultValuedAttr<F64Attr, "1.0 / 3.0">:$upper);
  let hasVerifier = 1;
}

//===----------------------------------------------------------------------===//
// Exponential linear units.
//===----------------------------------------------------------------------===//

def Act_EluOp : Act_UnaryOp<"elu", "elu", P<"getAlpha">.r> {
  let summary = "x where x > 0, else alpha * (exp(x) - 1)";
  let description = [{
    `torch.nn.ELU`.

    ```mlir
    %y = act.elu %x {alpha = 5.0e-01 : f64} : tensor<8xf32>
    ```
  }];
  let outputDerivativeFn = "eluDerivativeFromOutput";
  let outputDerivativeCondition = "op.getAlpha().convertToDouble() >= 0.0";
  let outputDerivativeRequires = "alpha >= 0";
  let arguments = (ins Act_FloatLike:$input,
                       DefaultValuedAttr<F64Attr, "1.0">:$alpha);
}

def Act_CeluOp : Act_UnaryOp<"celu", "celu", P<"getAlpha">.r> {
  let summary = "max(0, x) + min(0, alpha * (exp(x / alpha) - 1))";
  let description = [{
    `torch.nn.CELU`. Requires `alpha != 0`.

    ```mlir
    %y = act.celu %x : tensor<8xf32>
    ```
  }];
  let arguments = (ins Act_FloatLike:$input,
                       DefaultValuedAttr<F64Attr, "1.0">:$alpha);
  let hasVerifier = 1;
}

def Act_SeluOp : Act_UnaryOp<"selu", "selu"> {
  let summary = "scale * elu(x, alpha) with PyTorch's constants";
  let description = [{
    `torch.nn.SELU`: alpha = 1.6732632423543772848170429916717,
    scale = 1.0507009873554804934193349852946.

    ```mlir
    %y = act.selu %x : tensor<8xf32>
    ```
  }];
  let arguments = (ins Act_FloatLike:$input);
}

//===----------------------------------------------------------------------===//
// Smooth gated units.
//===----------------------------------------------------------------------===//

def Act_GeluOp : Act_UnaryOp<"gelu", "gelu",
    ", getApproximate() == ::mlir::act::GeluApproximation::tanh"> {
  let summary = "Gaussian error linear unit, exact (erf) or tanh form";
  let description = [{
    `torch.nn.GELU(approximate)`: `x * Phi(x)` with the Gaussian CDF `Phi`,
    or with `approximate = tanh` `0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3)))`.

    ```mlir
    %y = act.gelu %x : tensor<8xf32>
    %z = act.gelu %x approximate = tanh : tensor<8xf32>
    ```
  }];
  let arguments = (ins Act_FloatLike:$input,
                       DefaultValuedAttr<Act_GeluApproximationAttr,
                           "::mlir::act::GeluApproximation::none">:$approximate);
  let assemblyFormat = [{
    $input (`approximate` `=` `` $approximate^)? attr-dict `:` type($result)
  }];
}

def Act_SiluOp : Act_UnaryOp<"silu", "silu"> {
  let summary = "x * sigmoid(x)";
  let description = [{
    `torch.nn.SiLU`; `act.swish` with beta = 1.

    ```mlir
    %y = act.silu %x : tensor<8xf32>
    ```
  }];
  let arguments = (ins Act_FloatLike:$input);
}

def Act_SwishOp : Act_UnaryOp<"swish", "swish", P<"getBeta">.r> {
  let summary = "x * sigmoid(beta * x)";
  let description = [{
    Swish with a fixed beta (oneDNN's eltwise_swish alpha); beta = 1 is SiLU.

    ```mlir
    %y = act.swish %x {beta = 1.5 : f64} : tensor<8xf32>
    ```
  }];
  let arguments = (ins Act_FloatLike:$input,
                       DefaultValuedAttr<F64Attr, "1.0">:$beta);
}

def Act_MishOp : Act_UnaryOp<"mish", "mish"> {
  let summary = "x * tanh(softplus(x))";
  let description = [{
    `torch.nn.Mish`.

    ```mlir
    %y = act.mish %x : tensor<8xf32>
    ```
  }];
  let arguments = (ins Act_FloatLike:$input);
}

def Act_SoftplusOp : Act_UnaryOp<"softplus", "softplus",
    P<"getBeta">.r # P<"getThreshold">.r> {
  let summary = "log(1 + exp(beta * x)) / beta, linear past a threshold";
  let description = [{
    `torch.nn.Softplus(beta, threshold)`: x itself where `beta * x >
    threshold`. Requires `beta != 0`.

    ```mlir
    %y = act.softplus %x {beta = 2.0 : f64} : tensor<8xf32>
    ```
  }];
  let arguments = (ins Act_FloatLike:$input,
                       DefaultValuedAttr<F64Attr, "1.0">:$beta,
                       DefaultValuedAttr<F64Attr, "20.0">:$threshold);
  let hasVerifier = 1;
}

def Act_HardswishOp : Act_UnaryOp<"hardswish", "hardswish"> {
  let summary = "x * relu6(x + 3) / 6";
  let description = [{
    `torch.nn.Hardswish`.

    ```mlir
    %y = act.hardswish %x : tensor<8xf32>
    ```
  }];
  let arguments = (ins Act_FloatLike:$input);
}

//===----------------------------------------------------------------------===//
// Ops along a dimension.
//===----------------------------------------------------------------------===//

def Act_SoftmaxOp : Act_DimOp<"softmax", [SameOperandsAndResultType,
    DeclareOpInterfaceMethods<DifferentiableOpInterface>]> {
  let summary = "exp(x) / sum(exp(x)) along dim";
  let description = [{
    `torch.nn.Softmax(dim)`, computed as `exp(x - max) / sum(exp(x - max))`.
    A row holding NaN or +Inf, or only -Inf, gives NaN, as in PyTorch.

    ```mlir
    %y = act.softmax %x : tensor<4x8xf32>
    %z = act.softmax %x {dim = 0 : i64} : tensor<4x8xf32>
    ```
  }];
  let arguments = (ins Act_FloatShaped:$input,
                       DefaultValuedAttr<I64Attr, "-1">:$dim);
  let results = (outs Act_FloatShaped:$result);
  let assemblyFormat = "$input attr-dict `:` type($result)";
}

def Act_LogSoftmaxOp : Act_DimOp<"log_softmax", [SameOperandsAndResultType,
    DeclareOpInterfaceMethods<DifferentiableOpInterface>]> {
  let summary = "log(softmax(x)) along dim";
  let description = [{
    `torch.nn.LogSoftmax(dim)`, computed as `x - max - log(sum(exp(x - max)))`.

    ```mlir
    %y = act.log_softmax %x : tensor<4x8xf32>
    ```
  }];
  let arguments = (ins Act_FloatShaped:$input,
                       DefaultValuedAttr<I64Attr, "-1">:$dim);
  let results = (outs Act_FloatShaped:$result);
  let assemblyFormat = "$input attr-dict `:` type($result)";
}

def Act_SoftminOp : Act_DimOp<"softmin", [SameOperandsAndResultType,
    DeclareOpInterfaceMethods<DifferentiableOpInterface>]> {
  let summary = "softmax(-x) along dim";
  let description = [{
    `torch.nn.Softmin(dim)`.

    ```mlir
    %y = act.softmin %x : tensor<4x8xf32>
    ```
  }];
  let arguments = (ins Act_FloatShaped:$input,
                       DefaultValuedAttr<I64Attr, "-1">:$dim);
  let results = (outs Act_FloatShaped:$result);
  let assemblyFormat = "$input attr-dict `:` type($result)";
}

def Act_GluOp : Act_DimOp<"glu", [AllElementTypesMatch<["input", "result"]>,
    DeclareOpInterfaceMethods<DifferentiableOpInterface>]> {
  let summary = "Gated linear unit: a * sigmoid(b) for the halves a, b of dim";
  let description = [{
    `torch.nn.GLU(dim)`: splits `dim` (of even size 2n) into a first half
    `a` and a second half `b`; the result has size n along `dim`.

    ```mlir
    %y = act.glu %x : tensor<4x8xf32> -> tensor<4x4xf32>
    ```
  }];
  let arguments = (ins Act_FloatShaped:$input,
                       DefaultValuedAttr<I64Attr, "-1">:$dim);
  let results = (outs Act_FloatShaped:$result);
  let assemblyFormat = [{
    $input attr-dict `:` type($input) `->` type($result)
  }];
}

def Act_MaxoutOp : Act_DimOp<"maxout", [AllElementTypesMatch<["input", "result"]>,
    DeclareOpInterfaceMethods<DifferentiableOpInterface>]> {
  let summary = "Max over consecutive groups of `groups` elements along dim";
  let description = [{
    Maxout: along `dim`, a size of `n * groups` becomes `n`; result element
    `i` is the maximum of input elements `[i * groups, (i + 1) * groups)`
    (PyTorch: `x.unflatten(dim, (n, groups)).amax(dim + 1)`). NaN wins.

    ```mlir
    %y = act.maxout %x {groups = 4 : i64} : tensor<2x16xf32> -> tensor<2x4xf32>
    ```
  }];
  let arguments = (ins Act_FloatShaped:$input, I64Attr:$groups,
                       DefaultValuedAttr<I64Attr, "-1">:$dim);
  let results = (outs Act_FloatShaped:$result);
  let assemblyFormat = [{
    $input attr-dict `:` type($input) `->` type($result)
  }];
}

//===----------------------------------------------------------------------===//
// Backward ops: dx from dy, one per elementwise activation (Act_UnaryGradOp).
//===----------------------------------------------------------------------===//

def Act_StepGradOp : Act_UnaryGradOp<Act_StepOp>;
def Act_ThresholdGradOp : Act_UnaryGradOp<Act_ThresholdOp>;
def Act_LinearGradOp : Act_UnaryGradOp<Act_LinearOp>;
def Act_SigmoidGradOp : Act_UnaryGradOp<Act_SigmoidOp>;
def Act_HardSigmoidGradOp : Act_UnaryGradOp<Act_HardSigmoidOp>;
def Act_LogSigmoidGradOp : Act_UnaryGradOp<Act_LogSigmoidOp>;
def Act_TanhGradOp : Act_UnaryGradOp<Act_TanhOp>;
def Act_HardTanhGradOp : Act_UnaryGradOp<Act_HardTanhOp>;
def Act_TanhShrinkGradOp : Act_UnaryGradOp<Act_TanhShrinkOp>;
def Act_SoftShrinkGradOp : Act_UnaryGradOp<Act_SoftShrinkOp>;
def Act_HardShrinkGradOp : Act_UnaryGradOp<Act_HardShrinkOp>;
def Act_SoftsignGradOp : Act_UnaryGradOp<Act_SoftsignOp>;
def Act_ReluGradOp : Act_UnaryGradOp<Act_ReluOp>;
def Act_Relu6GradOp : Act_UnaryGradOp<Act_Relu6Op>;
def Act_LeakyReluGradOp : Act_UnaryGradOp<Act_LeakyReluOp>;
def Act_RReluGradOp : Act_UnaryGradOp<Act_RReluOp>;
def Act_EluGradOp : Act_UnaryGradOp<Act_EluOp>;
def Act_CeluGradOp : Act_UnaryGradOp<Act_CeluOp>;
def Act_SeluGradOp : Act_UnaryGradOp<Act_SeluOp>;
def Act_GeluGradOp : Act_UnaryGradOp<Act_GeluOp, [{
    $grad `,` $source (`from_output` $from_output^)?
    (`approximate` `=` `` $approximate^)? attr-dict `:` type($result)
  }]>;
def Act_SiluGradOp : Act_UnaryGradOp<Act_SiluOp>;
def Act_SwishGradOp : Act_UnaryGradOp<Act_SwishOp>;
def Act_MishGradOp : Act_UnaryGradOp<Act_MishOp>;
def Act_SoftplusGradOp : Act_UnaryGradOp<Act_SoftplusOp>;
def Act_HardswishGradOp : Act_UnaryGradOp<Act_HardswishOp>;

//===----------------------------------------------------------------------===//
// Backward ops of the softmax family: dx from dy and the forward output y.
//===----------------------------------------------------------------------===//

class Act_SoftmaxGradBaseOp<string mnemonic, string fwdName, string formula> :
    Act_Op<mnemonic, [AllTypesMatch<["grad", "output", "result"]>]> {
  let summary = "Backward of `act." # fwdName # "`, from its output";
  let description = "The vector-Jacobian product of `act." # fwdName #
    "` along `dim`, from the forward output y: " # formula # ". (From y, " #
    "as PyTorch's `_softmax_backward_data` and oneDNN's softmax backward: " #
    "no exp of x is recomputed.)";
  let arguments = (ins Act_FloatShaped:$grad, Act_FloatShaped:$output,
                       DefaultValuedAttr<I64Attr, "-1">:$dim);
  let results = (outs Act_FloatShaped:$result);
  let assemblyFormat = "$grad `,` $output attr-dict `:` type($result)";
  let hasVerifier = 1;
  let extraClassDeclaration = [{
    /// `dim` as an index in [0, rank).
    int64_t getNormalizedDim() {
      int64_t rank = ::llvm::cast<::mlir::ShapedType>(getOutput().getType()).getRank();
      int64_t dim = static_cast<int64_t>(getDim());
      return dim < 0 ? dim + rank : dim;
    }
  }];
}

def Act_SoftmaxGradOp : Act_SoftmaxGradBaseOp<"softmax_grad", "softmax",
    "`dx = y * (dy - sum(dy * y))`">;
def Act_LogSoftmaxGradOp : Act_SoftmaxGradBaseOp<"log_softmax_grad",
    "log_softmax", "`dx = dy - exp(y) * sum(dy)`">;
def Act_SoftminGradOp : Act_SoftmaxGradBaseOp<"softmin_grad", "softmin",
    "`dx = y * (sum(dy * y) - dy)`">;

//===----------------------------------------------------------------------===//
// Backward ops of prelu, glu and maxout.
//===----------------------------------------------------------------------===//

def Act_PReluGradOp : Act_Op<"prelu_grad", [
    AllTypesMatch<["grad", "input", "input_grad"]>,
    AllTypesMatch<["slope", "slope_grad"]>]> {
  let summary = "Backward of `act.prelu`: dx and the slope's gradient";
  let description = [{
    PyTorch's rule: `dx = x > 0 ? dy : slope * dy` and, for the slope,
    the sum of `x > 0 ? 0 : x * dy` over every element that slope element
    applies to (all of them for a shared slope, a channel's otherwise). NaN
    in x gives NaN to both.

    ```mlir
    %dx, %ds = act.prelu_grad %dy, %x, %slope : tensor<2x3x8xf32>, tensor<3xf32>
    ```
  }];
  let arguments = (ins Act_FloatLike:$grad, Act_FloatLike:$input,
                       Act_FloatLike:$slope);
  let results = (outs Act_FloatLike:$input_grad, Act_FloatLike:$slope_grad);
  let assemblyFormat = [{
    $grad `,` $input `,` $slope attr-dict `:` type($input) `,` type($slope)
  }];
  let hasVerifier = 1;
  let extraClassDeclaration = [{
    /// The axis of `input` that the slope runs along, or -1 if it is shared.
    int64_t getChannelDim();
  }];
}

def Act_GluGradOp : Act_Op<"glu_grad", [
    AllElementTypesMatch<["grad", "input", "result"]>,
    AllTypesMatch<["input", "result"]>]> {
  let summary = "Backward of `act.glu`";
  let description = [{
    For the halves a, b of `input` along `dim` and s = sigmoid(b): the first
    half of the result is `dy * s`, the second `dy * a * s (1 - s)` (the
    latter as `sigmoid(b) sigmoid(-b)`, which does not cancel).

    ```mlir
    %dx = act.glu_grad %dy, %x : tensor<4x4xf32> -> tensor<4x8xf32>
    ```
  }];
  let arguments = (ins Act_FloatShaped:$grad, Act_FloatShaped:$input,
                       DefaultValuedAttr<I64Attr, "-1">:$dim);
  let results = (outs Act_FloatShaped:$result);
  let assemblyFormat = [{
    $grad `,` $input attr-dict `:` type($grad) `->` type($result)
  }];
  let hasVerifier = 1;
  let extraClassDeclaration = [{
    int64_t getNormalizedDim() {
      int64_t rank = ::llvm::cast<::mlir::ShapedType>(getInput().getType()).getRank();
      int64_t dim = static_cast<int64_t>(getDim());
      return dim < 0 ? dim + rank : dim;
    }
  }];
}

def Act_MaxoutGradOp : Act_Op<"maxout_grad", [
    AllElementTypesMatch<["grad", "input", "result"]>,
    AllTypesMatch<["input", "result"]>]> {
  let summary = "Backward of `act.maxout`";
  let description = [{
    Each group's gradient goes to the elements equal to the group's maximum,
    split evenly among them when several tie: PyTorch's rule for
    `x.unflatten(dim, (n, groups)).amax(dim + 1)`. A group holding NaN
    (whose maximum is NaN) gets NaN everywhere, as there.

    ```mlir
    %dx = act.maxout_grad %dy, %x {groups = 4 : i64} : tensor<2x4xf32> -> tensor<2x16xf32>
    ```
  }];
  let arguments = (ins Act_FloatShaped:$grad, Act_FloatShaped:$input,
                       I64Attr:$groups, DefaultValuedAttr<I64Attr, "-1">:$dim);
  let results = (outs Act_FloatShaped:$result);
  let assemblyFormat = [{
    $grad `,` $input attr-dict `:` type($grad) `->` type($result)
  }];
  let hasVerifier = 1;
  let extraClassDeclaration = [{
    int64_t getNormalizedDim() {
      int64_t rank = ::llvm::cast<::mlir::ShapedType>(getInput().getType()).getRank();
      int64_t dim = static_cast<int64_t>(getDim());
      return dim < 0 ? dim + rank : dim;
    }
  }];
}

#endif // ACT_OPS
