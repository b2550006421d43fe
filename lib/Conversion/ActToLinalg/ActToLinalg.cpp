//===- ActToLinalg.cpp - Expand act ops into linalg -------------*- C++ -*-===//

#include "act/Conversion/ActToLinalg/ActToLinalg.h"
#include "act/Conversion/Passes.h"
#include "act/Dialect/Act/IR/ActActivations.h"
#include "act/Dialect/Act/IR/ActOps.h"
#include "act/Dialect/Act/Transforms/MathEmitter.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/ImplicitLocOpBuilder.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

#include <type_traits>

namespace mlir::act {
#define GEN_PASS_DEF_CONVERTACTTOLINALGPASS
#include "act/Conversion/Passes.h.inc"
} // namespace mlir::act

using namespace mlir;
using namespace mlir::act;
using act::math::IRValue;

//===----------------------------------------------------------------------===//
// Helpers.
//===----------------------------------------------------------------------===//

/// The type the math is done in: f16 and bf16 widen to f32 (as PyTorch does
/// on CPU); f32 and f64 stay.
static Type computeElementType(Type elementType) {
  if (elementType.isF16() || elementType.isBF16())
    return Float32Type::get(elementType.getContext());
  return elementType;
}

using ScalarFn = llvm::function_ref<IRValue(ArrayRef<IRValue>)>;
using act::math::MathMode;

/// Applies `fn` to scalar or vector `args` of one float type, widening
/// f16/bf16 to f32 around it.
static Value emitElementwise(ImplicitLocOpBuilder &b, ValueRange args,
                             ScalarFn fn, MathMode mode) {
  Type type = args.front().getType();
  Type elementType = getElementTypeOrSelf(type);
  Type computeType = computeElementType(elementType);
  if (auto vector = dyn_cast<VectorType>(type))
    computeType = vector.clone(computeType);
  SmallVector<IRValue> wrapped;
  for (Value arg : args) {
    if (arg.getType() != computeType)
      arg = arith::ExtFOp::create(b, computeType, arg);
    wrapped.push_back(IRValue(b, arg, mode));
  }
  Value result = fn(wrapped).value();
  if (result.getType() != type)
    result = arith::TruncFOp::create(b, type, result);
  return result;
}

/// An empty tensor shaped like `like` (dynamic sizes included), of
/// `elementType`.
static Value emptyLike(ImplicitLocOpBuilder &b, Value like, Type elementType) {
  return tensor::EmptyOp::create(b, tensor::getMixedSizes(b, b.getLoc(), like),
                                 elementType);
}

/// A `linalg.generic` over the shape of `init` with all-parallel loops, whose
/// body applies `fn` to the inputs' elements.
static Value buildParallelGeneric(ImplicitLocOpBuilder &b, ValueRange inputs,
                                  ArrayRef<AffineMap> inputMaps, Value init,
                                  ScalarFn fn, MathMode mode) {
  auto initType = cast<RankedTensorType>(init.getType());
  SmallVector<AffineMap> maps(inputMaps);
  maps.push_back(b.getMultiDimIdentityMap(initType.getRank()));
  SmallVector<utils::IteratorType> iterators(initType.getRank(),
                                             utils::IteratorType::parallel);
  auto generic = linalg::GenericOp::create(
      b, TypeRange{initType}, inputs, ValueRange{init}, maps, iterators,
      [&](OpBuilder &nested, Location loc, ValueRange args) {
        ImplicitLocOpBuilder body(loc, nested);
        Value result = emitElementwise(body, args.drop_back(), fn, mode);
        linalg::YieldOp::create(body, result);
      });
  return generic.getResult(0);
}

//===----------------------------------------------------------------------===//
// Elementwise activations.
//===----------------------------------------------------------------------===//

namespace {

/// A lowering pattern that knows the math mode.
template <typename OpT>
struct ActLowering : OpRewritePattern<OpT> {
  ActLowering(MLIRContext *ctx, MathMode mode)
      : OpRewritePattern<OpT>(ctx), mode(mode) {}
  MathMode mode;
};

/// Any act op with `forward(T x)` (see Act_UnaryOp).
template <typename OpT>
struct UnaryActivationLowering : ActLowering<OpT> {
  using ActLowering<OpT>::ActLowering;

