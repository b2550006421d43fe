//===- OneDnn.h - The peers act-bench measures act against ------*- C++ -*-===//
//
// Copy bandwidth (memcpy, streaming stores), oneDNN's eltwise, prelu and
// softmax primitives, its matmul with post-ops for the dense suite and its
// matmul + softmax + matmul for the attention suite, each as a `Kernel` over
// buffers the caller owns.
// Without oneDNN at build time (no ACT_BENCH_HAVE_DNNL) the oneDNN peers are
// simply unsupported.
//
//===----------------------------------------------------------------------===//

#ifndef ACT_BENCH_ONEDNN_H
#define ACT_BENCH_ONEDNN_H

#include "Attention.h"
#include "Backward.h"
#include "Bench.h"
#include "Dense.h"

namespace act {
namespace bench {

/// memcpy of `n` floats.
Kernel makeMemcpy(const float *in, float *out, int64_t n);
/// A copy of `n` floats with non-temporal stores (AVX-512 or AVX, picked at
/// run time): the write bandwidth without the read-for-ownership of `out`.
/// `out` must be 64-byte aligned.
Kernel makeStreamCopy(const float *in, float *out, int64_t n);

/// Makes oneDNN single-threaded; call before any other oneDNN use. Returns a
/// description, e.g. "oneDNN 2.6.3 (OMP, 1 thread, isa avx2)".
std::string initOneDnn();

/// The oneDNN primitive computing `w` (with its attributes), e.g.
/// "eltwise_swish alpha=1"; empty if oneDNN has none (or is not built in).
std::string oneDnnAlgorithm(const Workload &w);

/// oneDNN's kernel for `w` from `in` to `out`, or nullopt (with the reason in
/// `why`) if oneDNN has no such primitive.
std::optional<Kernel> makeOneDnn(const Workload &w, const float *in, float *out,
                                 std::string *why = nullptr);

/// oneDNN's eltwise backward algorithm for `w`, e.g.
/// "eltwise_relu_use_dst_for_bwd" (the _use_dst_for_bwd variant where `w`
/// is from the output), with its alpha; empty without oneDNN.
std::string oneDnnBackwardAlgorithm(const BackwardWorkload &w);

/// oneDNN's eltwise_backward for `w`: diff_src `dx` from diff_dst `dy` and
/// `source` (src, or dst for a from-output workload), or nullopt with the
/// reason in `why`.
std::optional<Kernel> makeOneDnnBackward(const BackwardWorkload &w,
                                         const float *dy, const float *source,
                                         float *dx, std::string *why = nullptr);

/// The threading runtime oneDNN reports for its CPU engine (dnnl_version):
/// "OpenMP", "TBB", "threadpool", "sequential", or "not built in".
std::string oneDnnRuntime();

/// "oneDNN 2.6.3 (OpenMP, isa avx2)".
std::string oneDnnVersion();

/// Makes oneDNN's primitives created and run from now on (on this thread) use
/// `threads` threads; false where the runtime has no such control.
bool setOneDnnThreads(int threads);

/// oneDNN's dense layer for `w`: a matmul with the bias and an eltwise
/// post-op (gelu_erf, gelu_tanh, relu, swish with alpha 1); for SwiGLU three
/// matmuls, the first with a swish post-op and the second with a binary_mul
/// post-op taking the first's output. `inputs` in denseInputs order, as
/// given (row-major, weights k x n). With `preferredWeights` the weights are
/// declared format_tag::any and reordered once, here, into the layout
/// oneDNN picks; otherwise oneDNN reads them as given (format_tag::ab).
std::optional<Kernel> makeOneDnnDense(const DenseWorkload &w,
                                      llvm::ArrayRef<const float *> inputs,
                                      float *out, bool preferredWeights,
                                      std::string *why = nullptr);

/// oneDNN's attention for `w`, as a framework runs it on oneDNN: a matmul
/// Q K^T with K read transposed (format_tag ba / acb) and the scale as its
/// output scale, into P (`out` for scores, a buffer of the kernel's own for
/// attention); softmax_v2 (accurate) along S in place on P; for attention a
/// second matmul P V into `out`. `inputs` in attentionInputs order.
std::optional<Kernel> makeOneDnnAttention(const AttentionWorkload &w,
                                          llvm::ArrayRef<const float *> inputs,
                                          float *out,
                                          std::string *why = nullptr);

} // namespace bench
} // namespace act

#endif // ACT_BENCH_ONEDNN_H
