//===- Dense.cpp - The dense-layer workloads of act-bench -----------------===//

#include "Dense.h"

#include "Bench.h"

#include "act/Math/Activations.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FormatVariadic.h"

#include <algorithm>
#include <cmath>

using namespace act::bench;
namespace math = mlir::act::math;

double DenseWorkload::flops() const {
  double mkn = 2.0 * double(m) * double(k) * double(n);
  return isSwiGlu() ? 3 * mkn : mkn;
}

std::string DenseWorkload::shapeString() const {
  return llvm::formatv("{0}x{1}x{2}", m, k, n).str();
}

llvm::ArrayRef<const char *> act::bench::denseActivations() {
  static const char *const acts[] = {"gelu", "gelu_tanh", "relu", "silu"};
  return acts;
}

llvm::Expected<std::vector<std::array<int64_t, 3>>>
act::bench::parseShapes(llvm::StringRef list) {
  std::vector<std::array<int64_t, 3>> shapes;
  llvm::SmallVector<llvm::StringRef> items;
  list.split(items, ',', -1, /*KeepEmpty=*/false);
  for (llvm::StringRef item : items) {
    llvm::SmallVector<llvm::StringRef> dims;
    item.trim().split(dims, 'x');
    std::array<int64_t, 3> shape;
    bool ok = dims.size() == 3;
    for (size_t i = 0; ok && i < 3; ++i)
      ok = !dims[i].getAsInteger(10, shape[i]) && shape[i] > 0;
    if (!ok)
      return llvm::createStringError("bad shape '" + item +
                                     "' (want MxKxN, each at least 1)");
    shapes.push_back(shape);
  }
  return shapes;
}

std::vector<DenseWorkload>
act::bench::denseWorkloads(llvm::ArrayRef<std::array<int64_t, 3>> dense,
                           llvm::ArrayRef<std::array<int64_t, 3>> swiglu) {
  std::vector<DenseWorkload> workloads;
  auto add = [&](const char *act, const std::array<int64_t, 3> &s) {
    DenseWorkload w{"", act, s[0], s[1], s[2]};
    w.name = std::string(act) + "/" + w.shapeString();
    if (llvm::none_of(workloads,
                      [&](const DenseWorkload &o) { return o.name == w.name; }))
      workloads.push_back(w);
  };
  // Shape-major, so that a shape's activations sit together in the tables.
  for (const auto &shape : dense)
    for (const char *act : denseActivations())
      add(act, shape);
  for (const auto &shape : swiglu)
    add("swiglu", shape);
  return workloads;
}

std::optional<DenseWorkload>
act::bench::parseDenseWorkload(llvm::StringRef name) {
  auto [act, shape] = name.split('/');
  auto shapes = parseShapes(shape);
  if (!shapes) {
    llvm::consumeError(shapes.takeError());
    return std::nullopt;
  }
  if (shapes->size() != 1 ||
      (act != "swiglu" && !llvm::is_contained(denseActivations(), act)))
    return std::nullopt;
  std::vector<DenseWorkload> w = act == "swiglu" ? denseWorkloads({}, *shapes)
                                                 : denseWorkloads(*shapes, {});
  for (const DenseWorkload &candidate : w)
    if (candidate.name == name)
      return candidate;
  return std::nullopt;
}

int64_t DenseInput::elements() const {
  int64_t n = 1;
  for (int64_t d : shape)
    n *= d;
  return n;
}

std::vector<DenseInput> act::bench::denseInputs(const DenseWorkload &w) {
  auto weight = [](int64_t fanIn) { return float(3.0 / std::sqrt(fanIn)); };
  if (w.isSwiGlu())
    return {{"x", {w.m, w.k}, 1.0f},
            {"w1", {w.k, w.n}, weight(w.k)},
            {"w3", {w.k, w.n}, weight(w.k)},
            {"w2", {w.n, w.k}, weight(w.n)}};
  return {{"x", {w.m, w.k}, 1.0f},
          {"w", {w.k, w.n}, weight(w.k)},
          {"b", {w.n}, 1.0f}};
}

void act::bench::fillDenseInput(const DenseWorkload &w, size_t index,
                                float *data) {
  DenseInput in = denseInputs(w)[index];
  // A 64-bit LCG seeded by the shape and the input: different tensors get
  // different numbers, every process the same ones.
  uint64_t seed = 0x9e3779b97f4a7c15ull ^ (uint64_t(w.m) << 40) ^
                  (uint64_t(w.k) << 20) ^ uint64_t(w.n) ^
                  (uint64_t(index + 1) << 58);
  fillUniform(data, in.elements(), seed, in.scale);
}

//===----------------------------------------------------------------------===//
// MLIR.
//===----------------------------------------------------------------------===//

std::string act::bench::tensorType(llvm::ArrayRef<int64_t> shape,
                                   llvm::StringRef kind) {
  std::string s = kind.str() + "<";
  for (int64_t d : shape)
    s += std::to_string(d) + "x";
  return s + "f32>";
}

