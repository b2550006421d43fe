//===- OneDnn.cpp - The peers act-bench measures act against --------------===//

#include "OneDnn.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FormatVariadic.h"

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <dlfcn.h>
#include <immintrin.h>
#include <memory>

#ifdef ACT_BENCH_HAVE_DNNL
#include "oneapi/dnnl/dnnl.hpp"
#endif

using namespace act::bench;

/// No kernel, and `reason` in `why` if asked.
static std::optional<Kernel> noKernel(std::string *why, std::string reason) {
  if (why)
    *why = std::move(reason);
  return std::nullopt;
}

//===----------------------------------------------------------------------===//
// Copies.
//===----------------------------------------------------------------------===//

Kernel act::bench::makeMemcpy(const float *in, float *out, int64_t n) {
  return {[=] { std::memcpy(out, in, n * sizeof(float)); }, 0, "memcpy"};
}

__attribute__((target("avx512f"))) static void
streamCopy512(const float *in, float *out, int64_t n) {
  int64_t i = 0;
  for (; i + 16 <= n; i += 16)
    _mm512_stream_ps(out + i, _mm512_loadu_ps(in + i));
  for (; i < n; ++i)
    out[i] = in[i];
  // Non-temporal stores are weakly ordered: fence so the copy is complete
  // (and the next timing starts clean) when we return.
  _mm_sfence();
}

__attribute__((target("avx"))) static void
streamCopy256(const float *in, float *out, int64_t n) {
  int64_t i = 0;
  for (; i + 8 <= n; i += 8)
    _mm256_stream_ps(out + i, _mm256_loadu_ps(in + i));
  for (; i < n; ++i)
    out[i] = in[i];
  _mm_sfence();
}

Kernel act::bench::makeStreamCopy(const float *in, float *out, int64_t n) {
  if (__builtin_cpu_supports("avx512f"))
    return {[=] { streamCopy512(in, out, n); }, 0, "_mm512_stream_ps"};
  return {[=] { streamCopy256(in, out, n); }, 0, "_mm256_stream_ps"};
}

//===----------------------------------------------------------------------===//
// oneDNN.
//===----------------------------------------------------------------------===//

namespace {
/// An eltwise algorithm with its alpha and beta.
struct EltwiseMapping {
  const char *name;
  float alpha = 0, beta = 0;
};
} // namespace

static double attr(const Workload &w, const char *name, double dflt) {
  for (const auto &[key, value] : w.attrs)
    if (key == name)
      return value;
  return dflt;
}

/// act op -> oneDNN 2.6 eltwise algorithm (by its dnnl::algorithm name).
/// oneDNN 2.6 has no step, threshold, tanhshrink, softshrink, hardshrink,
/// softsign, selu, and no hardsigmoid or soft_relu with a beta (both 3.0).
/// selu and hard_sigmoid would be an eltwise with an eltwise post-op, but 2.6
/// has only its scalar reference for that (which on a 1-D tensor even leaves
/// dst unwritten), so they are left out rather than measured slow.
static std::optional<EltwiseMapping> mapEltwise(const Workload &w) {
  const std::string &op = w.op;
  auto one = [](const char *name, double alpha = 0,
                double beta = 0) -> std::optional<EltwiseMapping> {
    return EltwiseMapping{name, float(alpha), float(beta)};
  };
  if (op == "linear")
    return one("eltwise_linear", attr(w, "alpha", 1), attr(w, "beta", 0));
  if (op == "sigmoid")
    return one("eltwise_logistic");
  if (op == "log_sigmoid")
    return one("eltwise_logsigmoid");
  if (op == "tanh")
    return one("eltwise_tanh");
  if (op == "hard_tanh")
    return one("eltwise_clip", attr(w, "min_val", -1), attr(w, "max_val", 1));
  if (op == "relu")
    return one("eltwise_relu");
  if (op == "relu6")
    return one("eltwise_clip", 0, 6);
  if (op == "leaky_relu")
    return one("eltwise_relu", attr(w, "negative_slope", 0.01));
  // RReLU at inference is a leaky ReLU with the mean slope.
  if (op == "rrelu")
    return one("eltwise_relu",
               (attr(w, "lower", 1.0 / 8.0) + attr(w, "upper", 1.0 / 3.0)) / 2);
  if (op == "elu")
    return one("eltwise_elu", attr(w, "alpha", 1));
  // celu(x, a) = a * elu(x / a, 1): a single elu only for a = 1.
  if (op == "celu" && attr(w, "alpha", 1) == 1)
    return one("eltwise_elu", 1);
  if (op == "gelu")
    return one("eltwise_gelu_erf");
  if (op == "gelu_tanh")
    return one("eltwise_gelu_tanh");
  if (op == "silu")
    return one("eltwise_swish", 1);
  if (op == "swish")
    return one("eltwise_swish", attr(w, "beta", 1));
  if (op == "mish")
    return one("eltwise_mish");
  // 2.6's soft_relu is log(1 + exp(x)), linear for large x: softplus with
  // beta = 1 (act's threshold 20 changes nothing in f32).
  if (op == "softplus" && attr(w, "beta", 1) == 1)
    return one("eltwise_soft_relu");
  if (op == "hardswish")
    return one("eltwise_hardswish");
  return std::nullopt;
}

