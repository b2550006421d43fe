//===- LowerContractions.cpp - Matmul kernels with fused epilogues --------===//
//
// A contraction and the elementwise op consuming it become one loop nest:
//
//   for p in N panels (act.parallel):        B panel p packed: K x NR
//     for i in row blocks of MR:              (then the remaining rows)
//       acc[MR] = vectors of NR               (the fill value, or C)
//       for k: acc[r] += broadcast(A[i+r, k]) * Bpanel[k, :]
//       for r: out[i+r, j:j+NR] = epilogue(acc[r], bias[j:j+NR], ...)
//
// on tensors, with vector.transfer_read/write, so that bufferization and
// the rest of act-to-llvm lower it like any other vector code.
//
//===----------------------------------------------------------------------===//

#include "act/Codegen/CPU/Contraction.h"
#include "act/Codegen/CPU/KernelConfig.h"
#include "act/Codegen/CPU/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Arith/Utils/Utils.h"
#include "mlir/Dialect/Bufferization/IR/Bufferization.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Linalg/IR/LinalgInterfaces.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/IR/IRMapping.h"
#include "mlir/IR/ImplicitLocOpBuilder.h"
#include "mlir/IR/PatternMatch.h"

namespace mlir::act {
#define GEN_PASS_DEF_ACTLOWERCONTRACTIONSPASS
#include "act/Codegen/CPU/Passes.h.inc"
} // namespace mlir::act

using namespace mlir;

/// Constant weights larger than this (in elements) are packed at run time:
/// a compile-time copy would double a huge constant.
static constexpr int64_t kMaxConstantPackElements = int64_t(1) << 26;

/// Rows of B the streaming form reads at once: as many streams in flight,
/// and one load and store of the partial row per that many FMAs.
static constexpr int64_t kStreamRows = 4;

namespace {

/// A contraction and the elementwise op consuming it, fused into it.
struct Contraction : act::ContractionInfo {
  /// The elementwise consumer applied in registers, or null.
  linalg::GenericOp epilogue;
};

} // namespace

/// A contraction the kernels support and its fusable consumer, if any.
static std::optional<Contraction> matchContraction(linalg::LinalgOp op) {
  std::optional<act::ContractionInfo> info = act::analyzeContraction(op);
  if (!info)
    return std::nullopt;
  Contraction c;
  static_cast<act::ContractionInfo &>(c) = *info;
  // The consumer, when it is the only user.
  Value result = op->getResult(0);
  if (!result.use_empty()) {
    auto generic = dyn_cast<linalg::GenericOp>(*result.user_begin());
    bool onlyUser =
        generic && llvm::all_of(result.getUsers(), [&](Operation *u) {
          return u == generic.getOperation();
        });
    if (onlyUser && act::isRowEpilogue(generic, result))
      c.epilogue = generic;
  }
  return c;
}

namespace {

/// Emits the loop nest of one contraction.
class ContractionEmitter {
public:
  ContractionEmitter(ImplicitLocOpBuilder &b, Contraction &c,
                     const act::ContractionConfig &config, bool fma)
      : b(b), c(c), config(config), fma(fma),
        ranges(c.op.getStaticLoopRanges()) {}

  /// Emits the kernel; returns the values replacing the epilogue's results
  /// (or the contraction's).
  SmallVector<Value> emit();

private:
  Value index(int64_t v) { return arith::ConstantIndexOp::create(b, v); }
  /// `for iv = lb to ub step step` carrying `iter`, whose body `body` emits
  /// at `b`'s insertion point and returns the values to yield.
  scf::ForOp forLoop(Value lb, Value ub, Value step, ValueRange iter,
                     function_ref<SmallVector<Value>(Value, ValueRange)> body);
  VectorType rowType(Type element) {
    return VectorType::get({config.nr}, element);
  }

