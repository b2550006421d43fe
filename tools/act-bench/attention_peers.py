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

import math

import numpy as np
import torch
import torch.nn.functional as F

import peers_common as peers
from peers_common import failure, row, threads_note
from torch_peers import measure  # one timing loop for every script

peers.keep_stdout_for_answer()


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
    for t, w, tensors in peers.torch_runs(request, info, inputs):
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
            results.append(peers.run_torch_compile(
                w, explicit(w), tensors, t, reps, warmup,
                lambda y: error(w, tensors, y), " of " + explicit_note(w)))
    if "torch_sdpa" in impls and not any(w["full"]
                                         for w in request["workloads"]):
        skipped.append("torch_sdpa: no full-attention workload (SDPA computes "
                       "O, not the scores)")


# --- Driver -------------------------------------------------------------------

def run(request, impls, results, skipped, info):
    if any(i in impls for i in ("torch", "torch_sdpa", "torch_compile")):
        run_torch(request, impls, results, skipped, info)
    if "iree" in impls:
        peers.run_iree(request, results, skipped, info)


def iree_child(request, threads):
    return peers.iree_child(request, threads, inputs, error,
                            "the same linalg with linalg.softmax, ",
                            "its result")


if __name__ == "__main__":
    peers.main(run, {"iree-threads": iree_child})
