//===- ActOps.cpp - Verifiers and folders of the act ops --------*- C++ -*-===//

#include "act/Dialect/Act/IR/ActOps.h"
#include "act/Dialect/Act/IR/ActActivations.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/Matchers.h"
#include "mlir/IR/TypeUtilities.h"
#include "llvm/ADT/APFloat.h"

using namespace mlir;
using namespace mlir::act;

//===----------------------------------------------------------------------===//
// Constant folding through the reference math.
//===----------------------------------------------------------------------===//

static double toDouble(APFloat value) {
  bool losesInfo;
  value.convert(APFloat::IEEEdouble(), APFloat::rmNearestTiesToEven,
                &losesInfo);
  return value.convertToDouble();
}

/// Rounds a double result to the element type, to nearest even.
static APFloat roundTo(double value, const llvm::fltSemantics &semantics) {
  APFloat rounded(value);
  bool losesInfo;
  rounded.convert(semantics, APFloat::rmNearestTiesToEven, &losesInfo);
  return rounded;
}

static const llvm::fltSemantics &semanticsOf(Type type) {
  return cast<FloatType>(getElementTypeOrSelf(type)).getFloatSemantics();
}

/// Applies `fn` to a scalar, splat or dense float constant of type `type`;
/// null if `operand` is not one.
static Attribute foldUnaryConstant(Attribute operand, Type type,
                                   llvm::function_ref<double(double)> fn) {
  const llvm::fltSemantics &semantics = semanticsOf(type);
  if (auto scalar = dyn_cast_if_present<FloatAttr>(operand))
    return FloatAttr::get(type,
                          roundTo(fn(toDouble(scalar.getValue())), semantics));
  auto dense = dyn_cast_if_present<DenseFPElementsAttr>(operand);
  if (!dense)
    return {};
  auto shaped = cast<ShapedType>(type);
  if (dense.isSplat())
    return DenseElementsAttr::get(
        shaped,
        roundTo(fn(toDouble(dense.getSplatValue<APFloat>())), semantics));
  SmallVector<APFloat> results;
  results.reserve(dense.getNumElements());
  for (APFloat value : dense.getValues<APFloat>())
    results.push_back(roundTo(fn(toDouble(value)), semantics));
  return DenseElementsAttr::get(shaped, results);
}

/// Identities that hold bit for bit (NaN and -0 included); none by default.
template <typename OpT>
static OpFoldResult foldIdentity(OpT) {
  return {};
}

static OpFoldResult foldIdentity(ReluOp op) {
  // relu(relu(x)) = relu(x) and relu(relu6(x)) = relu6(x).
  if (isa_and_present<ReluOp, Relu6Op>(op.getInput().getDefiningOp()))
    return op.getInput();
  return {};
}

static OpFoldResult foldIdentity(Relu6Op op) {
  // relu6(relu(x)) = relu6(x).
  if (auto inner = op.getInput().getDefiningOp<ReluOp>()) {
    op.getInputMutable().assign(inner.getInput());
    return op.getResult();
  }
  return {};
}

static OpFoldResult foldIdentity(LinearOp op) {
  if (op.getAlpha().isExactlyValue(1.0) && op.getBeta().isZero())
    return op.getInput();
  return {};
}

static OpFoldResult foldIdentity(LeakyReluOp op) {
  if (op.getNegativeSlope().isExactlyValue(1.0))
    return op.getInput();
  return {};
}

static OpFoldResult foldIdentity(HardTanhOp op) {
  // clamp(clamp(x, a, b), c, d) = clamp(x, max(a, c), min(b, d)) when the
  // two ranges overlap (otherwise the result is a constant but for NaN).
  auto inner = op.getInput().getDefiningOp<HardTanhOp>();
  if (!inner)
    return {};
  double lo = std::max(inner.getMinVal().convertToDouble(),
                       op.getMinVal().convertToDouble());
  double hi = std::min(inner.getMaxVal().convertToDouble(),
                       op.getMaxVal().convertToDouble());
  if (!(lo <= hi))
    return {};
  Builder builder(op.getContext());
  op.setMinValAttr(builder.getF64FloatAttr(lo));
  op.setMaxValAttr(builder.getF64FloatAttr(hi));
  op.getInputMutable().assign(inner.getInput());
  return op.getResult();
}

