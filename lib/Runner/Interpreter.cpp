//===- Interpreter.cpp - act-run's double-precision reference -------------===//

#include "act/Runner/Interpreter.h"
#include "act/Dialect/Act/IR/ActActivations.h"
#include "act/Dialect/Act/IR/ActOps.h"
#include "act/Reference/Reference.h"
#include "act/Runner/Sweep.h"

#include "mlir/Analysis/SliceAnalysis.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/TypeSwitch.h"

#include <cmath>
#include <limits>
#include <type_traits>

using namespace mlir;
using namespace mlir::act::runner;
using llvm::createStringError;

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

//===----------------------------------------------------------------------===//
// The elementwise act ops, all at once.
//===----------------------------------------------------------------------===//

/// Applies an elementwise activation's reference to every element.
static bool evalUnary(Operation *op, const RefTensor &in, RefTensor &out) {
  std::function<double(double)> reference = act::getUnaryReference(op);
  if (!reference)
    return false;
  out.shape = in.shape;
  out.data.resize(in.data.size());
  for (size_t i = 0; i < in.data.size(); ++i)
    out.data[i] = reference(in.data[i]);
  return true;
}

//===----------------------------------------------------------------------===//
// Ops along a dimension.
//===----------------------------------------------------------------------===//

/// Applies `fn(inRow, outRow)` to every row along `dim`: rows of `inLen`
/// elements of `in` map to rows of `outLen` elements of the result.
template <typename Fn>
static RefTensor mapRows(const RefTensor &in, int64_t dim, int64_t outLen,
                         Fn fn) {
  int64_t inLen = in.shape[dim];
  int64_t outer = product(ArrayRef(in.shape).take_front(dim));
  int64_t inner = product(ArrayRef(in.shape).drop_front(dim + 1));
  RefTensor out;
  out.shape = in.shape;
  out.shape[dim] = outLen;
  out.data.resize(outer * outLen * inner);
  std::vector<double> row(inLen), result(outLen);
  for (int64_t o = 0; o < outer; ++o) {
    for (int64_t i = 0; i < inner; ++i) {
      for (int64_t k = 0; k < inLen; ++k)
        row[k] = in.data[(o * inLen + k) * inner + i];
      fn(row.data(), result.data());
      for (int64_t k = 0; k < outLen; ++k)
        out.data[(o * outLen + k) * inner + i] = result[k];
    }
  }
  return out;
}

static std::optional<RefTensor> evalDimOp(Operation *op, const RefTensor &in) {
  namespace ref = act::reference;
  if (auto o = dyn_cast<act::SoftmaxOp>(op)) {
    int64_t n = in.shape[o.getNormalizedDim()];
    return mapRows(in, o.getNormalizedDim(), n,
                   [&](const double *x, double *y) { ref::softmax(x, y, n); });
  }
  if (auto o = dyn_cast<act::LogSoftmaxOp>(op)) {
    int64_t n = in.shape[o.getNormalizedDim()];
    return mapRows(
        in, o.getNormalizedDim(), n,
        [&](const double *x, double *y) { ref::logSoftmax(x, y, n); });
  }
  if (auto o = dyn_cast<act::SoftminOp>(op)) {
    int64_t n = in.shape[o.getNormalizedDim()];
    return mapRows(in, o.getNormalizedDim(), n,
                   [&](const double *x, double *y) { ref::softmin(x, y, n); });
  }
  if (auto o = dyn_cast<act::GluOp>(op)) {
    int64_t n = in.shape[o.getNormalizedDim()] / 2;
    return mapRows(in, o.getNormalizedDim(), n,
                   [&](const double *x, double *y) { ref::glu(x, y, n); });
  }
  if (auto o = dyn_cast<act::MaxoutOp>(op)) {
    int64_t groups = o.getGroups();
    int64_t n = in.shape[o.getNormalizedDim()] / groups;
    return mapRows(
        in, o.getNormalizedDim(), n,
        [&](const double *x, double *y) { ref::maxout(x, y, n, groups); });
  }
  return std::nullopt;
}

//===----------------------------------------------------------------------===//
// The interpreter.
//===----------------------------------------------------------------------===//

static llvm::Error unsupported(Operation *op, StringRef why = "") {
  std::string msg =
      "--verify does not support op " + op->getName().getStringRef().str();
  if (!why.empty())
    msg += " (" + why.str() + ")";
  return createStringError(msg);
}

static llvm::Expected<RefTensor> evalConstant(arith::ConstantOp op) {
  RefTensor r;
  r.shape = getShape(op.getType());
  if (auto f = dyn_cast<FloatAttr>(op.getValue())) {
    r.data.push_back(f.getValueAsDouble());
    return r;
  }
  auto dense = dyn_cast<DenseFPElementsAttr>(op.getValue());
  if (!dense)
    return unsupported(op, "only float constants");
  r.data.reserve(dense.getNumElements());
  for (const APFloat &v : dense.getValues<APFloat>())
    r.data.push_back(v.convertToDouble());
  return r;
}