  /// Sizes of the loops that are not static (M, batch) from the operands.
  Value loopSize(unsigned loop);
  /// Reads NR elements along N (masked past N unless `full`), widened to
  /// the compute type.
  Value readRow(Value source, ValueRange indices, bool full, Type type) {
    return act::readRow(b, source, indices, config.nr, full, type);
  }
  void packConstantB();
  Value packPanel(Value j, int64_t width);
  Value packRowBlocks();
  SmallVector<Value> panel(Value p, int64_t width, ValueRange dests);
  SmallVector<Value> rows(Value first, Value last, int64_t height, Value p,
                          Value j, int64_t width, Value bPanel,
                          ValueRange dests);
  SmallVector<Value> microKernel(Value i, int64_t height, Value p, Value j,
                                 int64_t width, Value bPanel, ValueRange dests);
  /// The epilogue of `width` columns from `j` of row `row` (NR by default).
  SmallVector<Value> applyEpilogue(Value row, Value acc, Value j, bool full,
                                   int64_t width = 0);
  /// Stores `values` (the epilogue's results) at row `row`, columns from `j`.
  SmallVector<Value> store(ArrayRef<Value> values, Value row, Value j,
                           bool full, ValueRange dests);
  /// The dot-product form (`config.dotForm`).
  SmallVector<Value> dotProducts(ValueRange dests);
  /// The streaming form (`config.streamForm`).
  SmallVector<Value> streamRows(ValueRange dests);
  /// Columns [0, N) one vector of `lanes` at a time, the last one masked
  /// when N is not a multiple: `body(j, full, iter)` returns the new iter.
  SmallVector<Value>
  columnVectors(ValueRange iter,
                function_ref<SmallVector<Value>(Value, bool, ValueRange)> body);

  ImplicitLocOpBuilder &b;
  Contraction &c;
  act::ContractionConfig config;
  bool fma;
  SmallVector<int64_t> ranges;
  /// The batch loops' current values.
  DenseMap<unsigned, Value> batchIvs;
  /// B packed at compile time: [panels, K, NR].
  Value packedConstant;
  /// A's full row blocks packed: [M / MR, K, MR], or null.
  Value packedA;
};

} // namespace

scf::ForOp ContractionEmitter::forLoop(
    Value lb, Value ub, Value step, ValueRange iter,
    function_ref<SmallVector<Value>(Value, ValueRange)> body) {
  auto loop = scf::ForOp::create(b, lb, ub, step, iter);
  OpBuilder::InsertionGuard guard(b);
  Block *block = loop.getBody();
  if (!block->empty() && block->back().hasTrait<OpTrait::IsTerminator>())
    block->back().erase();
  b.setInsertionPointToEnd(block);
  SmallVector<Value> next =
      body(loop.getInductionVar(), loop.getRegionIterArgs());
  scf::YieldOp::create(b, next);
  return loop;
}

Value ContractionEmitter::loopSize(unsigned loop) {
  if (!ShapedType::isDynamic(ranges[loop]))
    return index(ranges[loop]);
  for (const act::ContractionAccess *access : {&c.a, &c.b})
    if (std::optional<unsigned> dim = access->dimOf(loop))
      return tensor::DimOp::create(b, access->source, *dim);
  // C is indexed (batch..., m, n).
  unsigned position = loop == c.m ? c.batch.size()
                                  : llvm::find(c.batch, loop) - c.batch.begin();
  return tensor::DimOp::create(b, c.init, position);
}

/// Copies B into [panels, K, NR] at compile time (zeros past N).
void ContractionEmitter::packConstantB() {
  if (!c.batch.empty())
    return;
  auto constant = c.b.source.getDefiningOp<arith::ConstantOp>();
  if (!constant)
    return;
  auto dense = dyn_cast<DenseElementsAttr>(constant.getValue());
  int64_t n = ranges[c.n], k = ranges[c.k];
  int64_t panels = (n + config.nr - 1) / config.nr;
  if (!dense || panels * k * config.nr > kMaxConstantPackElements)
    return;
  // Without batch loops B is [K, N] or (read through a transpose) [N, K].
  int64_t inner = cast<RankedTensorType>(dense.getType()).getDimSize(1);
  bool kOuter = *c.b.dimOf(c.k) == 0;
  int64_t kStride = kOuter ? inner : 1, nStride = kOuter ? 1 : inner;
  SmallVector<double> values;
  values.reserve(dense.getNumElements());
  for (APFloat v : dense.getValues<APFloat>())
    values.push_back(v.convertToDouble() /* exact for f16, bf16, f32 */);
  auto packedType =
      RankedTensorType::get({panels, k, config.nr}, c.computeType);
  DenseElementsAttr packed;
  auto fillPacked = [&](auto zero) {
    using T = decltype(zero);
    std::vector<T> out(panels * k * config.nr, zero);
    for (int64_t p = 0; p < panels; ++p)
      for (int64_t kk = 0; kk < k; ++kk)
        for (int64_t col = 0; col < config.nr; ++col) {
          int64_t nn = p * config.nr + col;
          if (nn < n)
            out[(p * k + kk) * config.nr + col] =
                static_cast<T>(values[kk * kStride + nn * nStride]);
        }
    packed = DenseElementsAttr::get(packedType, ArrayRef<T>(out));
  };
  if (c.computeType.isF64())
    fillPacked(0.0);
  else
    fillPacked(0.0f);
  packedConstant = arith::ConstantOp::create(b, packed);
}

