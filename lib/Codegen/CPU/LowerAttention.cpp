//===- LowerAttention.cpp - Contractions fused with a row softmax ---------===//
//
// A contraction whose result goes, through elementwise ops (a scale, an
// additive or a causal mask), into a softmax, log_softmax or softmin along
// its last dimension becomes one kernel that never writes the raw scores.
// For a block of rows (in parallel over batch and blocks):
//
//   scores:    P = softmax(chain(A B))
//     for each panel of NR columns, for each MR-row tile:
//       tile = A B in registers; chain; write; running max per row
//     per row, in cache: e = exp(x - max), sum; then e / sum
//
//   attention: O = softmax(chain(Q K^T)) V, when P's only user is that
//   matmul (flash attention: the L x S scores never exist):
//     for each block of keys, for each MR-row tile:
//       S = tile scores for the block's keys (in a small buffer)
//       m' = max(m, rowmax S); P = exp(S - m'); l = l e^(m - m') + rowsum P
//       O = O e^(m - m') + P V[block]
//     O / l
//
// Keys (K^T) are packed once into NR-wide panels, as a matmul packs B.
//
//===----------------------------------------------------------------------===//

#include "act/Codegen/CPU/Contraction.h"
#include "act/Codegen/CPU/KernelConfig.h"
#include "act/Codegen/CPU/Passes.h"
#include "act/Dialect/Act/IR/ActOps.h"
#include "act/Dialect/Act/Transforms/MathEmitter.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Bufferization/IR/Bufferization.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/IR/Matchers.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"
#include "llvm/ADT/SetVector.h"

#include <limits>

namespace mlir::act {
#define GEN_PASS_DEF_ACTLOWERATTENTIONPASS
#include "act/Codegen/CPU/Passes.h.inc"
} // namespace mlir::act

using namespace mlir;
using act::math::IRValue;

namespace {

enum class RowNorm { softmax, logSoftmax, softmin };

/// scores -> chain... -> norm [-> output].
struct AttentionMatch {
  act::ContractionInfo scores;
  /// The elementwise ops between the scores and the normalization, in order.
  SmallVector<linalg::GenericOp> chain;
  Operation *norm = nullptr;
  RowNorm kind = RowNorm::softmax;
  /// P V, for full attention.
  std::optional<act::ContractionInfo> output;
  /// Whether the chain ends in a causal mask (key j > query i is -inf):
  /// blocks of keys past a block's last row contribute nothing.
  bool causal = false;
};

} // namespace

static bool usedOnlyBy(Value v, Operation *user) {
  return !v.use_empty() &&
         llvm::all_of(v.getUsers(), [&](Operation *u) { return u == user; });
}

static bool isStaticF32(Value v) {
  auto type = dyn_cast<RankedTensorType>(v.getType());
  return type && type.hasStaticShape() && type.getElementType().isF32();
}

/// The contractions these kernels take: f32, static shapes, accumulators
/// from a fill, C indexed (batch..., m, n) in that order.
static bool isSupportedContraction(const act::ContractionInfo &c) {
  if (!c.fillValue || !c.computeType.isF32() || !isStaticF32(c.a.source) ||
      !isStaticF32(c.b.source) || !isStaticF32(c.op->getResult(0)))
    return false;
  linalg::LinalgOp op = c.op;
  std::optional<SmallVector<unsigned>> cLoops =
      act::getLoopsOf(op.getMatchingIndexingMap(op.getDpsInitOperand(0)));
  SmallVector<unsigned> expected(c.batch);
  expected.append({c.m, c.n});
  return cLoops && *cLoops == expected;
}

/// Whether `o` computes P V with P = `p` read as [batch..., m, k], V read
/// along its last dimension, over the same rows and batch as `scores`.
static bool isAttentionOutput(const act::ContractionInfo &o, Value p,
                              const act::ContractionInfo &scores) {
  if (!isSupportedContraction(o) || o.a.source != p || o.b.source == p ||
      o.batch.size() != scores.batch.size())
    return false;
  SmallVector<unsigned> pLoops(o.batch);
  pLoops.append({o.m, o.k});
  if (o.a.loops != pLoops || o.b.loops.back() != o.n)
    return false;
  SmallVector<int64_t> outer =
                           linalg::LinalgOp(scores.op).getStaticLoopRanges(),
                       inner = linalg::LinalgOp(o.op).getStaticLoopRanges();
  for (auto [s, t] : llvm::zip(scores.batch, o.batch))
    if (outer[s] != inner[t])
      return false;
  return outer[scores.m] == inner[o.m] && outer[scores.n] == inner[o.k];
}

