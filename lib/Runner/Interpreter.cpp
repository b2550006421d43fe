//===- Interpreter.cpp - act-run's double-precision reference -------------===//

#include "act/Runner/Interpreter.h"
#include "Evaluator.h"
#include "act/Dialect/Act/IR/ActActivations.h"
#include "act/Dialect/Act/IR/ActOps.h"
#include "act/Math/Activations.h"
#include "act/Reference/Reference.h"
#include "act/Runner/Sweep.h"

#include "mlir/Analysis/SliceAnalysis.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/BuiltinDialect.h"
#include "mlir/IR/DialectResourceBlobManager.h"
#include "mlir/IR/TypeUtilities.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/DenseSet.h"
#include "llvm/ADT/TypeSwitch.h"

#include <cmath>
#include <cstring>
#include <limits>
#include <type_traits>

using namespace mlir;
using namespace mlir::act::runner;
using namespace mlir::act::runner::detail;
using llvm::createStringError;

static constexpr double kInf = std::numeric_limits<double>::infinity();

RefTensor act::runner::toRefTensor(const HostTensor &tensor) {
  RefTensor r;
  r.shape.assign(tensor.getShape().begin(), tensor.getShape().end());
  r.data.resize(tensor.getNumElements());
  for (int64_t i = 0, e = r.data.size(); i < e; ++i)
    r.data[i] = tensor.get(i);
  return r;
}

static int64_t product(ArrayRef<int64_t> dims) {
  int64_t n = 1;
  for (int64_t d : dims)
    n *= d;
  return n;
}

static SmallVector<int64_t> getShape(Type type) {
  if (auto shaped = dyn_cast<ShapedType>(type))
    return SmallVector<int64_t>(shaped.getShape());
  return {};
}

/// The element kind of `value`'s type (f32 if act-run has none for it).
static ElementKind getKindOf(Value value) {
  return getElementKind(getElementTypeOrSelf(value.getType()))
      .value_or(ElementKind::f32);
}

static llvm::Error unsupported(Operation *op, StringRef why = "") {
  return unsupportedOp(op, "", why);
}

double act::runner::getUlp(ElementKind kind, double r) {
  int precision, minExp;
  switch (kind) {
  case ElementKind::f16:
    precision = 11, minExp = -14;
    break;
  case ElementKind::bf16:
    precision = 8, minExp = -126;
    break;
  case ElementKind::f32:
    precision = 24, minExp = -126;
    break;
  case ElementKind::f64:
    precision = 53, minExp = -1022;
    break;
  }
  int e = r == 0 ? minExp : std::max(std::ilogb(r), minExp);
  return std::ldexp(1.0, e - (precision - 1));
}

double AccuracyBound::getUnit(ElementKind kind, double rounded) const {
  return std::fabs(rounded) < floor ? tinyUnit : getUlp(kind, rounded);
}

//===----------------------------------------------------------------------===//
// Documented bounds.
//===----------------------------------------------------------------------===//

namespace {
/// What docs/Accuracy.md documents for one act op.
struct OpAccuracy {
  double ulps = 0;
  /// log_softmax: the error is absolute (ulps of max(|y|, 1)).
  bool absolute = false;
  /// Below the floor only absolute accuracy holds (gelu's erf form).
  bool tinyOnlyAbsolute = false;
};
} // namespace

