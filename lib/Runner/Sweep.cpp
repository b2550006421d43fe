//===- Sweep.cpp - Exhaustive accuracy sweeps of f32 activations ----------===//

#include "act/Runner/Sweep.h"
#include "act/Dialect/Act/IR/ActActivations.h"

#include "act/Dialect/Act/IR/ActOps.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Parser/Parser.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/bit.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstring>

using namespace mlir;
using namespace mlir::act;
using namespace mlir::act::runner;

//===----------------------------------------------------------------------===//
// The ops.
//===----------------------------------------------------------------------===//

ArrayRef<SweepOpInfo> mlir::act::runner::getSweepOps() {
  // exp overflows above ~88.72 and flushes to denormals below ~-87.3; the
  // reference tails are worth a look for the exp-based ops.
  static const std::vector<SweepOpInfo> ops = {
      {"step", "act.step %x", 1, {}},
      // A threshold exact in f32: kernels compare with the parameter rounded
      // to the element type (as PyTorch does), the reference with the
      // double, so 0.1 would differ at x in (0.1, f32(0.1)] (docs/Accuracy.md).
      {"threshold",
       "act.threshold %x {threshold = 0.125 : f64, value = 20.0 : f64}",
       1,
       {0.125}},
      {"linear", "act.linear %x", 1, {}},
      {"sigmoid", "act.sigmoid %x", 2, {-88.72, -103.28, 16.64}},
      {"hard_sigmoid", "act.hard_sigmoid %x", 1, {-3, 3}},
      {"log_sigmoid", "act.log_sigmoid %x", 4, {-88.72, 16.64}},
      {"tanh", "act.tanh %x", 2, {-9.01, 9.01, 0.55}},
      {"hard_tanh", "act.hard_tanh %x", 1, {}},
      {"tanhshrink", "act.tanhshrink %x", 4, {-9.01, 9.01}},
      {"softshrink", "act.softshrink %x", 1, {-0.5, 0.5}},
      {"hardshrink", "act.hardshrink %x", 1, {-0.5, 0.5}},
      {"softsign", "act.softsign %x", 4, {}},
      {"relu", "act.relu %x", 1, {}},
      {"relu6", "act.relu6 %x", 1, {6}},
      {"leaky_relu", "act.leaky_relu %x", 1, {}},
      {"rrelu", "act.rrelu %x", 1, {}},
      {"elu", "act.elu %x", 4, {-88.72, -17.33}},
      {"celu", "act.celu %x", 4, {-88.72, -17.33}},
      {"selu", "act.selu %x", 4, {-88.72, -17.33}},
      {"gelu", "act.gelu %x", 4, {-13.0, -5.0, 5.0}, true},
      {"gelu_tanh", "act.gelu %x approximate = tanh", 4, {-13.0, -5.0, 5.0}},
      {"silu", "act.silu %x", 4, {-88.72, -103.28, 16.64}},
      {"swish", "act.swish %x", 4, {-88.72, -103.28, 16.64}},
      {"mish", "act.mish %x", 4, {-88.72, 20}},
      {"softplus", "act.softplus %x", 4, {-88.72, -103.28, 20}},
      {"hardswish", "act.hardswish %x", 4, {-3, 3}},
  };
  return ops;
}

const SweepOpInfo *mlir::act::runner::lookupSweepOp(StringRef name) {
  for (const SweepOpInfo &op : getSweepOps())
    if (name == op.name)
      return &op;
  return nullptr;
}

//===----------------------------------------------------------------------===//
// Ulps.
//===----------------------------------------------------------------------===//

static uint32_t bitsOf(float f) { return llvm::bit_cast<uint32_t>(f); }
static float floatOf(uint32_t b) { return llvm::bit_cast<float>(b); }

/// The f32 ulp at the binade of `r` (finite); 2^-149 for 0 and denormals.
static double ulpAt(float r) {
  int biased = (bitsOf(r) >> 23) & 0xff;
  return std::ldexp(1.0, std::max(biased, 1) - 127 - 23);
}