/// Packs columns [j, j + width) of B into a [K, NR] tensor, zeros past N.
Value ContractionEmitter::packPanel(Value j, int64_t width) {
  Type element = c.computeType;
  // An allocation, not a tensor.empty: loop-invariant code motion would
  // hoist the latter out of the panel loop, and threads would share it.
  Value buffer = bufferization::AllocTensorOp::create(
      b, RankedTensorType::get({ranges[c.k], config.nr}, element),
      ValueRange{});
  bool contiguous = c.b.loops.back() == c.n;
  Value zero = index(0);
  scf::ForOp loop = forLoop(
      zero, index(ranges[c.k]), index(1), ValueRange{buffer},
      [&](Value k, ValueRange iter) -> SmallVector<Value> {
        DenseMap<unsigned, Value> ivs(batchIvs);
        ivs[c.k] = k;
        Value row;
        if (contiguous) {
          ivs[c.n] = j;
          row = readRow(c.b.source, c.b.indicesFor(ivs), width == config.nr,
                        element);
        } else {
          // Strided along N (a transposed B): one element at a time.
          row = arith::ConstantOp::create(
              b,
              DenseElementsAttr::get(rowType(element), b.getZeroAttr(element)));
          for (int64_t col = 0; col < width; ++col) {
            ivs[c.n] = arith::AddIOp::create(b, j, index(col));
            Value v =
                tensor::ExtractOp::create(b, c.b.source, c.b.indicesFor(ivs));
            if (v.getType() != element)
              v = arith::ExtFOp::create(b, element, v);
            row = vector::InsertOp::create(b, v, row, col);
          }
        }
        return {vector::TransferWriteOp::create(
                    b, row, iter[0], ValueRange{k, zero}, ArrayRef<bool>{true})
                    .getResult()};
      });
  return loop.getResult(0);
}

SmallVector<Value> ContractionEmitter::applyEpilogue(Value row, Value acc,
                                                     Value j, bool full,
                                                     int64_t width) {
  if (!width)
    width = config.nr;
  Type accElement = getElementTypeOrSelf(c.init.getType());
  Value contractionValue = acc;
  if (accElement != c.computeType)
    contractionValue =
        arith::TruncFOp::create(b, VectorType::get({width}, accElement), acc);
  if (!c.epilogue)
    return {contractionValue};
  // Loop l of the epilogue is dimension l of C: batch..., m, n.
  SmallVector<Value> loopValues;
  for (unsigned loop : c.batch)
    loopValues.push_back(batchIvs.lookup(loop));
  loopValues.append({row, j});
  DenseMap<Value, Value> inRegisters;
  inRegisters[c.op->getResult(0)] = contractionValue;
  return act::emitRowEpilogue(b, c.epilogue, loopValues, inRegisters, width,
                              full);
}

SmallVector<Value> ContractionEmitter::store(ArrayRef<Value> values, Value row,
                                             Value j, bool full,
                                             ValueRange dests) {
  SmallVector<Value> results(dests);
  SmallVector<Value> indices;
  for (unsigned loop : c.batch)
    indices.push_back(batchIvs.lookup(loop));
  indices.append({row, j});
  for (auto [o, result] : llvm::enumerate(values)) {
    Value value = result;
    Type element = getElementTypeOrSelf(results[o].getType());
    if (getElementTypeOrSelf(value.getType()) != element)
      value = arith::TruncFOp::create(
          b, cast<VectorType>(value.getType()).clone(element), value);
    auto rank = cast<ShapedType>(results[o].getType()).getRank();
    results[o] = vector::TransferWriteOp::create(
                     b, value, results[o], indices,
                     AffineMap::getMinorIdentityMap(rank, 1, b.getContext()),
                     ArrayRef<bool>{full})
                     .getResult();
  }
  return results;
}

