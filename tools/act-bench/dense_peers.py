"""Python peers of act-bench --suite=dense: PyTorch eager, torch.compile,
numpy/OpenBLAS and IREE on the dense workloads.

Reads the request as JSON on stdin:

    {"workloads": [{"name", "act", "m", "k", "n", "flops", "checked_rows",
                    "linalg"}],
     "threads": [1, 2], "repetitions": 10, "warmup": 2,
     "impls": ["torch", "torch_compile", "numpy", "iree"]}

and writes {"results": [...], "skipped": [...], "info": {...}} to stdout, one
result per (workload, impl, threads): min/median/max/first seconds, setup_s
(compile time), cpu_per_wall, error and a note. As with the C++ peers: inputs
made once per workload, a first call reported separately, then warm-up and
timed calls; the thread count set per measurement.

The inputs have the distribution of act-bench's (Dense.h) but not its exact
numbers, so each output is checked here against float64 on the same checked
rows (max |y - ref| / max |ref|), which is the error act-bench reports.

act-bench runs numpy in a process of its own, without OPENBLAS_CORETYPE and
OPENBLAS_L2_SIZE in its environment, so that OpenBLAS picks its kernels for
this CPU itself. IREE's task executor reads its thread count once per
process, so IREE runs in a child process per thread count (as does numpy
where threadpoolctl is missing, with OPENBLAS_NUM_THREADS).
"""

import math

import torch
import torch.nn.functional as F

import peers_common as peers
from peers_common import row, threads_note
from torch_peers import measure  # one timing loop for every script

peers.keep_stdout_for_answer()


def activation(name):
    return {
        "gelu": lambda v: F.gelu(v),
        "gelu_tanh": lambda v: F.gelu(v, approximate="tanh"),
        "relu": F.relu,
        "silu": F.silu,
    }[name]


def activation_(name):
    """The activation in place on a float tensor."""
    return {
        "gelu": lambda v: torch.ops.aten.gelu_(v),
        "gelu_tanh": lambda v: torch.ops.aten.gelu_(v, approximate="tanh"),
        "relu": torch.relu_,
        "silu": lambda v: F.silu(v, inplace=True),
    }[name]


def inputs(w):
    """float32 tensors in act-bench's argument order: x, w, b or x, w1, w3,
    w2; X and b uniform in [-1, 1), weights in +-3/sqrt(fan_in)."""
    g = torch.Generator().manual_seed(w["m"] * 1000003 + w["k"] * 1009 + w["n"])
    m, k, n = w["m"], w["k"], w["n"]

    def uniform(shape, bound):
        return (torch.rand(shape, generator=g) * 2 - 1) * bound

    if w["act"] == "swiglu":
        return [uniform((m, k), 1.0), uniform((k, n), 3 / math.sqrt(k)),
                uniform((k, n), 3 / math.sqrt(k)),
                uniform((n, k), 3 / math.sqrt(n))]
    return [uniform((m, k), 1.0), uniform((k, n), 3 / math.sqrt(k)),
            uniform((n,), 1.0)]


def reference_rows(w, tensors):
    """Y on the checked rows, in float64."""
    d = [t.double() for t in tensors]
    x = d[0][w["checked_rows"]]
    if w["act"] == "swiglu":
        return (F.silu(x @ d[1]) * (x @ d[2])) @ d[3]
    return activation(w["act"])(x @ d[1] + d[2])


def error(w, tensors, y):
    ref = reference_rows(w, tensors)
    got = torch.as_tensor(y)[w["checked_rows"]].double()
    largest = ref.abs().max().item()
    worst = (got - ref).abs().max().item()
    if math.isnan(worst):
        return float("inf")
    return worst / largest if largest > 0 else worst


# --- PyTorch ------------------------------------------------------------------

def torch_eager(w, tensors):
    """F.linear with the weight in PyTorch's (out, in) layout, made once."""
    t = tensors
    if w["act"] == "swiglu":
        x, w1t, w3t, w2t = t[0], t[1].t().contiguous(), t[2].t().contiguous(), \
            t[3].t().contiguous()
        return lambda: F.linear(F.silu(F.linear(x, w1t)) * F.linear(x, w3t), w2t)
    x, wt, b = t[0], t[1].t().contiguous(), t[2]
    act = activation(w["act"])
    return lambda: act(F.linear(x, wt, b))


def torch_function(w):
    """The same as torch_eager, as a function of its tensors, for
    torch.compile."""
    if w["act"] == "swiglu":
        return lambda x, w1t, w3t, w2t: F.linear(
            F.silu(F.linear(x, w1t)) * F.linear(x, w3t), w2t)
    act = activation(w["act"])
    return lambda x, wt, b: act(F.linear(x, wt, b))


