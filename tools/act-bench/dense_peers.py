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

import json
import math
import os
import subprocess
import sys
import tempfile
import time

import torch
import torch.nn.functional as F

from torch_peers import measure  # one timing loop for both scripts

# Everything printed below, by us or by a library, goes to stderr: stdout is
# the JSON answer alone.
_answer = os.fdopen(os.dup(1), "w")
os.dup2(2, 1)
sys.stdout = sys.stderr

IREE_FLAGS = [
    "--iree-hal-target-device=local",
    "--iree-hal-local-target-device-backends=llvm-cpu",
    "--iree-llvmcpu-target-cpu=host",
]


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
    """(name, float32 tensor) in act-bench's argument order: x, w, b or x, w1,
    w3, w2; X and b uniform in [-1, 1), weights in +-3/sqrt(fan_in)."""
    g = torch.Generator().manual_seed(w["m"] * 1000003 + w["k"] * 1009 + w["n"])
    m, k, n = w["m"], w["k"], w["n"]

    def uniform(shape, bound):
        return (torch.rand(shape, generator=g) * 2 - 1) * bound

    if w["act"] == "swiglu":
        return [("x", uniform((m, k), 1.0)),
                ("w1", uniform((k, n), 3 / math.sqrt(k))),
                ("w3", uniform((k, n), 3 / math.sqrt(k))),
                ("w2", uniform((n, k), 3 / math.sqrt(n)))]
    return [("x", uniform((m, k), 1.0)),
            ("w", uniform((k, n), 3 / math.sqrt(k))),
            ("b", uniform((n,), 1.0))]


def reference_rows(w, tensors):
    """Y on the checked rows, in float64."""
    d = [t.double() for _, t in tensors]
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


def row(w, impl, threads, note, timing=None, setup=None, err=None):
    r = {"workload": w["name"], "impl": impl, "threads": threads,
         "note": note, "setup_s": setup, "error": err}
    r.update(timing or {})
    return r


def failure(e):
    """One line about an exception, for a note."""
    lines = str(e).strip().splitlines()
    text = type(e).__name__ + (": " + lines[0] if lines else "")
    return text if len(text) <= 200 else text[:197] + "..."


# --- PyTorch ------------------------------------------------------------------

def torch_eager(w, tensors):
    """F.linear with the weight in PyTorch's (out, in) layout, made once."""
    t = [v for _, v in tensors]
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
    info["torch"] = "torch %s, %s" % (torch.__version__,
                                      torch.backends.cpu.get_cpu_capability())
    # Thread counts outermost, as in act-bench: a threaded pool spins for a
    # while after its work, and would slow the single-threaded runs after it.
    for t in request["threads"]:
        torch.set_num_threads(t)
        for w in request["workloads"]:
            tensors = inputs(w)
            if "torch" in impls:
                call = torch_eager(w, tensors)
                timing = measure(call, reps, warmup)
                what = ("3 F.linear, F.silu, *" if w["act"] == "swiglu" else
                        "F.linear(x, w.T, b), F.%s" % w["act"].replace(
                            "gelu_tanh", "gelu(approximate=tanh)"))
                results.append(row(
                    w, "torch", t,
                    "%s (weights in torch's out x in layout), %d thread%s, "
                    "allocates its outputs" % (
                        what, torch.get_num_threads(), "" if t == 1 else "s"),
                    timing, err=error(w, tensors, call())))
            if "torch_compile" in impls:
                results.append(run_torch_compile(w, tensors, t, reps, warmup))


def run_torch_compile(w, tensors, threads, reps, warmup):
    # A fresh compile per workload and thread count: inductor bakes the
    # thread count into its C++ (#pragma omp parallel num_threads), and
    # dynamo would stop recompiling one lambda after its cache limit.
    import torch._dynamo
    import torch._inductor.config as inductor
    torch._dynamo.reset()
    inductor.cpp.threads = threads
    args = [v for _, v in tensors]
    if w["act"] != "swiglu":
        args = [args[0], args[1].t().contiguous(), args[2]]
    else:
        args = [args[0]] + [a.t().contiguous() for a in args[1:]]
    try:
        compiled = torch.compile(torch_function(w))
        start = time.perf_counter()
        y = compiled(*args)
        setup = time.perf_counter() - start
        timing = measure(lambda: compiled(*args), reps, warmup)
        err = error(w, tensors, y)
    except Exception as e:  # offline, no compiler, ...: say why, go on
        return row(w, "torch_compile", threads,
                   "torch.compile failed: " + failure(e))
    return row(w, "torch_compile", threads,
               "torch.compile (inductor, default mode), %d thread%s; compile "
               "= first call" % (threads, "" if threads == 1 else "s"),
               timing, setup=setup, err=err)


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
    a = [v.numpy() for _, v in tensors]
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
    ty, tb = torch.from_numpy(y), tensors[2][1]
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
            child = run_child(["--numpy-threads=%d" % t], request,
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
                "np.matmul (%s, %d thread%s by %s), then %s in place "
                "(torch)" % (description, t, "" if t == 1 else "s", how,
                             "silu*" if w["act"] == "swiglu"
                             else "bias + " + w["act"]),
                timing, err=err))


