//===- Contraction.cpp - What act's CPU kernels know of a contraction -----===//

#include "act/Codegen/CPU/Contraction.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/LinalgInterfaces.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/IR/IRMapping.h"

using namespace mlir;
using namespace mlir::act;

void ContractionAccess::lookThroughTranspose(ArrayRef<int64_t> perm) {
  SmallVector<unsigned> inner(loops.size());
  for (auto [i, p] : llvm::enumerate(perm))
    inner[p] = loops[i];
  loops = inner;
}

std::optional<unsigned> ContractionAccess::dimOf(unsigned loop) const {
  for (auto [dim, l] : llvm::enumerate(loops))
    if (l == loop)
      return dim;
  return std::nullopt;
}

SmallVector<Value>
ContractionAccess::indicesFor(const DenseMap<unsigned, Value> &ivs) const {
  SmallVector<Value> indices;
  for (unsigned loop : loops)
    indices.push_back(ivs.lookup(loop));
  return indices;
}

std::optional<SmallVector<unsigned>> act::getLoopsOf(AffineMap map) {
  if (!map.isProjectedPermutation(/*allowZeroInResults=*/false))
    return std::nullopt;
  SmallVector<unsigned> loops;
  for (AffineExpr e : map.getResults())
    loops.push_back(cast<AffineDimExpr>(e).getPosition());
  return loops;
}

std::optional<ContractionInfo> act::analyzeContraction(linalg::LinalgOp op) {
  if (!op.hasPureTensorSemantics() || op.getNumDpsInputs() != 2 ||
      op.getNumDpsInits() != 1 || !linalg::isaContractionOpInterface(op))
    return std::nullopt;
  FailureOr<linalg::ContractionDimensions> dims =
      linalg::inferContractionDims(op);
  if (failed(dims) || dims->m.size() != 1 || dims->n.size() != 1 ||
      dims->k.size() != 1)
    return std::nullopt;
  ContractionInfo c;
  c.op = op;
  c.batch.assign(dims->batch.begin(), dims->batch.end());
  c.m = dims->m.front();
  c.n = dims->n.front();
  c.k = dims->k.front();

  OpOperand *init = op.getDpsInitOperand(0);
  std::optional<SmallVector<unsigned>> cLoops =
      getLoopsOf(op.getMatchingIndexingMap(init));
  SmallVector<unsigned> expected(c.batch);
  expected.append({c.m, c.n});
  // inferContractionDims takes M from the first operand. A backward pass
  // writes dX = dZ W^T with W first (act-differentiate keeps the forward
  // op's operand order), so C is indexed (n, m): the product commutes, and
  // swapping the operands' roles keeps the kernel.
  SmallVector<unsigned> swapped(c.batch);
  swapped.append({c.n, c.m});
  bool swapOperands = cLoops && *cLoops != expected && *cLoops == swapped;
  if (swapOperands)
    std::swap(c.m, c.n);
  else if (!cLoops || *cLoops != expected)
    return std::nullopt;

  for (auto [which, access] : {std::make_pair(swapOperands ? 1 : 0, &c.a),
                               std::make_pair(swapOperands ? 0 : 1, &c.b)}) {
    OpOperand *operand = op.getDpsInputOperand(which);
    std::optional<SmallVector<unsigned>> loops =
        getLoopsOf(op.getMatchingIndexingMap(operand));
    if (!loops)
      return std::nullopt;
    access->source = operand->get();
    access->loops = *loops;
    if (auto transpose = access->source.getDefiningOp<linalg::TransposeOp>()) {
      if (transpose.hasPureTensorSemantics()) {
        access->source = transpose.getInput();
        access->lookThroughTranspose(transpose.getPermutation());
      }
    }
  }

  auto elementOf = [](Value v) { return getElementTypeOrSelf(v.getType()); };
  Type ta = elementOf(c.a.source), tb = elementOf(c.b.source),
       tc = elementOf(init->get());
  for (Type t : {ta, tb, tc})
    if (!isa<FloatType>(t) || t.getIntOrFloatBitWidth() > 64)
      return std::nullopt;
  OpBuilder b(op);
  c.computeType =
      (ta.isF64() && tb.isF64()) ? Type(b.getF64Type()) : Type(b.getF32Type());
  // K and N are compiled in: the micro-kernel's loop and the panels.
  SmallVector<int64_t> ranges = op.getStaticLoopRanges();
  if (ShapedType::isDynamic(ranges[c.k]) || ShapedType::isDynamic(ranges[c.n]))
    return std::nullopt;

  c.init = init->get();
  c.dest = c.init;
  if (auto fill = c.init.getDefiningOp<linalg::FillOp>()) {
    if (fill.hasPureTensorSemantics()) {
      c.fillValue = fill.getInputs().front();
      c.dest = fill.getOutputs().front();
    }
  }
  return c;
}