/// The folder of every elementwise activation (see Act_UnaryOp).
template <typename OpT>
static OpFoldResult foldActivation(OpT op, Attribute input) {
  if (OpFoldResult identity = foldIdentity(op))
    return identity;
  return foldUnaryConstant(input, op.getType(),
                           [&](double x) { return op.forward(x); });
}

/// The folder of every backward op (see Act_UnaryGradOp): dy and the source
/// both constants of the same shape (or splats).
template <typename OpT>
static OpFoldResult foldActivationGrad(OpT op, Attribute grad,
                                       Attribute source) {
  Type type = op.getType();
  const llvm::fltSemantics &semantics = semanticsOf(type);
  auto apply = [&](const APFloat &g, const APFloat &s) {
    return roundTo(op.template backward<double>(toDouble(g), toDouble(s)),
                   semantics);
  };
  if (auto g = dyn_cast_if_present<FloatAttr>(grad)) {
    auto s = dyn_cast_if_present<FloatAttr>(source);
    if (!s)
      return {};
    return FloatAttr::get(type, apply(g.getValue(), s.getValue()));
  }
  auto g = dyn_cast_if_present<DenseFPElementsAttr>(grad);
  auto s = dyn_cast_if_present<DenseFPElementsAttr>(source);
  if (!g || !s)
    return {};
  auto shaped = cast<ShapedType>(type);
  if (g.isSplat() && s.isSplat())
    return DenseElementsAttr::get(
        shaped, apply(g.getSplatValue<APFloat>(), s.getSplatValue<APFloat>()));
  SmallVector<APFloat> results;
  results.reserve(shaped.getNumElements());
  auto gValues = g.getValues<APFloat>();
  auto sValues = s.getValues<APFloat>();
  for (int64_t i = 0, e = shaped.getNumElements(); i < e; ++i)
    results.push_back(
        apply(gValues[g.isSplat() ? 0 : i], sValues[s.isSplat() ? 0 : i]));
  return DenseElementsAttr::get(shaped, results);
}

//===----------------------------------------------------------------------===//
// Derivative rules.
//===----------------------------------------------------------------------===//

/// The rule of every elementwise activation: its backward op on dy and the
/// input, or the output where the op's derivative reads it.
template <typename GradOpT, typename OpT>
static LogicalResult
buildUnaryGradient(OpT op, OpBuilder &builder, ValueRange resultGradients,
                   SmallVectorImpl<Value> &operandGradients) {
  operandGradients.assign(1, Value());
  if (!resultGradients[0])
    return success();
  bool fromOutput = op.derivativeFromOutput();
  SmallVector<NamedAttribute> attrs(op->getAttrs());
  if (fromOutput)
    attrs.push_back(builder.getNamedAttr("from_output", builder.getUnitAttr()));
  OperationState state(op.getLoc(), GradOpT::getOperationName());
  state.addOperands(
      {resultGradients[0], fromOutput ? op.getResult() : op.getInput()});
  state.addTypes(op.getType());
  state.addAttributes(attrs);
  operandGradients[0] = builder.create(state)->getResult(0);
  return success();
}

//===----------------------------------------------------------------------===//
// Verifiers.
//===----------------------------------------------------------------------===//

/// Shortest decimal form of a parameter, for diagnostics.
static std::string str(const APFloat &value) {
  SmallString<16> text;
  value.toString(text);
  return std::string(text);
}

static LogicalResult verifyNonNegative(Operation *op, StringRef name,
                                       APFloat value) {
  if (value.isNegative() && !value.isZero())
    return op->emitOpError()
           << "requires " << name << " >= 0, got " << str(value);
  return success();
}

static LogicalResult verifyNonZero(Operation *op, StringRef name,
                                   APFloat value) {
  if (value.isZero())
    return op->emitOpError() << "requires " << name << " != 0";
  return success();
}

LogicalResult HardTanhOp::verify() {
  if (getMinVal() > getMaxVal())
    return emitOpError() << "requires min_val <= max_val, got min_val = "
                         << str(getMinVal())
                         << " and max_val = " << str(getMaxVal());
  return success();
}

LogicalResult SoftShrinkOp::verify() {
  return verifyNonNegative(*this, "lambd", getLambd());
}

