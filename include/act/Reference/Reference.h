//===- Reference.h - Double-precision reference of the row ops ---*- C++
//-*-===//
//
// The elementwise activations' reference is act/Math/Activations.h at
// T = double. This adds the ops that work along a dimension, on one
// contiguous row at a time (a caller gathers strided rows), forward and
// backward (the vector-Jacobian product: dx from the forward values and dy).
// Plain C++, no MLIR: the runner's --verify, the accuracy sweeps and the
// unit tests use it as it is.
//
//===----------------------------------------------------------------------===//

#ifndef ACT_REFERENCE_REFERENCE_H
#define ACT_REFERENCE_REFERENCE_H

#include <cstdint>

namespace mlir {
namespace act {
namespace reference {

/// The maximum of `x[0..n)`, NaN if any element is NaN (PyTorch's amax).
double rowMax(const double *x, int64_t n);

/// y = exp(x - max) / sum(exp(x - max)). A row holding NaN or +Inf, or only
/// -Inf, gives NaN, as in PyTorch.
void softmax(const double *x, double *y, int64_t n);
/// y = x - max - log(sum(exp(x - max))).
void logSoftmax(const double *x, double *y, int64_t n);
/// softmax(-x).
void softmin(const double *x, double *y, int64_t n);

/// dx = y * (dy - sum(dy * y)), from softmax's output y.
void softmaxBackward(const double *y, const double *dy, double *dx, int64_t n);
/// dx = dy - exp(y) * sum(dy), from log_softmax's output y.
void logSoftmaxBackward(const double *y, const double *dy, double *dx,
                        int64_t n);
/// dx = -(y * (dy - sum(dy * y))), from softmin's output y.
void softminBackward(const double *y, const double *dy, double *dx, int64_t n);

/// GLU on a row of 2n elements: y[i] = x[i] * sigmoid(x[n + i]).
void glu(const double *x, double *y, int64_t n);
/// dx[i] = dy[i] sigmoid(b), dx[n + i] = dy[i] a sigmoid(b) (1 - sigmoid(b)).
void gluBackward(const double *x, const double *dy, double *dx, int64_t n);

/// Maxout on a row of n * groups elements: y[i] = max(x[i*groups ..]).
void maxout(const double *x, double *y, int64_t n, int64_t groups);
/// Routes dy[i] to the first maximal element of group i (torch.max's index).
void maxoutBackward(const double *x, const double *dy, double *dx, int64_t n,
                    int64_t groups);

} // namespace reference
} // namespace act
} // namespace mlir

#endif // ACT_REFERENCE_REFERENCE_H