/// The act op computing `act` on %in into %out, of type `type`.
static std::string actOp(llvm::StringRef act, llvm::StringRef out,
                         llvm::StringRef in, llvm::StringRef type) {
  if (act == "gelu_tanh")
    return llvm::formatv("  {0} = act.gelu {1} approximate = tanh : {2}\n", out,
                         in, type);
  return llvm::formatv("  {0} = act.{1} {2} : {3}\n", out, act, in, type);
}

/// The body of a linalg.generic computing `act` of %f_v (f32) as %f_r; its
/// names start with f_, as no value of the enclosing function does.
static std::string formulaBody(llvm::StringRef act) {
  if (act == "relu")
    return "    %f_zero = arith.constant 0.0 : f32\n"
           "    %f_r = arith.maximumf %f_v, %f_zero : f32\n";
  if (act == "silu")
    return "    %f_one = arith.constant 1.0 : f32\n"
           "    %f_n = arith.negf %f_v : f32\n"
           "    %f_e = math.exp %f_n : f32\n"
           "    %f_d = arith.addf %f_e, %f_one : f32\n"
           "    %f_r = arith.divf %f_v, %f_d : f32\n";
  if (act == "gelu")
    return "    %f_half = arith.constant 0.5 : f32\n"
           "    %f_one = arith.constant 1.0 : f32\n"
           "    %f_rsqrt2 = arith.constant 0.70710678118654752 : f32\n"
           "    %f_t = arith.mulf %f_v, %f_rsqrt2 : f32\n"
           "    %f_e = math.erf %f_t : f32\n"
           "    %f_p = arith.addf %f_e, %f_one : f32\n"
           "    %f_h = arith.mulf %f_v, %f_half : f32\n"
           "    %f_r = arith.mulf %f_h, %f_p : f32\n";
  // gelu_tanh: 0.5 x (1 + tanh(sqrt(2 / pi) (x + 0.044715 x^3))).
  return "    %f_half = arith.constant 0.5 : f32\n"
         "    %f_one = arith.constant 1.0 : f32\n"
         "    %f_c = arith.constant 0.044715 : f32\n"
         "    %f_s = arith.constant 0.79788456080286536 : f32\n"
         "    %f_x2 = arith.mulf %f_v, %f_v : f32\n"
         "    %f_x3 = arith.mulf %f_x2, %f_v : f32\n"
         "    %f_cx3 = arith.mulf %f_x3, %f_c : f32\n"
         "    %f_i = arith.addf %f_v, %f_cx3 : f32\n"
         "    %f_si = arith.mulf %f_i, %f_s : f32\n"
         "    %f_t = math.tanh %f_si : f32\n"
         "    %f_p = arith.addf %f_t, %f_one : f32\n"
         "    %f_h = arith.mulf %f_v, %f_half : f32\n"
         "    %f_r = arith.mulf %f_h, %f_p : f32\n";
}

/// `act` as a linalg.generic from %in into a new tensor of `type`.
static std::string formulaOp(llvm::StringRef act, llvm::StringRef out,
                             llvm::StringRef in, llvm::StringRef type) {
  return llvm::formatv(
             "  {0}_init = tensor.empty() : {2}\n"
             "  {0} = linalg.generic {{indexing_maps = [affine_map<(i, j) -> "
             "(i, j)>, affine_map<(i, j) -> (i, j)>], iterator_types = "
             "[\"parallel\", \"parallel\"]} ins({1} : {2}) outs({0}_init : "
             "{2}) {{\n"
             "  ^bb0(%f_v: f32, %f_o: f32):\n"
             "{3}"
             "    linalg.yield %f_r : f32\n"
             "  } -> {2}\n",
             out, in, type, formulaBody(act))
      .str();
}

/// The body both modules share: Y from the inputs, the activation made by
/// `activation` (an act op or its formula), into the SSA value %y.
static std::string
denseBody(const DenseWorkload &w,
          std::string (*activation)(llvm::StringRef, llvm::StringRef,
                                    llvm::StringRef, llvm::StringRef)) {
  std::string s;
  auto matmul = [&](llvm::StringRef out, llvm::StringRef a, llvm::StringRef b,
                    int64_t m, int64_t k, int64_t n) {
    std::string ta = tensorType({m, k}), tb = tensorType({k, n}),
                tc = tensorType({m, n});
    s += llvm::formatv("  {0}_init = tensor.empty() : {1}\n"
                       "  {0}_zero = linalg.fill ins(%zero : f32) outs({0}_init"
                       " : {1}) -> {1}\n"
                       "  {0} = linalg.matmul ins({2}, {3} : {4}, {5}) "
                       "outs({0}_zero : {1}) -> {1}\n",
                       out, tc, a, b, ta, tb)
             .str();
  };
  s += "  %zero = arith.constant 0.0 : f32\n";
  if (w.isSwiGlu()) {
    std::string th = tensorType({w.m, w.n});
    matmul("%h1", "%x", "%w1", w.m, w.k, w.n);
    matmul("%h3", "%x", "%w3", w.m, w.k, w.n);
    s += activation("silu", "%s", "%h1", th);
    s += llvm::formatv("  %g = arith.mulf %s, %h3 : {0}\n", th).str();
    matmul("%y", "%g", "%w2", w.m, w.n, w.k);
    return s;
  }
  std::string ty = tensorType({w.m, w.n});
  matmul("%mm", "%x", "%w", w.m, w.k, w.n);
  s += llvm::formatv("  %bb_init = tensor.empty() : {0}\n"
                     "  %bb = linalg.broadcast ins(%b : {1}) outs(%bb_init : "
                     "{0}) dimensions = [0]\n"
                     "  %a = arith.addf %mm, %bb : {0}\n",
                     ty, tensorType({w.n}))
           .str();
  s += activation(w.act, "%y", "%a", ty);
  return s;
}

