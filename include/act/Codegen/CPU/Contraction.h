//===- Contraction.h - What act's CPU kernels know of a contraction -*- C++
//-*-===//
//
// The analysis shared by the kernels built around a contraction (dense
// layers, attention): which loops are M, N, K and batch, how each operand is
// read, where the accumulators start; and the row epilogue, the elementwise
// body applied to a row of accumulators while they are in registers.
//
//===----------------------------------------------------------------------===//

#ifndef ACT_CODEGEN_CPU_CONTRACTION_H
#define ACT_CODEGEN_CPU_CONTRACTION_H

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/IR/ImplicitLocOpBuilder.h"
#include "llvm/ADT/DenseMap.h"

#include <optional>

namespace mlir {
namespace act {

/// One input of a contraction as a kernel reads it: `source` indexed by, for
/// each of its dimensions, the contraction loop that indexes it.
struct ContractionAccess {
  Value source;
  SmallVector<unsigned> loops;

  /// `source` with `perm` applied: the operand was
  /// `linalg.transpose ins(source) permutation = perm`.
  void lookThroughTranspose(ArrayRef<int64_t> perm);
  /// The dimension of `source` that `loop` indexes, if any.
  std::optional<unsigned> dimOf(unsigned loop) const;
  /// `source[...]` indices for the given loop values.
  SmallVector<Value> indicesFor(const DenseMap<unsigned, Value> &loops) const;
};

/// A contraction C[batch..., m, n] = sum_k A * B that act's kernels compile.
struct ContractionInfo {
  linalg::LinalgOp op;
  SmallVector<unsigned> batch;
  unsigned m, n, k;
  ContractionAccess a, b;
  /// The accumulators start at this scalar (the value of a fill), or, when
  /// null, at the elements of `init`.
  Value fillValue;
  Value init;
  /// Where the contraction's own result is written: the fill's destination,
  /// or `init`.
  Value dest;
  Type computeType;
};

/// The loop each result of `map` reads, if `map` is a projected permutation.
std::optional<SmallVector<unsigned>> getLoopsOf(AffineMap map);

/// Recognizes a contraction the kernels support: one M, N and K loop, batch
/// loops outside, C indexed (batch..., m, n) (or (batch..., n, m), with the
/// operands' roles swapped), operands read through projected permutations
/// (looking through a `linalg.transpose`), float elements, static K and N.
std::optional<ContractionInfo> analyzeContraction(linalg::LinalgOp op);

/// Whether `generic` is elementwise code that can be applied to a row of
/// `input`'s elements in registers: all-parallel, `input` and the outputs
/// read through identity maps, other operands read along the last dimension
/// or broadcast across it, and a body of lane-wise ops (and `linalg.index`).
bool isRowEpilogue(linalg::GenericOp generic, Value input);

/// Reads `width` elements of `source` along its last dimension from
/// `indices` (masked past the end unless `inBounds`), widened to `type`.
Value readRow(ImplicitLocOpBuilder &b, Value source, ValueRange indices,
              int64_t width, bool inBounds, Type type);

/// Emits `generic`'s body for the `width` lanes starting at
/// `loopValues.back()` along its last loop, `loopValues` giving every loop's
/// value; operands found in `inRegisters` are those vectors, the others are
/// read. Returns the yielded vectors.
SmallVector<Value> emitRowEpilogue(ImplicitLocOpBuilder &b,
                                   linalg::GenericOp generic,
                                   ArrayRef<Value> loopValues,
                                   const DenseMap<Value, Value> &inRegisters,
                                   int64_t width, bool inBounds);

} // namespace act
} // namespace mlir

#endif // ACT_CODEGEN_CPU_CONTRACTION_H