/// The documented accuracy of `op`, an act op.
static OpAccuracy getOpAccuracy(Operation *op) {
  OpAccuracy accuracy;
  StringRef name = op->getName().stripDialect();
  std::string sweepName = name.str();
  if (auto gelu = dyn_cast<act::GeluOp>(op))
    if (gelu.getApproximate() == act::GeluApproximation::tanh)
      sweepName = "gelu_tanh";
  if (const SweepOpInfo *info = lookupSweepOp(sweepName)) {
    accuracy.ulps = info->preciseBound;
    accuracy.tinyOnlyAbsolute = info->tinyOnlyAbsolute;
  } else if (isa<act::SoftmaxOp, act::SoftminOp, act::LogSoftmaxOp>(op)) {
    // softmax: exp(x - max) inherits the rounding of x - max, about
    // |x - max| / 2 ulp, so 16 holds for |x - max| < 16 (smaller results
    // are below the floor). log_softmax: x - max - log(sum), where
    // log(sum) carries the sum's rounding as an absolute error. Both grow
    // with the terms each accumulator adds in sequence (a row along the
    // last dimension is summed in 32 per-lane partial sums, a reduction
    // along another dimension one term at a time per column), by about
    // 1/8 ulp per term beyond 16 (softmax) and 1/32 ulp per term beyond 32
    // (log_softmax): measured on
    // random rows in [-8, 8) along dim 0 of 64x64 columns, softmax 16.2 ulp
    // at 32 terms, 19.8 at 128, 34 at 512, 70 at 2048; log_softmax 3.7,
    // 5.4 and 7.1 at 32, 128 and 512 (random_programs.py found 17.2 at 100,
    // over the 16 once claimed up to 128).
    bool isLog = isa<act::LogSoftmaxOp>(op);
    accuracy.ulps = isLog ? 4 : 16;
    accuracy.absolute = isLog;
    auto type = dyn_cast<ShapedType>(op->getOperand(0).getType());
    int64_t dim = TypeSwitch<Operation *, int64_t>(op)
                      .Case<act::SoftmaxOp, act::SoftminOp, act::LogSoftmaxOp>(
                          [](auto rowOp) { return rowOp.getNormalizedDim(); });
    if (type && type.hasStaticShape()) {
      int64_t n = type.getDimSize(dim);
      double terms = dim == type.getRank() - 1 ? (n + 31) / 32 : n;
      accuracy.ulps += isLog ? std::max(0.0, terms - 32) / 32
                             : std::max(0.0, terms - 16) / 8;
    }
  } else if (isa<act::GluOp>(op)) {
    accuracy.ulps = 4;
  } else {
    accuracy.ulps = 1; // prelu, maxout: one rounding or none
  }
  return accuracy;
}

static AccuracyBound makeBound(const OpAccuracy &accuracy, ElementKind kind) {
  AccuracyBound bound;
  bound.ulps = accuracy.ulps;
  // Half an ulp of 1 in the compute type (f16 and bf16 are computed in
  // f32): the contract's "within 2^-24 of 0" for f32.
  ElementKind compute = kind == ElementKind::f64 ? kind : ElementKind::f32;
  bound.floor = accuracy.absolute ? 1.0 : getUlp(compute, 1.0) / 2;
  bound.tinyUnit =
      accuracy.tinyOnlyAbsolute ? bound.floor : getUlp(kind, bound.floor);
  return bound;
}

AccuracyBound act::runner::getDocumentedOpBound(Operation *op,
                                                ElementKind kind) {
  return makeBound(getOpAccuracy(op), kind);
}

AccuracyBound act::runner::getDocumentedBound(func::FuncOp func,
                                              unsigned result,
                                              ElementKind kind) {
  OpAccuracy accuracy;
  // The ops the result depends on.
  SetVector<Operation *> slice;
  func.walk([&](func::ReturnOp ret) {
    if (result < ret.getNumOperands()) {
      BackwardSliceOptions options;
      options.inclusive = true;
      (void)getBackwardSlice(ret.getOperand(result), &slice, options);
    }
  });
  for (Operation *op : slice) {
    if (!isa_and_nonnull<act::ActDialect>(op->getDialect()))
      continue;
    OpAccuracy opAccuracy = getOpAccuracy(op);
    accuracy.ulps = std::max(accuracy.ulps, opAccuracy.ulps);
    accuracy.absolute |= opAccuracy.absolute;
    accuracy.tinyOnlyAbsolute |= opAccuracy.tinyOnlyAbsolute;
  }
  if (accuracy.ulps == 0)
    accuracy.ulps = 4; // no act op: linalg and arith only
  return makeBound(accuracy, kind);
}

/// `op`'s documented bound, infinite in fast mode (none is documented).
static AccuracyBound getActBound(Operation *op,
                                 const InterpretOptions &options) {
  AccuracyBound bound = getDocumentedOpBound(op, getKindOf(op->getResult(0)));
  if (options.math == act::MathMode::fast)
    bound.ulps = kInf;
  return bound;
}

//===----------------------------------------------------------------------===//
// The elementwise act ops, all at once.
//===----------------------------------------------------------------------===//

/// Applies an elementwise activation's reference to every element, and its
/// derivative to the bounds (localBound).
static bool evalUnary(Operation *op, const RefTensor &in,
                      const InterpretOptions &options, RefTensor &out) {
  std::function<double(double)> reference = act::getUnaryReference(op);
  if (!reference)
    return false;
  std::function<double(double)> derivative = act::getUnaryDerivative(op);
  AccuracyBound bound = getActBound(op, options);
  ElementKind kind = getKindOf(op->getResult(0));
  ParameterVariants variants(op, kind);
  out.shape = in.shape;
  // Parameters other than the defaults are judged by the propagated bound,
  // which allows for their rounding.
  out.propagated = in.propagated || !variants.empty();
  out.data.resize(in.data.size());
  out.error.resize(in.data.size());
  for (size_t i = 0; i < in.data.size(); ++i) {
    double x = in.data[i], y = reference(x);
    out.data[i] = y;
    out.error[i] = localBound(reference, derivative, x, in.getError(i)) +
                   actRounding(bound, kind, y) + variants.getAllowance(x, y);
  }
  return true;
}