/// Whether `generic` yields `select(j > i, -inf, ...)`, i and j the indices
/// of its last two loops (a causal mask as torch-mlir writes masked_fill).
static bool yieldsCausalMask(linalg::GenericOp generic) {
  auto yield = cast<linalg::YieldOp>(generic.getBody()->getTerminator());
  auto select = yield.getOperand(0).getDefiningOp<arith::SelectOp>();
  if (!select)
    return false;
  FloatAttr value;
  if (!matchPattern(select.getTrueValue(), m_Constant(&value)) ||
      !value.getValue().isInfinity() || !value.getValue().isNegative())
    return false;
  auto cmp = select.getCondition().getDefiningOp<arith::CmpIOp>();
  if (!cmp)
    return false;
  auto dimOf = [](Value v) -> int64_t {
    auto index = v.getDefiningOp<linalg::IndexOp>();
    return index ? int64_t(index.getDim()) : -1;
  };
  int64_t lhs = dimOf(cmp.getLhs()), rhs = dimOf(cmp.getRhs());
  int64_t i = generic.getNumLoops() - 2, j = i + 1;
  using P = arith::CmpIPredicate;
  P pred = cmp.getPredicate();
  return (lhs == j && rhs == i && (pred == P::ugt || pred == P::sgt)) ||
         (lhs == i && rhs == j && (pred == P::ult || pred == P::slt));
}

static std::optional<AttentionMatch> matchAttention(Operation *norm) {
  AttentionMatch match;
  match.norm = norm;
  Value x;
  int64_t dim;
  if (auto op = dyn_cast<act::SoftmaxOp>(norm)) {
    x = op.getInput(), dim = op.getNormalizedDim();
  } else if (auto op = dyn_cast<act::LogSoftmaxOp>(norm)) {
    x = op.getInput(), dim = op.getNormalizedDim();
    match.kind = RowNorm::logSoftmax;
  } else if (auto op = dyn_cast<act::SoftminOp>(norm)) {
    x = op.getInput(), dim = op.getNormalizedDim();
    match.kind = RowNorm::softmin;
  } else {
    return std::nullopt;
  }
  if (!isStaticF32(x) || !isStaticF32(norm->getResult(0)) ||
      dim != cast<RankedTensorType>(x.getType()).getRank() - 1)
    return std::nullopt;

  // Back from the normalization to the contraction; each value on the way
  // has no other user (it would need the value in memory).
  Value v = x;
  Operation *user = norm;
  while (true) {
    if (!usedOnlyBy(v, user))
      return std::nullopt;
    Operation *def = v.getDefiningOp();
    if (auto op = dyn_cast_or_null<linalg::LinalgOp>(def)) {
      if (std::optional<act::ContractionInfo> info =
              act::analyzeContraction(op)) {
        if (!isSupportedContraction(*info))
          return std::nullopt;
        match.scores = *info;
        break;
      }
    }
    auto generic = dyn_cast_or_null<linalg::GenericOp>(def);
    if (!generic || generic->getNumResults() != 1)
      return std::nullopt;
    Value input;
    for (OpOperand *operand : generic.getDpsInputOperands()) {
      Value u = operand->get();
      if (u.getType() == v.getType() &&
          generic.getMatchingIndexingMap(operand).isIdentity() &&
          isa_and_nonnull<linalg::LinalgOp>(u.getDefiningOp())) {
        input = u;
        break;
      }
    }
    if (!input || !act::isRowEpilogue(generic, input))
      return std::nullopt;
    match.chain.insert(match.chain.begin(), generic);
    v = input;
    user = generic;
  }

  Value p = norm->getResult(0);
  if (match.kind == RowNorm::softmax && p.hasOneUse())
    if (auto op = dyn_cast<linalg::LinalgOp>(*p.user_begin()))
      if (std::optional<act::ContractionInfo> info =
              act::analyzeContraction(op))
        if (isAttentionOutput(*info, p, match.scores))
          match.output = *info;
  // Ops after the mask could turn -inf into something else (-inf + inf).
  match.causal = match.output && !match.chain.empty() &&
                 yieldsCausalMask(match.chain.back());
  return match;
}

namespace {

/// Emits the kernel of one match.
class AttentionEmitter {
public:
  AttentionEmitter(ImplicitLocOpBuilder &b, const AttentionMatch &match,
                   const act::AttentionConfig &config, bool fma,
                   act::math::MathMode mode)
      : b(b), match(match), s(match.scores), config(config), fma(fma),
        mode(mode) {
    SmallVector<int64_t> ranges = linalg::LinalgOp(s.op).getStaticLoopRanges();
    rows = ranges[s.m];
    cols = ranges[s.n];
    depth = ranges[s.k];
    for (unsigned loop : s.batch)
      batchSizes.push_back(ranges[loop]);
    if (match.output)
      valueCols = linalg::LinalgOp(match.output->op)
                      .getStaticLoopRanges()[match.output->n];
  }

  /// The value replacing the output's result (attention) or the
  /// normalization's (scores).
  Value emit();

private:
  using Body = function_ref<SmallVector<Value>(Value, ValueRange)>;

  Value index(int64_t v) { return arith::ConstantIndexOp::create(b, v); }
  Value f32(double v) {
    return arith::ConstantOp::create(b, b.getF32FloatAttr(v));
  }
  VectorType rowType() { return VectorType::get({config.nr}, b.getF32Type()); }
  Value splat(Value scalar) {
    return vector::BroadcastOp::create(b, rowType(), scalar);
  }
  Value lanesBelow(int64_t valid);
  IRValue wrap(Value v) { return IRValue(b, v, mode); }

  SmallVector<Value> loop(Value lb, Value ub, ValueRange iter, Body body,
                          bool parallel = false);
  /// `body(iter)` when `cond`, `iter` otherwise.
  SmallVector<Value> when(Value cond, ValueRange iter,
                          function_ref<SmallVector<Value>(ValueRange)> body);
  Value read(Value tensor, ValueRange indices, bool inBounds = true,
             Value pad = {});
  Value write(Value vector, Value tensor, ValueRange indices,
              bool inBounds = true);