LogicalResult HardShrinkOp::verify() {
  return verifyNonNegative(*this, "lambd", getLambd());
}

LogicalResult RReluOp::verify() {
  if (getLower() > getUpper())
    return emitOpError() << "requires lower <= upper, got lower = "
                         << str(getLower())
                         << " and upper = " << str(getUpper());
  return success();
}

LogicalResult CeluOp::verify() {
  return verifyNonZero(*this, "alpha", getAlpha());
}

LogicalResult SoftplusOp::verify() {
  return verifyNonZero(*this, "beta", getBeta());
}

/// Checks `dim` against the input's rank.
static LogicalResult verifyDim(Operation *op, int64_t dim, Value input) {
  int64_t rank = cast<ShapedType>(input.getType()).getRank();
  if (dim < -rank || dim >= rank)
    return op->emitOpError()
           << "dim " << dim << " is out of range for rank " << rank
           << " (expected -" << rank << " <= dim < " << rank << ")";
  return success();
}

LogicalResult SoftmaxOp::verify() {
  return verifyDim(*this, getDim(), getInput());
}
LogicalResult LogSoftmaxOp::verify() {
  return verifyDim(*this, getDim(), getInput());
}
LogicalResult SoftminOp::verify() {
  return verifyDim(*this, getDim(), getInput());
}
LogicalResult SoftmaxGradOp::verify() {
  return verifyDim(*this, getDim(), getOutput());
}
LogicalResult LogSoftmaxGradOp::verify() {
  return verifyDim(*this, getDim(), getOutput());
}
LogicalResult SoftminGradOp::verify() {
  return verifyDim(*this, getDim(), getOutput());
}

/// Checks that `result` is `input` with dimension `dim` divided by `factor`,
/// and of the same container kind (vector or tensor).
static LogicalResult verifyReducedShape(Operation *op, int64_t dim,
                                        int64_t factor, Value input,
                                        Value result) {
  auto inputType = cast<ShapedType>(input.getType());
  auto resultType = cast<ShapedType>(result.getType());
  if (isa<VectorType>(inputType) != isa<VectorType>(resultType))
    return op->emitOpError("requires the input and result to be both vectors "
                           "or both tensors");
  SmallVector<int64_t> expected(inputType.getShape());
  if (!ShapedType::isDynamic(expected[dim]))
    expected[dim] /= factor;
  if (resultType.getShape() != ArrayRef<int64_t>(expected))
    return op->emitOpError()
           << "result type " << resultType << " does not match the input "
           << inputType << " with dim " << dim << " divided by " << factor
           << " (expected shape " << expected << ")";
  return success();
}

/// glu and glu_grad: `input` splits in halves along `dim`, the size of
/// `halved` (the result, or dy).
static LogicalResult verifyGlu(Operation *op, int64_t rawDim, Value input,
                               Value halved) {
  if (failed(verifyDim(op, rawDim, input)))
    return failure();
  auto type = cast<ShapedType>(input.getType());
  int64_t dim = rawDim < 0 ? rawDim + type.getRank() : rawDim;
  int64_t size = type.getDimSize(dim);
  if (!ShapedType::isDynamic(size) && size % 2 != 0)
    return op->emitOpError()
           << "requires an even size along dim " << dim << ", got " << size;
  return verifyReducedShape(op, dim, 2, input, halved);
}

/// maxout and maxout_grad: `input` splits in groups along `dim`, the size
/// of `reduced` (the result, or dy).
static LogicalResult verifyMaxout(Operation *op, int64_t rawDim, int64_t groups,
                                  Value input, Value reduced) {
  if (failed(verifyDim(op, rawDim, input)))
    return failure();
  if (groups < 1)
    return op->emitOpError() << "requires groups >= 1, got " << groups;
  auto type = cast<ShapedType>(input.getType());
  int64_t dim = rawDim < 0 ? rawDim + type.getRank() : rawDim;
  int64_t size = type.getDimSize(dim);
  if (!ShapedType::isDynamic(size) && size % groups != 0)
    return op->emitOpError()
           << "requires the size along dim " << dim << " (" << size
           << ") to be divisible by groups (" << groups << ")";
  return verifyReducedShape(op, dim, groups, input, reduced);
}

