"""Python peers of act-bench --suite=attention: PyTorch eager (explicit ops),
F.scaled_dot_product_attention, torch.compile and IREE on the attention
workloads.

Reads the request as JSON on stdin:

    {"workloads": [{"name", "kind", "full", "heads", "l", "s", "d", "scale",
                    "flops", "checked": [[head, row], ...],
                    "inputs": [{"name", "shape", "path"}], "linalg"}],
     "threads": [1, 2], "repetitions": 10, "warmup": 2,
     "impls": ["torch", "torch_sdpa", "torch_compile", "iree"]}

and writes {"results": [...], "skipped": [...], "info": {...}} to stdout, one
result per (workload, impl, threads): min/median/max/first seconds, setup_s
(compile time), cpu_per_wall, error and a note. As with the C++ peers: inputs
made once per workload (act-bench's own numbers, raw f32 files it wrote), a
first call reported separately, then warm-up and timed calls; the thread
count set per measurement.

Each output is checked here against float64 on act-bench's checked rows
(max |y - ref| / max |ref|), the error act-bench reports for its own
implementations. IREE's task executor reads its thread count once per
process, so IREE runs in a child process per thread count.
"""

import json
import math
import os
import subprocess
import sys
import tempfile
import time

import numpy as np
import torch
import torch.nn.functional as F

from torch_peers import measure  # one timing loop for every script

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


def inputs(w):
    """q, k[, v] as float32 tensors: act-bench's numbers, from its files."""
    return [torch.from_numpy(np.fromfile(i["path"], dtype=np.float32)
                             .reshape(i["shape"])) for i in w["inputs"]]


def error(w, tensors, y):
    """max |y - ref| / max |ref| over the checked (head, row) pairs, against
    float64."""
    t = [v.double() for v in tensors]
    y = torch.as_tensor(np.asarray(y))
    if not w["heads"]:
        t = [v.unsqueeze(0) for v in t]
        y = y.unsqueeze(0)
    worst, largest = 0.0, 0.0
    for h, i in w["checked"]:
        p = torch.softmax(t[0][h, i] @ t[1][h].T * w["scale"], -1)
        ref = p @ t[2][h] if w["full"] else p
        got = y[h, i].double()
        largest = max(largest, ref.abs().max().item())
        e = (got - ref).abs().max().item()
        if math.isnan(e):
            return float("inf")
        worst = max(worst, e)
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


def threads_note(t):
    return "%d thread%s" % (t, "" if t == 1 else "s")


# --- PyTorch ------------------------------------------------------------------

def explicit(w):
    """The attention as PyTorch users write it out."""
    scale = w["scale"]
    if w["full"]:
        return lambda q, k, v: torch.softmax(
            q @ k.transpose(-1, -2) * scale, -1) @ v
    return lambda q, k: torch.softmax(q @ k.transpose(-1, -2) * scale, -1)


def explicit_note(w):
    scale = "%g" % w["scale"]
    s = "torch.softmax(q @ k.transpose(-1, -2) * %s, -1)" % scale
    return s + (" @ v" if w["full"] else "")


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
                f = explicit(w)
                call = lambda: f(*tensors)  # noqa: E731
                try:
                    timing = measure(call, reps, warmup)
                    err = error(w, tensors, call())
                    results.append(row(
                        w, "torch", t, "%s, eager, %s, allocates its "
                        "outputs" % (explicit_note(w),
                                     threads_note(torch.get_num_threads())),
                        timing, err=err))
                except Exception as e:  # out of memory, ...
                    results.append(row(w, "torch", t,
                                       "torch failed: " + failure(e)))
            if "torch_sdpa" in impls and w["full"]:
                q, k, v = tensors
                call = lambda: F.scaled_dot_product_attention(q, k, v)  # noqa
                try:
                    timing = measure(call, reps, warmup)
                    err = error(w, tensors, call())
                    results.append(row(
                        w, "torch_sdpa", t,
                        "F.scaled_dot_product_attention(q, k, v) (scale "
                        "1/sqrt(%d)), %s, allocates its output" % (
                            w["d"], threads_note(torch.get_num_threads())),
                        timing, err=err))
                except Exception as e:
                    results.append(row(w, "torch_sdpa", t,
                                       "torch_sdpa failed: " + failure(e)))
            if "torch_compile" in impls:
                results.append(run_torch_compile(w, tensors, t, reps, warmup))
    if "torch_sdpa" in impls and not any(w["full"]
                                         for w in request["workloads"]):
        skipped.append("torch_sdpa: no full-attention workload (SDPA computes "
                       "O, not the scores)")


def run_torch_compile(w, tensors, threads, reps, warmup):
    # A fresh compile per workload and thread count: inductor bakes the
    # thread count into its C++ (#pragma omp parallel num_threads), and
    # dynamo would stop recompiling one function after its cache limit.
    try:
        import torch._dynamo
        import torch._inductor.config as inductor
        torch._dynamo.reset()
        inductor.cpp.threads = threads
        compiled = torch.compile(explicit(w))
        start = time.perf_counter()
        y = compiled(*tensors)
        setup = time.perf_counter() - start
        timing = measure(lambda: compiled(*tensors), reps, warmup)
        err = error(w, tensors, y)
    except Exception as e:  # offline, no compiler, ...: say why, go on
        return row(w, "torch_compile", threads,
                   "torch.compile failed: " + failure(e))
    return row(w, "torch_compile", threads,
               "torch.compile (inductor, default mode) of %s, %s; compile = "
               "first call" % (explicit_note(w), threads_note(threads)),
               timing, setup=setup, err=err)


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
            args = [rt.asdevicearray(device, v.numpy()) for v in tensors]
            timing = measure(lambda: k(*args), reps, warmup)
            err = error(w, tensors, k(*args).to_host())
        except Exception as e:
            results.append(row(w, "iree", threads,
                               "iree run failed: " + failure(e)))
            continue
        results.append(row(
            w, "iree", threads,
            "%s, the same linalg with linalg.softmax, llvm-cpu "
            "target-cpu=host, local-task %s (task_topology_max_group_count), "
            "allocates its result" % (iree_versions(), threads_note(threads)),
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
    else:
        impls = request["impls"]
        results, skipped, info = [], [], {}
        if any(i in impls for i in ("torch", "torch_sdpa", "torch_compile")):
            run_torch(request, impls, results, skipped, info)
        if "iree" in impls:
            run_iree(request, results, skipped, info)
        answer = {"results": results, "skipped": skipped, "info": info}
    json.dump(answer, _answer)
    _answer.close()


if __name__ == "__main__":
    main()
