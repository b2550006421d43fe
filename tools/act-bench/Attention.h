//===- Attention.h - The attention workloads of act-bench -------*- C++ -*-===//
//
// act-bench --suite=attention: attention scores P = softmax(Q K^T * scale)
// and full attention O = P V, one head (2-D [L, d]) or a batch of heads
// (3-D [H, L, d]), what every implementation computes, from the same
// deterministic inputs, as act's MLIR (plain linalg + act.softmax) and as
// plain linalg (linalg.softmax, for IREE), with a double-precision reference
// to check any output against.
//
//===----------------------------------------------------------------------===//

#ifndef ACT_BENCH_ATTENTION_H
#define ACT_BENCH_ATTENTION_H

#include "Dense.h"

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace act {
namespace bench {

/// One attention workload, f32, row-major: Q: [H,] L x d, K and V: [H,] S x
/// d, the scale 1/sqrt(d) (0.125 at d = 64, PyTorch's SDPA default);
///  - scores: P = softmax(Q K^T * scale) along S, written out ([H,] L x S);
///  - attention: O = P V ([H,] L x d).
struct AttentionWorkload {
  /// Unique, what --filter matches: "scores/512x512x64" (L x S x d, 2-D),
  /// "attention/8x512x512x64" (H x L x S x d, 3-D).
  std::string name;
  /// O = P V too (attention), or P alone (scores).
  bool full = false;
  /// 0: one head as 2-D tensors; otherwise the batch of heads, 3-D.
  int64_t heads = 0;
  int64_t l = 0, s = 0, d = 0;

  bool batched() const { return heads > 0; }
  int64_t batch() const { return heads > 0 ? heads : 1; }
  const char *kind() const { return full ? "attention" : "scores"; }
  /// The matmuls' FLOPs only: 2 L S d per head for Q K^T, as much again for
  /// P V (softmax, scale and transpose are not counted).
  double flops() const;
  double scale() const;
  /// [H,] L x d, [H,] S x d.
  std::vector<int64_t> qShape() const;
  std::vector<int64_t> kvShape() const;
  /// [H,] L x S.
  std::vector<int64_t> scoresShape() const;
  /// The output: scoresShape() or qShape().
  std::vector<int64_t> outShape() const;
  int64_t outElements() const;
  /// Elements of one row of the output: S or d.
  int64_t outCols() const { return full ? d : s; }
  /// "512x512x64", "8x512x512x64".
  std::string shapeString() const;
};

/// One shape of --attention-shapes: LxSxd (2-D, heads = 0) or HxLxSxd (3-D).
struct AttentionShape {
  int64_t heads = 0, l = 0, s = 0, d = 0;
};

/// "LxSxd,HxLxSxd,..." to shapes (an empty list is allowed).
llvm::Expected<std::vector<AttentionShape>>
parseAttentionShapes(llvm::StringRef list);

/// Scores on every shape, then attention on every shape.
std::vector<AttentionWorkload>
attentionWorkloads(llvm::ArrayRef<AttentionShape> shapes);

/// The workload a name denotes ("attention/8x16x16x8"), if it is one.
std::optional<AttentionWorkload> parseAttentionWorkload(llvm::StringRef name);

/// The inputs in argument order: q, k (scores); q, k, v (attention). Q and
/// K uniform in [-2, 2), so that the scaled scores have a standard deviation
/// of 4/3 whatever d (softmax neither uniform nor one-hot); V in [-1, 1).
std::vector<DenseInput> attentionInputs(const AttentionWorkload &w);

/// Fills `data` with input `index` of `w`: the same numbers in every process
/// and for scores and attention of the same shape.
void fillAttentionInput(const AttentionWorkload &w, size_t index, float *data);

/// act's kernel: func @k(inputs as tensors, %out: memref) as the user writes
/// it (linalg.matmul / linalg.transpose + linalg.batch_matmul, arith.mulf by
/// a dense constant, act.softmax, linalg.matmul / batch_matmul), writing the
/// result into %out.
std::string attentionActModuleText(const AttentionWorkload &w);

/// The same as plain linalg on tensors returning the result, with
/// linalg.softmax for act.softmax, for compilers without act's dialect
/// (IREE).
std::string attentionLinalgModuleText(const AttentionWorkload &w);

/// The (head, row) pairs the double reference checks: heads first, middle,
/// last; rows first, middle, last.
std::vector<std::pair<int64_t, int64_t>>
attentionCheckedRows(const AttentionWorkload &w);

/// max |y - ref| / max |ref| over the checked rows of `out`, against the
/// workload in double precision. `inputs` in attentionInputs order.
double attentionReferenceError(const AttentionWorkload &w,
                               llvm::ArrayRef<const float *> inputs,
                               const float *out);

/// An error above this is a wrong result, not rounding: f32 dot products of
/// d terms, exp, and sums of S terms are within ~1e-6 of max |ref|.
constexpr double kAttentionTolerance = 1e-4;

} // namespace bench
} // namespace act

#endif // ACT_BENCH_ATTENTION_H