  /// The batch loops' values for a flat batch index.
  SmallVector<Value> batchValues(Value flat);
  DenseMap<unsigned, Value> ivsOf(const act::ContractionInfo &c,
                                  ArrayRef<Value> batch);
  Value packKeys();
  /// The scores of `height` rows from `row` against panel `panel` (`valid`
  /// of its NR columns real, the others -inf), through the chain.
  SmallVector<Value> scoreTile(Value flat, ArrayRef<Value> batch, Value row,
                               int64_t height, Value panel, int64_t valid);
  /// The rows of the block starting at row `first` (fewer in the last
  /// block), its full MR-row tiles, and whether rows remain after them.
  std::tuple<Value, Value, Value> blockRows(Value first);
  /// Row tiles [0, tiles) of MR rows, then the remaining `rest` rows when
  /// `hasRest`: `body(firstRow, height, iter)`.
  SmallVector<Value>
  rowTiles(Value tiles, Value hasRest, int64_t rest, ValueRange iter,
           function_ref<SmallVector<Value>(Value, int64_t, ValueRange)> body);

  Value scoresBlock(Value flat, Value first, Value dest);
  Value attentionBlock(Value flat, Value first, Value dest);
  /// One row tile of attention against one block of keys.
  SmallVector<Value> attentionStep(Value flat, ArrayRef<Value> batch,
                                   Value first, Value tileRow, int64_t height,
                                   Value keyBlock, Value isLastBlock,
                                   ValueRange state);

  ImplicitLocOpBuilder &b;
  const AttentionMatch &match;
  const act::ContractionInfo &s;
  act::AttentionConfig config;
  bool fma;
  act::math::MathMode mode;
  int64_t rows, cols, depth, valueCols = 0;
  SmallVector<int64_t> batchSizes;
  /// K^T in panels: [batch, panels, depth, NR].
  Value packed;
};

} // namespace

SmallVector<Value> AttentionEmitter::loop(Value lb, Value ub, ValueRange iter,
                                          Body body, bool parallel) {
  auto forOp = scf::ForOp::create(b, lb, ub, index(1), iter);
  if (parallel)
    forOp->setAttr(act::kParallelLoopAttr, b.getUnitAttr());
  OpBuilder::InsertionGuard guard(b);
  Block *block = forOp.getBody();
  if (!block->empty() && block->back().hasTrait<OpTrait::IsTerminator>())
    block->back().erase();
  b.setInsertionPointToEnd(block);
  scf::YieldOp::create(
      b, body(forOp.getInductionVar(), forOp.getRegionIterArgs()));
  return forOp.getResults();
}

SmallVector<Value>
AttentionEmitter::when(Value cond, ValueRange iter,
                       function_ref<SmallVector<Value>(ValueRange)> body) {
  auto ifOp = scf::IfOp::create(b, TypeRange(iter), cond, /*withElse=*/true);
  OpBuilder::InsertionGuard guard(b);
  b.setInsertionPointToStart(ifOp.thenBlock());
  scf::YieldOp::create(b, body(iter));
  b.setInsertionPointToStart(ifOp.elseBlock());
  scf::YieldOp::create(b, iter);
  return ifOp.getResults();
}

Value AttentionEmitter::read(Value tensor, ValueRange indices, bool inBounds,
                             Value pad) {
  if (!pad)
    pad = f32(0.0);
  auto rank = cast<ShapedType>(tensor.getType()).getRank();
  return vector::TransferReadOp::create(
      b, rowType(), tensor, indices, pad,
      AffineMap::getMinorIdentityMap(rank, 1, b.getContext()),
      ArrayRef<bool>{inBounds});
}

Value AttentionEmitter::write(Value vector, Value tensor, ValueRange indices,
                              bool inBounds) {
  auto rank = cast<ShapedType>(tensor.getType()).getRank();
  return vector::TransferWriteOp::create(
             b, vector, tensor, indices,
             AffineMap::getMinorIdentityMap(rank, 1, b.getContext()),
             ArrayRef<bool>{inBounds})
      .getResult();
}

Value AttentionEmitter::lanesBelow(int64_t valid) {
  auto indexRow = VectorType::get({config.nr}, b.getIndexType());
  SmallVector<int64_t> lanes = llvm::to_vector(llvm::seq<int64_t>(config.nr));
  Value step = arith::ConstantOp::create(
      b, DenseElementsAttr::get(indexRow, ArrayRef<int64_t>(lanes)));
  return arith::CmpIOp::create(
      b, arith::CmpIPredicate::ult, step,
      vector::BroadcastOp::create(b, indexRow, index(valid)));
}

SmallVector<Value> AttentionEmitter::batchValues(Value flat) {
  SmallVector<Value> values(batchSizes.size());
  for (int64_t d = batchSizes.size() - 1; d >= 0; --d) {
    values[d] = arith::RemUIOp::create(b, flat, index(batchSizes[d]));
    flat = arith::DivUIOp::create(b, flat, index(batchSizes[d]));
  }
  return values;
}

