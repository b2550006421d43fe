//===- ExternalModels.cpp - Derivative rules of upstream ops ----*- C++ -*-===//
//
// DifferentiableOpInterface for the upstream ops act-differentiate covers:
//
// - scalar arith and math ops (the bodies of linalg.generic);
// - the same arith ops on tensors, through the elementwise linalg.generic
//   they stand for;
// - every linalg structured op (generic, matmul, batch_matmul, transpose,
//   broadcast, reduce, fill, the named elementwise ops), by one rule over its
//   indexing maps and body: the gradient of input i is a linalg.generic over
//   the same loops, indexed into i's shape, that accumulates dOut times the
//   adjoint of i's block argument in the body (found by differentiating the
//   body's scalar ops). So a matmul's rule gives dA = dC * B^T and dB = A^T *
//   dC as contractions, a broadcast bias add's gradient is a row sum, a sum
//   reduction's gradient a broadcast;
// - tensor reshapes, slices and casts.
//
//===----------------------------------------------------------------------===//

#include "act/Autodiff/ExternalModels.h"
#include "act/Interfaces/DifferentiableOpInterface.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/DialectRegistry.h"
#include "mlir/IR/IRMapping.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"

using namespace mlir;
using namespace mlir::act;

namespace {

Value constantLike(OpBuilder &b, Location loc, Value like, double value) {
  return arith::ConstantOp::create(
      b, loc, b.getFloatAttr(getElementTypeOrSelf(like.getType()), value));
}

//===----------------------------------------------------------------------===//
// Scalar arith and math rules.
//===----------------------------------------------------------------------===//

/// The gradients of a float scalar op's operands from dy (its result's
/// gradient); a rule per op.
using ScalarRule = void (*)(OpBuilder &b, Location loc, Operation *op, Value dy,
                            SmallVectorImpl<Value> &grads);

/// Builds the elementwise linalg.generic that a tensor arith/math op stands
/// for (not inserted into any use), so that the linalg rule differentiates
/// it; the generic is erased afterwards.
LogicalResult differentiateAsGeneric(Operation *op, OpBuilder &b, Value dy,
                                     SmallVectorImpl<Value> &grads) {
  Location loc = op->getLoc();
  auto resultType = cast<RankedTensorType>(op->getResult(0).getType());
  int64_t rank = resultType.getRank();
  Value init = tensor::EmptyOp::create(
      b, loc, tensor::getMixedSizes(b, loc, op->getResult(0)),
      resultType.getElementType());
  SmallVector<AffineMap> maps(op->getNumOperands() + 1,
                              b.getMultiDimIdentityMap(rank));
  SmallVector<utils::IteratorType> iterators(rank,
                                             utils::IteratorType::parallel);
  auto generic = linalg::GenericOp::create(
      b, loc, TypeRange{resultType}, op->getOperands(), ValueRange{init}, maps,
      iterators, [&](OpBuilder &nested, Location nestedLoc, ValueRange args) {
        OperationState state(nestedLoc, op->getName());
        state.addOperands(args.drop_back());
        state.addTypes(getElementTypeOrSelf(resultType));
        state.addAttributes(op->getAttrs());
        Operation *scalar = nested.create(state);
        linalg::YieldOp::create(nested, nestedLoc, scalar->getResult(0));
      });
  auto rule = cast<DifferentiableOpInterface>(generic.getOperation());
  SmallVector<Value> genericGrads;
  LogicalResult result = rule.buildGradients(b, ValueRange{dy}, genericGrads);
  grads.assign(op->getNumOperands(), Value());
  for (unsigned i = 0, e = op->getNumOperands(); i < e; ++i)
    grads[i] = genericGrads[i];
  generic.erase();
  if (init.use_empty())
    init.getDefiningOp()->erase();
  return result;
}

template <typename OpT>
struct ElementwiseModel
    : DifferentiableOpInterface::ExternalModel<ElementwiseModel<OpT>, OpT> {
  static ScalarRule rule;

  LogicalResult buildGradients(Operation *op, OpBuilder &b,
                               ValueRange resultGradients,
                               SmallVectorImpl<Value> &grads) const {
    grads.assign(op->getNumOperands(), Value());
    Value dy = resultGradients[0];
    if (!dy)
      return success();
    if (isa<RankedTensorType>(op->getResult(0).getType()))
      return differentiateAsGeneric(op, b, dy, grads);
    if (isa<ShapedType>(op->getResult(0).getType()))
      return op->emitOpError("cannot be differentiated on vectors");
    rule(b, op->getLoc(), op, dy, grads);
    return success();
  }
};

Value neg(OpBuilder &b, Location loc, Value v) {
  return arith::NegFOp::create(b, loc, v);
}
Value mul(OpBuilder &b, Location loc, Value x, Value y) {
  return arith::MulFOp::create(b, loc, x, y);
}
Value div(OpBuilder &b, Location loc, Value x, Value y) {
  return arith::DivFOp::create(b, loc, x, y);
}
Value cmp(OpBuilder &b, Location loc, arith::CmpFPredicate p, Value x,
          Value y) {
  return arith::CmpFOp::create(b, loc, p, x, y);
}
Value sel(OpBuilder &b, Location loc, Value c, Value x, Value y) {
  return arith::SelectOp::create(b, loc, c, x, y);
}

/// PyTorch's rule for maximum/minimum: the larger (smaller) operand gets dy,
/// both get dy / 2 on a tie, and both get dy when either is NaN.
void maxMinRule(OpBuilder &b, Location loc, Operation *op, Value dy,
                SmallVectorImpl<Value> &grads, bool isMax) {
  Value x = op->getOperand(0), y = op->getOperand(1);
  Value zero = constantLike(b, loc, dy, 0.0);
  Value half = mul(b, loc, dy, constantLike(b, loc, dy, 0.5));
  Value tie = cmp(b, loc, arith::CmpFPredicate::OEQ, x, y);
  Value shared = sel(b, loc, tie, half, dy);
  auto lose = isMax ? arith::CmpFPredicate::OLT : arith::CmpFPredicate::OGT;
  auto win = isMax ? arith::CmpFPredicate::OGT : arith::CmpFPredicate::OLT;
  grads[0] = sel(b, loc, cmp(b, loc, lose, x, y), zero, shared);
  grads[1] = sel(b, loc, cmp(b, loc, win, x, y), zero, shared);
}

#define RULE(OP)                                                               \
  template <>                                                                  \
  ScalarRule ElementwiseModel<OP>::rule =                                      \
      [](OpBuilder & b, Location loc, Operation * op, Value dy,                \
         SmallVectorImpl<Value> & grads)

RULE(arith::AddFOp) {
  grads[0] = dy;
  grads[1] = dy;
};
RULE(arith::SubFOp) {
  grads[0] = dy;
  grads[1] = neg(b, loc, dy);
};
RULE(arith::MulFOp) {
  grads[0] = mul(b, loc, dy, op->getOperand(1));
  grads[1] = mul(b, loc, dy, op->getOperand(0));
};
RULE(arith::DivFOp) {
  // d(x / y) = dy / y and -(dy / y) * (x / y).
  Value dx = div(b, loc, dy, op->getOperand(1));
  grads[0] = dx;
  grads[1] = neg(b, loc, mul(b, loc, dx, op->getResult(0)));
};
RULE(arith::NegFOp) { grads[0] = neg(b, loc, dy); };
RULE(arith::MaximumFOp) { maxMinRule(b, loc, op, dy, grads, true); };
RULE(arith::MinimumFOp) { maxMinRule(b, loc, op, dy, grads, false); };
RULE(arith::MaxNumFOp) { maxMinRule(b, loc, op, dy, grads, true); };
RULE(arith::MinNumFOp) { maxMinRule(b, loc, op, dy, grads, false); };
RULE(arith::SelectOp) {
  Value zero = constantLike(b, loc, dy, 0.0);
  grads[1] = sel(b, loc, op->getOperand(0), dy, zero);
  grads[2] = sel(b, loc, op->getOperand(0), zero, dy);
};
RULE(arith::ExtFOp) {
  grads[0] = arith::TruncFOp::create(b, loc, op->getOperand(0).getType(), dy);
};
RULE(arith::TruncFOp) {
  grads[0] = arith::ExtFOp::create(b, loc, op->getOperand(0).getType(), dy);
};
RULE(math::ExpOp) { grads[0] = mul(b, loc, dy, op->getResult(0)); };
RULE(math::ExpM1Op) {
  Value e = arith::AddFOp::create(b, loc, op->getResult(0),
                                  constantLike(b, loc, dy, 1.0));
  grads[0] = mul(b, loc, dy, e);
};
RULE(math::LogOp) { grads[0] = div(b, loc, dy, op->getOperand(0)); };
RULE(math::Log1pOp) {
  Value d = arith::AddFOp::create(b, loc, op->getOperand(0),
                                  constantLike(b, loc, dy, 1.0));
  grads[0] = div(b, loc, dy, d);
};
RULE(math::TanhOp) {
  Value y = op->getResult(0);
  Value d = arith::SubFOp::create(b, loc, constantLike(b, loc, dy, 1.0),
                                  mul(b, loc, y, y));
  grads[0] = mul(b, loc, dy, d);
};
RULE(math::SqrtOp) {
  Value twice = mul(b, loc, op->getResult(0), constantLike(b, loc, dy, 2.0));
  grads[0] = div(b, loc, dy, twice);
};
RULE(math::RsqrtOp) {
  // d x^-1/2 = -x^-3/2 / 2 = -y^3 / 2.
  Value y = op->getResult(0);
  Value y3 = mul(b, loc, mul(b, loc, y, y), y);
  grads[0] = mul(b, loc, dy, mul(b, loc, y3, constantLike(b, loc, dy, -0.5)));
};
RULE(math::ErfOp) {
  Value x = op->getOperand(0);
  Value e = math::ExpOp::create(b, loc, neg(b, loc, mul(b, loc, x, x)));
  Value c = constantLike(b, loc, dy, llvm::numbers::inv_sqrtpi * 2.0);
  grads[0] = mul(b, loc, dy, mul(b, loc, e, c));
};
RULE(math::AbsFOp) {
  // dy * sgn(x) with PyTorch's sgn for autograd: 0 at +-0 and for NaN.
  Value x = op->getOperand(0);
  Value zero = constantLike(b, loc, dy, 0.0);
  Value positive =
      sel(b, loc, cmp(b, loc, arith::CmpFPredicate::OGT, x, zero), dy, zero);
  grads[0] = sel(b, loc, cmp(b, loc, arith::CmpFPredicate::OLT, x, zero),
                 neg(b, loc, dy), positive);
};

#undef RULE

//===----------------------------------------------------------------------===//
// Linalg structured ops.
//===----------------------------------------------------------------------===//

/// Whether `value` is computed, inside `body`, from `arg`.
bool dependsOn(Value value, BlockArgument arg) {
  if (value == arg)
    return true;
  Operation *def = value.getDefiningOp();
  if (!def)
    return false;
  return llvm::any_of(def->getOperands(),
                      [&](Value v) { return dependsOn(v, arg); });
}

/// Erases the ops of `block` (but its terminator) whose results are unused.
void eraseDeadOps(Block &block) {
  SmallVector<Operation *> ops;
  for (Operation &op : block.without_terminator())
    ops.push_back(&op);
  for (Operation *op : llvm::reverse(ops))
    if (op->use_empty() && isPure(op))
      op->erase();
}

/// A max or min reduction, `yield max(acc, other)`: its gradient goes to
/// the elements equal to the result, split evenly among ties (PyTorch's
/// amax/amin rule). `result` is the op's result and `count` the number of
/// elements equal to it, both indexed like the result.
struct Extremum {
  Value other; // in op's body
  Value result, count;
};

/// For a map whose results are loops or the constant 0 (reading a unit
/// dimension, as torch-mlir's keepdim reductions do), the map without the
/// constants, and the reassociation that expands a tensor of the kept
/// dimensions back to the operand's shape. Fails for anything else.
static FailureOr<std::pair<AffineMap, SmallVector<ReassociationIndices>>>
dropUnitConstants(AffineMap map, ShapedType type) {
  SmallVector<AffineExpr> kept;
  SmallVector<ReassociationIndices> groups;
  ReassociationIndices pending;
  for (auto [d, e] : llvm::enumerate(map.getResults())) {
    if (auto c = dyn_cast<AffineConstantExpr>(e)) {
      if (c.getValue() != 0 || type.getDimSize(d) != 1)
        return failure();
      if (groups.empty())
        pending.push_back(d);
      else
        groups.back().push_back(d);
      continue;
    }
    kept.push_back(e);
    ReassociationIndices group(pending);
    group.push_back(d);
    pending.clear();
    groups.push_back(group);
  }
  // (Only unit dimensions: a rank-0 tensor expands with no groups.)
  AffineMap reduced =
      AffineMap::get(map.getNumDims(), 0, kept, map.getContext());
  if (!reduced.isProjectedPermutation())
    return failure();
  return std::make_pair(reduced, groups);
}

/// The gradient of the operand `operandIndex` of `op`: a linalg.generic over
/// op's loops that sums dy times the operand's adjoint in the body into the
/// operand's shape; null when that adjoint is zero. For an extremum, the
/// body's `other` is seeded with dy / count where it equals the result.
FailureOr<Value> buildOperandGradient(linalg::LinalgOp op, OpBuilder &b,
                                      Value dy, unsigned operandIndex,
                                      const Extremum *extremum = nullptr) {
  Location loc = op.getLoc();
  OpOperand &target = op->getOpOperand(operandIndex);
  auto targetType = cast<RankedTensorType>(target.get().getType());
  AffineMap targetMap = op.getMatchingIndexingMap(&target);
  SmallVector<ReassociationIndices> expand;
  bool reducedShape = false;
  if (!targetMap.isProjectedPermutation()) {
    auto dropped = dropUnitConstants(targetMap, targetType);
    if (failed(dropped))
      return op->emitOpError("cannot be differentiated: operand #")
             << operandIndex << " is read through "
             << AffineMapAttr::get(targetMap)
             << ", not a projected permutation of the loops (or one with "
                "constant 0 indices into unit dimensions)";
    targetMap = dropped->first;
    expand = dropped->second;
    reducedShape = true;
  }
  // The gradient's own type: the operand's without the unit dimensions read
  // through constants.
  SmallVector<int64_t> gradShape;
  SmallVector<OpFoldResult> gradSizes;
  SmallVector<OpFoldResult> fullSizes =
      tensor::getMixedSizes(b, loc, target.get());
  if (reducedShape) {
    for (auto [d, e] :
         llvm::enumerate(op.getMatchingIndexingMap(&target).getResults()))
      if (!isa<AffineConstantExpr>(e)) {
        gradShape.push_back(targetType.getDimSize(d));
        gradSizes.push_back(fullSizes[d]);
      }
  } else {
    gradShape.assign(targetType.getShape().begin(),
                     targetType.getShape().end());
    gradSizes = fullSizes;
  }
  Type elementType = targetType.getElementType();
  Block &body = *op.getBlock();
  OpOperand *init = op.getDpsInitOperand(0);
  AffineMap outputMap = op.getMatchingIndexingMap(init);

  // Inputs: op's operands (inits included, as they may be read), then dy
  // (and for an extremum the result and its tie count).
  SmallVector<Value> inputs;
  SmallVector<AffineMap> maps;
  for (OpOperand &operand : op->getOpOperands()) {
    inputs.push_back(operand.get());
    maps.push_back(op.getMatchingIndexingMap(&operand));
  }
  unsigned dyIndex = inputs.size();
  inputs.push_back(dy);
  maps.push_back(outputMap);
  if (extremum) {
    inputs.push_back(extremum->result);
    maps.push_back(outputMap);
    inputs.push_back(extremum->count);
    maps.push_back(outputMap);
  }
  maps.push_back(targetMap);

  SmallVector<utils::IteratorType> iterators(op.getNumLoops(),
                                             utils::IteratorType::reduction);
  for (AffineExpr e : targetMap.getResults())
    iterators[cast<AffineDimExpr>(e).getPosition()] =
        utils::IteratorType::parallel;

  // Where nothing is summed over, the gradient is written, not accumulated.
  bool sums = llvm::is_contained(iterators, utils::IteratorType::reduction);
  Value dest = tensor::EmptyOp::create(b, loc, gradSizes, elementType);
  if (sums) {
    Value zero = arith::ConstantOp::create(
        b, loc, cast<TypedAttr>(b.getZeroAttr(elementType)));
    dest = linalg::FillOp::create(b, loc, zero, dest).getResult(0);
  }
  Value adjoint;
  LogicalResult status = success();
  auto generic = linalg::GenericOp::create(
      b, loc, TypeRange{dest.getType()}, inputs, ValueRange{dest}, maps,
      iterators, [&](OpBuilder &nested, Location nestedLoc, ValueRange args) {
        IRMapping mapping;
        for (auto [old, arg] : llvm::zip(body.getArguments(), args))
          mapping.map(old, arg);
        SmallVector<Operation *> cloned;
        for (Operation &bodyOp : body.without_terminator())
          cloned.push_back(nested.clone(bodyOp, mapping));
        Value yielded =
            mapping.lookupOrDefault(body.getTerminator()->getOperand(0));
        Value targetArg = args[operandIndex];
        Value dyArg = args[dyIndex];
        DenseMap<Value, Value> adjoints;
        if (extremum) {
          Value other = mapping.lookupOrDefault(extremum->other);
          Value hit = arith::CmpFOp::create(nested, nestedLoc,
                                            arith::CmpFPredicate::OEQ, other,
                                            args[dyIndex + 1]);
          Value share = arith::DivFOp::create(nested, nestedLoc, dyArg,
                                              args[dyIndex + 2]);
          Value zero = constantLike(nested, nestedLoc, dyArg, 0.0);
          adjoints[other] =
              arith::SelectOp::create(nested, nestedLoc, hit, share, zero);
        } else {
          adjoints[yielded] = dyArg;
        }
        status = propagateAdjoints(nested, cloned, adjoints, [](Value v) {
          return isa<FloatType>(v.getType()) || v.getType().isInteger(1);
        });
        adjoint = adjoints.lookup(targetArg);
        Value result = adjoint;
        if (!result)
          result = args.back();
        else if (sums)
          result =
              arith::AddFOp::create(nested, nestedLoc, args.back(), result);
        linalg::YieldOp::create(nested, nestedLoc, result);
      });
  eraseDeadOps(*generic.getBlock());
  bool isDy = adjoint == generic.getBlock()->getArgument(dyIndex);
  if (failed(status) || !adjoint ||
      (isDy && !sums && !reducedShape && targetMap == outputMap)) {
    // No gradient, or dy itself: no loop needed.
    generic.erase();
    if (dest.use_empty()) {
      Operation *def = dest.getDefiningOp();
      Value inner = isa<linalg::FillOp>(def) ? def->getOperand(1) : Value();
      def->erase();
      if (inner && inner.use_empty())
        inner.getDefiningOp()->erase();
    }
    if (failed(status))
      return failure();
    return isDy && adjoint ? dy : Value();
  }
  Value gradient = generic.getResult(0);
  if (reducedShape)
    gradient = tensor::ExpandShapeOp::create(b, loc, targetType, gradient,
                                             expand, fullSizes);
  return gradient;
}

/// For a max or min reduction, the number of elements equal to the result,
/// indexed like it.
static Value buildTieCount(linalg::LinalgOp op, OpBuilder &b, Value other) {
  Location loc = op.getLoc();
  OpOperand *init = op.getDpsInitOperand(0);
  Value result = op->getResult(0);
  Value zeros = buildZerosLike(b, loc, result);
  SmallVector<Value> inputs;
  SmallVector<AffineMap> maps;
  for (OpOperand &operand : op->getOpOperands()) {
    inputs.push_back(operand.get());
    maps.push_back(op.getMatchingIndexingMap(&operand));
  }
  inputs.push_back(result);
  maps.push_back(op.getMatchingIndexingMap(init));
  maps.push_back(op.getMatchingIndexingMap(init));
  Block &body = *op.getBlock();
  auto generic = linalg::GenericOp::create(
      b, loc, TypeRange{zeros.getType()}, inputs, ValueRange{zeros}, maps,
      op.getIteratorTypesArray(),
      [&](OpBuilder &nested, Location nestedLoc, ValueRange args) {
        IRMapping mapping;
        for (auto [old, arg] : llvm::zip(body.getArguments(), args))
          mapping.map(old, arg);
        for (Operation &bodyOp : body.without_terminator())
          nested.clone(bodyOp, mapping);
        Value v = mapping.lookupOrDefault(other);
        Value hit =
            arith::CmpFOp::create(nested, nestedLoc, arith::CmpFPredicate::OEQ,
                                  v, args[inputs.size() - 1]);
        Value one = constantLike(nested, nestedLoc, v, 1.0);
        Value zero = constantLike(nested, nestedLoc, v, 0.0);
        Value add = arith::AddFOp::create(
            nested, nestedLoc, args.back(),
            arith::SelectOp::create(nested, nestedLoc, hit, one, zero));
        linalg::YieldOp::create(nested, nestedLoc, add);
      });
  eraseDeadOps(*generic.getBlock());
  return generic.getResult(0);
}

template <typename OpT>
struct LinalgModel
    : DifferentiableOpInterface::ExternalModel<LinalgModel<OpT>, OpT> {
  LogicalResult buildGradients(Operation *operation, OpBuilder &b,
                               ValueRange resultGradients,
                               SmallVectorImpl<Value> &grads) const {
    auto op = cast<linalg::LinalgOp>(operation);
    grads.assign(op->getNumOperands(), Value());
    if (!op.hasPureTensorSemantics())
      return op->emitOpError("cannot be differentiated on buffers");
    if (op.getNumDpsInits() != 1)
      return op->emitOpError(
          "cannot be differentiated: only ops with one result are supported");
    Value dy = resultGradients[0];
    if (!dy)
      return success();
    Block &body = *op.getBlock();
    BlockArgument accArg = op.getMatchingBlockArgument(op.getDpsInitOperand(0));
    Value yielded = body.getTerminator()->getOperand(0);
    bool reduces = op.getNumReductionLoops() > 0;
    std::optional<Extremum> extremum;
    if (reduces && dependsOn(yielded, accArg)) {
      // A reduction must be a sum, yield acc + g(ins), or a max or min,
      // yield max(acc, g(ins)), with g free of acc.
      Operation *combiner = yielded.getDefiningOp();
      Value other;
      if (combiner && combiner->getNumOperands() == 2 &&
          isa<arith::AddFOp, arith::MaximumFOp, arith::MaxNumFOp,
              arith::MinimumFOp, arith::MinNumFOp>(combiner)) {
        if (combiner->getOperand(0) == accArg)
          other = combiner->getOperand(1);
        else if (combiner->getOperand(1) == accArg)
          other = combiner->getOperand(0);
      }
      if (!other || dependsOn(other, accArg))
        return op->emitOpError(
            "cannot be differentiated: a reduction whose body is not a sum "
            "(acc + f(inputs)) or a max or min (max(acc, f(inputs)))");
      if (!isa<arith::AddFOp>(combiner)) {
        extremum = Extremum{other, op->getResult(0), Value()};
        extremum->count = buildTieCount(op, b, other);
      }
    }
    for (OpOperand *input : op.getDpsInputOperands()) {
      if (!isa<RankedTensorType>(input->get().getType()) ||
          !isa<FloatType>(getElementTypeOrSelf(input->get().getType())))
        continue;
      FailureOr<Value> grad =
          buildOperandGradient(op, b, dy, input->getOperandNumber(),
                               extremum ? &*extremum : nullptr);
      if (failed(grad))
        return failure();
      grads[input->getOperandNumber()] = *grad;
    }
    // The init of a max or min (-Inf, +Inf, or a running value) gets no
    // gradient here: where it wins, no input does.
    if (extremum)
      return success();
    // The init: in a sum it contributes once, so its gradient is dy; in an
    // elementwise op it is an input like the others.
    OpOperand *init = op.getDpsInitOperand(0);
    if (dependsOn(yielded, accArg) ||
        llvm::any_of(body.getOperations(), [&](Operation &o) {
          return llvm::is_contained(o.getOperands(), Value(accArg));
        })) {
      if (reduces) {
        grads[init->getOperandNumber()] = dy;
      } else {
        FailureOr<Value> grad =
            buildOperandGradient(op, b, dy, init->getOperandNumber());
        if (failed(grad))
          return failure();
        grads[init->getOperandNumber()] = *grad;
      }
    }
    return success();
  }
};

//===----------------------------------------------------------------------===//
// Tensor reshapes, slices and casts.
//===----------------------------------------------------------------------===//

struct ExpandShapeModel
    : DifferentiableOpInterface::ExternalModel<ExpandShapeModel,
                                               tensor::ExpandShapeOp> {
  LogicalResult buildGradients(Operation *operation, OpBuilder &b,
                               ValueRange resultGradients,
                               SmallVectorImpl<Value> &grads) const {
    auto op = cast<tensor::ExpandShapeOp>(operation);
    grads.assign(op->getNumOperands(), Value());
    if (Value dy = resultGradients[0])
      grads[0] = tensor::CollapseShapeOp::create(
          b, op.getLoc(), op.getSrcType(), dy, op.getReassociationIndices());
    return success();
  }
};

struct CollapseShapeModel
    : DifferentiableOpInterface::ExternalModel<CollapseShapeModel,
                                               tensor::CollapseShapeOp> {
  LogicalResult buildGradients(Operation *operation, OpBuilder &b,
                               ValueRange resultGradients,
                               SmallVectorImpl<Value> &grads) const {
    auto op = cast<tensor::CollapseShapeOp>(operation);
    grads.assign(op->getNumOperands(), Value());
    if (Value dy = resultGradients[0])
      grads[0] = tensor::ExpandShapeOp::create(
          b, op.getLoc(), op.getSrcType(), dy, op.getReassociationIndices(),
          tensor::getMixedSizes(b, op.getLoc(), op.getSrc()));
    return success();
  }
};

struct ExtractSliceModel
    : DifferentiableOpInterface::ExternalModel<ExtractSliceModel,
                                               tensor::ExtractSliceOp> {
  LogicalResult buildGradients(Operation *operation, OpBuilder &b,
                               ValueRange resultGradients,
                               SmallVectorImpl<Value> &grads) const {
    auto op = cast<tensor::ExtractSliceOp>(operation);
    grads.assign(op->getNumOperands(), Value());
    if (Value dy = resultGradients[0])
      grads[0] = tensor::InsertSliceOp::create(
          b, op.getLoc(), dy, buildZerosLike(b, op.getLoc(), op.getSource()),
          op.getMixedOffsets(), op.getMixedSizes(), op.getMixedStrides());
    return success();
  }
};

struct CastModel
    : DifferentiableOpInterface::ExternalModel<CastModel, tensor::CastOp> {
  LogicalResult buildGradients(Operation *operation, OpBuilder &b,
                               ValueRange resultGradients,
                               SmallVectorImpl<Value> &grads) const {
    auto op = cast<tensor::CastOp>(operation);
    grads.assign(1, Value());
    if (Value dy = resultGradients[0])
      grads[0] =
          tensor::CastOp::create(b, op.getLoc(), op.getSource().getType(), dy);
    return success();
  }
};

template <typename... OpTs>
void attachElementwise(MLIRContext *ctx) {
  (OpTs::template attachInterface<ElementwiseModel<OpTs>>(*ctx), ...);
}

template <typename... OpTs>
void attachLinalg(MLIRContext *ctx) {
  (OpTs::template attachInterface<LinalgModel<OpTs>>(*ctx), ...);
}

} // namespace