/// A backward op dx = dy * d(s) (Act_UnaryGradOp), judged by a propagated
/// bound: the inputs' errors through the product (d's own slope estimated by
/// central differences, its jumps at kinks by localBound), plus the kernel's
/// own error as docs/Derivatives.md states it, 16 ulp of dx plus 8 units of
/// roundoff times |dy| (the from-output forms carry y's rounding).
static bool evalUnaryGrad(Operation *op, const RefTensor &dy,
                          const RefTensor &source,
                          const InterpretOptions &options, RefTensor &out) {
  std::function<double(double)> d = act::getUnaryGradDerivative(op);
  if (!d)
    return false;
  auto slope = [&](double s) {
    double h = 0x1p-20 * std::max(1.0, std::fabs(s));
    return (d(s + h) - d(s - h)) / (2 * h);
  };
  ElementKind kind = getKindOf(op->getResult(0));
  double u =
      getUnitRoundoff(kind == ElementKind::f64 ? kind : ElementKind::f32);
  bool fast = options.math == act::MathMode::fast;
  out.shape = dy.shape;
  out.propagated = true;
  out.data.resize(dy.data.size());
  out.error.resize(dy.data.size());
  for (size_t i = 0; i < dy.data.size(); ++i) {
    double g = dy.data[i], s = source.data[i], ds = d(s);
    double y = ds == 0 ? 0 : g * ds;
    out.data[i] = y;
    double own =
        fast ? kInf : roundingError(kind, 16, y) + 8 * u * std::fabs(g);
    out.error[i] = std::fabs(ds) * dy.getError(i) +
                   std::fabs(g) * localBound(d, slope, s, source.getError(i)) +
                   own;
    if (std::isnan(out.error[i]))
      out.error[i] = kInf;
  }
  return true;
}

//===----------------------------------------------------------------------===//
// Ops along a dimension.
//===----------------------------------------------------------------------===//

/// Applies `fn(x, ex, y, ey)` to every row along `dim`: rows of `inLen`
/// elements of `in` (and their bounds) map to rows of `outLen` elements of
/// the result (and theirs).
template <typename Fn>
static RefTensor mapRows(const RefTensor &in, int64_t dim, int64_t outLen,
                         Fn fn) {
  int64_t inLen = in.shape[dim];
  int64_t outer = product(ArrayRef(in.shape).take_front(dim));
  int64_t inner = product(ArrayRef(in.shape).drop_front(dim + 1));
  RefTensor out;
  out.shape = in.shape;
  out.shape[dim] = outLen;
  out.propagated = in.propagated;
  out.data.resize(outer * outLen * inner);
  out.error.resize(out.data.size());
  std::vector<double> row(inLen), rowError(inLen), result(outLen),
      resultError(outLen);
  for (int64_t o = 0; o < outer; ++o) {
    for (int64_t i = 0; i < inner; ++i) {
      for (int64_t k = 0; k < inLen; ++k) {
        row[k] = in.data[(o * inLen + k) * inner + i];
        rowError[k] = in.getError((o * inLen + k) * inner + i);
      }
      fn(row.data(), rowError.data(), result.data(), resultError.data());
      for (int64_t k = 0; k < outLen; ++k) {
        out.data[(o * outLen + k) * inner + i] = result[k];
        out.error[(o * outLen + k) * inner + i] = resultError[k];
      }
    }
  }
  return out;
}

static double maxOf(const double *x, int64_t n) {
  double m = 0;
  for (int64_t i = 0; i < n; ++i)
    m = std::max(m, x[i]);
  return m;
}

/// The bound of softmax (or softmin) y of a row with bounds ex: the
/// Jacobian is y_i (delta_ij - y_j), and over the box of inputs within E =
/// max ex of x every y_j grows by at most exp(2E), so
/// |dy_i| <= y_i g (ex_i + g sum_j y_j ex_j), g = exp(2E).
static void softmaxBound(const double *y, const double *ex, double *ey,
                         int64_t n) {
  double e = maxOf(ex, n);
  if (e == 0) {
    std::fill(ey, ey + n, 0.0);
    return;
  }
  double g = std::exp(2 * e), weighted = 0;
  for (int64_t j = 0; j < n; ++j)
    weighted += y[j] * ex[j];
  for (int64_t i = 0; i < n; ++i)
    ey[i] = std::isnan(y[i]) ? 0 : y[i] * g * (ex[i] + g * weighted);
}