std::string act::bench::denseActModuleText(const DenseWorkload &w) {
  std::string args;
  for (const DenseInput &in : denseInputs(w))
    args += "%" + in.name + ": " + tensorType(in.shape) +
            " {bufferization.writable = false}, ";
  std::string ty = tensorType({w.outRows(), w.outCols()}),
              tout = tensorType({w.outRows(), w.outCols()}, "memref");
  return llvm::formatv(
             "func.func @k({0}%out: {1}) attributes {{llvm.emit_c_interface} "
             "{\n"
             "{2}"
             "  bufferization.materialize_in_destination %y in restrict "
             "writable %out : ({3}, {1}) -> ()\n"
             "  return\n"
             "}\n",
             args, tout, denseBody(w, actOp), ty)
      .str();
}

std::string act::bench::denseLinalgModuleText(const DenseWorkload &w) {
  std::vector<std::string> args;
  for (const DenseInput &in : denseInputs(w))
    args.push_back("%" + in.name + ": " + tensorType(in.shape));
  std::string ty = tensorType({w.outRows(), w.outCols()});
  return llvm::formatv("func.func @k({0}) -> {1} {{\n"
                       "{2}"
                       "  return %y : {1}\n"
                       "}\n",
                       llvm::join(args, ", "), ty, denseBody(w, formulaOp))
      .str();
}

//===----------------------------------------------------------------------===//
// Reference.
//===----------------------------------------------------------------------===//

static double activate(llvm::StringRef act, double x) {
  if (act == "gelu")
    return math::geluErf(x);
  if (act == "gelu_tanh")
    return math::geluTanh(x);
  if (act == "relu")
    return math::relu(x);
  return math::silu(x);
}

std::vector<int64_t> act::bench::denseCheckedRows(const DenseWorkload &w) {
  std::vector<int64_t> rows = {0, w.m / 2, w.m - 1};
  rows.erase(std::unique(rows.begin(), rows.end()), rows.end());
  return rows;
}

/// Row r of a (rows x k) times b (k x n), in double.
static std::vector<double> rowTimes(const double *a, int64_t k, const float *b,
                                    int64_t n) {
  std::vector<double> y(n, 0.0);
  for (int64_t p = 0; p < k; ++p)
    for (int64_t j = 0; j < n; ++j)
      y[j] += a[p] * double(b[p * n + j]);
  return y;
}

double act::bench::denseReferenceError(const DenseWorkload &w,
                                       llvm::ArrayRef<const float *> inputs,
                                       const float *out) {
  double worst = 0, largest = 0;
  for (int64_t r : denseCheckedRows(w)) {
    std::vector<double> x(inputs[0] + r * w.k, inputs[0] + (r + 1) * w.k);
    std::vector<double> ref;
    if (w.isSwiGlu()) {
      std::vector<double> h1 = rowTimes(x.data(), w.k, inputs[1], w.n);
      std::vector<double> h3 = rowTimes(x.data(), w.k, inputs[2], w.n);
      for (int64_t j = 0; j < w.n; ++j)
        h1[j] = math::silu(h1[j]) * h3[j];
      ref = rowTimes(h1.data(), w.n, inputs[3], w.k);
    } else {
      ref = rowTimes(x.data(), w.k, inputs[1], w.n);
      for (int64_t j = 0; j < w.n; ++j)
        ref[j] = activate(w.act, ref[j] + double(inputs[2][j]));
    }
    const float *y = out + r * w.outCols();
    for (size_t j = 0; j < ref.size(); ++j) {
      largest = std::max(largest, std::fabs(ref[j]));
      double e = std::fabs(double(y[j]) - ref[j]);
      worst = std::isnan(e) ? INFINITY : std::max(worst, e);
    }
  }
  return largest > 0 ? worst / largest : worst;
}

double act::bench::relativeMaxDiff(const float *a, const float *b, int64_t n) {
  double worst = 0, largest = 0;
  for (int64_t i = 0; i < n; ++i) {
    largest = std::max(largest, std::fabs(double(b[i])));
    double e = std::fabs(double(a[i]) - double(b[i]));
    worst = std::isnan(e) ? INFINITY : std::max(worst, e);
  }
  return largest > 0 ? worst / largest : worst;
}
