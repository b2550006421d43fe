//===- Attention.cpp - The attention workloads of act-bench ---------------===//

#include "Attention.h"

#include "Bench.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FormatVariadic.h"

#include <algorithm>
#include <cmath>

using namespace act::bench;

double AttentionWorkload::flops() const {
  return (full ? 4.0 : 2.0) * double(batch()) * double(l) * double(s) *
         double(d);
}

double AttentionWorkload::scale() const { return 1.0 / std::sqrt(double(d)); }

static std::vector<int64_t> withHeads(int64_t heads,
                                      std::vector<int64_t> shape) {
  if (heads > 0)
    shape.insert(shape.begin(), heads);
  return shape;
}

std::vector<int64_t> AttentionWorkload::qShape() const {
  return withHeads(heads, {l, d});
}
std::vector<int64_t> AttentionWorkload::kvShape() const {
  return withHeads(heads, {s, d});
}
std::vector<int64_t> AttentionWorkload::scoresShape() const {
  return withHeads(heads, {l, s});
}
std::vector<int64_t> AttentionWorkload::outShape() const {
  return full ? qShape() : scoresShape();
}
int64_t AttentionWorkload::outElements() const {
  return batch() * l * outCols();
}

std::string AttentionWorkload::shapeString() const {
  std::string lsd = llvm::formatv("{0}x{1}x{2}", l, s, d).str();
  return heads > 0 ? std::to_string(heads) + "x" + lsd : lsd;
}

llvm::Expected<std::vector<AttentionShape>>
act::bench::parseAttentionShapes(llvm::StringRef list) {
  std::vector<AttentionShape> shapes;
  llvm::SmallVector<llvm::StringRef> items;
  list.split(items, ',', -1, /*KeepEmpty=*/false);
  for (llvm::StringRef item : items) {
    llvm::SmallVector<llvm::StringRef> dims;
    item.trim().split(dims, 'x');
    std::vector<int64_t> v(dims.size());
    bool ok = dims.size() == 3 || dims.size() == 4;
    for (size_t i = 0; ok && i < dims.size(); ++i)
      ok = !dims[i].getAsInteger(10, v[i]) && v[i] > 0;
    if (!ok)
      return llvm::createStringError(
          "bad attention shape '" + item +
          "' (want LxSxd or HxLxSxd, each at least 1)");
    if (v.size() == 3)
      shapes.push_back({0, v[0], v[1], v[2]});
    else
      shapes.push_back({v[0], v[1], v[2], v[3]});
  }
  return shapes;
}

std::vector<AttentionWorkload>
act::bench::attentionWorkloads(llvm::ArrayRef<AttentionShape> shapes) {
  std::vector<AttentionWorkload> workloads;
  // Kind-major: the scores, whose GFLOP/s compare with each other, then the
  // full attention.
  for (bool full : {false, true})
    for (const AttentionShape &shape : shapes) {
      AttentionWorkload w;
      w.full = full;
      w.heads = shape.heads;
      w.l = shape.l;
      w.s = shape.s;
      w.d = shape.d;
      w.name = std::string(w.kind()) + "/" + w.shapeString();
      if (llvm::none_of(workloads, [&](const AttentionWorkload &o) {
            return o.name == w.name;
          }))
        workloads.push_back(w);
    }
  return workloads;
}

std::optional<AttentionWorkload>
act::bench::parseAttentionWorkload(llvm::StringRef name) {
  auto [kind, shape] = name.split('/');
  if (kind != "scores" && kind != "attention")
    return std::nullopt;
  auto shapes = parseAttentionShapes(shape);
  if (!shapes) {
    llvm::consumeError(shapes.takeError());
    return std::nullopt;
  }
  if (shapes->size() != 1)
    return std::nullopt;
  for (const AttentionWorkload &w : attentionWorkloads(*shapes))
    if (w.name == name)
      return w;
  return std::nullopt;
}