DenseMap<unsigned, Value> AttentionEmitter::ivsOf(const act::ContractionInfo &c,
                                                  ArrayRef<Value> batch) {
  DenseMap<unsigned, Value> ivs;
  for (auto [loop, value] : llvm::zip(c.batch, batch))
    ivs[loop] = value;
  return ivs;
}

Value AttentionEmitter::packKeys() {
  int64_t nr = config.nr, full = cols / nr, tail = cols % nr;
  int64_t panels = full + (tail ? 1 : 0), batches = 1;
  for (int64_t size : batchSizes)
    batches *= size;
  Value buffer = bufferization::AllocTensorOp::create(
      b, RankedTensorType::get({batches, panels, depth, nr}, b.getF32Type()),
      ValueRange{});
  bool contiguous = s.b.loops.back() == s.n;
  auto packPanel = [&](Value flat, Value panel, int64_t valid,
                       Value into) -> Value {
    SmallVector<Value> batch = batchValues(flat);
    Value j = arith::MulIOp::create(b, panel, index(nr));
    return loop(index(0), index(depth), into,
                [&](Value k, ValueRange iter) -> SmallVector<Value> {
                  DenseMap<unsigned, Value> ivs = ivsOf(s, batch);
                  ivs[s.k] = k;
                  Value row;
                  if (contiguous) {
                    ivs[s.n] = j;
                    row = act::readRow(b, s.b.source, s.b.indicesFor(ivs), nr,
                                       valid == nr, b.getF32Type());
                  } else {
                    // K [.., S, d]: a column of K per lane.
                    row = arith::ConstantOp::create(
                        b, DenseElementsAttr::get(rowType(), 0.0f));
                    for (int64_t col = 0; col < valid; ++col) {
                      ivs[s.n] = arith::AddIOp::create(b, j, index(col));
                      Value v = tensor::ExtractOp::create(b, s.b.source,
                                                          s.b.indicesFor(ivs));
                      row = vector::InsertOp::create(b, v, row, col);
                    }
                  }
                  return {write(row, iter[0],
                                ValueRange{flat, panel, k, index(0)})};
                })
        .front();
  };
  if (full)
    buffer = loop(
                 index(0), index(batches * full), buffer,
                 [&](Value t, ValueRange iter) -> SmallVector<Value> {
                   Value flat = arith::DivUIOp::create(b, t, index(full));
                   Value panel = arith::RemUIOp::create(b, t, index(full));
                   return {packPanel(flat, panel, nr, iter[0])};
                 },
                 /*parallel=*/true)
                 .front();
  if (tail)
    buffer = loop(
                 index(0), index(batches), buffer,
                 [&](Value flat, ValueRange iter) -> SmallVector<Value> {
                   return {packPanel(flat, index(full), tail, iter[0])};
                 },
                 /*parallel=*/true)
                 .front();
  return buffer;
}

SmallVector<Value> AttentionEmitter::scoreTile(Value flat,
                                               ArrayRef<Value> batch, Value row,
                                               int64_t height, Value panel,
                                               int64_t valid) {
  Value zero = f32(0.0);
  SmallVector<Value> inits(height, splat(s.fillValue));
  SmallVector<Value> accs =
      loop(index(0), index(depth), inits,
           [&](Value k, ValueRange acc) -> SmallVector<Value> {
             Value keys = vector::TransferReadOp::create(
                 b, rowType(), packed, ValueRange{flat, panel, k, index(0)},
                 zero, ArrayRef<bool>{true});
             DenseMap<unsigned, Value> ivs = ivsOf(s, batch);
             ivs[s.k] = k;
             SmallVector<Value> next;
             for (int64_t r = 0; r < height; ++r) {
               ivs[s.m] = arith::AddIOp::create(b, row, index(r));
               Value q = splat(tensor::ExtractOp::create(b, s.a.source,
                                                         s.a.indicesFor(ivs)));
               next.push_back(
                   fma ? Value(vector::FMAOp::create(b, q, keys, acc[r]))
                       : Value(arith::AddFOp::create(
                             b, arith::MulFOp::create(b, q, keys), acc[r])));
             }
             return next;
           });
  Value j = arith::MulIOp::create(b, panel, index(config.nr));
  Value mask = valid < config.nr ? lanesBelow(valid) : Value();
  Value minusInf = splat(f32(-std::numeric_limits<double>::infinity()));
  for (int64_t r = 0; r < height; ++r) {
    SmallVector<Value> loopValues(batch);
    loopValues.append({arith::AddIOp::create(b, row, index(r)), j});
    Value v = accs[r], input = s.op->getResult(0);
    for (linalg::GenericOp generic : match.chain) {
      DenseMap<Value, Value> inRegisters;
      inRegisters[input] = v;
      v = act::emitRowEpilogue(b, generic, loopValues, inRegisters, config.nr,
                               valid == config.nr)
              .front();
      input = generic->getResult(0);
    }
    if (match.kind == RowNorm::softmin)
      v = arith::NegFOp::create(b, v);
    if (mask)
      v = arith::SelectOp::create(b, mask, v, minusInf);
    accs[r] = v;
  }
  return accs;
}