static RefTensor evalPRelu(act::PReluOp op, const RefTensor &x,
                           const RefTensor &slope) {
  RefTensor out;
  out.shape = x.shape;
  out.data.resize(x.data.size());
  int64_t channelDim = op.getChannelDim();
  int64_t channels = 1, inner = 1;
  if (channelDim >= 0 && static_cast<int64_t>(x.shape.size()) > channelDim) {
    channels = x.shape[channelDim];
    inner = product(ArrayRef(x.shape).drop_front(channelDim + 1));
  }
  for (size_t i = 0; i < x.data.size(); ++i) {
    int64_t c = channels > 1 ? (i / inner) % channels : 0;
    out.data[i] = act::PReluOp::forward<double>(x.data[i], slope.data[c]);
  }
  return out;
}

static RefTensor evalMatmul(const RefTensor &a, const RefTensor &b,
                            const RefTensor &c) {
  int64_t m = a.shape[0], k = a.shape[1], n = b.shape[1];
  RefTensor out = c;
  for (int64_t i = 0; i < m; ++i)
    for (int64_t j = 0; j < n; ++j) {
      double acc = c.data[i * n + j];
      for (int64_t l = 0; l < k; ++l)
        acc += a.data[i * k + l] * b.data[l * n + j];
      out.data[i * n + j] = acc;
    }
  return out;
}

llvm::Expected<std::vector<RefTensor>>
act::runner::interpret(func::FuncOp func, ArrayRef<RefTensor> args) {
  DenseMap<Value, RefTensor> values;
  for (auto [arg, tensor] : llvm::zip(func.getArguments(), args))
    values[arg] = tensor;
  if (!func.getBody().hasOneBlock())
    return createStringError("--verify needs a function with a single block");

  for (Operation &opRef : func.getBody().front()) {
    Operation *op = &opRef;
    auto operand = [&](unsigned i) -> const RefTensor & {
      return values[op->getOperand(i)];
    };
    for (Value v : op->getOperands())
      if (!values.count(v))
        return unsupported(op, "operand not computed");

    if (auto ret = dyn_cast<func::ReturnOp>(op)) {
      std::vector<RefTensor> results;
      for (unsigned i = 0; i < op->getNumOperands(); ++i)
        results.push_back(operand(i));
      return results;
    }
    if (auto c = dyn_cast<arith::ConstantOp>(op)) {
      llvm::Expected<RefTensor> r = evalConstant(c);
      if (!r)
        return r.takeError();
      values[op->getResult(0)] = std::move(*r);
      continue;
    }
    if (op->getDialect() && isa<act::ActDialect>(op->getDialect())) {
      RefTensor out;
      if (evalUnary(op, operand(0), out)) {
        values[op->getResult(0)] = std::move(out);
        continue;
      }
      if (auto prelu = dyn_cast<act::PReluOp>(op)) {
        values[op->getResult(0)] = evalPRelu(prelu, operand(0), operand(1));
        continue;
      }
      if (std::optional<RefTensor> r = evalDimOp(op, operand(0))) {
        values[op->getResult(0)] = std::move(*r);
        continue;
      }
      return unsupported(op);
    }
    if (isa<arith::AddFOp, arith::SubFOp, arith::MulFOp, arith::DivFOp>(op)) {
      const RefTensor &a = operand(0), &b = operand(1);
      if (a.shape != b.shape)
        return unsupported(op, "operands of different shapes");
      RefTensor out = a;
      for (size_t i = 0; i < a.data.size(); ++i) {
        double x = a.data[i], y = b.data[i];
        out.data[i] = isa<arith::AddFOp>(op)   ? x + y
                      : isa<arith::SubFOp>(op) ? x - y
                      : isa<arith::MulFOp>(op) ? x * y
                                               : x / y;
      }
      values[op->getResult(0)] = std::move(out);
      continue;
    }
    if (isa<tensor::EmptyOp>(op)) {
      // Its contents are undefined; consumers here (fill, matmul inits
      // after a fill) do not read them.
      RefTensor out;
      out.shape = getShape(op->getResult(0).getType());
      out.data.assign(product(out.shape), 0.0);
      values[op->getResult(0)] = std::move(out);
      continue;
    }
    if (auto fill = dyn_cast<linalg::FillOp>(op)) {
      RefTensor out = operand(1);
      std::fill(out.data.begin(), out.data.end(), operand(0).data[0]);
      values[op->getResult(0)] = std::move(out);
      continue;
    }
    if (auto mm = dyn_cast<linalg::MatmulOp>(op)) {
      if (mm.hasUserDefinedMaps() || op->getNumResults() != 1)
        return unsupported(op, "only the plain (M,K)x(K,N) form");
      values[op->getResult(0)] = evalMatmul(operand(0), operand(1), operand(2));
      continue;
    }
    return unsupported(op);
  }
  return createStringError("--verify: function has no func.return");
}