/// The backward ops of the softmax family, from dy and y along `dim`, with a
/// propagated bound: the inputs' errors through the formula, the row sum's
/// rounding (n terms: n units of roundoff times the sum of magnitudes), and
/// a few roundings of each element (exp's 4 ulp for log_softmax's).
static std::optional<RefTensor> evalSoftmaxGrad(Operation *op,
                                                const RefTensor &dy,
                                                const RefTensor &y,
                                                const InterpretOptions &opts) {
  int64_t dim;
  int kind; // 0 softmax, 1 softmin, 2 log_softmax
  if (auto o = dyn_cast<act::SoftmaxGradOp>(op))
    dim = o.getNormalizedDim(), kind = 0;
  else if (auto o = dyn_cast<act::SoftminGradOp>(op))
    dim = o.getNormalizedDim(), kind = 1;
  else if (auto o = dyn_cast<act::LogSoftmaxGradOp>(op))
    dim = o.getNormalizedDim(), kind = 2;
  else
    return std::nullopt;
  ElementKind element = getKindOf(op->getResult(0));
  double u =
      getUnitRoundoff(element == ElementKind::f64 ? element : ElementKind::f32);
  bool fast = opts.math == act::MathMode::fast;
  int64_t n = y.shape[dim];
  int64_t outer = product(ArrayRef(y.shape).take_front(dim));
  int64_t inner = product(ArrayRef(y.shape).drop_front(dim + 1));
  RefTensor out;
  out.shape = y.shape;
  out.propagated = true;
  out.data.resize(y.data.size());
  out.error.resize(y.data.size());
  for (int64_t o = 0; o < outer; ++o) {
    for (int64_t i = 0; i < inner; ++i) {
      auto at = [&](int64_t k) { return (o * n + k) * inner + i; };
      double sum = 0, sumAbs = 0, sumErr = 0;
      for (int64_t k = 0; k < n; ++k) {
        double g = dy.data[at(k)], v = y.data[at(k)];
        double t = kind == 2 ? g : g * v;
        sum += t;
        sumAbs += std::fabs(t);
        sumErr += kind == 2 ? dy.getError(at(k))
                            : std::fabs(g) * y.getError(at(k)) +
                                  std::fabs(v) * dy.getError(at(k));
      }
      sumErr += (n + 2) * u * sumAbs;
      for (int64_t k = 0; k < n; ++k) {
        int64_t j = at(k);
        double g = dy.data[j], v = y.data[j], eg = dy.getError(j),
               ev = y.getError(j), r, e;
        if (kind == 2) {
          double ex = std::exp(v);
          r = g - ex * sum;
          // exp(v + ev) - exp(v) <= exp(v) (e^ev - 1).
          e = eg + ex * std::expm1(ev) * (std::fabs(sum) + sumErr) +
              ex * sumErr + (8 * u * ex + 2 * u) * std::fabs(sum) +
              2 * u * std::fabs(r);
        } else {
          double diff = kind == 0 ? g - sum : sum - g;
          r = v * diff;
          e = std::fabs(v) * (eg + sumErr) + std::fabs(diff) * ev +
              3 * u * (std::fabs(v) * (std::fabs(g) + std::fabs(sum)));
        }
        out.data[j] = r;
        out.error[j] = fast ? kInf : (std::isnan(e) ? kInf : e);
      }
    }
  }
  return out;
}