# --- IREE ---------------------------------------------------------------------

def iree_versions():
    from importlib import metadata
    return "iree-base-compiler %s, iree-base-runtime %s" % (
        metadata.version("iree-base-compiler"),
        metadata.version("iree-base-runtime"))


def run_iree(request, results, skipped, info):
    try:
        import iree.compiler as ireec
        import iree.runtime  # noqa: F401 (in the children; fail early here)
        info["iree"] = iree_versions()
    except Exception as e:
        skipped.append("iree: not available (%s); .venv/bin/pip install -r "
                       "tools/requirements-bench.txt" % failure(e))
        return
    # Compiled once per workload, here; run by a child per thread count.
    with tempfile.TemporaryDirectory(prefix="act-bench-iree") as tmp:
        items = []
        for i, w in enumerate(request["workloads"]):
            start = time.perf_counter()
            try:
                vmfb = ireec.compile_str(w["linalg"], extra_args=IREE_FLAGS)
            except Exception as e:
                for t in request["threads"]:
                    results.append(row(w, "iree", t,
                                       "iree compile failed: " + failure(e)))
                continue
            path = os.path.join(tmp, "%d.vmfb" % i)
            with open(path, "wb") as f:
                f.write(vmfb)
            items.append(dict(w, vmfb=path,
                              compile_s=time.perf_counter() - start))
        if not items:
            return
        for t in request["threads"]:
            try:
                child = run_child(["--iree-threads=%d" % t],
                                  dict(request, workloads=items))
            except Exception as e:
                skipped.append("iree at %d threads: %s" % (t, failure(e)))
                continue
            results.extend(child["results"])
            skipped.extend(child["skipped"])


def iree_child(request, threads):
    import iree.runtime as rt
    # Before any device exists: the executor reads its topology once.
    rt.flags.parse_flags("--task_topology_max_group_count=%d" % threads)
    device = rt.get_device("local-task")
    config = rt.Config(device=device)
    results, skipped = [], []
    reps, warmup = request["repetitions"], request["warmup"]
    for w in request["workloads"]:
        tensors = inputs(w)
        try:
            ctx = rt.SystemContext(config=config)
            with open(w["vmfb"], "rb") as f:
                ctx.add_vm_module(rt.VmModule.copy_buffer(ctx.instance,
                                                          f.read()))
            k = ctx.modules.module["k"]
            args = [rt.asdevicearray(device, v.numpy()) for _, v in tensors]
            timing = measure(lambda: k(*args), reps, warmup)
            err = error(w, tensors, k(*args).to_host())
        except Exception as e:
            results.append(row(w, "iree", threads,
                               "iree run failed: " + failure(e)))
            continue
        results.append(row(
            w, "iree", threads,
            "%s, llvm-cpu target-cpu=host, local-task %d thread%s "
            "(task_topology_max_group_count), allocates Y" % (
                iree_versions(), threads, "" if threads == 1 else "s"),
            timing, setup=w["compile_s"], err=err))
    return {"results": results, "skipped": skipped}


# --- Driver -------------------------------------------------------------------

def run_child(args, request, env=None):
    """This script under the same python with `args`, `request` on stdin;
    its JSON answer."""
    environment = dict(os.environ)
    environment.update(env or {})
    done = subprocess.run([sys.executable, os.path.abspath(__file__)] + args,
                          input=json.dumps(request), capture_output=True,
                          text=True, env=environment)
    sys.stderr.write(done.stderr)
    if done.returncode != 0:
        raise RuntimeError("child %s exited %d" % (" ".join(args),
                                                   done.returncode))
    return json.loads(done.stdout)


def main():
    request = json.load(sys.stdin)
    options = dict(a[2:].split("=", 1) for a in sys.argv[1:])
    if "iree-threads" in options:
        answer = iree_child(request, int(options["iree-threads"]))
    elif "numpy-threads" in options:
        results, skipped, info = [], [], {}
        run_numpy(request, results, skipped, info,
                  threads=int(options["numpy-threads"]))
        answer = {"results": results, "skipped": skipped}
    else:
        impls = request["impls"]
        results, skipped, info = [], [], {}
        if "torch" in impls or "torch_compile" in impls:
            run_torch(request, impls, results, skipped, info)
        if "numpy" in impls:
            run_numpy(request, results, skipped, info)
        if "iree" in impls:
            run_iree(request, results, skipped, info)
        answer = {"results": results, "skipped": skipped, "info": info}
    json.dump(answer, _answer)
    _answer.close()


if __name__ == "__main__":
    main()