  LogicalResult matchAndRewrite(OpT op,
                                PatternRewriter &rewriter) const override {
    ImplicitLocOpBuilder b(op.getLoc(), rewriter);
    auto fn = [&](ArrayRef<IRValue> args) { return op.forward(args[0]); };
    Value input = op.getInput();
    Value result;
    if (auto tensor = dyn_cast<RankedTensorType>(input.getType())) {
      Value init = emptyLike(b, input, tensor.getElementType());
      result = buildParallelGeneric(b, input,
                                    b.getMultiDimIdentityMap(tensor.getRank()),
                                    init, fn, this->mode);
    } else {
      result = emitElementwise(b, input, fn, this->mode);
    }
    rewriter.replaceOp(op, result);
    return success();
  }
};

/// Any backward op with `backward(T dy, T source)` (see Act_UnaryGradOp).
template <typename OpT>
struct UnaryActivationGradLowering : ActLowering<OpT> {
  using ActLowering<OpT>::ActLowering;

  LogicalResult matchAndRewrite(OpT op,
                                PatternRewriter &rewriter) const override {
    ImplicitLocOpBuilder b(op.getLoc(), rewriter);
    auto fn = [&](ArrayRef<IRValue> args) {
      return op.backward(args[0], args[1]);
    };
    Value grad = op.getGrad(), source = op.getSource();
    Value result;
    if (auto tensor = dyn_cast<RankedTensorType>(source.getType())) {
      AffineMap id = b.getMultiDimIdentityMap(tensor.getRank());
      Value init = emptyLike(b, source, tensor.getElementType());
      result = buildParallelGeneric(b, {grad, source}, {id, id}, init, fn,
                                    this->mode);
    } else {
      result = emitElementwise(b, {grad, source}, fn, this->mode);
    }
    rewriter.replaceOp(op, result);
    return success();
  }
};

struct PReluLowering : ActLowering<PReluOp> {
  using ActLowering::ActLowering;

  LogicalResult matchAndRewrite(PReluOp op,
                                PatternRewriter &rewriter) const override {
    ImplicitLocOpBuilder b(op.getLoc(), rewriter);
    auto fn = [](ArrayRef<IRValue> args) {
      return PReluOp::forward(args[0], args[1]);
    };
    auto tensor = dyn_cast<RankedTensorType>(op.getInput().getType());
    if (!tensor) {
      if (isa<VectorType>(op.getInput().getType()))
        return rewriter.notifyMatchFailure(op, "vector prelu");
      rewriter.replaceOp(
          op, emitElementwise(b, {op.getInput(), op.getSlope()}, fn, mode));
      return success();
    }
    int64_t rank = tensor.getRank();
    // The slope is indexed by the channel (dim 1) or by nothing (shared).
    AffineExpr slopeIndex = op.getChannelDim() < 0
                                ? b.getAffineConstantExpr(0)
                                : b.getAffineDimExpr(op.getChannelDim());
    AffineMap maps[] = {b.getMultiDimIdentityMap(rank),
                        AffineMap::get(rank, 0, slopeIndex)};
    Value init = emptyLike(b, op.getInput(), tensor.getElementType());
    rewriter.replaceOp(op,
                       buildParallelGeneric(b, {op.getInput(), op.getSlope()},
                                            maps, init, fn, mode));
    return success();
  }
};

//===----------------------------------------------------------------------===//
// Ops along a dimension.
//===----------------------------------------------------------------------===//

/// Maps and iterators of a reduction of a rank-`rank` tensor along `dim`.
struct Reduction {
  AffineMap full, reduced;
  SmallVector<utils::IteratorType> iterators;
};

static Reduction getReduction(OpBuilder &b, int64_t rank, int64_t dim) {
  Reduction r;
  r.full = b.getMultiDimIdentityMap(rank);
  r.reduced = r.full.dropResult(dim);
  r.iterators.assign(rank, utils::IteratorType::parallel);
  r.iterators[dim] = utils::IteratorType::reduction;
  return r;
}

/// `input` reduced along `dim` by `combine`, starting from `initValue`; the
/// result has element type `elementType`.
static Value buildReduction(ImplicitLocOpBuilder &b, ValueRange inputs,
                            ArrayRef<AffineMap> inputMaps, Value shapeSource,
                            int64_t dim, Type elementType, double initValue,
                            ScalarFn combine, MathMode mode) {
  auto sourceType = cast<RankedTensorType>(shapeSource.getType());
  Reduction r = getReduction(b, sourceType.getRank(), dim);
  SmallVector<OpFoldResult> sizes =
      tensor::getMixedSizes(b, b.getLoc(), shapeSource);
  sizes.erase(sizes.begin() + dim);
  Value init = tensor::EmptyOp::create(b, sizes, elementType);
  Value initScalar =
      arith::ConstantOp::create(b, b.getFloatAttr(elementType, initValue));
  init = linalg::FillOp::create(b, initScalar, init).getResult(0);
  SmallVector<AffineMap> maps(inputMaps);
  maps.push_back(r.reduced);
  auto generic = linalg::GenericOp::create(
      b, TypeRange{init.getType()}, inputs, ValueRange{init}, maps, r.iterators,
      [&](OpBuilder &nested, Location loc, ValueRange args) {
        ImplicitLocOpBuilder body(loc, nested);
        SmallVector<Value> operands(args.drop_back());
        for (Value &v : operands)
          if (v.getType() != elementType)
            v = arith::ExtFOp::create(body, elementType, v);
        operands.push_back(args.back());
        SmallVector<IRValue> wrapped;
        for (Value v : operands)
          wrapped.push_back(IRValue(body, v, mode));
        linalg::YieldOp::create(body, combine(wrapped).value());
      });
  return generic.getResult(0);
}

/// softmax, log_softmax and softmin (softmax of -x) along `dim`:
///   m = max(s x), sum = sum(exp(s x - m)),
///   softmax = exp(s x - m) / sum, log_softmax = s x - m - log(sum).
template <typename OpT>
struct SoftmaxLowering : ActLowering<OpT> {
  using ActLowering<OpT>::ActLowering;