static std::optional<RefTensor> evalDimOp(Operation *op, const RefTensor &in,
                                          const InterpretOptions &options) {
  namespace ref = act::reference;
  AccuracyBound bound = getActBound(op, options);
  ElementKind kind = getKindOf(op->getResult(0));
  auto addRounding = [&](const double *y, double *ey, int64_t n) {
    for (int64_t i = 0; i < n; ++i)
      ey[i] += actRounding(bound, kind, y[i]);
  };
  if (auto o = dyn_cast<act::SoftmaxOp>(op)) {
    int64_t n = in.shape[o.getNormalizedDim()];
    return mapRows(
        in, o.getNormalizedDim(), n,
        [&](const double *x, const double *ex, double *y, double *ey) {
          ref::softmax(x, y, n);
          softmaxBound(y, ex, ey, n);
          addRounding(y, ey, n);
        });
  }
  if (auto o = dyn_cast<act::SoftminOp>(op)) {
    int64_t n = in.shape[o.getNormalizedDim()];
    return mapRows(
        in, o.getNormalizedDim(), n,
        [&](const double *x, const double *ex, double *y, double *ey) {
          ref::softmin(x, y, n);
          softmaxBound(y, ex, ey, n);
          addRounding(y, ey, n);
        });
  }
  if (auto o = dyn_cast<act::LogSoftmaxOp>(op)) {
    // dy_i = dx_i - sum_j softmax_j dx_j, and the softmax sums to 1.
    int64_t n = in.shape[o.getNormalizedDim()];
    return mapRows(
        in, o.getNormalizedDim(), n,
        [&](const double *x, const double *ex, double *y, double *ey) {
          ref::logSoftmax(x, y, n);
          double e = maxOf(ex, n);
          for (int64_t i = 0; i < n; ++i)
            ey[i] = e == 0 ? 0 : ex[i] + e;
          addRounding(y, ey, n);
        });
  }
  if (auto o = dyn_cast<act::GluOp>(op)) {
    // The partial derivatives of y_i = a_i sigmoid(b_i) are gluBackward's
    // dx for dy = 1; the largest of them at x and at x -+ ex (kLocalSafety)
    // bounds them over the box.
    int64_t n = in.shape[o.getNormalizedDim()] / 2;
    return mapRows(
        in, o.getNormalizedDim(), n,
        [&](const double *x, const double *ex, double *y, double *ey) {
          ref::glu(x, y, n);
          std::fill(ey, ey + n, 0.0);
          if (maxOf(ex, 2 * n) > 0) {
            std::vector<double> ones(n, 1.0), point(2 * n), dx(2 * n),
                slope(2 * n, 0.0);
            for (double side : {-1.0, 0.0, 1.0}) {
              for (int64_t k = 0; k < 2 * n; ++k)
                point[k] = x[k] + side * ex[k];
              ref::gluBackward(point.data(), ones.data(), dx.data(), n);
              for (int64_t k = 0; k < 2 * n; ++k)
                slope[k] = std::max(slope[k], std::fabs(dx[k]));
            }
            for (int64_t i = 0; i < n; ++i) {
              double e =
                  kLocalSafety * (slope[i] * ex[i] + slope[n + i] * ex[n + i]);
              ey[i] = std::isnan(e) ? kInf : e;
            }
          }
          addRounding(y, ey, n);
        });
  }
  if (auto o = dyn_cast<act::MaxoutOp>(op)) {
    // A maximum moves by no more than the largest bound of its group.
    int64_t groups = o.getGroups();
    int64_t n = in.shape[o.getNormalizedDim()] / groups;
    return mapRows(
        in, o.getNormalizedDim(), n,
        [&](const double *x, const double *ex, double *y, double *ey) {
          ref::maxout(x, y, n, groups);
          for (int64_t i = 0; i < n; ++i)
            ey[i] = maxOf(ex + i * groups, groups);
          addRounding(y, ey, n);
        });
  }
  return std::nullopt;
}

static RefTensor evalPRelu(act::PReluOp op, const RefTensor &x,
                           const RefTensor &slope,
                           const InterpretOptions &options) {
  AccuracyBound bound = getActBound(op, options);
  ElementKind kind = getKindOf(op.getResult());
  RefTensor out;
  out.shape = x.shape;
  out.propagated = x.propagated || slope.propagated;
  out.data.resize(x.data.size());
  out.error.resize(x.data.size());
  int64_t channelDim = op.getChannelDim();
  int64_t channels = 1, inner = 1;
  if (channelDim >= 0 && static_cast<int64_t>(x.shape.size()) > channelDim) {
    channels = x.shape[channelDim];
    inner = product(ArrayRef(x.shape).drop_front(channelDim + 1));
  }
  for (size_t i = 0; i < x.data.size(); ++i) {
    int64_t c = channels > 1 ? (i / inner) % channels : 0;
    double xi = x.data[i], s = slope.data[c];
    double y = act::PReluOp::forward<double>(xi, s);
    out.data[i] = y;
    double ex = localBound(
        [&](double t) { return act::PReluOp::forward<double>(t, s); },
        [&](double t) { return act::math::preluDerivative<double>(t, s); }, xi,
        x.getError(i));
    double es = localBound(
        [&](double t) { return act::PReluOp::forward<double>(xi, t); },
        [&](double) { return act::math::preluSlopeDerivative<double>(xi); }, s,
        slope.getError(c));
    out.error[i] = ex + es + actRounding(bound, kind, y);
  }
  return out;
}

//===----------------------------------------------------------------------===//
// Constants and tensor ops.
//===----------------------------------------------------------------------===//