/// C = A B with B read along K ([N, K], a transposed weight): for each
/// block of `dotColumns` columns, the M x dotColumns dot products are
/// vector accumulators along K, summed across their lanes at the end into
/// one vector per row, to which the epilogue applies.
SmallVector<Value> ContractionEmitter::dotProducts(ValueRange dests) {
  int64_t m = ranges[c.m], n = ranges[c.n], k = ranges[c.k];
  int64_t lanes = config.lanes, columns = config.dotColumns;
  VectorType kType = VectorType::get({lanes}, c.computeType);
  auto block = [&](Value j, int64_t width,
                   ValueRange iter) -> SmallVector<Value> {
    Value zero = arith::ConstantOp::create(
        b, DenseElementsAttr::get(kType, b.getZeroAttr(c.computeType)));
    auto step = [&](Value kk, bool inBounds,
                    ValueRange accs) -> SmallVector<Value> {
      DenseMap<unsigned, Value> ivs(batchIvs);
      ivs[c.k] = kk;
      SmallVector<Value> as, ws;
      for (int64_t r = 0; r < m; ++r) {
        ivs[c.m] = index(r);
        as.push_back(act::readRow(b, c.a.source, c.a.indicesFor(ivs), lanes,
                                  inBounds, c.computeType));
      }
      for (int64_t col = 0; col < width; ++col) {
        ivs[c.n] = arith::AddIOp::create(b, j, index(col));
        ws.push_back(act::readRow(b, c.b.source, c.b.indicesFor(ivs), lanes,
                                  inBounds, c.computeType));
      }
      SmallVector<Value> next;
      for (int64_t r = 0; r < m; ++r)
        for (int64_t col = 0; col < width; ++col) {
          Value acc = accs[r * width + col];
          next.push_back(
              fma ? Value(vector::FMAOp::create(b, as[r], ws[col], acc))
                  : Value(arith::AddFOp::create(
                        b, arith::MulFOp::create(b, as[r], ws[col]), acc)));
        }
      return next;
    };
    int64_t fullK = k / lanes * lanes;
    SmallVector<Value> accs(m * width, zero);
    if (fullK)
      accs = forLoop(index(0), index(fullK), index(lanes), accs,
                     [&](Value kk, ValueRange inner) {
                       return step(kk, true, inner);
                     })
                 ->getResults();
    if (fullK < k)
      accs = step(index(fullK), false, accs);
    SmallVector<Value> results(iter);
    VectorType rowVector = VectorType::get({width}, c.computeType);
    for (int64_t r = 0; r < m; ++r) {
      SmallVector<Value> sums;
      for (int64_t col = 0; col < width; ++col)
        sums.push_back(vector::ReductionOp::create(
            b, vector::CombiningKind::ADD, accs[r * width + col]));
      Value row = vector::FromElementsOp::create(b, rowVector, sums);
      Value start;
      if (c.fillValue) {
        Value v = c.fillValue;
        if (v.getType() != c.computeType)
          v = arith::ExtFOp::create(b, c.computeType, v);
        start = vector::BroadcastOp::create(b, rowVector, v);
      } else {
        SmallVector<Value> indices;
        for (unsigned loop : c.batch)
          indices.push_back(batchIvs.lookup(loop));
        indices.append({index(r), j});
        start = act::readRow(b, c.init, indices, width, true, c.computeType);
      }
      row = arith::AddFOp::create(b, start, row);
      results = store(applyEpilogue(index(r), row, j, true, width), index(r), j,
                      true, results);
    }
    return results;
  };
  SmallVector<Value> results(dests);
  int64_t fullBlocks = n / columns, tail = n % columns;
  if (fullBlocks) {
    scf::ForOp blocks =
        forLoop(index(0), index(fullBlocks), index(1), results,
                [&](Value t, ValueRange inner) {
                  return block(arith::MulIOp::create(b, t, index(columns)),
                               columns, inner);
                });
    blocks->setAttr(act::kParallelLoopAttr, b.getUnitAttr());
    results = blocks.getResults();
  }
  if (tail)
    results = block(index(fullBlocks * columns), tail, results);
  return results;
}

