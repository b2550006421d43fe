//===- Dense.h - The dense-layer workloads of act-bench ---------*- C++ -*-===//
//
// act-bench --suite=dense: Y = act(X W + b) and a SwiGLU FFN, what every
// implementation computes, from the same deterministic inputs, as act's MLIR
// (act ops) and as plain linalg/math (for IREE), with a double-precision
// reference to check any output against.
//
//===----------------------------------------------------------------------===//

#ifndef ACT_BENCH_DENSE_H
#define ACT_BENCH_DENSE_H

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace act {
namespace bench {

/// One dense workload, f32, row-major, weights as given (K x N):
///  - act in {gelu, gelu_tanh, relu, silu}: Y = act(X W + b), X: m x k,
///    W: k x n, b: n, Y: m x n;
///  - act == "swiglu": Y = (silu(X W1) * (X W3)) W2, X: m x k, W1 and W3:
///    k x n, W2: n x k, Y: m x k (k the model width, n the hidden width).
struct DenseWorkload {
  /// Unique, what --filter matches: "gelu/512x768x3072", "swiglu/512x768x2048".
  std::string name;
  std::string act;
  int64_t m = 0, k = 0, n = 0;

  bool isSwiGlu() const { return act == "swiglu"; }
  /// 2 m k n per matmul (the activations, bias and product are not counted).
  double flops() const;
  int64_t outRows() const { return m; }
  int64_t outCols() const { return isSwiGlu() ? k : n; }
  int64_t outElements() const { return outRows() * outCols(); }
  std::string shapeString() const;
};

/// The activations of the dense workloads, in table order.
llvm::ArrayRef<const char *> denseActivations();

/// "MxKxN,MxKxN,..." to shapes (an empty list is allowed).
llvm::Expected<std::vector<std::array<int64_t, 3>>>
parseShapes(llvm::StringRef list);

/// Every activation on every `dense` shape, then SwiGLU on every `swiglu`
/// shape (m x k x hidden).
std::vector<DenseWorkload>
denseWorkloads(llvm::ArrayRef<std::array<int64_t, 3>> dense,
               llvm::ArrayRef<std::array<int64_t, 3>> swiglu);

/// The workload a name denotes ("gelu/8x16x32"), if it is one.
std::optional<DenseWorkload> parseDenseWorkload(llvm::StringRef name);

/// One input tensor: its name in the MLIR (x, w, b, w1, w3, w2), shape, and
/// the bound of its uniform values.
struct DenseInput {
  std::string name;
  std::vector<int64_t> shape;
  float scale = 1;
  int64_t elements() const;
};

/// The inputs in argument order: x, w, b; or x, w1, w3, w2. X and b are
/// uniform in [-1, 1), every weight in [-3/sqrt(fan_in), 3/sqrt(fan_in)), so
/// that the pre-activations are about N(0, 1): the activations are measured
/// where they are neither linear nor saturated.
std::vector<DenseInput> denseInputs(const DenseWorkload &w);

/// Fills `data` with input `index` of `w`: the same numbers in every process
/// (act's kernels are measured in a child process that makes its own).
void fillDenseInput(const DenseWorkload &w, size_t index, float *data);

/// The MLIR type of an f32 operand of `shape`: "tensor<8x16xf32>", or with
/// `kind` "memref", "memref<8x16xf32>".
std::string tensorType(llvm::ArrayRef<int64_t> shape,
                       llvm::StringRef kind = "tensor");

/// act's kernel: func @k(inputs as tensors, %out: memref) with the act op,
/// writing Y into %out (see DenseSuite.cpp).
std::string denseActModuleText(const DenseWorkload &w);

/// The same computation as plain linalg on tensors returning Y, the act op
/// written out with arith and math (gelu = 0.5 x (1 + erf(x / sqrt 2)), ...),
/// for compilers without act's dialect (IREE).
std::string denseLinalgModuleText(const DenseWorkload &w);

/// The rows of Y the double reference checks: first, middle, last.
std::vector<int64_t> denseCheckedRows(const DenseWorkload &w);

/// max |y - ref| / max |ref| over the checked rows of `out`, against the
/// workload in double precision (act's reference math for the
/// activations). `inputs` in denseInputs order.
double denseReferenceError(const DenseWorkload &w,
                           llvm::ArrayRef<const float *> inputs,
                           const float *out);

/// max |a - b| / max |b| over `n` elements (NaN anywhere: infinity).
double relativeMaxDiff(const float *a, const float *b, int64_t n);

/// An error above this is a wrong result, not rounding: f32 sums of up to a
/// few thousand products, in any order, are within ~1e-6 of max |Y|.
constexpr double kDenseTolerance = 1e-4;

} // namespace bench
} // namespace act

#endif // ACT_BENCH_DENSE_H