bool act::isRowEpilogue(linalg::GenericOp generic, Value input) {
  if (!generic.hasPureTensorSemantics() ||
      generic.getNumLoops() != generic.getNumParallelLoops() ||
      generic.getNumLoops() < 2)
    return false;
  unsigned last = generic.getNumLoops() - 1;
  for (OpOperand &operand : generic->getOpOperands()) {
    AffineMap map = generic.getMatchingIndexingMap(&operand);
    if (generic.isDpsInit(&operand) || operand.get() == input) {
      if (!map.isIdentity())
        return false;
      continue;
    }
    std::optional<SmallVector<unsigned>> loops = getLoopsOf(map);
    if (!loops)
      return false;
    // The last loop, if read, must be the operand's innermost dimension.
    for (auto [i, loop] : llvm::enumerate(*loops))
      if (loop == last && i + 1 != loops->size())
        return false;
  }
  for (Operation &op : generic.getBody()->without_terminator()) {
    if (op.getNumRegions() || op.getNumResults() != 1)
      return false;
    if (!isa<arith::ConstantOp, linalg::IndexOp>(op) &&
        !OpTrait::hasElementwiseMappableTraits(&op))
      return false;
    Type type = op.getResult(0).getType();
    if (!type.isIntOrIndexOrFloat())
      return false;
  }
  return true;
}

Value act::readRow(ImplicitLocOpBuilder &b, Value source, ValueRange indices,
                   int64_t width, bool inBounds, Type type) {
  Type element = getElementTypeOrSelf(source.getType());
  Value pad = arith::ConstantOp::create(b, b.getZeroAttr(element));
  auto rank = cast<ShapedType>(source.getType()).getRank();
  AffineMap minor = AffineMap::getMinorIdentityMap(rank, 1, b.getContext());
  Value row = vector::TransferReadOp::create(
      b, VectorType::get({width}, element), source, indices, pad, minor,
      ArrayRef<bool>{inBounds});
  if (element != type)
    row = arith::ExtFOp::create(b, VectorType::get({width}, type), row);
  return row;
}

SmallVector<Value>
act::emitRowEpilogue(ImplicitLocOpBuilder &b, linalg::GenericOp generic,
                     ArrayRef<Value> loopValues,
                     const DenseMap<Value, Value> &inRegisters, int64_t width,
                     bool inBounds) {
  unsigned last = generic.getNumLoops() - 1;
  auto rowType = [&](Type element) {
    return VectorType::get({width}, element);
  };
  IRMapping mapping;
  Block *body = generic.getBody();
  for (OpOperand &operand : generic->getOpOperands()) {
    BlockArgument arg = body->getArgument(operand.getOperandNumber());
    if (arg.use_empty())
      continue;
    Value value = operand.get();
    if (Value known = inRegisters.lookup(value)) {
      mapping.map(arg, known);
      continue;
    }
    AffineMap map = generic.getMatchingIndexingMap(&operand);
    SmallVector<Value> indices;
    bool alongLast = false;
    for (AffineExpr e : map.getResults()) {
      unsigned loop = cast<AffineDimExpr>(e).getPosition();
      indices.push_back(loopValues[loop]);
      alongLast |= loop == last;
    }
    Type element = getElementTypeOrSelf(value.getType());
    if (alongLast) {
      mapping.map(arg, readRow(b, value, indices, width, inBounds, element));
    } else {
      Value scalar = tensor::ExtractOp::create(b, value, indices);
      mapping.map(arg,
                  vector::BroadcastOp::create(b, rowType(element), scalar));
    }
  }
  // Values from outside the body and scalar constants are broadcast.
  auto vectorOf = [&](Value v) -> Value {
    if (Value mapped = mapping.lookupOrNull(v))
      return mapped;
    Value splat = vector::BroadcastOp::create(b, rowType(v.getType()), v);
    mapping.map(v, splat);
    return splat;
  };
  for (Operation &op : body->without_terminator()) {
    if (auto constant = dyn_cast<arith::ConstantOp>(op)) {
      auto splat = DenseElementsAttr::get(rowType(constant.getType()),
                                          constant.getValue());
      mapping.map(constant.getResult(),
                  arith::ConstantOp::create(b, splat).getResult());
      continue;
    }
    if (auto index = dyn_cast<linalg::IndexOp>(op)) {
      // The lanes' own positions along the last loop; one value elsewhere.
      Value start = loopValues[index.getDim()];
      Value v =
          vector::BroadcastOp::create(b, rowType(b.getIndexType()), start);
      if (index.getDim() == last)
        v = arith::AddIOp::create(
            b, v, vector::StepOp::create(b, rowType(b.getIndexType())));
      mapping.map(index.getResult(), v);
      continue;
    }
    SmallVector<Value> operands =
        llvm::map_to_vector(op.getOperands(), vectorOf);
    OperationState state(op.getLoc(), op.getName(), operands,
                         TypeRange{rowType(op.getResult(0).getType())},
                         op.getAttrs());
    mapping.map(op.getResult(0), b.create(state)->getResult(0));
  }
  auto yield = cast<linalg::YieldOp>(body->getTerminator());
  return llvm::map_to_vector(yield.getOperands(), vectorOf);
}