SmallVector<Value> ContractionEmitter::columnVectors(
    ValueRange iter,
    function_ref<SmallVector<Value>(Value, bool, ValueRange)> body) {
  int64_t n = ranges[c.n], lanes = config.lanes;
  int64_t full = n / lanes * lanes;
  SmallVector<Value> results(iter);
  if (full)
    results =
        forLoop(index(0), index(full), index(lanes), results,
                [&](Value j, ValueRange inner) { return body(j, true, inner); })
            ->getResults();
  if (full < n)
    results = body(index(full), false, results);
  return results;
}

/// partial[chunk, r, :] = sum over the chunk's k of A[r, k] * B[k, :], each
/// row of B read once, whole and in order, then C = init + sum over chunks
/// of the partials, in chunk order, with the epilogue applied.
SmallVector<Value> ContractionEmitter::streamRows(ValueRange dests) {
  int64_t m = ranges[c.m], k = ranges[c.k];
  int64_t perChunk = (k + config.kChunks - 1) / config.kChunks;
  int64_t chunks = (k + perChunk - 1) / perChunk;
  int64_t lanes = config.lanes;
  VectorType vectorType = VectorType::get({lanes}, c.computeType);
  Value zeros = arith::ConstantOp::create(
      b, DenseElementsAttr::get(vectorType, b.getZeroAttr(c.computeType)));
  Value partials = bufferization::AllocTensorOp::create(
      b, RankedTensorType::get({chunks, m, ranges[c.n]}, c.computeType),
      ValueRange{});
  auto write = [&](Value v, Value dest, ValueRange indices, bool full) {
    return vector::TransferWriteOp::create(
               b, v, dest, indices,
               AffineMap::getMinorIdentityMap(3, 1, b.getContext()),
               ArrayRef<bool>{full})
        .getResult();
  };
  scf::ForOp chunkLoop = forLoop(
      index(0), index(chunks), index(1), ValueRange{partials},
      [&](Value chunk, ValueRange iter) -> SmallVector<Value> {
        SmallVector<Value> p(iter);
        for (int64_t r = 0; r < m; ++r)
          p = columnVectors(p, [&](Value j, bool full, ValueRange inner) {
            return SmallVector<Value>{
                write(zeros, inner[0], {chunk, index(r), j}, full)};
          });
        Value first = arith::MulIOp::create(b, chunk, index(perChunk));
        Value last = arith::MinSIOp::create(
            b, arith::AddIOp::create(b, first, index(perChunk)), index(k));
        // `rows` rows of B from kk: one FMA chain per row of C.
        auto step = [&](Value kk, int64_t rows,
                        ValueRange inner) -> SmallVector<Value> {
          DenseMap<unsigned, Value> ivs(batchIvs);
          SmallVector<Value> splats; // [q * m + r]
          for (int64_t q = 0; q < rows; ++q) {
            ivs[c.k] = arith::AddIOp::create(b, kk, index(q));
            for (int64_t r = 0; r < m; ++r) {
              ivs[c.m] = index(r);
              Value a =
                  tensor::ExtractOp::create(b, c.a.source, c.a.indicesFor(ivs));
              if (a.getType() != c.computeType)
                a = arith::ExtFOp::create(b, c.computeType, a);
              splats.push_back(vector::BroadcastOp::create(b, vectorType, a));
            }
          }
          return columnVectors(
              inner,
              [&](Value j, bool full, ValueRange cols) -> SmallVector<Value> {
                SmallVector<Value> bRows;
                for (int64_t q = 0; q < rows; ++q) {
                  ivs[c.k] = arith::AddIOp::create(b, kk, index(q));
                  ivs[c.n] = j;
                  bRows.push_back(act::readRow(b, c.b.source,
                                               c.b.indicesFor(ivs), lanes, full,
                                               c.computeType));
                }
                Value dest = cols[0];
                for (int64_t r = 0; r < m; ++r) {
                  SmallVector<Value> at{chunk, index(r), j};
                  Value acc =
                      act::readRow(b, dest, at, lanes, full, c.computeType);
                  for (int64_t q = 0; q < rows; ++q) {
                    Value a = splats[q * m + r];
                    acc =
                        fma ? Value(vector::FMAOp::create(b, a, bRows[q], acc))
                            : Value(arith::AddFOp::create(
                                  b, arith::MulFOp::create(b, a, bRows[q]),
                                  acc));
                  }
                  dest = write(acc, dest, at, full);
                }
                return {dest};
              });
        };
        // Groups of kStreamRows rows of B (several streams in flight), then
        // the chunk's remaining rows one at a time.
        Value count = arith::SubIOp::create(b, last, first);
        Value grouped = arith::AddIOp::create(
            b, first,
            arith::MulIOp::create(
                b, arith::DivUIOp::create(b, count, index(kStreamRows)),
                index(kStreamRows)));
        p = forLoop(first, grouped, index(kStreamRows), p,
                    [&](Value kk, ValueRange inner) {
                      return step(kk, kStreamRows, inner);
                    })
                ->getResults();
        return forLoop(grouped, last, index(1), p,
                       [&](Value kk, ValueRange inner) {
                         return step(kk, 1, inner);
                       })
            ->getResults();
      });
  chunkLoop->setAttr(act::kParallelLoopAttr, b.getUnitAttr());
  partials = chunkLoop.getResult(0);

  SmallVector<Value> results(dests);
  for (int64_t r = 0; r < m; ++r)
    results = columnVectors(
        results,
        [&](Value j, bool full, ValueRange iter) -> SmallVector<Value> {
          Value sum;
          if (c.fillValue) {
            Value v = c.fillValue;
            if (v.getType() != c.computeType)
              v = arith::ExtFOp::create(b, c.computeType, v);
            sum = vector::BroadcastOp::create(b, vectorType, v);
          } else {
            SmallVector<Value> indices;
            for (unsigned loop : c.batch)
              indices.push_back(batchIvs.lookup(loop));
            indices.append({index(r), j});
            sum = act::readRow(b, c.init, indices, lanes, full, c.computeType);
          }
          for (int64_t chunk = 0; chunk < chunks; ++chunk)
            sum = arith::AddFOp::create(
                b, sum,
                act::readRow(b, partials, {index(chunk), index(r), j}, lanes,
                             full, c.computeType));
          return store(applyEpilogue(index(r), sum, j, full, lanes), index(r),
                       j, full, iter);
        });
  return results;
}