LogicalResult GluOp::verify() {
  return verifyGlu(*this, getDim(), getInput(), getResult());
}

LogicalResult GluGradOp::verify() {
  return verifyGlu(*this, getDim(), getInput(), getGrad());
}

LogicalResult MaxoutOp::verify() {
  return verifyMaxout(*this, getDim(), getGroups(), getInput(), getResult());
}

LogicalResult MaxoutGradOp::verify() {
  return verifyMaxout(*this, getDim(), getGroups(), getInput(), getGrad());
}

//===----------------------------------------------------------------------===//
// PReluOp.
//===----------------------------------------------------------------------===//

/// PyTorch's channel count: the size of dimension 1, or 1 below rank 2.
static int64_t channelCount(ShapedType inputType) {
  return inputType.getRank() < 2 ? 1 : inputType.getDimSize(1);
}

int64_t PReluOp::getChannelDim() {
  auto slopeType = dyn_cast<ShapedType>(getSlope().getType());
  if (!slopeType || slopeType.getDimSize(0) == 1)
    return -1;
  return 1;
}

/// The operand rules of prelu and prelu_grad.
static LogicalResult verifyPReluOperands(Operation *op, Type inputType,
                                         Type slopeType) {
  if (getElementTypeOrSelf(inputType) != getElementTypeOrSelf(slopeType))
    return op->emitOpError() << "requires the slope's element type to match "
                                "the input's, got "
                             << slopeType << " for input " << inputType;
  auto input = dyn_cast<ShapedType>(inputType);
  if (!input) {
    if (slopeType != inputType)
      return op->emitOpError()
             << "requires a scalar slope for a scalar input, got " << slopeType;
    return success();
  }
  auto slope = dyn_cast<ShapedType>(slopeType);
  int64_t channels = channelCount(input);
  if (!slope || isa<VectorType>(slope) != isa<VectorType>(input) ||
      slope.getRank() != 1 ||
      (slope.getDimSize(0) != 1 && slope.getDimSize(0) != channels))
    return op->emitOpError()
           << "requires a 1-D slope with 1 element or one "
              "per channel ("
           << channels << ", dim 1 of the input), got " << slopeType;
  return success();
}

LogicalResult PReluOp::verify() {
  return verifyPReluOperands(*this, getInput().getType(), getSlope().getType());
}

LogicalResult PReluGradOp::verify() {
  return verifyPReluOperands(*this, getInput().getType(), getSlope().getType());
}

int64_t PReluGradOp::getChannelDim() {
  auto slopeType = dyn_cast<ShapedType>(getSlope().getType());
  if (!slopeType || slopeType.getDimSize(0) == 1)
    return -1;
  return 1;
}

OpFoldResult PReluOp::fold(FoldAdaptor adaptor) {
  Type type = getType();
  const llvm::fltSemantics &semantics = semanticsOf(type);
  if (auto x = dyn_cast_if_present<FloatAttr>(adaptor.getInput())) {
    auto slope = dyn_cast_if_present<FloatAttr>(adaptor.getSlope());
    if (!slope)
      return {};
    return FloatAttr::get(type, roundTo(forward(toDouble(x.getValue()),
                                                toDouble(slope.getValue())),
                                        semantics));
  }
  auto x = dyn_cast_if_present<DenseFPElementsAttr>(adaptor.getInput());
  auto slope = dyn_cast_if_present<DenseFPElementsAttr>(adaptor.getSlope());
  if (!x || !slope)
    return {};
  auto shaped = cast<ShapedType>(type);
  if (!shaped.hasStaticShape())
    return {};
  SmallVector<double> slopes;
  for (APFloat value : slope.getValues<APFloat>())
    slopes.push_back(toDouble(value));
  // Element i is in channel (i / inner) % channels, inner being the number
  // of elements per channel step.
  int64_t channels = slopes.size();
  int64_t inner = 1;
  for (int64_t d = 2; d < shaped.getRank(); ++d)
    inner *= shaped.getDimSize(d);
  SmallVector<APFloat> results;
  results.reserve(shaped.getNumElements());
  int64_t index = 0;
  for (APFloat value : x.getValues<APFloat>()) {
    double s = slopes[channels == 1 ? 0 : (index / inner) % channels];
    results.push_back(roundTo(forward(toDouble(value), s), semantics));
    ++index;
  }
  return DenseElementsAttr::get(shaped, results);
}

