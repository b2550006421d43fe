//===- Reference.cpp - Double-precision reference of the row ops --*- C++
//-*-===//

#include "act/Reference/Reference.h"
#include "act/Math/Activations.h"

#include <cmath>
#include <limits>

namespace mlir::act::reference {

double rowMax(const double *x, int64_t n) {
  double m = -std::numeric_limits<double>::infinity();
  for (int64_t i = 0; i < n; ++i) {
    if (std::isnan(x[i]))
      return x[i];
    if (x[i] > m)
      m = x[i];
  }
  return m;
}

/// sum(exp(x - m)) with m = rowMax(x), into `e` when given.
static double sumExp(const double *x, double m, double *e, int64_t n) {
  double sum = 0.0;
  for (int64_t i = 0; i < n; ++i) {
    double v = std::exp(x[i] - m);
    if (e)
      e[i] = v;
    sum += v;
  }
  return sum;
}

void softmax(const double *x, double *y, int64_t n) {
  double sum = sumExp(x, rowMax(x, n), y, n);
  for (int64_t i = 0; i < n; ++i)
    y[i] /= sum;
}

void logSoftmax(const double *x, double *y, int64_t n) {
  double m = rowMax(x, n);
  double logSum = std::log(sumExp(x, m, nullptr, n));
  for (int64_t i = 0; i < n; ++i)
    y[i] = x[i] - m - logSum;
}

void softmin(const double *x, double *y, int64_t n) {
  for (int64_t i = 0; i < n; ++i)
    y[i] = -x[i];
  softmax(y, y, n);
}

void softmaxBackward(const double *y, const double *dy, double *dx, int64_t n) {
  double dot = 0.0;
  for (int64_t i = 0; i < n; ++i)
    dot += dy[i] * y[i];
  for (int64_t i = 0; i < n; ++i)
    dx[i] = y[i] * (dy[i] - dot);
}

void logSoftmaxBackward(const double *y, const double *dy, double *dx,
                        int64_t n) {
  double sum = 0.0;
  for (int64_t i = 0; i < n; ++i)
    sum += dy[i];
  for (int64_t i = 0; i < n; ++i)
    dx[i] = dy[i] - std::exp(y[i]) * sum;
}

void softminBackward(const double *y, const double *dy, double *dx, int64_t n) {
  softmaxBackward(y, dy, dx, n);
  for (int64_t i = 0; i < n; ++i)
    dx[i] = -dx[i];
}

void glu(const double *x, double *y, int64_t n) {
  for (int64_t i = 0; i < n; ++i)
    y[i] = math::glu(x[i], x[n + i]);
}

void gluBackward(const double *x, const double *dy, double *dx, int64_t n) {
  for (int64_t i = 0; i < n; ++i) {
    double s = math::sigmoid(x[n + i]);
    dx[i] = dy[i] * s;
    dx[n + i] = dy[i] * x[i] * math::sigmoidDerivative(x[n + i]);
  }
}

void maxout(const double *x, double *y, int64_t n, int64_t groups) {
  for (int64_t i = 0; i < n; ++i)
    y[i] = rowMax(x + i * groups, groups);
}

void maxoutBackward(const double *x, const double *dy, double *dx, int64_t n,
                    int64_t groups) {
  for (int64_t i = 0; i < n; ++i) {
    const double *group = x + i * groups;
    int64_t best = 0;
    for (int64_t j = 1; j < groups; ++j)
      if (std::isnan(group[best])
              ? false
              : (std::isnan(group[j]) || group[j] > group[best]))
        best = j;
    for (int64_t j = 0; j < groups; ++j)
      dx[i * groups + j] = j == best ? dy[i] : 0.0;
  }
}

} // namespace mlir::act::reference