  LogicalResult matchAndRewrite(OpT op,
                                PatternRewriter &rewriter) const override {
    auto type = dyn_cast<RankedTensorType>(op.getInput().getType());
    if (!type)
      return rewriter.notifyMatchFailure(op, "not on a ranked tensor");
    constexpr bool isLog = std::is_same_v<OpT, LogSoftmaxOp>;
    constexpr double sign = std::is_same_v<OpT, SoftminOp> ? -1.0 : 1.0;
    ImplicitLocOpBuilder b(op.getLoc(), rewriter);
    Value x = op.getInput();
    int64_t dim = op.getNormalizedDim();
    Type accType = computeElementType(type.getElementType());
    Reduction r = getReduction(b, type.getRank(), dim);
    auto signed_ = [&](IRValue v) { return sign < 0 ? -v : v; };

    Value max = buildReduction(
        b, x, r.full, x, dim, accType, -std::numeric_limits<double>::infinity(),
        [&](ArrayRef<IRValue> a) {
          return act::math::maximum(signed_(a[0]), a[1]);
        },
        this->mode);
    Value init = emptyLike(b, x, type.getElementType());
    // s x - m <= 0 (or NaN): no overflow to guard against.
    auto expShifted = [&](ArrayRef<IRValue> a) {
      return act::math::expNonPositive(signed_(a[0]) - a[1]);
    };
    Value result;
    if (!isLog && accType == type.getElementType()) {
      // exp once: e = exp(s x - m) is materialized (after row tiling, one
      // row in cache, reused for every row), summed, and scaled by 1/sum
      // into the output: one division per row, as in PyTorch's kernel.
      Value e = buildParallelGeneric(b, {x, max}, {r.full, r.reduced},
                                     emptyLike(b, x, accType), expShifted,
                                     this->mode);
      Value sum = buildReduction(
          b, e, r.full, x, dim, accType, 0.0,
          [&](ArrayRef<IRValue> a) { return a[1] + a[0]; }, this->mode);
      result = buildParallelGeneric(
          b, {e, sum}, {r.full, r.reduced}, init,
          [&](ArrayRef<IRValue> a) { return a[0] * (1.0 / a[1]); }, this->mode);
    } else {
      // f16/bf16 keep e in f32: recompute it rather than round it.
      Value sum = buildReduction(
          b, {x, max}, {r.full, r.reduced}, x, dim, accType, 0.0,
          [&](ArrayRef<IRValue> a) { return a[2] + expShifted(a); },
          this->mode);
      if (isLog) {
        // log(sum) once per row, not in the loop over the row's elements;
        // (s x - m) - log(sum) keeps s x - m exact near the max.
        auto sumType = cast<RankedTensorType>(sum.getType());
        Value logSum = buildParallelGeneric(
            b, sum, b.getMultiDimIdentityMap(sumType.getRank()),
            emptyLike(b, sum, accType),
            [](ArrayRef<IRValue> a) { return act::math::log(a[0]); },
            this->mode);
        result = buildParallelGeneric(
            b, {x, max, logSum}, {r.full, r.reduced, r.reduced}, init,
            [&](ArrayRef<IRValue> a) { return signed_(a[0]) - a[1] - a[2]; },
            this->mode);
      } else {
        result = buildParallelGeneric(
            b, {x, max, sum}, {r.full, r.reduced, r.reduced}, init,
            [&](ArrayRef<IRValue> a) { return expShifted(a) / a[2]; },
            this->mode);
      }
    }
    rewriter.replaceOp(op, result);
    return success();
  }
};

/// The backward of softmax, log_softmax and softmin from y along `dim`:
///   softmax:     dx = y (dy - sum(dy y))
///   softmin:     dx = y (sum(dy y) - dy)
///   log_softmax: dx = dy - exp(y) sum(dy).
template <typename OpT>
struct SoftmaxGradLowering : ActLowering<OpT> {
  using ActLowering<OpT>::ActLowering;

