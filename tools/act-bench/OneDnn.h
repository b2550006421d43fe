//===- OneDnn.h - The peers act-bench measures act against ------*- C++ -*-===//
//
// Copy bandwidth (memcpy, streaming stores) and oneDNN's eltwise, prelu and
// softmax primitives, each as a `Kernel` over buffers the caller owns.
// Without oneDNN at build time (no ACT_BENCH_HAVE_DNNL) the oneDNN peers are
// simply unsupported.
//
//===----------------------------------------------------------------------===//

#ifndef ACT_BENCH_ONEDNN_H
#define ACT_BENCH_ONEDNN_H

#include "Bench.h"

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

} // namespace bench
} // namespace act

#endif // ACT_BENCH_ONEDNN_H