std::tuple<Value, Value, Value> AttentionEmitter::blockRows(Value first) {
  Value height =
      arith::MinUIOp::create(b, index(config.rowsPerBlock),
                             arith::SubIOp::create(b, index(rows), first));
  Value tiles = arith::DivUIOp::create(b, height, index(config.mr));
  Value hasRest = arith::CmpIOp::create(
      b, arith::CmpIPredicate::ne,
      arith::RemUIOp::create(b, height, index(config.mr)), index(0));
  return {height, tiles, hasRest};
}

SmallVector<Value> AttentionEmitter::rowTiles(
    Value tiles, Value hasRest, int64_t rest, ValueRange iter,
    function_ref<SmallVector<Value>(Value, int64_t, ValueRange)> body) {
  SmallVector<Value> state =
      loop(index(0), tiles, iter, [&](Value t, ValueRange inner) {
        return body(arith::MulIOp::create(b, t, index(config.mr)), config.mr,
                    inner);
      });
  if (!rest)
    return state;
  return when(hasRest, state, [&](ValueRange inner) {
    return body(arith::MulIOp::create(b, tiles, index(config.mr)), rest, inner);
  });
}

/// Scores for rows [first, first + rowsPerBlock) of batch `flat`: each
/// panel's tiles are written to `dest` as computed, then each row is
/// normalized while the block is in cache.
Value AttentionEmitter::scoresBlock(Value flat, Value first, Value dest) {
  int64_t nr = config.nr, block = config.rowsPerBlock;
  int64_t full = cols / nr, tail = cols % nr, rest = rows % config.mr;
  SmallVector<Value> batch = batchValues(flat);
  Value height, tiles, hasRest;
  std::tie(height, tiles, hasRest) = blockRows(first);
  Value minusInf = f32(-std::numeric_limits<double>::infinity());

  // Running maxima per row, elementwise over the panels.
  Value maxima = bufferization::AllocTensorOp::create(
      b, RankedTensorType::get({block, nr}, b.getF32Type()), ValueRange{});
  maxima =
      loop(index(0), index(block), maxima,
           [&](Value r, ValueRange iter) -> SmallVector<Value> {
             return {write(splat(minusInf), iter[0], ValueRange{r, index(0)})};
           })
          .front();

  auto outIndices = [&](Value row, Value col) {
    SmallVector<Value> indices(batch);
    indices.append({row, col});
    return indices;
  };
  auto panelPass = [&](Value panel, int64_t valid,
                       ValueRange iter) -> SmallVector<Value> {
    Value j = arith::MulIOp::create(b, panel, index(nr));
    return rowTiles(
        tiles, hasRest, rest, iter,
        [&](Value tileRow, int64_t h, ValueRange state) -> SmallVector<Value> {
          Value row = arith::AddIOp::create(b, first, tileRow);
          SmallVector<Value> tile =
              scoreTile(flat, batch, row, h, panel, valid);
          Value out = state[0], maxes = state[1];
          for (int64_t r = 0; r < h; ++r) {
            Value local = arith::AddIOp::create(b, tileRow, index(r));
            out = write(tile[r], out,
                        outIndices(arith::AddIOp::create(b, row, index(r)), j),
                        valid == nr);
            Value m = read(maxes, ValueRange{local, index(0)});
            maxes = write(arith::MaximumFOp::create(b, m, tile[r]), maxes,
                          ValueRange{local, index(0)});
          }
          return {out, maxes};
        });
  };
  SmallVector<Value> state{dest, maxima};
  if (full)
    state =
        loop(index(0), index(full), state, [&](Value panel, ValueRange iter) {
          return panelPass(panel, nr, iter);
        });
  if (tail)
    state = panelPass(index(full), tail, state);

  // Normalize each row. Lanes past the last column read as -inf: exp
  // gives 0 there, and the masked write drops them.
  auto overRow =
      [&](ValueRange iter,
          function_ref<SmallVector<Value>(Value, bool, ValueRange)> body) {
        SmallVector<Value> inner(iter);
        if (full)
          inner =
              loop(index(0), index(full), inner, [&](Value q, ValueRange it) {
                return body(arith::MulIOp::create(b, q, index(nr)), true, it);
              });
        if (tail)
          inner = body(index(full * nr), false, inner);
        return inner;
      };
  Value result = loop(
      index(0), height, state[0],
      [&](Value r, ValueRange iter) -> SmallVector<Value> {
        Value row = arith::AddIOp::create(b, first, r);
        Value m = vector::ReductionOp::create(
            b, vector::CombiningKind::MAXIMUMF,
            read(state[1], ValueRange{r, index(0)}));
        Value mSplat = splat(m);
        Value zeroRow = splat(f32(0.0));
        Value out = iter[0];
        bool isLog = match.kind == RowNorm::logSoftmax;
        // sum(exp(x - m)); softmax keeps exp(x - m) in place of x.
        SmallVector<Value> summed = overRow(
            {zeroRow, out},
            [&](Value col, bool inBounds, ValueRange it) -> SmallVector<Value> {
              Value x = read(it[1], outIndices(row, col), inBounds, minusInf);
              Value e =
                  act::math::expNonPositive(wrap(x) - wrap(mSplat)).value();
              Value o = isLog ? it[1]
                              : write(e, it[1], outIndices(row, col), inBounds);
              return {arith::AddFOp::create(b, it[0], e), o};
            });
        Value sum = vector::ReductionOp::create(b, vector::CombiningKind::ADD,
                                                summed[0]);
        out = summed[1];
        if (isLog) {
          // (x - m) - log(sum), as the unfused log_softmax.
          Value logSum = splat(act::math::log(wrap(sum)).value());
          return overRow(
              {out},
              [&](Value col, bool inBounds,
                  ValueRange it) -> SmallVector<Value> {
                Value x = read(it[0], outIndices(row, col), inBounds);
                Value y = arith::SubFOp::create(
                    b, arith::SubFOp::create(b, x, mSplat), logSum);
                return {write(y, it[0], outIndices(row, col), inBounds)};
              });
        }
        Value inverse = splat(arith::DivFOp::create(b, f32(1.0), sum));
        return overRow(
            {out},
            [&](Value col, bool inBounds, ValueRange it) -> SmallVector<Value> {
              Value e = read(it[0], outIndices(row, col), inBounds);
              return {write(arith::MulFOp::create(b, e, inverse), it[0],
                            outIndices(row, col), inBounds)};
            });
      })[0];
  return result;
}