  LogicalResult matchAndRewrite(OpT op,
                                PatternRewriter &rewriter) const override {
    auto type = dyn_cast<RankedTensorType>(op.getOutput().getType());
    if (!type)
      return rewriter.notifyMatchFailure(op, "not on a ranked tensor");
    constexpr bool isLog = std::is_same_v<OpT, LogSoftmaxGradOp>;
    constexpr bool isMin = std::is_same_v<OpT, SoftminGradOp>;
    ImplicitLocOpBuilder b(op.getLoc(), rewriter);
    Value dy = op.getGrad(), y = op.getOutput();
    int64_t dim = op.getNormalizedDim();
    Type accType = computeElementType(type.getElementType());
    Reduction r = getReduction(b, type.getRank(), dim);
    Value sum = buildReduction(
        b, {dy, y}, {r.full, r.full}, y, dim, accType, 0.0,
        [&](ArrayRef<IRValue> a) {
          return a[2] + (isLog ? a[0] : a[0] * a[1]);
        },
        this->mode);
    Value result = buildParallelGeneric(
        b, {dy, y, sum}, {r.full, r.full, r.reduced},
        emptyLike(b, y, type.getElementType()),
        [&](ArrayRef<IRValue> a) {
          if (isLog)
            return a[0] - act::math::exp(a[1]) * a[2];
          return isMin ? a[1] * (a[2] - a[0]) : a[1] * (a[0] - a[2]);
        },
        this->mode);
    rewriter.replaceOp(op, result);
    return success();
  }
};

/// `input` [.., n * groups, ..] (static along `dim`) expanded to
/// [.., n, groups, ..], and the reassociation that collapses it back.
static std::pair<Value, SmallVector<ReassociationIndices>>
expandGroups(ImplicitLocOpBuilder &b, Value input, int64_t dim,
             int64_t groups) {
  auto type = cast<RankedTensorType>(input.getType());
  SmallVector<int64_t> shape(type.getShape());
  if (!type.isDynamicDim(dim))
    shape[dim] /= groups;
  shape.insert(shape.begin() + dim + 1, groups);
  SmallVector<ReassociationIndices> reassociation;
  for (int64_t d = 0, e = type.getRank(); d < e; ++d) {
    if (d < dim)
      reassociation.push_back({d});
    else if (d == dim)
      reassociation.push_back({d, d + 1});
    else
      reassociation.push_back({d + 1});
  }
  SmallVector<OpFoldResult> outputShape =
      tensor::getMixedSizes(b, b.getLoc(), input);
  // A dynamic size is taken as a multiple of `groups` (as glu takes its
  // size as even): the verifier can only check static ones.
  if (type.isDynamicDim(dim))
    outputShape[dim] =
        arith::DivUIOp::create(b, cast<Value>(outputShape[dim]),
                               arith::ConstantIndexOp::create(b, groups))
            .getResult();
  else
    outputShape[dim] = b.getIndexAttr(shape[dim]);
  outputShape.insert(outputShape.begin() + dim + 1, b.getIndexAttr(groups));
  Value expanded = tensor::ExpandShapeOp::create(
      b, RankedTensorType::get(shape, type.getElementType()), input,
      reassociation, outputShape);
  return {expanded, reassociation};
}

struct GluLowering : ActLowering<GluOp> {
  using ActLowering::ActLowering;