double mlir::act::runner::ulpError(float got, double ref) {
  float r = static_cast<float>(ref);
  if (std::isnan(got) || std::isnan(r))
    return std::isnan(got) && std::isnan(r) ? 0 : INFINITY;
  if (std::isinf(got) || std::isinf(r))
    return got == r ? 0 : INFINITY;
  return std::fabs(static_cast<double>(got) - static_cast<double>(r)) /
         ulpAt(r);
}

/// Records a result that differs in bits from the rounded reference.
static LLVM_ATTRIBUTE_NOINLINE void recordMismatch(SweepStats &s, uint32_t in,
                                                   float got, double ref) {
  float r = static_cast<float>(ref);
  SweepPoint p{in, got, ref, 0};
  bool gotNan = std::isnan(got), refNan = std::isnan(r);
  if (gotNan || refNan) {
    if (gotNan != refNan) {
      p.ulps = INFINITY;
      if (s.nanMismatches++ == 0)
        s.firstNan = p;
    }
    return;
  }
  if (std::isinf(got) || std::isinf(r)) {
    p.ulps = INFINITY;
    if (s.infMismatches++ == 0)
      s.firstInf = p;
    return;
  }
  if (got == 0 && r == 0) {
    // A wrong sign of an exact zero (relu(-0), tanh(-0), ...); a tiny
    // reference that rounds to the other zero is only counted.
    if (ref != 0) {
      ++s.tinyZeroSignMismatches;
      return;
    }
    if (s.zeroSignMismatches++ == 0)
      s.firstZeroSign = p;
    return;
  }
  ++s.inexact;
  p.ulps =
      std::fabs(static_cast<double>(got) - static_cast<double>(r)) / ulpAt(r);
  if (p.ulps > s.worst.ulps)
    s.worst = p;
  if (std::fabs(ref) >= 0x1p-24 && p.ulps > s.worstOutsideTiny.ulps)
    s.worstOutsideTiny = p;
}

template <typename F>
static void compareChunk(F &f, const uint32_t *in, const float *out, int64_t n,
                         SweepStats &s) {
  for (int64_t i = 0; i < n; ++i) {
    double ref = f(static_cast<double>(floatOf(in[i])));
    if (LLVM_UNLIKELY(bitsOf(out[i]) != bitsOf(static_cast<float>(ref))))
      recordMismatch(s, in[i], out[i], ref);
  }
  s.points += n;
}

//===----------------------------------------------------------------------===//
// The points.
//===----------------------------------------------------------------------===//

static const uint32_t kSpecials[] = {
    0x7fc00000, // NaN
    0x7f800000, // +Inf
    0xff800000, // -Inf
    0x80000000, // -0
    0x00000000, // +0
    0x00000001, // smallest denormal
    0x80000001, // -smallest denormal
    0x7f7fffff, // FLT_MAX
    0xff7fffff, // -FLT_MAX
};

/// Floats in order as integers: -0 and +0 are both 0.
static int64_t ordinalOf(uint32_t b) {
  return (b & 0x80000000u) ? -static_cast<int64_t>(b & 0x7fffffffu)
                           : static_cast<int64_t>(b);
}
static uint32_t bitsOfOrdinal(int64_t o) {
  return o < 0 ? (static_cast<uint32_t>(-o) | 0x80000000u)
               : static_cast<uint32_t>(o);
}

/// The points added to a strided sweep, sorted, without the strided ones.
static std::vector<uint32_t> getExtraPoints(const SweepOpInfo &op,
                                            const SweepOptions &options) {
  std::vector<uint32_t> extra;
  if (options.stride <= 1)
    return extra;
  extra.assign(std::begin(kSpecials), std::end(kSpecials));
  for (uint32_t b : {0xffc00000u, 0x7f800001u, 0x7fffffffu, 0xffffffffu,
                     0x00800000u, 0x80800000u, 0x007fffffu, 0x807fffffu})
    extra.push_back(b);
  std::vector<double> centres = {0.0, 1.0, -1.0};
  centres.insert(centres.end(), op.kinks.begin(), op.kinks.end());
  const int64_t maxOrdinal = 0x7f800000; // +Inf
  for (double c : centres) {
    int64_t o = ordinalOf(bitsOf(static_cast<float>(c)));
    int64_t n = options.neighbourhood;
    for (int64_t k = std::max(o - n, -maxOrdinal);
         k <= std::min(o + n, maxOrdinal); ++k)
      extra.push_back(bitsOfOrdinal(k));
  }
  extra.push_back(0x80000000u);
  llvm::sort(extra);
  extra.erase(std::unique(extra.begin(), extra.end()), extra.end());
  llvm::erase_if(extra, [&](uint32_t b) { return b % options.stride == 0; });
  return extra;
}