static std::string describe(const char *name, float alpha, float beta) {
  std::string s = name;
  char buf[64];
  if (alpha != 0 || beta != 0) {
    std::snprintf(buf, sizeof(buf), " alpha=%g beta=%g", alpha, beta);
    s += buf;
  }
  return s;
}

std::string act::bench::oneDnnAlgorithm(const Workload &w) {
#ifdef ACT_BENCH_HAVE_DNNL
  if (w.op == "softmax")
    return "softmax_v2 softmax_accurate axis=1";
  if (w.op == "log_softmax")
    return "softmax_v2 softmax_log axis=1";
  if (w.op == "prelu")
    return "prelu_forward (shared slope)";
  if (std::optional<EltwiseMapping> m = mapEltwise(w))
    return describe(m->name, m->alpha, m->beta);
#else
  (void)w;
#endif
  return "";
}

#ifdef ACT_BENCH_HAVE_DNNL

static dnnl::engine &engine() {
  static dnnl::engine e(dnnl::engine::kind::cpu, 0);
  return e;
}

static dnnl::stream &stream() {
  static dnnl::stream s(engine());
  return s;
}

static dnnl::algorithm algorithmNamed(const char *name) {
  using a = dnnl::algorithm;
  const std::pair<const char *, a> table[] = {
      {"eltwise_relu", a::eltwise_relu},
      {"eltwise_tanh", a::eltwise_tanh},
      {"eltwise_elu", a::eltwise_elu},
      {"eltwise_linear", a::eltwise_linear},
      {"eltwise_soft_relu", a::eltwise_soft_relu},
      {"eltwise_logistic", a::eltwise_logistic},
      {"eltwise_gelu_tanh", a::eltwise_gelu_tanh},
      {"eltwise_gelu_erf", a::eltwise_gelu_erf},
      {"eltwise_swish", a::eltwise_swish},
      {"eltwise_clip", a::eltwise_clip},
      {"eltwise_logsigmoid", a::eltwise_logsigmoid},
      {"eltwise_mish", a::eltwise_mish},
      {"eltwise_hardswish", a::eltwise_hardswish},
      {"eltwise_relu_use_dst_for_bwd", a::eltwise_relu_use_dst_for_bwd},
      {"eltwise_tanh_use_dst_for_bwd", a::eltwise_tanh_use_dst_for_bwd},
      {"eltwise_elu_use_dst_for_bwd", a::eltwise_elu_use_dst_for_bwd},
      {"eltwise_logistic_use_dst_for_bwd", a::eltwise_logistic_use_dst_for_bwd},
  };
  for (const auto &[n, alg] : table)
    if (!std::strcmp(n, name))
      return alg;
  return a::undef;
}