  LogicalResult matchAndRewrite(GluOp op,
                                PatternRewriter &rewriter) const override {
    auto type = dyn_cast<RankedTensorType>(op.getInput().getType());
    if (!type)
      return rewriter.notifyMatchFailure(op, "not on a ranked tensor");
    ImplicitLocOpBuilder b(op.getLoc(), rewriter);
    int64_t dim = op.getNormalizedDim();
    Value x = op.getInput();
    SmallVector<OpFoldResult> sizes = tensor::getMixedSizes(b, b.getLoc(), x);
    // Half the size along dim (a constant unless the size is dynamic).
    OpFoldResult half;
    if (type.isDynamicDim(dim)) {
      Value two = arith::ConstantIndexOp::create(b, 2);
      half =
          arith::DivUIOp::create(b, cast<Value>(sizes[dim]), two).getResult();
    } else {
      half = b.getIndexAttr(type.getDimSize(dim) / 2);
    }
    sizes[dim] = half;
    SmallVector<OpFoldResult> offsets(type.getRank(), b.getIndexAttr(0));
    SmallVector<OpFoldResult> strides(type.getRank(), b.getIndexAttr(1));
    Value a = tensor::ExtractSliceOp::create(b, x, offsets, sizes, strides);
    offsets[dim] = half;
    Value gate = tensor::ExtractSliceOp::create(b, x, offsets, sizes, strides);
    Value init = tensor::EmptyOp::create(b, sizes, type.getElementType());
    AffineMap id = b.getMultiDimIdentityMap(type.getRank());
    Value result = buildParallelGeneric(
        b, {a, gate}, {id, id}, init,
        [](ArrayRef<IRValue> v) { return act::math::glu(v[0], v[1]); }, mode);
    if (result.getType() != op.getType())
      result = tensor::CastOp::create(b, op.getType(), result);
    rewriter.replaceOp(op, result);
    return success();
  }
};

struct MaxoutLowering : ActLowering<MaxoutOp> {
  using ActLowering::ActLowering;

  LogicalResult matchAndRewrite(MaxoutOp op,
                                PatternRewriter &rewriter) const override {
    auto type = dyn_cast<RankedTensorType>(op.getInput().getType());
    if (!type)
      return rewriter.notifyMatchFailure(op, "not on a ranked tensor");
    int64_t dim = op.getNormalizedDim();
    int64_t groups = op.getGroups();
    ImplicitLocOpBuilder b(op.getLoc(), rewriter);
    // [.., n * groups, ..] -> [.., n, groups, ..], then max over `groups`.
    auto [expanded, reassociation] =
        expandGroups(b, op.getInput(), dim, groups);
    auto expandedType = cast<RankedTensorType>(expanded.getType());
    Reduction r = getReduction(b, expandedType.getRank(), dim + 1);
    Value result = buildReduction(
        b, expanded, r.full, expanded, dim + 1, type.getElementType(),
        -std::numeric_limits<double>::infinity(),
        [](ArrayRef<IRValue> a) { return act::math::maximum(a[0], a[1]); },
        mode);
    if (result.getType() != op.getType())
      result = tensor::CastOp::create(b, op.getType(), result);
    rewriter.replaceOp(op, result);
    return success();
  }
};

/// prelu's backward: dx elementwise, the slope's gradient summed over what
/// each slope element applies to (everything, or its channel's elements).
struct PReluGradLowering : ActLowering<PReluGradOp> {
  using ActLowering::ActLowering;