static uint64_t countStrided(uint64_t stride) {
  return ((uint64_t(1) << 32) + stride - 1) / stride;
}

uint64_t mlir::act::runner::countSweepPoints(const SweepOpInfo &op,
                                             const SweepOptions &options) {
  return countStrided(std::max<uint64_t>(options.stride, 1)) +
         getExtraPoints(op, options).size();
}

//===----------------------------------------------------------------------===//
// The sweep.
//===----------------------------------------------------------------------===//

static double now() {
  return std::chrono::duration<double>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

llvm::Expected<SweepStats>
mlir::act::runner::sweep(MLIRContext &context, const SweepOpInfo &info,
                         const SweepOptions &options) {
  double start = now();
  const int64_t chunk = std::max<int64_t>(
      options.chunk, static_cast<int64_t>(std::size(kSpecials)));
  std::string type = "tensor<" + std::to_string(chunk) + "xf32>";
  std::string text = "func.func @k(%x: " + type + ") -> " + type + " {\n" +
                     "  %y = " + info.text + " : " + type + "\n" +
                     "  return %y : " + type + "\n}\n";
  OwningOpRef<ModuleOp> module;
  {
    FirstError parseError(&context);
    module = parseSourceString<ModuleOp>(text, ParserConfig(&context));
    if (!module)
      return llvm::createStringError("cannot build the kernel of " +
                                     std::string(info.name) + ": " +
                                     parseError.str());
  }
  Operation *actOp = nullptr;
  module->walk([&](Operation *op) {
    if (op->getDialect() && op->getDialect()->getNamespace() == "act")
      actOp = op;
  });

  if (!actOp)
    return llvm::createStringError(std::string(info.name) + ": no act op");
  auto compiled = CompiledFunction::compile(*module, "k", options.compile);
  if (!compiled)
    return compiled.takeError();

  SweepStats stats;
  stats.op = info.name;
  stats.bound = info.preciseBound;
  const uint64_t stride = std::max<uint64_t>(options.stride, 1);
  const uint64_t strided = countStrided(stride);
  const std::vector<uint32_t> extra = getExtraPoints(info, options);
  const uint64_t total = strided + extra.size();

  HostTensor input(ElementKind::f32, {chunk});
  auto *in = static_cast<uint32_t *>(input.getData());
  const HostTensor *inputs[] = {&input};
  std::vector<HostTensor> results;

  std::function<double(double)> ref = getUnaryReference(actOp);
  if (!ref)
    return llvm::createStringError(std::string(info.name) +
                                   " has no elementwise reference");
  {
    // The special values, reported on their own.
    std::fill(in, in + chunk, 0u);
    std::copy(std::begin(kSpecials), std::end(kSpecials), in);
    (*compiled)->call(inputs, &results);
    const auto *out = static_cast<const float *>(results[0].getData());
    for (size_t i = 0; i < std::size(kSpecials); ++i) {
      double r = ref(static_cast<double>(floatOf(in[i])));
      stats.specials.push_back({in[i], out[i], r, ulpError(out[i], r)});
    }

    // The strided points, then the extra ones.
    uint64_t done = 0;
    while (done < total) {
      int64_t n = static_cast<int64_t>(
          std::min<uint64_t>(static_cast<uint64_t>(chunk), total - done));
      for (int64_t i = 0; i < n; ++i) {
        uint64_t k = done + i;
        in[i] = k < strided ? static_cast<uint32_t>(k * stride)
                            : extra[k - strided];
      }
      (*compiled)->call(inputs, &results);
      compareChunk(ref, in, static_cast<const float *>(results[0].getData()), n,
                   stats);
      done += n;
      if (options.progress)
        options.progress(done, total);
    }
  }
  stats.seconds = now() - start;
  return stats;
}
