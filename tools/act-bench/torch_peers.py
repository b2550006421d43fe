"""PyTorch's CPU kernels on act-bench's workloads, for act-bench --torch.

Reads the workloads as JSON ({"workloads": [{"name", "op", "shape",
"attrs"}], "repetitions", "warmup"}) on stdin and writes one JSON result per
workload it can run to stdout. Like the other peers: one thread, input and
output buffers allocated and touched once and reused (aten's `out=`
variants, so no allocation is timed), minimum time over the repetitions, and
the first call reported separately. Ops whose aten kernel has no `out=`
variant are skipped rather than timed with an allocation.
"""

import json
import sys
import time

import torch

torch.set_num_threads(1)
aten = torch.ops.aten


def kernel(op, attrs, x, y):
    """(aten op name, a call computing act's `op` from x into y), or None."""
    a = dict(attrs)
    table = {
        "threshold": ("threshold", lambda: aten.threshold.out(
            x, a.get("threshold", 0.0), a.get("value", 0.0), out=y)),
        "sigmoid": ("sigmoid", lambda: aten.sigmoid.out(x, out=y)),
        "hard_sigmoid": ("hardsigmoid", lambda: aten.hardsigmoid.out(x, out=y)),
        "log_sigmoid": ("log_sigmoid", lambda: aten.log_sigmoid.out(x, out=y)),
        "tanh": ("tanh", lambda: aten.tanh.out(x, out=y)),
        "hard_tanh": ("hardtanh", lambda: aten.hardtanh.out(
            x, a.get("min_val", -1.0), a.get("max_val", 1.0), out=y)),
        "softshrink": ("softshrink", lambda: aten.softshrink.out(
            x, a.get("lambd", 0.5), out=y)),
        "hardshrink": ("hardshrink", lambda: aten.hardshrink.out(
            x, a.get("lambd", 0.5), out=y)),
        "relu": ("clamp_min", lambda: aten.clamp_min.out(x, 0.0, out=y)),
        "relu6": ("hardtanh", lambda: aten.hardtanh.out(x, 0.0, 6.0, out=y)),
        "leaky_relu": ("leaky_relu", lambda: aten.leaky_relu.out(
            x, a.get("negative_slope", 0.01), out=y)),
        # Eval mode: the fixed slope (lower + upper) / 2.
        "rrelu": ("leaky_relu", lambda: aten.leaky_relu.out(
            x, (a.get("lower", 1 / 8) + a.get("upper", 1 / 3)) / 2, out=y)),
        "elu": ("elu", lambda: aten.elu.out(
            x, a.get("alpha", 1.0), 1.0, 1.0, out=y)),
        "gelu": ("gelu", lambda: aten.gelu.out(x, approximate="none", out=y)),
        "gelu_tanh": ("gelu", lambda: aten.gelu.out(
            x, approximate="tanh", out=y)),
        "silu": ("silu", lambda: aten.silu.out(x, out=y)),
        "mish": ("mish", lambda: aten.mish.out(x, out=y)),
        "softplus": ("softplus", lambda: aten.softplus.out(
            x, a.get("beta", 1.0), a.get("threshold", 20.0), out=y)),
        "hardswish": ("hardswish", lambda: aten.hardswish.out(x, out=y)),
        "softmax": ("_softmax", lambda: aten._softmax.out(x, -1, False, out=y)),
        "log_softmax": ("_log_softmax", lambda: aten._log_softmax.out(
            x, -1, False, out=y)),
    }
    return table.get(op)


def measure(call, reps, warmup):
    """The first call, `warmup` untimed calls, then `reps` timed ones."""
    start = time.perf_counter()
    call()
    first = time.perf_counter() - start
    for _ in range(warmup):
        call()
    times = []
    cpu, wall = time.process_time(), time.perf_counter()
    for _ in range(reps):
        start = time.perf_counter()
        call()
        times.append(time.perf_counter() - start)
    cpu_per_wall = (time.process_time() - cpu) / (time.perf_counter() - wall)
    times.sort()
    n = len(times)
    median = times[n // 2] if n % 2 else (times[n // 2 - 1] + times[n // 2]) / 2
    return {"min": times[0], "median": median, "max": times[-1],
            "first": first, "cpu_per_wall": cpu_per_wall}


def main():
    request = json.load(sys.stdin)
    reps, warmup = request["repetitions"], request["warmup"]
    results = []
    buffers = {}
    for w in request["workloads"]:
        shape = tuple(w["shape"])
        if shape not in buffers:
            g = torch.Generator().manual_seed(0)
            x = torch.rand(shape, generator=g) * 20 - 10
            buffers[shape] = (x, torch.zeros(shape))
        x, y = buffers[shape]
        entry = kernel(w["op"], w.get("attrs", []), x, y)
        if entry is None:
            continue
        name, call = entry
        try:
            timing = measure(call, reps, warmup)
        except Exception as e:  # an op this torch lacks: not a peer here
            print("torch_peers: %s: %s" % (w["name"], e), file=sys.stderr)
            continue
        results.append({
            "workload": w["name"],
            **timing,
            "repetitions": reps,
            "note": "torch %s aten::%s.out, %d thread, %s" % (
                torch.__version__, name, torch.get_num_threads(),
                torch.backends.cpu.get_cpu_capability()),
        })
    json.dump({"results": results}, sys.stdout)


if __name__ == "__main__":
    main()