//===----------------------------------------------------------------------===//
// Comparison.
//===----------------------------------------------------------------------===//

/// The ulp of `r` (a value of `kind`) at its binade.
static double ulpOf(ElementKind kind, double r) {
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

AccuracyBound act::runner::getDocumentedBound(func::FuncOp func,
                                              unsigned result,
                                              ElementKind kind) {
  AccuracyBound bound;
  bound.ulps = 0;
  bool absolute = false, tinyOnlyAbsolute = false;
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
    StringRef name = op->getName().stripDialect();
    std::string sweepName = name.str();
    if (auto gelu = dyn_cast<act::GeluOp>(op))
      if (gelu.getApproximate() == act::GeluApproximation::tanh)
        sweepName = "gelu_tanh";
    double ulps;
    if (const SweepOpInfo *info = lookupSweepOp(sweepName)) {
      ulps = info->preciseBound;
      tinyOnlyAbsolute |= info->tinyOnlyAbsolute;
    } else if (isa<act::SoftmaxOp, act::SoftminOp, act::LogSoftmaxOp>(op)) {
      // softmax: exp(x - max) inherits the rounding of x - max, about
      // |x - max| / 2 ulp, so 16 holds for |x - max| < 16 (smaller results
      // are below the floor). log_softmax: x - max - log(sum), where
      // log(sum) carries the sum's rounding as an absolute error. Both grow
      // with the terms each accumulator adds in sequence: a row along the
      // last dimension is summed in 32 per-lane partial sums, a reduction
      // along another dimension one term at a time per column; the bounds
      // hold up to 128 terms per accumulator and scale (worst case,
      // linearly) beyond.
      bool isLog = isa<act::LogSoftmaxOp>(op);
      ulps = isLog ? 4 : 16;
      absolute |= isLog;
      auto type = dyn_cast<ShapedType>(op->getOperand(0).getType());
      int64_t dim =
          TypeSwitch<Operation *, int64_t>(op)
              .Case<act::SoftmaxOp, act::SoftminOp, act::LogSoftmaxOp>(
                  [](auto rowOp) { return rowOp.getNormalizedDim(); });
      if (type && type.hasStaticShape()) {
        int64_t n = type.getDimSize(dim);
        int64_t terms = dim == type.getRank() - 1 ? (n + 31) / 32 : n;
        ulps *= std::max<int64_t>(1, (terms + 127) / 128);
      }
    } else if (isa<act::GluOp>(op)) {
      ulps = 4;
    } else {
      ulps = 1; // prelu, maxout: one rounding or none
    }
    bound.ulps = std::max(bound.ulps, ulps);
  }
  if (bound.ulps == 0)
    bound.ulps = 4; // no act op: linalg and arith only
  // Half an ulp of 1 in the compute type (f16 and bf16 are computed in
  // f32): the contract's "within 2^-24 of 0" for f32.
  ElementKind compute = kind == ElementKind::f64 ? kind : ElementKind::f32;
  bound.floor = absolute ? 1.0 : ulpOf(compute, 1.0) / 2;
  bound.tinyUnit = tinyOnlyAbsolute ? bound.floor : ulpOf(kind, bound.floor);
  return bound;
}

Comparison act::runner::compare(const HostTensor &got,
                                const RefTensor &expected,
                                const AccuracyBound &bound) {
  Comparison c;
  constexpr double inf = std::numeric_limits<double>::infinity();
  for (int64_t i = 0, e = got.getNumElements(); i < e; ++i) {
    double g = got.get(i), ref = expected.data[i];
    double rounded = roundToKind(got.getKind(), ref);
    double absErr, relErr, ulpErr;
    if (std::isnan(g) && std::isnan(ref)) {
      absErr = relErr = ulpErr = 0;
    } else if (std::isnan(g) || std::isnan(ref) || std::isinf(g) ||
               std::isinf(rounded)) {
      absErr = relErr = ulpErr = g == rounded ? 0 : inf;
    } else {
      absErr = std::fabs(g - ref);
      relErr = absErr == 0 ? 0 : absErr / std::fabs(ref);
      ulpErr = std::fabs(rounded) < bound.floor
                   ? absErr / bound.tinyUnit
                   : absErr / ulpOf(got.getKind(), rounded);
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