static llvm::Expected<RefTensor> evalConstant(arith::ConstantOp op) {
  RefTensor r;
  r.shape = getShape(op.getType());
  Attribute value = op.getValue();
  if (auto f = dyn_cast<FloatAttr>(value)) {
    r.data.push_back(f.getValueAsDouble());
    return r;
  }
  if (auto i = dyn_cast<IntegerAttr>(value)) {
    r.data.push_back(i.getType().isInteger(1)
                         ? double(i.getValue().getBoolValue())
                         : double(i.getValue().getSExtValue()));
    return r;
  }
  if (auto dense = dyn_cast<DenseFPElementsAttr>(value)) {
    r.data.reserve(dense.getNumElements());
    for (const APFloat &v : dense.getValues<APFloat>())
      r.data.push_back(v.convertToDouble());
    return r;
  }
  if (auto dense = dyn_cast<DenseIntElementsAttr>(value)) {
    bool isBool = dense.getElementType().isInteger(1);
    r.data.reserve(dense.getNumElements());
    for (const APInt &v : dense.getValues<APInt>())
      r.data.push_back(isBool ? double(v.getBoolValue())
                              : double(v.getSExtValue()));
    return r;
  }
  // Weights imported by torch-mlir: a blob of little-endian elements.
  if (auto resource = dyn_cast<DenseResourceElementsAttr>(value)) {
    AsmResourceBlob *blob = resource.getRawHandle().getBlob();
    if (!blob)
      return unsupported(op, "dense_resource without its blob");
    Type element = resource.getType().getElementType();
    unsigned width = element.getIntOrFloatBitWidth();
    ArrayRef<char> bytes = blob->getData();
    int64_t count = resource.getNumElements();
    if (width % 8 != 0 || int64_t(bytes.size()) != count * (width / 8))
      return unsupported(op, "dense_resource of " +
                                 std::to_string(bytes.size()) + " bytes for " +
                                 std::to_string(count) + " elements");
    r.data.reserve(count);
    auto floatType = dyn_cast<FloatType>(element);
    for (int64_t i = 0; i < count; ++i) {
      uint64_t bits = 0;
      std::memcpy(&bits, bytes.data() + i * (width / 8), width / 8);
      APInt v(width, bits);
      if (floatType)
        r.data.push_back(
            APFloat(floatType.getFloatSemantics(), v).convertToDouble());
      else
        r.data.push_back(width == 1 ? double(v.getBoolValue())
                                    : double(v.getSExtValue()));
    }
    return r;
  }
  return unsupported(op, "only float and integer constants");
}

static llvm::Expected<RefTensor> evalExtractSlice(tensor::ExtractSliceOp op,
                                                  const RefTensor &source) {
  ArrayRef<int64_t> offsets = op.getStaticOffsets(),
                    sizes = op.getStaticSizes(),
                    strides = op.getStaticStrides();
  if (llvm::any_of(llvm::concat<const int64_t>(offsets, sizes, strides),
                   ShapedType::isDynamic) ||
      !op.getType().hasStaticShape())
    return unsupported(op, "only static offsets, sizes and strides");
  int64_t rank = source.shape.size();
  SmallVector<int64_t> sourceStrides(rank, 1);
  for (int64_t d = rank - 2; d >= 0; --d)
    sourceStrides[d] = sourceStrides[d + 1] * source.shape[d + 1];
  RefTensor out;
  out.shape = getShape(op.getType());
  out.propagated = source.propagated;
  int64_t n = product(sizes);
  out.data.reserve(n);
  if (!source.error.empty())
    out.error.reserve(n);
  SmallVector<int64_t> index(rank, 0);
  for (int64_t i = 0; i < n; ++i) {
    int64_t at = 0;
    for (int64_t d = 0; d < rank; ++d)
      at += (offsets[d] + index[d] * strides[d]) * sourceStrides[d];
    out.data.push_back(source.data[at]);
    if (!source.error.empty())
      out.error.push_back(source.error[at]);
    for (int64_t d = rank - 1; d >= 0 && ++index[d] == sizes[d]; --d)
      index[d] = 0;
  }
  return out;
}

//===----------------------------------------------------------------------===//
// The interpreter.
//===----------------------------------------------------------------------===//

namespace {
class Interpreter {
public:
  explicit Interpreter(const InterpretOptions &options) : options(options) {}

  llvm::Expected<std::vector<RefTensor>> run(func::FuncOp func,
                                             ArrayRef<RefTensor> args);

private:
  llvm::Error eval(Operation *op);
  /// Fails if `op` reads the undefined contents of a tensor.empty.
  llvm::Error checkDefined(Operation *op);

  const InterpretOptions &options;
  DenseMap<Value, RefTensor> values;
  /// Values holding tensor.empty's undefined contents.
  DenseSet<Value> undefined;
  std::vector<RefTensor> results;
  bool returned = false;
};
} // namespace