void act::registerDifferentiableExternalModels(DialectRegistry &registry) {
  registry.addExtension(+[](MLIRContext *ctx, arith::ArithDialect *) {
    attachElementwise<arith::AddFOp, arith::SubFOp, arith::MulFOp,
                      arith::DivFOp, arith::NegFOp, arith::MaximumFOp,
                      arith::MinimumFOp, arith::MaxNumFOp, arith::MinNumFOp,
                      arith::SelectOp, arith::ExtFOp, arith::TruncFOp>(ctx);
  });
  registry.addExtension(+[](MLIRContext *ctx, math::MathDialect *) {
    attachElementwise<math::ExpOp, math::ExpM1Op, math::LogOp, math::Log1pOp,
                      math::TanhOp, math::SqrtOp, math::RsqrtOp, math::ErfOp,
                      math::AbsFOp>(ctx);
  });
  registry.addExtension(+[](MLIRContext *ctx, linalg::LinalgDialect *) {
    attachLinalg<linalg::GenericOp, linalg::MatmulOp, linalg::BatchMatmulOp,
                 linalg::TransposeOp, linalg::BroadcastOp, linalg::ReduceOp,
                 linalg::FillOp, linalg::AddOp, linalg::SubOp, linalg::MulOp,
                 linalg::DivOp, linalg::ExpOp, linalg::LogOp, linalg::NegFOp,
                 linalg::MaxOp, linalg::MinOp, linalg::ElementwiseOp>(ctx);
  });
  registry.addExtension(+[](MLIRContext *ctx, tensor::TensorDialect *) {
    tensor::ExpandShapeOp::attachInterface<ExpandShapeModel>(*ctx);
    tensor::CollapseShapeOp::attachInterface<CollapseShapeModel>(*ctx);
    tensor::ExtractSliceOp::attachInterface<ExtractSliceModel>(*ctx);
    tensor::CastOp::attachInterface<CastModel>(*ctx);
  });
}
