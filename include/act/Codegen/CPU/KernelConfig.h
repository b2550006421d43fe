//===- KernelConfig.h - Tile sizes of act's CPU kernels ---------*- C++ -*-===//
//
// One place decides how each kernel is blocked; the passes that emit the
// kernels only read the configuration (IREE's LLVMCPU KernelDispatch plays
// the same role).
//
//===----------------------------------------------------------------------===//

#ifndef ACT_CODEGEN_CPU_KERNELCONFIG_H
#define ACT_CODEGEN_CPU_KERNELCONFIG_H

#include <cstdint>

namespace mlir {
namespace act {

/// How a contraction C[M, N] = A[M, K] * B[K, N] is blocked.
struct ContractionConfig {
  /// Rows of C per micro-kernel (broadcasts of A per k).
  int64_t mr = 1;
  /// Columns of C per micro-kernel, a multiple of `lanes`.
  int64_t nr = 1;
  /// Elements per vector register of the compute type.
  int64_t lanes = 1;
  /// Whether each K x NR panel of B is copied into a contiguous buffer
  /// before the row blocks use it (always when B is not contiguous along N).
  bool packB = false;
  /// Whether A's full row blocks are copied, interleaved by row, once before
  /// the panels (which all reuse them).
  bool packA = false;
  /// Dot-product form, for a few rows against a B read along K (a
  /// transposed weight, [N, K], given at run time): each of `dotColumns`
  /// columns of C per block is a dot product vectorized along K, reduced at
  /// the end; B is read once, in place, with no packing.
  bool dotForm = false;
  int64_t dotColumns = 1;
  /// Streaming form, for a few rows against a large B read along N as given
  /// (a weight [K, N] at run time): K is cut into `kChunks` chunks (run in
  /// parallel), each of which reads its rows of B once, in order, into
  /// partial rows of C; the partials are summed in chunk order. The chunks do
  /// not depend on the thread count, so neither do the results.
  bool streamForm = false;
  int64_t kChunks = 1;
};

/// The configuration for a contraction of the given sizes (`m` < 0:
/// dynamic), computed in elements of `computeBits` bits, on a target with
/// `vectorBits`-bit registers. `bContiguousAlongN` / `bContiguousAlongK`:
/// B's innermost dimension is N / K; `bConstant`: B is a constant (packed at
/// compile time).
ContractionConfig
selectContractionConfig(unsigned vectorBits, unsigned computeBits, int64_t m,
                        int64_t n, int64_t k, bool bContiguousAlongN,
                        bool bContiguousAlongK = false, bool bConstant = false);

/// How a contraction feeding a row softmax is blocked: the scores of a
/// block of rows against all columns (act-lower-attention), and for
/// attention, softmax(Q K^T) V with blocks of keys streaming through cache.
struct AttentionConfig {
  /// The score and output tiles: MR rows by NR columns (as a contraction's).
  int64_t mr = 1, nr = 1, lanes = 1;
  /// Rows of a block (a multiple of MR): its keys, values and scores are
  /// reused by all its row tiles while in cache; blocks run in parallel.
  int64_t rowsPerBlock = 1;
  /// Keys per block of full attention (a multiple of NR).
  int64_t keysPerBlock = 1;
};

/// The configuration for scores of `m` rows by `n` columns over `k` terms
/// (the head dimension), and `dv` columns of output for full attention (0
/// for a scores-only kernel).
AttentionConfig selectAttentionConfig(unsigned vectorBits, int64_t m, int64_t n,
                                      int64_t k, int64_t dv);

} // namespace act
} // namespace mlir

#endif // ACT_CODEGEN_CPU_KERNELCONFIG_H