SmallVector<Value>
AttentionEmitter::attentionStep(Value flat, ArrayRef<Value> batch, Value first,
                                Value tileRow, int64_t height, Value keyBlock,
                                Value isLastBlock, ValueRange state) {
  int64_t nr = config.nr, keys = config.keysPerBlock;
  const act::ContractionInfo &o = *match.output;
  Value out = state[0], stats = state[1], scores = state[2];
  Value row = arith::AddIOp::create(b, first, tileRow);
  Value key0 = arith::MulIOp::create(b, keyBlock, index(keys));
  Value width = arith::MinUIOp::create(
      b, index(keys), arith::SubIOp::create(b, index(cols), key0));
  Value firstPanel = arith::DivUIOp::create(b, key0, index(nr));
  Value minusInf = f32(-std::numeric_limits<double>::infinity());

  // The tile's scores against the block's keys.
  auto panelScores = [&](Value p, int64_t valid, Value into) -> Value {
    SmallVector<Value> tile =
        scoreTile(flat, batch, row, height,
                  arith::AddIOp::create(b, firstPanel, p), valid);
    Value col = arith::MulIOp::create(b, p, index(nr));
    for (int64_t r = 0; r < height; ++r)
      into = write(tile[r], into, ValueRange{index(r), col});
    return into;
  };
  Value fullPanels = arith::DivUIOp::create(b, width, index(nr));
  scores = loop(index(0), fullPanels, scores,
                [&](Value p, ValueRange iter) -> SmallVector<Value> {
                  return {panelScores(p, nr, iter[0])};
                })
               .front();
  if (int64_t tail = cols % nr)
    scores =
        when(isLastBlock, scores, [&](ValueRange iter) -> SmallVector<Value> {
          return {panelScores(fullPanels, tail, iter[0])};
        }).front();

  // Online softmax: new maxima, the rescaling factors, exp, the sums. The
  // tile's rows go through each step together: their chains (a running
  // max, a running sum, a reduction, exp of the shift) are independent, and
  // one row at a time would wait on each in turn.
  Value panels = arith::DivUIOp::create(
      b, arith::AddIOp::create(b, width, index(nr - 1)), index(nr));
  SmallVector<Value> rowMax =
      loop(index(0), panels, SmallVector<Value>(height, splat(minusInf)),
           [&](Value q, ValueRange it) -> SmallVector<Value> {
             Value col = arith::MulIOp::create(b, q, index(nr));
             SmallVector<Value> next;
             for (int64_t r = 0; r < height; ++r)
               next.push_back(arith::MaximumFOp::create(
                   b, it[r], read(scores, ValueRange{index(r), col})));
             return next;
           });
  SmallVector<Value> locals, newMax, shifts, alphas, oldSums;
  for (int64_t r = 0; r < height; ++r) {
    Value local = arith::AddIOp::create(b, tileRow, index(r));
    Value blockMax = vector::ReductionOp::create(
        b, vector::CombiningKind::MAXIMUMF, rowMax[r]);
    Value oldMax =
        tensor::ExtractOp::create(b, stats, ValueRange{index(0), local});
    Value m = arith::MaximumFOp::create(b, oldMax, blockMax);
    // While every score so far is -inf, subtract 0: exp(-inf) = 0 and the
    // row stays empty (0 / 0 = NaN at the end, as softmax's
    // exp(-inf - -inf)) instead of turning NaN before a finite score.
    Value shift = arith::SelectOp::create(
        b, arith::CmpFOp::create(b, arith::CmpFPredicate::OEQ, m, minusInf),
        f32(0.0), m);
    locals.push_back(local);
    newMax.push_back(m);
    shifts.push_back(splat(shift));
    alphas.push_back(
        act::math::expNonPositive(wrap(oldMax) - wrap(shift)).value());
    oldSums.push_back(
        tensor::ExtractOp::create(b, stats, ValueRange{index(1), local}));
  }
  SmallVector<Value> exps(height, splat(f32(0.0)));
  exps.push_back(scores);
  exps = loop(index(0), panels, exps,
              [&](Value q, ValueRange it) -> SmallVector<Value> {
                Value col = arith::MulIOp::create(b, q, index(nr));
                SmallVector<Value> next;
                Value buffer = it.back();
                for (int64_t r = 0; r < height; ++r) {
                  Value e = act::math::expNonPositive(
                                wrap(read(buffer, ValueRange{index(r), col})) -
                                wrap(shifts[r]))
                                .value();
                  next.push_back(arith::AddFOp::create(b, it[r], e));
                  buffer = write(e, buffer, ValueRange{index(r), col});
                }
                next.push_back(buffer);
                return next;
              });
  scores = exps.back();
  for (int64_t r = 0; r < height; ++r) {
    Value sum =
        vector::ReductionOp::create(b, vector::CombiningKind::ADD, exps[r]);
    Value newSum = arith::AddFOp::create(
        b, arith::MulFOp::create(b, oldSums[r], alphas[r]), sum);
    stats = tensor::InsertOp::create(b, newMax[r], stats,
                                     ValueRange{index(0), locals[r]});
    stats = tensor::InsertOp::create(b, newSum, stats,
                                     ValueRange{index(1), locals[r]});
    stats = tensor::InsertOp::create(b, alphas[r], stats,
                                     ValueRange{index(2), locals[r]});
  }

  // O = O alpha + P V for the block, NR columns of O at a time.
  auto chunk = [&](Value c0, bool inBounds, Value into) -> Value {
    SmallVector<Value> accs;
    for (int64_t r = 0; r < height; ++r) {
      Value local = arith::AddIOp::create(b, tileRow, index(r));
      Value alpha =
          tensor::ExtractOp::create(b, stats, ValueRange{index(2), local});
      accs.push_back(arith::MulFOp::create(b, read(into, ValueRange{local, c0}),
                                           splat(alpha)));
    }
    accs = loop(index(0), width, accs,
                [&](Value c, ValueRange acc) -> SmallVector<Value> {
                  DenseMap<unsigned, Value> ivs = ivsOf(o, batch);
                  ivs[o.k] = arith::AddIOp::create(b, key0, c);
                  ivs[o.n] = c0;
                  Value v = act::readRow(b, o.b.source, o.b.indicesFor(ivs), nr,
                                         inBounds, b.getF32Type());
                  SmallVector<Value> next;
                  for (int64_t r = 0; r < height; ++r) {
                    Value p = splat(tensor::ExtractOp::create(
                        b, scores, ValueRange{index(r), c}));
                    next.push_back(
                        fma ? Value(vector::FMAOp::create(b, p, v, acc[r]))
                            : Value(arith::AddFOp::create(
                                  b, arith::MulFOp::create(b, p, v), acc[r])));
                  }
                  return next;
                });
    for (int64_t r = 0; r < height; ++r)
      into = write(accs[r], into,
                   ValueRange{arith::AddIOp::create(b, tileRow, index(r)), c0});
    return into;
  };
  int64_t fullChunks = valueCols / nr;
  if (fullChunks)
    out = loop(index(0), index(fullChunks), out,
               [&](Value ch, ValueRange iter) -> SmallVector<Value> {
                 return {chunk(arith::MulIOp::create(b, ch, index(nr)), true,
                               iter[0])};
               })
              .front();
  if (valueCols % nr)
    out = chunk(index(fullChunks * nr), false, out);
  return {out, stats, scores};
}