SmallVector<Value> ContractionEmitter::microKernel(Value i, int64_t height,
                                                   Value p, Value j,
                                                   int64_t width, Value bPanel,
                                                   ValueRange dests) {
  bool full = width == config.nr;
  VectorType accType = rowType(c.computeType);
  SmallVector<Value> inits;
  for (int64_t r = 0; r < height; ++r) {
    if (c.fillValue) {
      Value v = c.fillValue;
      if (v.getType() != c.computeType)
        v = arith::ExtFOp::create(b, c.computeType, v);
      inits.push_back(vector::BroadcastOp::create(b, accType, v));
      continue;
    }
    SmallVector<Value> indices;
    for (unsigned loop : c.batch)
      indices.push_back(batchIvs.lookup(loop));
    indices.append({arith::AddIOp::create(b, i, index(r)), j});
    inits.push_back(readRow(c.init, indices, full, c.computeType));
  }

  Value zero = arith::ConstantOp::create(b, b.getZeroAttr(c.computeType));
  scf::ForOp kLoop = forLoop(
      index(0), index(ranges[c.k]), index(1), inits,
      [&](Value k, ValueRange accs) -> SmallVector<Value> {
        DenseMap<unsigned, Value> ivs(batchIvs);
        ivs[c.k] = k;
        Value bRow;
        if (packedConstant) {
          bRow = vector::TransferReadOp::create(b, accType, packedConstant,
                                                ValueRange{p, k, index(0)},
                                                zero, ArrayRef<bool>{true});
        } else if (bPanel) {
          bRow = vector::TransferReadOp::create(b, accType, bPanel,
                                                ValueRange{k, index(0)}, zero,
                                                ArrayRef<bool>{true});
        } else {
          ivs[c.n] = j;
          bRow = readRow(c.b.source, c.b.indicesFor(ivs), full, c.computeType);
        }
        SmallVector<Value> next;
        // A full row block reads its packed copy: one stream in order.
        Value block;
        if (packedA && height == config.mr)
          block = arith::DivUIOp::create(b, i, index(config.mr));
        for (int64_t r = 0; r < height; ++r) {
          ivs[c.m] = arith::AddIOp::create(b, i, index(r));
          Value a = block ? tensor::ExtractOp::create(
                                b, packedA, ValueRange{block, k, index(r)})
                          : tensor::ExtractOp::create(b, c.a.source,
                                                      c.a.indicesFor(ivs));
          if (a.getType() != c.computeType)
            a = arith::ExtFOp::create(b, c.computeType, a);
          Value splat = vector::BroadcastOp::create(b, accType, a);
          if (fma)
            next.push_back(vector::FMAOp::create(b, splat, bRow, accs[r]));
          else
            next.push_back(arith::AddFOp::create(
                b, arith::MulFOp::create(b, splat, bRow), accs[r]));
        }
        return next;
      });

  SmallVector<Value> results(dests);
  for (int64_t r = 0; r < height; ++r) {
    Value row = arith::AddIOp::create(b, i, index(r));
    results = store(applyEpilogue(row, kLoop.getResult(r), j, full), row, j,
                    full, results);
  }
  return results;
}