  LogicalResult matchAndRewrite(PReluGradOp op,
                                PatternRewriter &rewriter) const override {
    ImplicitLocOpBuilder b(op.getLoc(), rewriter);
    auto dxFn = [](ArrayRef<IRValue> a) {
      return act::math::applyDerivative(a[0],
                                        act::math::preluDerivative(a[1], a[2]));
    };
    auto slopeTerm = [](ArrayRef<IRValue> a) {
      return act::math::preluSlopeDerivative(a[1]) * a[0];
    };
    auto tensor = dyn_cast<RankedTensorType>(op.getInput().getType());
    if (!tensor) {
      if (isa<VectorType>(op.getInput().getType()))
        return rewriter.notifyMatchFailure(op, "vector prelu_grad");
      ValueRange args = op->getOperands();
      rewriter.replaceOp(op, {emitElementwise(b, args, dxFn, mode),
                              emitElementwise(b, args, slopeTerm, mode)});
      return success();
    }
    int64_t rank = tensor.getRank();
    int64_t channel = op.getChannelDim();
    AffineMap id = b.getMultiDimIdentityMap(rank);
    AffineMap slopeMap = AffineMap::get(
        rank, 0,
        channel < 0 ? b.getAffineConstantExpr(0) : b.getAffineDimExpr(channel));
    Value dy = op.getGrad(), x = op.getInput(), slope = op.getSlope();
    Value dx = buildParallelGeneric(b, {dy, x, slope}, {id, id, slopeMap},
                                    emptyLike(b, x, tensor.getElementType()),
                                    dxFn, mode);
    // The slope's gradient: a sum into [channels] (or [] for a shared slope,
    // reshaped to [1]), accumulated in the compute type.
    Type elementType = tensor.getElementType();
    Type accType = computeElementType(elementType);
    SmallVector<AffineExpr> kept;
    SmallVector<OpFoldResult> sizes;
    if (channel >= 0) {
      kept.push_back(b.getAffineDimExpr(channel));
      sizes.push_back(tensor::getMixedSizes(b, b.getLoc(), x)[channel]);
    }
    SmallVector<utils::IteratorType> iterators(rank,
                                               utils::IteratorType::reduction);
    if (channel >= 0)
      iterators[channel] = utils::IteratorType::parallel;
    Value init = tensor::EmptyOp::create(b, sizes, accType);
    Value zero = arith::ConstantOp::create(b, b.getFloatAttr(accType, 0.0));
    init = linalg::FillOp::create(b, zero, init).getResult(0);
    auto sum = linalg::GenericOp::create(
        b, TypeRange{init.getType()}, ValueRange{dy, x}, ValueRange{init},
        ArrayRef<AffineMap>{id, id,
                            AffineMap::get(rank, 0, kept, b.getContext())},
        iterators, [&](OpBuilder &nested, Location loc, ValueRange args) {
          ImplicitLocOpBuilder body(loc, nested);
          SmallVector<IRValue> wrapped;
          for (Value v : args.drop_back())
            wrapped.push_back(IRValue(
                body,
                v.getType() == accType
                    ? v
                    : arith::ExtFOp::create(body, accType, v).getResult(),
                mode));
          IRValue acc(body, args.back(), mode);
          linalg::YieldOp::create(body, (acc + slopeTerm(wrapped)).value());
        });
    Value slopeGrad = sum.getResult(0);
    if (channel < 0)
      slopeGrad = tensor::ExpandShapeOp::create(
          b, RankedTensorType::get({1}, accType), slopeGrad,
          ArrayRef<ReassociationIndices>{});
    if (accType != elementType) {
      auto slopeType = cast<RankedTensorType>(slope.getType());
      slopeGrad = buildParallelGeneric(
          b, slopeGrad, b.getMultiDimIdentityMap(1),
          emptyLike(b, slope, elementType),
          [](ArrayRef<IRValue> a) { return a[0]; }, mode);
      (void)slopeType;
    }
    if (slopeGrad.getType() != slope.getType())
      slopeGrad = tensor::CastOp::create(b, slope.getType(), slopeGrad);
    rewriter.replaceOp(op, {dx, slopeGrad});
    return success();
  }
};

/// glu's backward: the two halves of dx, each a generic over dy's shape,
/// inserted into one tensor.
struct GluGradLowering : ActLowering<GluGradOp> {
  using ActLowering::ActLowering;