/// Attention for rows [first, first + rowsPerBlock) of batch `flat`.
Value AttentionEmitter::attentionBlock(Value flat, Value first, Value dest) {
  int64_t nr = config.nr, block = config.rowsPerBlock,
          keys = config.keysPerBlock, rest = rows % config.mr;
  int64_t chunks = (valueCols + nr - 1) / nr;
  const act::ContractionInfo &o = *match.output;
  SmallVector<Value> batch = batchValues(flat);
  Value height, tiles, hasRest;
  std::tie(height, tiles, hasRest) = blockRows(first);
  Type f32Type = b.getF32Type();

  // The block's output accumulators, maxima, sums and rescaling factors, and
  // a tile's probabilities for one block of keys.
  Value out = bufferization::AllocTensorOp::create(
      b, RankedTensorType::get({block, chunks * nr}, f32Type), ValueRange{});
  Value stats = bufferization::AllocTensorOp::create(
      b, RankedTensorType::get({3, block}, f32Type), ValueRange{});
  Value scores = bufferization::AllocTensorOp::create(
      b, RankedTensorType::get({config.mr, keys}, f32Type), ValueRange{});
  Value minusInf = f32(-std::numeric_limits<double>::infinity());
  SmallVector<Value> init = loop(
      index(0), index(block), ValueRange{out, stats},
      [&](Value r, ValueRange iter) -> SmallVector<Value> {
        Value o = iter[0];
        for (int64_t ch = 0; ch < chunks; ++ch)
          o = write(splat(f32(0.0)), o, ValueRange{r, index(ch * nr)});
        Value st = tensor::InsertOp::create(b, minusInf, iter[1],
                                            ValueRange{index(0), r});
        st = tensor::InsertOp::create(b, f32(0.0), st, ValueRange{index(1), r});
        return {o, st};
      });

  int64_t keyBlocks = (cols + keys - 1) / keys;
  Value keyBlocksHere = index(keyBlocks);
  if (match.causal) {
    // Keys past the block's last row are masked for all its rows: their
    // blocks would leave m, l and O as they are (exp(-inf - m) = 0).
    Value end = arith::AddIOp::create(b, first, height);
    keyBlocksHere = arith::MinUIOp::create(
        b, keyBlocksHere,
        arith::DivUIOp::create(
            b, arith::AddIOp::create(b, end, index(keys - 1)), index(keys)));
  }
  SmallVector<Value> state =
      loop(index(0), keyBlocksHere, ValueRange{init[0], init[1], scores},
           [&](Value kb, ValueRange iter) -> SmallVector<Value> {
             Value isLast = arith::CmpIOp::create(b, arith::CmpIPredicate::eq,
                                                  kb, index(keyBlocks - 1));
             return rowTiles(tiles, hasRest, rest, iter,
                             [&](Value tileRow, int64_t h, ValueRange st) {
                               return attentionStep(flat, batch, first, tileRow,
                                                    h, kb, isLast, st);
                             });
           });

  // O / l (+ the output's initial value) into the result.
  Value outFill = splat(o.fillValue);
  return loop(index(0), height, dest,
              [&](Value r, ValueRange iter) -> SmallVector<Value> {
                Value sum = tensor::ExtractOp::create(b, state[1],
                                                      ValueRange{index(1), r});
                Value inverse = splat(arith::DivFOp::create(b, f32(1.0), sum));
                SmallVector<Value> indices(batch);
                indices.append({arith::AddIOp::create(b, first, r), Value()});
                Value result = iter[0];
                for (int64_t ch = 0; ch < chunks; ++ch) {
                  Value acc = read(state[0], ValueRange{r, index(ch * nr)});
                  Value y = arith::AddFOp::create(
                      b, arith::MulFOp::create(b, acc, inverse), outFill);
                  indices.back() = index(ch * nr);
                  result =
                      write(y, result, indices, (ch + 1) * nr <= valueCols);
                }
                return {result};
              })
      .front();
}