/// Rows [first, last) in blocks of `height` rows.
SmallVector<Value> ContractionEmitter::rows(Value first, Value last,
                                            int64_t height, Value p, Value j,
                                            int64_t width, Value bPanel,
                                            ValueRange dests) {
  return forLoop(first, last, index(height), dests,
                 [&](Value i, ValueRange iter) {
                   return microKernel(i, height, p, j, width, bPanel, iter);
                 })
      ->getResults();
}

/// Copies A's full blocks of MR rows into [M / MR, K, MR], so that the
/// micro-kernel reads MR consecutive elements per k instead of one from each
/// of MR rows K apart (as many streams as rows, which the hardware
/// prefetchers do not all follow). Done once, before the panels that all
/// reuse it.
Value ContractionEmitter::packRowBlocks() {
  int64_t mr = config.mr, k = ranges[c.k];
  Value m = loopSize(c.m);
  Value blocks = arith::DivUIOp::create(b, m, index(mr));
  SmallVector<Value> dynamicSizes;
  if (ShapedType::isDynamic(ranges[c.m]))
    dynamicSizes.push_back(blocks);
  auto type = RankedTensorType::get({ShapedType::isDynamic(ranges[c.m])
                                         ? ShapedType::kDynamic
                                         : ranges[c.m] / mr,
                                     k, mr},
                                    c.computeType);
  Value buffer = bufferization::AllocTensorOp::create(b, type, dynamicSizes);
  Value zero = index(0);
  VectorType blockType = VectorType::get({mr}, c.computeType);
  scf::ForOp loop = forLoop(
      zero, blocks, index(1), ValueRange{buffer},
      [&](Value blk, ValueRange iter) -> SmallVector<Value> {
        Value first = arith::MulIOp::create(b, blk, index(mr));
        return {forLoop(zero, index(k), index(1), iter,
                        [&](Value kk, ValueRange inner) -> SmallVector<Value> {
                          DenseMap<unsigned, Value> ivs(batchIvs);
                          ivs[c.k] = kk;
                          Value v = arith::ConstantOp::create(
                              b, DenseElementsAttr::get(
                                     blockType, b.getZeroAttr(c.computeType)));
                          for (int64_t r = 0; r < mr; ++r) {
                            ivs[c.m] =
                                arith::AddIOp::create(b, first, index(r));
                            Value a = tensor::ExtractOp::create(
                                b, c.a.source, c.a.indicesFor(ivs));
                            if (a.getType() != c.computeType)
                              a = arith::ExtFOp::create(b, c.computeType, a);
                            v = vector::InsertOp::create(b, a, v, r);
                          }
                          return {vector::TransferWriteOp::create(
                                      b, v, inner[0], ValueRange{blk, kk, zero},
                                      ArrayRef<bool>{true})
                                      .getResult()};
                        })
                    ->getResult(0)};
      });
  loop->setAttr(act::kParallelLoopAttr, b.getUnitAttr());
  return loop->getResult(0);
}

/// One panel of NR columns (`width` of them real) for every row.
SmallVector<Value> ContractionEmitter::panel(Value p, int64_t width,
                                             ValueRange dests) {
  Value j = arith::MulIOp::create(b, p, index(config.nr));
  Value bPanel;
  if (!packedConstant && config.packB)
    bPanel = packPanel(j, width);
  int64_t mr = config.mr;
  Value m = loopSize(c.m);
  SmallVector<Value> results(dests);
  if (!ShapedType::isDynamic(ranges[c.m])) {
    int64_t full = ranges[c.m] / mr * mr, rest = ranges[c.m] - full;
    if (full)
      results = rows(index(0), index(full), mr, p, j, width, bPanel, results);
    if (rest)
      results = microKernel(index(full), rest, p, j, width, bPanel, results);
    return results;
  }
  Value full = arith::MulIOp::create(b, arith::DivUIOp::create(b, m, index(mr)),
                                     index(mr));
  results = rows(index(0), full, mr, p, j, width, bPanel, results);
  return rows(full, m, 1, p, j, width, bPanel, results);
}