llvm::Error Interpreter::checkDefined(Operation *op) {
  for (Value v : op->getOperands())
    if (undefined.contains(v) && !values[v].data.empty())
      return createStringError(
          "--verify: " + op->getName().getStringRef().str() +
          " reads the undefined contents of a tensor.empty");
  return llvm::Error::success();
}

llvm::Error Interpreter::eval(Operation *op) {
  for (Value v : op->getOperands())
    if (!values.count(v))
      return unsupported(op, "operand not computed");
  auto operand = [&](unsigned i) -> const RefTensor & {
    return values[op->getOperand(i)];
  };
  auto define = [&](RefTensor r, unsigned i = 0) {
    values[op->getResult(i)] = std::move(r);
  };

  if (isa<func::ReturnOp>(op)) {
    if (llvm::Error err = checkDefined(op))
      return err;
    for (unsigned i = 0; i < op->getNumOperands(); ++i)
      results.push_back(operand(i));
    returned = true;
    return llvm::Error::success();
  }
  if (auto c = dyn_cast<arith::ConstantOp>(op)) {
    llvm::Expected<RefTensor> r = evalConstant(c);
    if (!r)
      return r.takeError();
    define(std::move(*r));
    return llvm::Error::success();
  }
  if (isa<tensor::EmptyOp>(op)) {
    RefTensor out;
    out.shape = getShape(op->getResult(0).getType());
    if (ShapedType::isDynamicShape(out.shape))
      return unsupported(op, "dynamic shape");
    out.data.assign(product(out.shape), 0.0);
    define(std::move(out));
    undefined.insert(op->getResult(0));
    return llvm::Error::success();
  }
  // Ops that move data: they keep (and pass on) undefined contents.
  auto passUndefined = [&] {
    if (undefined.contains(op->getOperand(0)))
      undefined.insert(op->getResult(0));
  };
  if (isa<tensor::CastOp, tensor::ExpandShapeOp>(op)) {
    RefTensor out = operand(0);
    SmallVector<int64_t> shape = getShape(op->getResult(0).getType());
    if (ShapedType::isDynamicShape(shape)) {
      if (isa<tensor::ExpandShapeOp>(op))
        return unsupported(op, "dynamic result shape");
    } else {
      out.shape = shape;
    }
    define(std::move(out));
    passUndefined();
    return llvm::Error::success();
  }
  if (auto collapse = dyn_cast<tensor::CollapseShapeOp>(op)) {
    RefTensor out = operand(0);
    out.shape.clear();
    for (const ReassociationIndices &group :
         collapse.getReassociationIndices()) {
      int64_t n = 1;
      for (int64_t d : group)
        n *= operand(0).shape[d];
      out.shape.push_back(n);
    }
    define(std::move(out));
    passUndefined();
    return llvm::Error::success();
  }
  if (auto slice = dyn_cast<tensor::ExtractSliceOp>(op)) {
    llvm::Expected<RefTensor> r = evalExtractSlice(slice, operand(0));
    if (!r)
      return r.takeError();
    define(std::move(*r));
    passUndefined();
    return llvm::Error::success();
  }
  if (isa<linalg::LinalgOp>(op)) {
    SmallVector<const RefTensor *> in;
    SmallVector<bool> isUndefined;
    for (Value v : op->getOperands()) {
      in.push_back(&values[v]);
      isUndefined.push_back(undefined.contains(v));
    }
    auto lookup = [&](Value v) -> const RefTensor * {
      auto it = values.find(v);
      return it == values.end() ? nullptr : &it->second;
    };
    llvm::Expected<std::vector<RefTensor>> r =
        evalLinalgOp(op, in, isUndefined, options, lookup);
    if (!r)
      return r.takeError();
    for (auto [i, result] : llvm::enumerate(*r))
      define(std::move(result), i);
    return llvm::Error::success();
  }

  // The rest computes from its operands' contents.
  if (llvm::Error err = checkDefined(op))
    return err;
  if (op->getDialect() && isa<act::ActDialect>(op->getDialect())) {
    // An act op of an inexact operand (another act op's result, say) is
    // judged by the bound propagated through the chain, not by its own ulps.
    bool inexactOperand = llvm::any_of(op->getOperands(), [&](Value v) {
      return llvm::any_of(values[v].error, [](double e) { return e != 0; });
    });
    auto defineAct = [&](RefTensor r) {
      r.propagated |= inexactOperand;
      define(std::move(r));
      return llvm::Error::success();
    };
    RefTensor out;
    if (evalUnary(op, operand(0), options, out))
      return defineAct(std::move(out));
    if (op->getNumOperands() == 2 &&
        evalUnaryGrad(op, operand(0), operand(1), options, out))
      return defineAct(std::move(out));
    if (op->getNumOperands() == 2)
      if (std::optional<RefTensor> r =
              evalSoftmaxGrad(op, operand(0), operand(1), options))
        return defineAct(std::move(*r));
    if (auto prelu = dyn_cast<act::PReluOp>(op))
      return defineAct(evalPRelu(prelu, operand(0), operand(1), options));
    if (std::optional<RefTensor> r = evalDimOp(op, operand(0), options))
      return defineAct(std::move(*r));
    return unsupported(op);
  }
  if (isElementwiseScalarOp(op)) {
    SmallVector<const RefTensor *> in;
    for (Value v : op->getOperands())
      in.push_back(&values[v]);
    llvm::Expected<RefTensor> r = evalElementwiseOp(op, in, options);
    if (!r)
      return r.takeError();
    define(std::move(*r));
    return llvm::Error::success();
  }
  return unsupported(op);
}