Value AttentionEmitter::emit() {
  packed = packKeys();
  int64_t batches = 1;
  for (int64_t size : batchSizes)
    batches *= size;
  int64_t blocks = (rows + config.rowsPerBlock - 1) / config.rowsPerBlock;
  Value resultValue =
      match.output ? match.output->op->getResult(0) : match.norm->getResult(0);
  auto type = cast<RankedTensorType>(resultValue.getType());
  Value dest =
      tensor::EmptyOp::create(b, type.getShape(), type.getElementType());
  return loop(
             index(0), index(batches * blocks), dest,
             [&](Value t, ValueRange iter) -> SmallVector<Value> {
               Value flat = arith::DivUIOp::create(b, t, index(blocks));
               Value first = arith::MulIOp::create(
                   b, arith::RemUIOp::create(b, t, index(blocks)),
                   index(config.rowsPerBlock));
               return {match.output ? attentionBlock(flat, first, iter[0])
                                    : scoresBlock(flat, first, iter[0])};
             },
             /*parallel=*/true)
      .front();
}

namespace {

struct ActLowerAttentionPass final
    : act::impl::ActLowerAttentionPassBase<ActLowerAttentionPass> {
  using Base::Base;

  void runOnOperation() override {
    SmallVector<Operation *> norms;
    getOperation().walk([&](Operation *op) {
      if (isa<act::SoftmaxOp, act::LogSoftmaxOp, act::SoftminOp>(op))
        norms.push_back(op);
    });
    IRRewriter rewriter(&getContext());
    for (Operation *norm : norms) {
      std::optional<AttentionMatch> match = matchAttention(norm);
      if (!match)
        continue;
      SmallVector<int64_t> ranges = match->scores.op.getStaticLoopRanges();
      int64_t valueCols =
          match->output
              ? match->output->op.getStaticLoopRanges()[match->output->n]
              : 0;
      act::AttentionConfig config = act::selectAttentionConfig(
          vectorBits, ranges[match->scores.m], ranges[match->scores.n],
          ranges[match->scores.k], valueCols);
      Operation *root =
          match->output ? match->output->op.getOperation() : match->norm;
      rewriter.setInsertionPoint(root);
      ImplicitLocOpBuilder b(root->getLoc(), rewriter);
      AttentionEmitter emitter(b, *match, config, fma, math);
      Value result = emitter.emit();
      // What the matched ops read (their fills, the empty tensors they
      // wrote into) goes with them once nothing else uses it.
      SmallVector<Operation *> replaced{match->scores.op};
      replaced.append(match->chain.begin(), match->chain.end());
      replaced.push_back(match->norm);
      if (match->output)
        replaced.push_back(match->output->op);
      SetVector<Operation *> inputs;
      for (Operation *op : replaced)
        for (Value operand : op->getOperands())
          if (Operation *def = operand.getDefiningOp())
            inputs.insert(def);
      rewriter.replaceOp(root, result);
      for (Operation *op : llvm::reverse(replaced))
        if (op != root)
          rewriter.eraseOp(op);
      for (size_t i = 0; i < inputs.size(); ++i) {
        Operation *op = inputs[i];
        if (!llvm::is_contained(replaced, op) && isOpTriviallyDead(op)) {
          for (Value operand : op->getOperands())
            if (Operation *def = operand.getDefiningOp())
              inputs.insert(def);
          rewriter.eraseOp(op);
          replaced.push_back(op);
        }
      }
    }
  }
};

} // namespace