SmallVector<Value> ContractionEmitter::emit() {
  packConstantB();
  // The tensors written: the epilogue's outputs, with the contraction's own
  // result (an epilogue may update it in place) replaced by its destination.
  SmallVector<Value> dests;
  if (c.epilogue) {
    for (Value init : c.epilogue.getDpsInits())
      dests.push_back(init == c.op->getResult(0) ? c.dest : init);
  } else {
    dests.push_back(c.dest);
  }
  // A tensor.empty destination gets a copy of its own: shared with other
  // ops (the bias broadcast's init), eliminate-empty-tensors could not
  // replace it with the function's output buffer, and the result would be
  // computed into a temporary and copied.
  for (Value &dest : dests)
    if (auto empty = dest.getDefiningOp<tensor::EmptyOp>())
      dest =
          tensor::EmptyOp::create(b, empty.getType(), empty.getDynamicSizes());

  int64_t n = ranges[c.n];
  int64_t fullPanels = n / config.nr, tail = n - fullPanels * config.nr;
  std::function<SmallVector<Value>(unsigned, ValueRange)> batchLoops =
      [&](unsigned depth, ValueRange iter) -> SmallVector<Value> {
    if (depth < c.batch.size()) {
      unsigned loop = c.batch[depth];
      return forLoop(index(0), loopSize(loop), index(1), iter,
                     [&](Value iv, ValueRange inner) {
                       batchIvs[loop] = iv;
                       return batchLoops(depth + 1, inner);
                     })
          ->getResults();
    }
    if (config.dotForm)
      return dotProducts(iter);
    if (config.streamForm)
      return streamRows(iter);
    SmallVector<Value> results(iter);
    if (config.packA)
      packedA = packRowBlocks();
    if (fullPanels) {
      scf::ForOp panels = forLoop(index(0), index(fullPanels), index(1),
                                  results, [&](Value p, ValueRange inner) {
                                    return panel(p, config.nr, inner);
                                  });
      panels->setAttr(act::kParallelLoopAttr, b.getUnitAttr());
      results = panels.getResults();
    }
    if (tail)
      results = panel(index(fullPanels), tail, results);
    return results;
  };
  return batchLoops(0, dests);
}

namespace {

struct ActLowerContractionsPass final
    : act::impl::ActLowerContractionsPassBase<ActLowerContractionsPass> {
  using Base::Base;

  void runOnOperation() override {
    SmallVector<linalg::LinalgOp> candidates;
    getOperation().walk([&](linalg::LinalgOp op) {
      if (matchContraction(op))
        candidates.push_back(op);
    });
    IRRewriter rewriter(&getContext());
    for (linalg::LinalgOp op : candidates) {
      // Matched again now: lowering an earlier contraction replaced values
      // this one reads (a previous layer's output). An epilogue reading two
      // contractions (SwiGLU's silu(a) * g) is fused into the first; by the
      // time the second is matched, its user is that kernel.
      std::optional<Contraction> match = matchContraction(op);
      if (!match)
        continue;
      Contraction &c = *match;
      Operation *root = c.epilogue ? c.epilogue.getOperation() : c.op;
      rewriter.setInsertionPoint(root);
      ImplicitLocOpBuilder b(root->getLoc(), rewriter);
      SmallVector<int64_t> ranges = c.op.getStaticLoopRanges();
      bool bContiguous = c.b.loops.back() == c.n;
      // Dot products read both operands along K.
      bool alongK = c.b.loops.back() == c.k && c.a.loops.back() == c.k;
      bool bConstant =
          c.b.source.getDefiningOp<arith::ConstantOp>() && c.batch.empty();
      act::ContractionConfig config = act::selectContractionConfig(
          vectorBits, c.computeType.getIntOrFloatBitWidth(), ranges[c.m],
          ranges[c.n], ranges[c.k], bContiguous, alongK, bConstant);
      ContractionEmitter emitter(b, c, config, fma);
      rewriter.replaceOp(root, emitter.emit());
      if (c.epilogue)
        rewriter.eraseOp(c.op);
    }
  }
};

} // namespace