std::vector<DenseInput>
act::bench::attentionInputs(const AttentionWorkload &w) {
  std::vector<DenseInput> inputs = {{"q", w.qShape(), 2.0f},
                                    {"k", w.kvShape(), 2.0f}};
  if (w.full)
    inputs.push_back({"v", w.kvShape(), 1.0f});
  return inputs;
}

void act::bench::fillAttentionInput(const AttentionWorkload &w, size_t index,
                                    float *data) {
  DenseInput in = attentionInputs(w)[index];
  // A 64-bit LCG seeded by the shape (not the kind) and the input.
  uint64_t seed = 0x2545f4914f6cdd1dull ^ (uint64_t(w.heads) << 48) ^
                  (uint64_t(w.l) << 32) ^ (uint64_t(w.s) << 16) ^
                  uint64_t(w.d) ^ (uint64_t(index + 1) << 58);
  fillUniform(data, in.elements(), seed, in.scale);
}

//===----------------------------------------------------------------------===//
// MLIR.
//===----------------------------------------------------------------------===//

/// The body both modules share: the scores into %p (the softmax of %x, of
/// type `scoresType`, made by `softmax`), for attention then O into %o.
static std::string
attentionBody(const AttentionWorkload &w,
              std::string (*softmax)(const AttentionWorkload &,
                                     llvm::StringRef scoresType)) {
  std::string tq = tensorType(w.qShape()), tkv = tensorType(w.kvShape()),
              ts = tensorType(w.scoresShape());
  std::string s = "  %zero = arith.constant 0.0 : f32\n";
  s += llvm::formatv("  %s_init = tensor.empty() : {0}\n"
                     "  %s_zero = linalg.fill ins(%zero : f32) outs(%s_init : "
                     "{0}) -> {0}\n",
                     ts)
           .str();
  if (w.batched()) {
    // Q K^T as a framework exports it: K transposed, then a batch_matmul.
    std::string tkt = tensorType({w.heads, w.d, w.s});
    s += llvm::formatv(
             "  %kt_init = tensor.empty() : {0}\n"
             "  %kt = linalg.transpose ins(%k : {1}) outs(%kt_init : {0}) "
             "permutation = [0, 2, 1]\n"
             "  %s = linalg.batch_matmul ins(%q, %kt : {2}, {0}) "
             "outs(%s_zero : {3}) -> {3}\n",
             tkt, tkv, tq, ts)
             .str();
  } else {
    // Q K^T as one matmul reading K transposed.
    s += llvm::formatv(
             "  %s = linalg.matmul indexing_maps = [affine_map<(m, n, k) -> "
             "(m, k)>, affine_map<(m, n, k) -> (n, k)>, affine_map<(m, n, k) "
             "-> (m, n)>] ins(%q, %k : {0}, {1}) outs(%s_zero : {2}) -> {2}\n",
             tq, tkv, ts)
             .str();
  }
  s += llvm::formatv("  %cst = arith.constant dense<{0:e9}> : {1}\n"
                     "  %x = arith.mulf %s, %cst : {1}\n",
                     w.scale(), ts)
           .str();
  s += softmax(w, ts);
  if (!w.full)
    return s;
  s += llvm::formatv("  %o_init = tensor.empty() : {0}\n"
                     "  %o_zero = linalg.fill ins(%zero : f32) outs(%o_init : "
                     "{0}) -> {0}\n"
                     "  %o = linalg.{1} ins(%p, %v : {2}, {3}) outs(%o_zero : "
                     "{0}) -> {0}\n",
                     tq, w.batched() ? "batch_matmul" : "matmul", ts, tkv)
           .str();
  return s;
}

static std::string actSoftmax(const AttentionWorkload &, llvm::StringRef type) {
  return llvm::formatv("  %p = act.softmax %x : {0}\n", type).str();
}

