//===- Backward.h - The backward suite's workloads ----------------*- C++
//-*-===//
//
// What --suite=backward measures, independent of any implementation: the
// backward activation kernels (dx = dy * f'(x) on n f32 elements, from the
// forward input x or, where act-differentiate uses it, from the forward
// output y), their inputs and double-precision reference, act's kernel for
// each, and the MLP training step of examples/mlp-training (its module at
// any batch size, and a double-precision reference of its gradients).
//
//===----------------------------------------------------------------------===//

#ifndef ACT_BENCH_BACKWARD_H
#define ACT_BENCH_BACKWARD_H

#include "Bench.h"

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"

#include <optional>
#include <string>
#include <vector>

namespace act {
namespace bench {

/// One backward activation on `elements` f32 values.
struct BackwardWorkload {
  /// Unique, what --filter matches: "relu_grad", "gelu_tanh_grad", ...
  std::string name;
  /// The forward op as the eltwise suite names it: relu, gelu, gelu_tanh,
  /// silu, sigmoid, tanh, elu, mish.
  std::string op;
  /// The second operand is the forward output y (act's `from_output`, what
  /// act-differentiate uses for this op), not the input x.
  bool fromOutput = false;
  int64_t elements = 0;

  /// dy and x (or y) in, dx out.
  double bytes() const { return 3.0 * 4.0 * double(elements); }
  /// "dy, y" or "dy, x".
  std::string operands() const { return fromOutput ? "dy, y" : "dy, x"; }
};

/// The suite's backward workloads on `elements` values each.
std::vector<BackwardWorkload> backwardWorkloads(int64_t elements);

/// act's kernel for `w`:
///
///   func.func @k(%dy: tensor<N> {bufferization.writable = false},
///                %s: tensor<N> {bufferization.writable = false},
///                %out: memref<N>) {
///     %dx = act.OP_grad %dy, %s [from_output] ... : tensor<N>
///     bufferization.materialize_in_destination %dx in restrict writable %out
///   }
std::string backwardActModuleText(const BackwardWorkload &w);

/// The inputs: x uniform in [-10, 10) (as the eltwise suite's), dy uniform
/// in [-1, 1), and the second operand `source`: x itself, or f(x) computed
/// in double and rounded for a from-output workload.
void fillBackwardInputs(const BackwardWorkload &w, float *dy, float *source);

/// The worst error of `dx` against dy * f'(.) in double on a strided
/// sample, as Bench.h's checkOutput measures it (relative, absolute below
/// 1); from-output workloads differentiate through the f32 y they were
/// given (act/Math/Activations.h's *DerivativeFromOutput).
double checkBackward(const BackwardWorkload &w, const float *dy,
                     const float *source, const float *dx);

/// The MLP of examples/mlp-training: batch x 64 -> 256 -> 10, GELU,
/// log_softmax, mean NLL of one-hot labels; one SGD step per call.
struct MlpWorkload {
  int64_t batch = 32;
  static constexpr int64_t kIn = 64, kHidden = 256, kClasses = 10;

  std::string name() const { return "mlp_step/b" + std::to_string(batch); }
  /// 2 m k n per matmul: the forward's two, the backward's four (dW1's and
  /// dW2's, dh's; dx is not asked for).
  double flops() const;
};

/// The example's module (examples/mlp-training/mlp.mlir) at `batch`: its
/// batch dimension (`tensor<32x`) and the loss scale -1/32 rewritten.
/// Fails if the file is missing or no longer has them.
llvm::Expected<std::string> mlpModuleText(int64_t batch);

/// The MLP's inputs and weights, deterministic: x ~ N(0, 1), one-hot y of
/// random labels, He-initialized W1 and W2, small random biases.
struct MlpData {
  std::vector<float> x, y, w1, b1, w2, b2;
  explicit MlpData(const MlpWorkload &w);
};

/// The loss and its gradient with respect to W1, b1, W2, b2 in double (the
/// forward and the backward written out by hand, act's double GELU).
struct MlpGradients {
  double loss = 0;
  std::vector<double> dw1, db1, dw2, db2;
};
MlpGradients mlpReference(const MlpWorkload &w, const MlpData &d);

} // namespace bench
} // namespace act

#endif // ACT_BENCH_BACKWARD_H