def run_torch(request, impls, results, skipped, info):
    reps, warmup = request["repetitions"], request["warmup"]
    for t, w, tensors in peers.torch_runs(request, info, inputs):
        if "torch" in impls:
            call = torch_eager(w, tensors)
            timing = measure(call, reps, warmup)
            what = ("3 F.linear, F.silu, *" if w["act"] == "swiglu" else
                    "F.linear(x, w.T, b), F.%s" % w["act"].replace(
                        "gelu_tanh", "gelu(approximate=tanh)"))
            results.append(row(
                w, "torch", t,
                "%s (weights in torch's out x in layout), %s, allocates its "
                "outputs" % (what, threads_note(torch.get_num_threads())),
                timing, err=error(w, tensors, call())))
        if "torch_compile" in impls:
            # The weights in torch's (out, in) layout, as torch_eager's.
            if w["act"] != "swiglu":
                args = [tensors[0], tensors[1].t().contiguous(), tensors[2]]
            else:
                args = [tensors[0]] + [a.t().contiguous() for a in tensors[1:]]
            results.append(peers.run_torch_compile(
                w, torch_function(w), args, t, reps, warmup,
                lambda y: error(w, tensors, y)))


# --- numpy / OpenBLAS ---------------------------------------------------------

def blas_description():
    try:
        from threadpoolctl import threadpool_info
    except ImportError:
        import numpy
        return "numpy %s (threadpoolctl not installed)" % numpy.__version__, False
    import numpy
    for lib in threadpool_info():
        if lib.get("user_api") == "blas" and "numpy" in lib.get("filepath", ""):
            return "numpy %s, %s %s (%s, core %s)" % (
                numpy.__version__, lib.get("internal_api"), lib.get("version"),
                lib.get("threading_layer"), lib.get("architecture")), True
    return "numpy %s (BLAS not identified)" % numpy.__version__, True


def numpy_kernel(w, tensors):
    """np.matmul into a preallocated Y (sgemm, the weights as given), then
    the bias and activation in place, through torch on the same memory."""
    import numpy as np
    a = [v.numpy() for v in tensors]
    m, k, n = w["m"], w["k"], w["n"]
    if w["act"] == "swiglu":
        h1 = np.empty((m, n), np.float32)
        h3 = np.empty((m, n), np.float32)
        y = np.empty((m, k), np.float32)
        th1, th3 = torch.from_numpy(h1), torch.from_numpy(h3)

        def call():
            np.matmul(a[0], a[1], out=h1)
            np.matmul(a[0], a[2], out=h3)
            F.silu(th1, inplace=True)
            th1.mul_(th3)
            np.matmul(h1, a[3], out=y)
            return y
        return call
    y = np.empty((m, n), np.float32)
    ty, tb = torch.from_numpy(y), tensors[2]
    act_ = activation_(w["act"])

    def call():
        np.matmul(a[0], a[1], out=y)
        ty.add_(tb)
        act_(ty)
        return y
    return call


def run_numpy(request, results, skipped, info, threads=None):
    """All thread counts here (threadpoolctl), or `threads` alone (a child
    with OPENBLAS_NUM_THREADS set)."""
    reps, warmup = request["repetitions"], request["warmup"]
    description, controllable = blas_description()
    info["numpy_blas"] = description
    if threads is None and not controllable:
        for t in request["threads"]:
            child = peers.run_child(["--numpy-threads=%d" % t], request,
                                    {"OPENBLAS_NUM_THREADS": str(t)})
            results.extend(child["results"])
            skipped.extend(child["skipped"])
        return
    for t in [threads] if threads else request["threads"]:
        torch.set_num_threads(t)
        for w in request["workloads"]:
            tensors = inputs(w)
            call = numpy_kernel(w, tensors)
            if controllable:
                from threadpoolctl import threadpool_limits
                with threadpool_limits(limits=t, user_api="blas"):
                    timing = measure(call, reps, warmup)
                    err = error(w, tensors, call())
                how = "threadpoolctl"
            else:
                timing = measure(call, reps, warmup)
                err = error(w, tensors, call())
                how = "OPENBLAS_NUM_THREADS"
            results.append(row(
                w, "numpy", t,
                "np.matmul (%s, %s by %s), then %s in place (torch)" % (
                    description, threads_note(t), how,
                    "silu*" if w["act"] == "swiglu" else "bias + " + w["act"]),
                timing, err=err))


# --- Driver -------------------------------------------------------------------

def run(request, impls, results, skipped, info):
    if "torch" in impls or "torch_compile" in impls:
        run_torch(request, impls, results, skipped, info)
    if "numpy" in impls:
        run_numpy(request, results, skipped, info)
    if "iree" in impls:
        peers.run_iree(request, results, skipped, info)


def numpy_child(request, threads):
    results, skipped, info = [], [], {}
    run_numpy(request, results, skipped, info, threads=threads)
    return {"results": results, "skipped": skipped}


def iree_child(request, threads):
    return peers.iree_child(request, threads, inputs, error)


if __name__ == "__main__":
    peers.main(run, {"iree-threads": iree_child, "numpy-threads": numpy_child})