  LogicalResult matchAndRewrite(GluGradOp op,
                                PatternRewriter &rewriter) const override {
    auto type = dyn_cast<RankedTensorType>(op.getInput().getType());
    if (!type)
      return rewriter.notifyMatchFailure(op, "not on a ranked tensor");
    ImplicitLocOpBuilder b(op.getLoc(), rewriter);
    int64_t dim = op.getNormalizedDim();
    Value x = op.getInput(), dy = op.getGrad();
    SmallVector<OpFoldResult> sizes = tensor::getMixedSizes(b, b.getLoc(), dy);
    OpFoldResult half = sizes[dim];
    SmallVector<OpFoldResult> offsets(type.getRank(), b.getIndexAttr(0));
    SmallVector<OpFoldResult> strides(type.getRank(), b.getIndexAttr(1));
    Value a = tensor::ExtractSliceOp::create(b, x, offsets, sizes, strides);
    SmallVector<OpFoldResult> second(offsets);
    second[dim] = half;
    Value gate = tensor::ExtractSliceOp::create(b, x, second, sizes, strides);
    auto dyType = cast<RankedTensorType>(dy.getType());
    AffineMap id = b.getMultiDimIdentityMap(type.getRank());
    Value da = buildParallelGeneric(
        b, {dy, gate}, {id, id}, emptyLike(b, dy, dyType.getElementType()),
        [](ArrayRef<IRValue> v) { return v[0] * act::math::sigmoid(v[1]); },
        mode);
    Value db = buildParallelGeneric(
        b, {dy, a, gate}, {id, id, id},
        emptyLike(b, dy, dyType.getElementType()),
        [](ArrayRef<IRValue> v) {
          return v[0] * v[1] * act::math::sigmoidDerivative(v[2]);
        },
        mode);
    Value result = emptyLike(b, x, type.getElementType());
    result =
        tensor::InsertSliceOp::create(b, da, result, offsets, sizes, strides);
    result =
        tensor::InsertSliceOp::create(b, db, result, second, sizes, strides);
    rewriter.replaceOp(op, result);
    return success();
  }
};

/// maxout's backward on [.., n, groups, ..]: y = the group's max, c = the
/// count of elements equal to it, dx = (x == y) * (dy / c). A NaN group has
/// c = 0 and gets 0 * (dy / 0) = NaN, as PyTorch's amax backward.
struct MaxoutGradLowering : ActLowering<MaxoutGradOp> {
  using ActLowering::ActLowering;