/// softmax, log_softmax and softmin differentiate from their output.
template <typename GradOpT, typename OpT>
static LogicalResult buildSoftmaxGradient(OpT op, OpBuilder &builder,
                                          ValueRange resultGradients,
                                          SmallVectorImpl<Value> &grads) {
  grads.assign(1, Value());
  if (resultGradients[0])
    grads[0] =
        GradOpT::create(builder, op.getLoc(), op.getType(), resultGradients[0],
                        op.getResult(), op.getDimAttr());
  return success();
}

LogicalResult SoftmaxOp::buildGradients(OpBuilder &builder,
                                        ValueRange resultGradients,
                                        SmallVectorImpl<Value> &grads) {
  return buildSoftmaxGradient<SoftmaxGradOp>(*this, builder, resultGradients,
                                             grads);
}
LogicalResult LogSoftmaxOp::buildGradients(OpBuilder &builder,
                                           ValueRange resultGradients,
                                           SmallVectorImpl<Value> &grads) {
  return buildSoftmaxGradient<LogSoftmaxGradOp>(*this, builder, resultGradients,
                                                grads);
}
LogicalResult SoftminOp::buildGradients(OpBuilder &builder,
                                        ValueRange resultGradients,
                                        SmallVectorImpl<Value> &grads) {
  return buildSoftmaxGradient<SoftminGradOp>(*this, builder, resultGradients,
                                             grads);
}

LogicalResult PReluOp::buildGradients(OpBuilder &builder,
                                      ValueRange resultGradients,
                                      SmallVectorImpl<Value> &grads) {
  grads.assign(2, Value());
  if (!resultGradients[0])
    return success();
  auto grad = PReluGradOp::create(builder, getLoc(), getInput().getType(),
                                  getSlope().getType(), resultGradients[0],
                                  getInput(), getSlope());
  grads[0] = grad.getInputGrad();
  grads[1] = grad.getSlopeGrad();
  return success();
}

LogicalResult GluOp::buildGradients(OpBuilder &builder,
                                    ValueRange resultGradients,
                                    SmallVectorImpl<Value> &grads) {
  grads.assign(1, Value());
  if (resultGradients[0])
    grads[0] = GluGradOp::create(builder, getLoc(), getInput().getType(),
                                 resultGradients[0], getInput(), getDimAttr());
  return success();
}

LogicalResult MaxoutOp::buildGradients(OpBuilder &builder,
                                       ValueRange resultGradients,
                                       SmallVectorImpl<Value> &grads) {
  grads.assign(1, Value());
  if (resultGradients[0])
    grads[0] = MaxoutGradOp::create(builder, getLoc(), getInput().getType(),
                                    resultGradients[0], getInput(),
                                    getGroupsAttr(), getDimAttr());
  return success();
}

#define GET_OP_CLASSES
#include "act/Dialect/Act/IR/ActOps.cpp.inc"

std::function<double(double)> mlir::act::getUnaryReference(Operation *op) {
  std::function<double(double)> reference;
  forEachUnaryActivation([&](auto *tag) {
    using OpT = std::remove_pointer_t<decltype(tag)>;
    if (auto concrete = dyn_cast<OpT>(op))
      reference = [concrete](double x) mutable {
        return concrete.template forward<double>(x);
      };
  });
  return reference;
}

std::function<double(double)> mlir::act::getUnaryDerivative(Operation *op) {
  std::function<double(double)> derivative;
  forEachUnaryActivation([&](auto *tag) {
    using OpT = std::remove_pointer_t<decltype(tag)>;
    if (auto concrete = dyn_cast<OpT>(op))
      derivative = [concrete](double x) mutable {
        return concrete.template derivative<double>(x);
      };
  });
  return derivative;
}

std::function<double(double)> mlir::act::getUnaryGradDerivative(Operation *op) {
  std::function<double(double)> derivative;
  forEachUnaryActivationGrad([&](auto *tag) {
    using OpT = std::remove_pointer_t<decltype(tag)>;
    if (auto concrete = dyn_cast<OpT>(op))
      derivative = [concrete](double s) mutable {
        return concrete.template derivativeAt<double>(s);
      };
  });
  return derivative;
}