static std::string linalgSoftmax(const AttentionWorkload &w,
                                 llvm::StringRef type) {
  return llvm::formatv("  %p_init = tensor.empty() : {0}\n"
                       "  %p = linalg.softmax dimension({1}) ins(%x : {0}) "
                       "outs(%p_init : {0}) -> {0}\n",
                       type, w.batched() ? 2 : 1)
      .str();
}

std::string act::bench::attentionActModuleText(const AttentionWorkload &w) {
  std::string args;
  for (const DenseInput &in : attentionInputs(w))
    args += "%" + in.name + ": " + tensorType(in.shape) +
            " {bufferization.writable = false}, ";
  std::string ty = tensorType(w.outShape()),
              tout = tensorType(w.outShape(), "memref");
  return llvm::formatv(
             "func.func @k({0}%out: {1}) attributes {{llvm.emit_c_interface} "
             "{\n"
             "{2}"
             "  bufferization.materialize_in_destination {4} in restrict "
             "writable %out : ({3}, {1}) -> ()\n"
             "  return\n"
             "}\n",
             args, tout, attentionBody(w, actSoftmax), ty, w.full ? "%o" : "%p")
      .str();
}

std::string act::bench::attentionLinalgModuleText(const AttentionWorkload &w) {
  std::vector<std::string> args;
  for (const DenseInput &in : attentionInputs(w))
    args.push_back("%" + in.name + ": " + tensorType(in.shape));
  std::string ty = tensorType(w.outShape());
  return llvm::formatv("func.func @k({0}) -> {1} {{\n"
                       "{2}"
                       "  return {3} : {1}\n"
                       "}\n",
                       llvm::join(args, ", "), ty,
                       attentionBody(w, linalgSoftmax), w.full ? "%o" : "%p")
      .str();
}

//===----------------------------------------------------------------------===//
// Reference.
//===----------------------------------------------------------------------===//

static std::vector<int64_t> firstMiddleLast(int64_t n) {
  std::vector<int64_t> v = {0, n / 2, n - 1};
  v.erase(std::unique(v.begin(), v.end()), v.end());
  return v;
}

std::vector<std::pair<int64_t, int64_t>>
act::bench::attentionCheckedRows(const AttentionWorkload &w) {
  std::vector<std::pair<int64_t, int64_t>> rows;
  for (int64_t h : firstMiddleLast(w.batch()))
    for (int64_t i : firstMiddleLast(w.l))
      rows.push_back({h, i});
  return rows;
}

double act::bench::attentionReferenceError(const AttentionWorkload &w,
                                           llvm::ArrayRef<const float *> inputs,
                                           const float *out) {
  double worst = 0, largest = 0;
  for (auto [h, i] : attentionCheckedRows(w)) {
    const float *q = inputs[0] + (h * w.l + i) * w.d;
    const float *k = inputs[1] + h * w.s * w.d;
    std::vector<double> p(w.s);
    double top = -INFINITY;
    for (int64_t j = 0; j < w.s; ++j) {
      double dot = 0;
      for (int64_t c = 0; c < w.d; ++c)
        dot += double(q[c]) * double(k[j * w.d + c]);
      p[j] = dot * w.scale();
      top = std::max(top, p[j]);
    }
    double sum = 0;
    for (double &x : p) {
      x = std::exp(x - top);
      sum += x;
    }
    for (double &x : p)
      x /= sum;
    std::vector<double> ref = p;
    if (w.full) {
      const float *v = inputs[2] + h * w.s * w.d;
      ref.assign(w.d, 0.0);
      for (int64_t j = 0; j < w.s; ++j)
        for (int64_t c = 0; c < w.d; ++c)
          ref[c] += p[j] * double(v[j * w.d + c]);
    }
    const float *y = out + (h * w.l + i) * w.outCols();
    for (size_t c = 0; c < ref.size(); ++c) {
      largest = std::max(largest, std::fabs(ref[c]));
      double e = std::fabs(double(y[c]) - ref[c]);
      worst = std::isnan(e) ? INFINITY : std::max(worst, e);
    }
  }
  return largest > 0 ? worst / largest : worst;
}