  LogicalResult matchAndRewrite(MaxoutGradOp op,
                                PatternRewriter &rewriter) const override {
    auto type = dyn_cast<RankedTensorType>(op.getInput().getType());
    if (!type)
      return rewriter.notifyMatchFailure(op, "not on a ranked tensor");
    int64_t dim = op.getNormalizedDim();
    int64_t groups = op.getGroups();
    ImplicitLocOpBuilder b(op.getLoc(), rewriter);
    auto [xe, reassociation] = expandGroups(b, op.getInput(), dim, groups);
    auto expandedType = cast<RankedTensorType>(xe.getType());
    Type accType = computeElementType(type.getElementType());
    Reduction r = getReduction(b, expandedType.getRank(), dim + 1);
    Value max = buildReduction(
        b, xe, r.full, xe, dim + 1, accType,
        -std::numeric_limits<double>::infinity(),
        [](ArrayRef<IRValue> a) { return act::math::maximum(a[0], a[1]); },
        mode);
    Value count = buildReduction(
        b, {xe, max}, {r.full, r.reduced}, xe, dim + 1, accType, 0.0,
        [](ArrayRef<IRValue> a) {
          return a[2] + act::math::select(a[0] == a[1], a[0].constant(1.0),
                                          a[0].constant(0.0));
        },
        mode);
    Value dxe = buildParallelGeneric(
        b, {xe, max, count, op.getGrad()},
        {r.full, r.reduced, r.reduced, r.reduced},
        emptyLike(b, xe, type.getElementType()),
        [](ArrayRef<IRValue> a) {
          IRValue hit = act::math::select(a[0] == a[1], a[0].constant(1.0),
                                          a[0].constant(0.0));
          return hit * (a[3] / a[2]);
        },
        mode);
    Value result = tensor::CollapseShapeOp::create(b, type, dxe, reassociation);
    rewriter.replaceOp(op, result);
    return success();
  }
};

//===----------------------------------------------------------------------===//
// Registration.
//===----------------------------------------------------------------------===//

struct ConvertActToLinalgPass final
    : act::impl::ConvertActToLinalgPassBase<ConvertActToLinalgPass> {
  using Base::Base;

  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    populateActToLinalgPatterns(patterns, math);
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns)))) {
      getOperation()->emitError("internal error in act: convert-act-to-linalg "
                                "did not converge (please report this input)");
      return signalPassFailure();
    }
    // Whatever is left could not be lowered; say which and why not.
    WalkResult result = getOperation()->walk([](Operation *op) {
      if (!isa<ActDialect>(op->getDialect()))
        return WalkResult::advance();
      op->emitOpError("cannot be lowered on ")
          << op->getOperand(0).getType()
          << " (supported: ranked tensors; elementwise ops also on scalars "
             "and vectors)";
      return WalkResult::interrupt();
    });
    if (result.wasInterrupted())
      signalPassFailure();
  }
};

} // namespace

namespace {

/// An act op whose results have no elements computes nothing: its results
/// are empty tensors. (Slicing or tiling a zero-sized dimension is rejected
/// or divides by zero downstream.)
struct EmptyResultLowering : RewritePattern {
  EmptyResultLowering(MLIRContext *ctx)
      : RewritePattern(MatchAnyOpTypeTag(), /*benefit=*/2, ctx) {}

  LogicalResult matchAndRewrite(Operation *op,
                                PatternRewriter &rewriter) const override {
    if (!isa<ActDialect>(op->getDialect()) || op->getNumResults() == 0)
      return failure();
    SmallVector<Value> empties;
    for (Type type : op->getResultTypes()) {
      auto tensor = dyn_cast<RankedTensorType>(type);
      if (!tensor || !tensor.hasStaticShape() || tensor.getNumElements() != 0)
        return failure();
      empties.push_back(tensor::EmptyOp::create(
          rewriter, op->getLoc(), tensor.getShape(), tensor.getElementType()));
    }
    rewriter.replaceOp(op, empties);
    return success();
  }
};

} // namespace

void mlir::act::populateActToLinalgPatterns(RewritePatternSet &patterns,
                                            math::MathMode mode) {
  patterns.add<EmptyResultLowering>(patterns.getContext());
  forEachUnaryActivation([&](auto *tag) {
    using OpT = std::remove_pointer_t<decltype(tag)>;
    patterns.add<UnaryActivationLowering<OpT>>(patterns.getContext(), mode);
  });
  forEachUnaryActivationGrad([&](auto *tag) {
    using OpT = std::remove_pointer_t<decltype(tag)>;
    patterns.add<UnaryActivationGradLowering<OpT>>(patterns.getContext(), mode);
  });
  patterns.add<SoftmaxGradLowering<SoftmaxGradOp>,
               SoftmaxGradLowering<LogSoftmaxGradOp>,
               SoftmaxGradLowering<SoftminGradOp>>(patterns.getContext(), mode);
  patterns.add<PReluLowering, SoftmaxLowering<SoftmaxOp>,
               SoftmaxLowering<LogSoftmaxOp>, SoftmaxLowering<SoftminOp>,
               GluLowering, MaxoutLowering, PReluGradLowering, GluGradLowering,
               MaxoutGradLowering>(patterns.getContext(), mode);
}