llvm::Expected<std::vector<RefTensor>>
Interpreter::run(func::FuncOp func, ArrayRef<RefTensor> args) {
  for (auto [arg, tensor] : llvm::zip(func.getArguments(), args))
    values[arg] = tensor;
  if (!func.getBody().hasOneBlock())
    return createStringError("--verify needs a function with a single block");
  for (Operation &op : func.getBody().front()) {
    if (llvm::Error err = eval(&op))
      return std::move(err);
    if (returned)
      return std::move(results);
  }
  return createStringError("--verify: function has no func.return");
}

llvm::Expected<std::vector<RefTensor>>
act::runner::interpret(func::FuncOp func, ArrayRef<RefTensor> args,
                       const InterpretOptions &options) {
  return Interpreter(options).run(func, args);
}

//===----------------------------------------------------------------------===//
// Comparison.
//===----------------------------------------------------------------------===//

/// Whether `got` against `ref` (`rounded` to got's type) is decided by
/// NaN/Inf alone: NaN vs NaN and equal infinities are exact (`exact`), any
/// other NaN or infinity mismatches.
static bool isSpecial(double got, double ref, double rounded, bool &exact) {
  if (std::isnan(got) && std::isnan(ref)) {
    exact = true;
    return true;
  }
  if (std::isnan(got) || std::isnan(ref) || std::isinf(got) ||
      std::isinf(rounded)) {
    exact = got == rounded;
    return true;
  }
  return false;
}

Comparison act::runner::compare(const HostTensor &got,
                                const RefTensor &expected,
                                const AccuracyBound &bound) {
  Comparison c;
  for (int64_t i = 0, e = got.getNumElements(); i < e; ++i) {
    double g = got.get(i), ref = expected.data[i];
    double rounded = roundToKind(got.getKind(), ref);
    double absErr, relErr, ulpErr;
    bool exact;
    if (isSpecial(g, ref, rounded, exact)) {
      absErr = relErr = ulpErr = exact ? 0 : kInf;
    } else {
      absErr = std::fabs(g - ref);
      relErr = absErr == 0 ? 0 : absErr / std::fabs(ref);
      ulpErr = absErr / bound.getUnit(got.getKind(), rounded);
    }
    c.maxAbs = std::max(c.maxAbs, absErr);
    c.maxRel = std::max(c.maxRel, relErr);
    if (ulpErr > c.maxUlp || (c.worstIndex < 0 && ulpErr > 0)) {
      c.maxUlp = ulpErr;
      c.worstIndex = i;
      c.worstGot = g;
      c.worstExpected = ref;
    }
  }
  return c;
}

Comparison act::runner::compareWithBound(const HostTensor &got,
                                         const RefTensor &expected,
                                         const AccuracyBound &bound,
                                         double tolerance) {
  Comparison c = compare(got, expected, bound);
  c.worstIndex = -1;
  for (int64_t i = 0, e = got.getNumElements(); i < e; ++i) {
    double g = got.get(i), ref = expected.data[i];
    double rounded = roundToKind(got.getKind(), ref);
    double use, allowed = 0;
    bool exact;
    if (isSpecial(g, ref, rounded, exact)) {
      use = exact ? 0 : kInf;
    } else {
      double absErr = std::fabs(g - ref);
      allowed = std::max(tolerance * expected.getError(i),
                         bound.ulps * bound.getUnit(got.getKind(), rounded));
      use = absErr == 0 ? 0 : absErr / allowed; // absErr / 0 is inf
    }
    if (use > c.maxBoundUse || (c.worstIndex < 0 && use > 0)) {
      c.maxBoundUse = use;
      c.worstIndex = i;
      c.worstGot = g;
      c.worstExpected = ref;
      c.worstAllowed = allowed;
    }
  }
  return c;
}