static double seconds() {
  return std::chrono::duration<double>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

/// The ISA oneDNN's JIT generates code for, e.g. "avx2", "avx512_core".
static std::string oneDnnIsa() {
  const char *isa = "other";
  using i = dnnl::cpu_isa;
  const std::pair<i, const char *> isas[] = {
      {i::sse41, "sse41"},
      {i::avx, "avx"},
      {i::avx2, "avx2"},
      {i::avx2_vnni, "avx2_vnni"},
      {i::avx512_core, "avx512_core"},
      {i::avx512_core_vnni, "avx512_core_vnni"},
      {i::avx512_core_bf16, "avx512_core_bf16"},
      {i::avx512_core_amx, "avx512_core_amx"},
  };
  for (const auto &[value, name] : isas)
    if (dnnl::get_effective_cpu_isa() == value)
      isa = name;
  return isa;
}

std::string act::bench::initOneDnn() {
  // The Debian build threads with OpenMP (libgomp). libgomp reads
  // OMP_NUM_THREADS when it is loaded, before main, so setting the variable
  // now only helps runtimes that read it lazily; omp_set_num_threads on this
  // (the calling) thread is what oneDNN's omp_get_max_threads() sees. Looked
  // up at run time so act-bench need not link an OpenMP runtime itself.
  setenv("OMP_NUM_THREADS", "1", 1);
  auto setThreads = reinterpret_cast<void (*)(int)>(
      dlsym(RTLD_DEFAULT, "omp_set_num_threads"));
  auto getThreads =
      reinterpret_cast<int (*)()>(dlsym(RTLD_DEFAULT, "omp_get_max_threads"));
  if (setThreads)
    setThreads(1);
  const dnnl_version_t *v = dnnl_version();
  const char *runtime = DNNL_CPU_THREADING_RUNTIME == DNNL_RUNTIME_OMP   ? "OMP"
                        : DNNL_CPU_THREADING_RUNTIME == DNNL_RUNTIME_TBB ? "TBB"
                        : DNNL_CPU_THREADING_RUNTIME == DNNL_RUNTIME_SEQ
                            ? "sequential"
                            : "other";
  std::string isa = oneDnnIsa();
  char buf[160];
  std::snprintf(buf, sizeof(buf), "oneDNN %d.%d.%d (%s, %d thread%s, isa %s)",
                v->major, v->minor, v->patch, runtime,
                getThreads ? getThreads() : -1,
                getThreads && getThreads() == 1 ? "" : "s", isa.c_str());
  return buf;
}

std::optional<Kernel> act::bench::makeOneDnn(const Workload &w, const float *in,
                                             float *out, std::string *why) {
  using dnnl::memory;
  using tag = memory::format_tag;
  double start = seconds();
  // oneDNN's memory objects do not write through a const pointer; the
  // primitives only read their source.
  void *src = const_cast<float *>(in);
  memory::dims dims(w.shape.begin(), w.shape.end());
  memory::desc md(dims, memory::data_type::f32,
                  dims.size() == 1 ? tag::a : tag::ab);
  dnnl::primitive prim;
  std::unordered_map<int, memory> args = {
      {DNNL_ARG_SRC, memory(md, engine(), src)},
      {DNNL_ARG_DST, memory(md, engine(), out)}};
  const char *impl = "";
  auto kind = dnnl::prop_kind::forward_inference;

  if (w.isRowOp()) {
    auto alg = w.op == "softmax" ? dnnl::algorithm::softmax_accurate
                                 : dnnl::algorithm::softmax_log;
    dnnl::softmax_v2_forward::desc d(kind, alg, md, md, 1);
    dnnl::softmax_v2_forward::primitive_desc pd(d, engine(), true);
    if (!pd)
      return noKernel(why, "no softmax_v2 implementation");
    impl = pd.impl_info_str();
    prim = dnnl::softmax_v2_forward(pd);
  } else if (w.op == "prelu") {
    // One slope for all elements: a weights tensor of one element that
    // oneDNN broadcasts. As [1, 1, n]: 2.6 has its jit prelu only from 3-D
    // up (1-D and 2-D get the scalar reference, ~100x slower).
    auto slope = std::make_shared<float>(kPreluSlope);
    memory::desc pmd({1, 1, w.elements()}, memory::data_type::f32, tag::abc);
    memory::desc wmd({1, 1, 1}, memory::data_type::f32, tag::abc);
    args = {{DNNL_ARG_SRC, memory(pmd, engine(), src)},
            {DNNL_ARG_DST, memory(pmd, engine(), out)}};
    dnnl::prelu_forward::desc d(kind, pmd, wmd);
    dnnl::prelu_forward::primitive_desc pd(d, engine(), true);
    if (!pd)
      return noKernel(why, "no prelu implementation");
    impl = pd.impl_info_str();
    prim = dnnl::prelu_forward(pd);
    args.emplace(DNNL_ARG_WEIGHTS, memory(wmd, engine(), slope.get()));
    // Keep the slope alive as long as the kernel.
    auto execute = [prim, args, slope] {
      prim.execute(stream(), args);
      stream().wait();
    };
    return Kernel{execute, seconds() - start, oneDnnAlgorithm(w) + " " + impl};
  } else {
    std::optional<EltwiseMapping> m = mapEltwise(w);
    if (!m)
      return noKernel(why, "no oneDNN 2.6 eltwise algorithm");
    dnnl::eltwise_forward::desc d(kind, algorithmNamed(m->name), md, m->alpha,
                                  m->beta);
    dnnl::eltwise_forward::primitive_desc pd(d, engine(), true);
    if (!pd)
      return noKernel(why, std::string("no implementation of ") +
                               oneDnnAlgorithm(w));
    impl = pd.impl_info_str();
    prim = dnnl::eltwise_forward(pd);
  }
  auto execute = [prim, args] {
    prim.execute(stream(), args);
    stream().wait();
  };
  return Kernel{execute, seconds() - start, oneDnnAlgorithm(w) + " " + impl};
}

/// The backward's algorithm and alpha: the forward's mapping, with the dst
/// variant (which 2.6 has for relu, tanh, elu and logistic) for a
/// from-output workload.
static std::optional<EltwiseMapping>
mapEltwiseBackward(const BackwardWorkload &w) {
  std::optional<EltwiseMapping> m =
      mapEltwise(Workload{w.op, w.op, {w.elements}, {}});
  if (!m || !w.fromOutput)
    return m;
  static const char *const useDst[][2] = {
      {"eltwise_relu", "eltwise_relu_use_dst_for_bwd"},
      {"eltwise_tanh", "eltwise_tanh_use_dst_for_bwd"},
      {"eltwise_elu", "eltwise_elu_use_dst_for_bwd"},
      {"eltwise_logistic", "eltwise_logistic_use_dst_for_bwd"}};
  for (const auto &[from, to] : useDst)
    if (!std::strcmp(m->name, from)) {
      m->name = to;
      return m;
    }
  // No dst variant: oneDNN would need x, which a from-output workload does
  // not give it.
  return std::nullopt;
}

std::string act::bench::oneDnnBackwardAlgorithm(const BackwardWorkload &w) {
  if (std::optional<EltwiseMapping> m = mapEltwiseBackward(w))
    return describe(m->name, m->alpha, m->beta);
  return "";
}

std::optional<Kernel> act::bench::makeOneDnnBackward(const BackwardWorkload &w,
                                                     const float *dy,
                                                     const float *source,
                                                     float *dx,
                                                     std::string *why) {
  using dnnl::memory;
  std::optional<EltwiseMapping> m = mapEltwiseBackward(w);
  if (!m)
    return noKernel(why, "no oneDNN 2.6 eltwise backward algorithm");
  double start = seconds();
  memory::desc md({w.elements}, memory::data_type::f32, memory::format_tag::a);
  dnnl::algorithm alg = algorithmNamed(m->name);
  // The backward primitive takes its forward (training) as a hint.
  dnnl::eltwise_forward::primitive_desc hint(
      dnnl::eltwise_forward::desc(dnnl::prop_kind::forward_training, alg, md,
                                  m->alpha, m->beta),
      engine(), true);
  if (!hint)
    return noKernel(why, std::string("no forward_training of ") + m->name);
  dnnl::eltwise_backward::primitive_desc pd(
      dnnl::eltwise_backward::desc(alg, md, md, m->alpha, m->beta), engine(),
      hint, true);
  if (!pd)
    return noKernel(why, std::string("no eltwise_backward of ") + m->name);
  // Sources are only read; oneDNN's memory objects take non-const pointers.
  std::unordered_map<int, memory> args = {
      {w.fromOutput ? DNNL_ARG_DST : DNNL_ARG_SRC,
       memory(md, engine(), const_cast<float *>(source))},
      {DNNL_ARG_DIFF_DST, memory(md, engine(), const_cast<float *>(dy))},
      {DNNL_ARG_DIFF_SRC, memory(md, engine(), dx)}};
  dnnl::eltwise_backward prim(pd);
  auto execute = [prim, args] {
    prim.execute(stream(), args);
    stream().wait();
  };
  return Kernel{execute, seconds() - start,
                oneDnnBackwardAlgorithm(w) + " " + pd.impl_info_str()};
}

std::string act::bench::oneDnnRuntime() {
  switch (dnnl_version()->cpu_runtime) {
  case DNNL_RUNTIME_OMP:
    return "OpenMP";
  case DNNL_RUNTIME_TBB:
    return "TBB";
  case DNNL_RUNTIME_THREADPOOL:
    return "threadpool";
  case DNNL_RUNTIME_SEQ:
    return "sequential";
  default:
    return "other";
  }
}

std::string act::bench::oneDnnVersion() {
  const dnnl_version_t *v = dnnl_version();
  return llvm::formatv("oneDNN {0}.{1}.{2} ({3}, isa {4})", v->major, v->minor,
                       v->patch, oneDnnRuntime(), oneDnnIsa())
      .str();
}

bool act::bench::setOneDnnThreads(int threads) {
  // With OpenMP, oneDNN sizes its parallel regions (and its blocking, when a
  // primitive is created) by omp_get_max_threads() of the calling thread.
  // TBB and threadpool builds take their threads from outside; this harness
  // has no handle on those.
  if (dnnl_version()->cpu_runtime != DNNL_RUNTIME_OMP)
    return threads == 1 && dnnl_version()->cpu_runtime == DNNL_RUNTIME_SEQ;
  auto setThreads = reinterpret_cast<void (*)(int)>(
      dlsym(RTLD_DEFAULT, "omp_set_num_threads"));
  auto getThreads =
      reinterpret_cast<int (*)()>(dlsym(RTLD_DEFAULT, "omp_get_max_threads"));
  if (!setThreads || !getThreads)
    return false;
  setThreads(threads);
  return getThreads() == threads;
}

namespace {
/// One primitive and its arguments; a dense kernel runs a few in order.
struct Step {
  dnnl::primitive primitive;
  std::unordered_map<int, dnnl::memory> args;
};
} // namespace

std::optional<Kernel>
act::bench::makeOneDnnDense(const DenseWorkload &w,
                            llvm::ArrayRef<const float *> inputs, float *out,
                            bool preferredWeights, std::string *why) {
  using dnnl::memory;
  using tag = memory::format_tag;
  auto f32 = memory::data_type::f32;
  double start = seconds();
  // oneDNN's memory objects take non-const pointers; sources are only read.
  auto mem = [&](const float *data, memory::dims dims) {
    return memory(memory::desc(dims, f32, tag::ab), engine(),
                  const_cast<float *>(data));
  };
  std::vector<Step> steps;
  // Buffers between the SwiGLU matmuls, owned by the kernel.
  std::vector<std::shared_ptr<Buffer>> scratch;
  std::vector<std::string> impls;
  bool reordered = false;

  // dst = src (m x k) * weights (k x n) [+ bias] with `ops` as post-ops.
  auto matmul = [&](const float *src, const float *weights, const float *bias,
                    float *dst, int64_t m, int64_t k, int64_t n,
                    const dnnl::post_ops &ops,
                    std::unordered_map<int, memory> extraArgs) -> bool {
    memory::desc srcMd({m, k}, f32, tag::ab), dstMd({m, n}, f32, tag::ab);
    memory::desc givenMd({k, n}, f32, tag::ab);
    memory::desc weightsMd({k, n}, f32, preferredWeights ? tag::any : tag::ab);
    dnnl::primitive_attr attr;
    attr.set_post_ops(ops);
    dnnl::matmul::primitive_desc pd;
    if (bias) {
      memory::desc biasMd({1, n}, f32, tag::ab);
      pd = dnnl::matmul::primitive_desc(
          dnnl::matmul::desc(srcMd, weightsMd, biasMd, dstMd), attr, engine(),
          true);
      extraArgs.emplace(DNNL_ARG_BIAS, mem(bias, {1, n}));
    } else {
      pd = dnnl::matmul::primitive_desc(
          dnnl::matmul::desc(srcMd, weightsMd, dstMd), attr, engine(), true);
    }
    if (!pd)
      return false;
    memory given = mem(weights, {k, n});
    memory used = given;
    if (pd.weights_desc() != givenMd) {
      // Once, outside the timing: what a framework does when it loads the
      // model.
      used = memory(pd.weights_desc(), engine());
      dnnl::reorder(given, used).execute(stream(), given, used);
      stream().wait();
      reordered = true;
    }
    extraArgs.emplace(DNNL_ARG_SRC, mem(src, {m, k}));
    extraArgs.emplace(DNNL_ARG_WEIGHTS, used);
    extraArgs.emplace(DNNL_ARG_DST, mem(dst, {m, n}));
    impls.push_back(pd.impl_info_str());
    steps.push_back({dnnl::matmul(pd), std::move(extraArgs)});
    return true;
  };

  std::string algorithm;
  if (w.isSwiGlu()) {
    auto s = std::make_shared<Buffer>(w.m * w.n);
    auto g = std::make_shared<Buffer>(w.m * w.n);
    scratch = {s, g};
    dnnl::post_ops swish;
    swish.append_eltwise(1.0f, dnnl::algorithm::eltwise_swish, 1.0f, 0.0f);
    if (!matmul(inputs[0], inputs[1], nullptr, s->get(), w.m, w.k, w.n, swish,
                {}))
      return noKernel(why, "no matmul with a swish post-op");
    dnnl::post_ops mul;
    memory::desc sMd({w.m, w.n}, f32, tag::ab);
    mul.append_binary(dnnl::algorithm::binary_mul, sMd);
    if (matmul(inputs[0], inputs[2], nullptr, g->get(), w.m, w.k, w.n, mul,
               {{DNNL_ARG_ATTR_MULTIPLE_POST_OP(0) | DNNL_ARG_SRC_1,
                 mem(s->get(), {w.m, w.n})}})) {
      algorithm = "matmul+swish, matmul+binary_mul, matmul";
    } else {
      // No matmul takes the product as a post-op: a binary primitive after.
      if (!matmul(inputs[0], inputs[2], nullptr, g->get(), w.m, w.k, w.n, {},
                  {}))
        return noKernel(why, "no plain matmul");
      dnnl::binary::primitive_desc pd(
          dnnl::binary::desc(dnnl::algorithm::binary_mul, sMd, sMd, sMd),
          engine(), true);
      if (!pd)
        return noKernel(why, "no binary_mul");
      impls.push_back(pd.impl_info_str());
      steps.push_back({dnnl::binary(pd),
                       {{DNNL_ARG_SRC_0, mem(g->get(), {w.m, w.n})},
                        {DNNL_ARG_SRC_1, mem(s->get(), {w.m, w.n})},
                        {DNNL_ARG_DST, mem(g->get(), {w.m, w.n})}}});
      algorithm = "matmul+swish, matmul, binary_mul, matmul";
    }
    if (!matmul(g->get(), inputs[3], nullptr, out, w.m, w.n, w.k, {}, {}))
      return noKernel(why, "no plain matmul");
  } else {
    std::pair<dnnl::algorithm, float> eltwise =
        w.act == "gelu" ? std::pair(dnnl::algorithm::eltwise_gelu_erf, 0.f)
        : w.act == "gelu_tanh"
            ? std::pair(dnnl::algorithm::eltwise_gelu_tanh, 0.f)
        : w.act == "relu" ? std::pair(dnnl::algorithm::eltwise_relu, 0.f)
                          : std::pair(dnnl::algorithm::eltwise_swish, 1.f);
    dnnl::post_ops ops;
    ops.append_eltwise(1.0f, eltwise.first, eltwise.second, 0.0f);
    if (!matmul(inputs[0], inputs[1], inputs[2], out, w.m, w.k, w.n, ops, {}))
      return noKernel(why, "no matmul with a bias and this eltwise post-op");
    const char *names[] = {"gelu_erf", "gelu_tanh", "relu", "swish alpha=1"};
    size_t i =
        llvm::find(denseActivations(), w.act) - denseActivations().begin();
    algorithm = std::string("matmul+bias+") + names[i];
  }
  std::string note =
      algorithm + " " + llvm::join(impls, ",") +
      (preferredWeights ? (reordered ? ", weights reordered once to "
                                       "oneDNN's layout"
                                     : ", oneDNN kept the given layout")
                        : ", weights as given (ab)");
  auto execute = [steps, scratch] {
    for (const Step &s : steps)
      s.primitive.execute(stream(), s.args);
    stream().wait();
  };
  return Kernel{execute, seconds() - start, note};
}

std::optional<Kernel>
act::bench::makeOneDnnAttention(const AttentionWorkload &w,
                                llvm::ArrayRef<const float *> inputs,
                                float *out, std::string *why) {
  using dnnl::memory;
  using tag = memory::format_tag;
  auto f32 = memory::data_type::f32;
  double start = seconds();
  bool batched = w.batched();
  int64_t b = w.batch();
  // [b,] rows x cols, row-major; `transposed`: the logical [b,] rows x cols
  // of a buffer stored [b,] cols x rows.
  auto md = [&](int64_t rows, int64_t cols, bool transposed = false) {
    if (batched)
      return memory::desc({b, rows, cols}, f32,
                          transposed ? tag::acb : tag::abc);
    return memory::desc({rows, cols}, f32, transposed ? tag::ba : tag::ab);
  };
  // oneDNN's memory objects take non-const pointers; sources are only read.
  auto mem = [&](const memory::desc &d, const float *data) {
    return memory(d, engine(), const_cast<float *>(data));
  };
  std::vector<Step> steps;
  std::vector<std::string> impls;
  // P: the output itself for scores, a buffer the kernel owns (touched
  // once, here) for attention.
  std::shared_ptr<Buffer> scratch;
  float *p = out;
  if (w.full) {
    scratch = std::make_shared<Buffer>(b * w.l * w.s);
    std::fill(scratch->get(), scratch->get() + b * w.l * w.s, 0.0f);
    p = scratch->get();
  }

  memory::desc qMd = md(w.l, w.d), ktMd = md(w.d, w.s, /*transposed=*/true),
               pMd = md(w.l, w.s);
  dnnl::primitive_attr scaled;
  scaled.set_output_scales(0, {float(w.scale())});
  dnnl::matmul::primitive_desc scores(dnnl::matmul::desc(qMd, ktMd, pMd),
                                      scaled, engine(), true);
  if (!scores)
    return noKernel(why, "no matmul with an output scale and K transposed");
  impls.push_back(scores.impl_info_str());
  steps.push_back({dnnl::matmul(scores),
                   {{DNNL_ARG_SRC, mem(qMd, inputs[0])},
                    {DNNL_ARG_WEIGHTS, mem(ktMd, inputs[1])},
                    {DNNL_ARG_DST, mem(pMd, p)}}});

  dnnl::softmax_v2_forward::primitive_desc softmax(
      dnnl::softmax_v2_forward::desc(dnnl::prop_kind::forward_inference,
                                     dnnl::algorithm::softmax_accurate, pMd,
                                     pMd, batched ? 2 : 1),
      engine(), true);
  if (!softmax)
    return noKernel(why, "no softmax_v2 implementation");
  impls.push_back(softmax.impl_info_str());
  memory pMem = mem(pMd, p);
  steps.push_back({dnnl::softmax_v2_forward(softmax),
                   {{DNNL_ARG_SRC, pMem}, {DNNL_ARG_DST, pMem}}});

  if (w.full) {
    memory::desc vMd = md(w.s, w.d), oMd = md(w.l, w.d);
    dnnl::matmul::primitive_desc values(dnnl::matmul::desc(pMd, vMd, oMd),
                                        engine(), true);
    if (!values)
      return noKernel(why, "no plain matmul");
    impls.push_back(values.impl_info_str());
    steps.push_back({dnnl::matmul(values),
                     {{DNNL_ARG_SRC, pMem},
                      {DNNL_ARG_WEIGHTS, mem(vMd, inputs[2])},
                      {DNNL_ARG_DST, mem(oMd, out)}}});
  }
  std::string note =
      std::string(w.full ? "matmul(QK^T)*scale, softmax_v2 in place, "
                           "matmul(PV): "
                         : "matmul(QK^T)*scale, softmax_v2 in place: ") +
      llvm::join(impls, ", ") + (batched ? "; 3-D batch" : "; 2-D");
  auto execute = [steps, scratch] {
    for (const Step &s : steps)
      s.primitive.execute(stream(), s.args);
    stream().wait();
  };
  return Kernel{execute, seconds() - start, note};
}

#else // !ACT_BENCH_HAVE_DNNL

std::string act::bench::oneDnnRuntime() { return "not built in"; }

std::string act::bench::oneDnnVersion() { return "oneDNN not built in"; }

bool act::bench::setOneDnnThreads(int) { return false; }

std::optional<Kernel> act::bench::makeOneDnnDense(const DenseWorkload &,
                                                  llvm::ArrayRef<const float *>,
                                                  float *, bool,
                                                  std::string *why) {
  return noKernel(why, "act-bench was built without oneDNN");
}

std::string act::bench::initOneDnn() { return "oneDNN not built in"; }

std::optional<Kernel>
act::bench::makeOneDnnAttention(const AttentionWorkload &,
                                llvm::ArrayRef<const float *>, float *,
                                std::string *why) {
  return noKernel(why, "act-bench was built without oneDNN");
}

std::string act::bench::oneDnnBackwardAlgorithm(const BackwardWorkload &) {
  return "";
}

std::optional<Kernel> act::bench::makeOneDnnBackward(const BackwardWorkload &,
                                                     const float *,
                                                     const float *, float *,
                                                     std::string *why) {
  return noKernel(why, "act-bench was built without oneDNN");
}

std::optional<Kernel> act::bench::makeOneDnn(const Workload &, const float *,
                                             float *, std::string *why) {
  return noKernel(why, "act-bench was built without oneDNN");
}

#endif // ACT_BENCH_HAVE_DNNL
