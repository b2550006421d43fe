"""PyTorch peers of act-bench --suite=backward: aten's backward kernels and
the eager-autograd MLP training step.

Reads the request as JSON on stdin:

    {"backward": [{"name", "op", "from_output", "elements"}],
     "mlp": [{"name", "batch", "in", "hidden", "classes"}],
     "threads": [1, 2], "repetitions": 10, "warmup": 2, "mlp_steps": 20,
     "lr": 0.1}

and writes {"results": [...], "info": {...}} to stdout, one result per
backward workload (one thread) and per (MLP, thread count): min / median /
max / first seconds (per step for the MLP), cpu_per_wall, error and a note.

Backward kernels: the aten ops autograd calls for each activation, on
inputs made once (x uniform in [-10, 10), dy in [-1, 1), y = f(x) where the
op differentiates from its output, as PyTorch's autograd does for relu,
sigmoid, tanh and elu), writing into a preallocated dx through the
`.grad_input` (out=) overloads; mish_backward has none and allocates its
result (said in the note). Each is checked on a strided sample against
float64 autograd of the forward at x (max |dx - ref| / max(1, |ref|)).

MLP: the step of examples/mlp-training in eager PyTorch, the same shapes as
act's (weights in act's (in, out) layout, so x @ w1 + b1), F.gelu,
F.log_softmax, loss = -(y * lp).sum() / batch, loss.backward(), then
w -= lr * w.grad under no_grad, grads reset to None each step (what
optimizer.zero_grad() does by default). Checked: the first step's loss and
gradients against the same step in float64.
"""

import json
import sys

import torch
import torch.nn.functional as F

import peers_common as peers
from torch_peers import measure  # one timing loop for every script

peers.keep_stdout_for_answer()

aten = torch.ops.aten


def forward(op):
    return {
        "relu": torch.relu,
        "gelu": F.gelu,
        "gelu_tanh": lambda v: F.gelu(v, approximate="tanh"),
        "silu": F.silu,
        "sigmoid": torch.sigmoid,
        "tanh": torch.tanh,
        "elu": F.elu,
        "mish": F.mish,
    }[op]


def backward_kernel(op, dy, s, dx):
    """(what runs, a call computing dx from dy and s = x or y into dx)."""
    table = {
        # relu's autograd: threshold_backward(grad, result, 0).
        "relu": ("threshold_backward.grad_input", lambda:
                 aten.threshold_backward.grad_input(dy, s, 0.0,
                                                    grad_input=dx)),
        "gelu": ("gelu_backward.grad_input", lambda:
                 aten.gelu_backward.grad_input(dy, s, approximate="none",
                                               grad_input=dx)),
        "gelu_tanh": ("gelu_backward.grad_input approximate=tanh", lambda:
                      aten.gelu_backward.grad_input(dy, s, approximate="tanh",
                                                    grad_input=dx)),
        "silu": ("silu_backward.grad_input", lambda:
                 aten.silu_backward.grad_input(dy, s, grad_input=dx)),
        "sigmoid": ("sigmoid_backward.grad_input", lambda:
                    aten.sigmoid_backward.grad_input(dy, s, grad_input=dx)),
        "tanh": ("tanh_backward.grad_input", lambda:
                 aten.tanh_backward.grad_input(dy, s, grad_input=dx)),
        # alpha, scale, input_scale, is_result, self_or_result.
        "elu": ("elu_backward.grad_input is_result=True", lambda:
                aten.elu_backward.grad_input(dy, 1.0, 1.0, 1.0, True, s,
                                             grad_input=dx)),
        # No out= overload: allocates dx per call.
        "mish": ("mish_backward (no out=: allocates dx)", lambda:
                 aten.mish_backward(dy, s)),
    }
    return table[op]


def backward_error(op, x, dy, dx):
    """max |dx - ref| / max(1, |ref|) on every 997th element, ref from
    float64 autograd at x."""
    xs = x[::997].double().requires_grad_()
    forward(op)(xs).backward(dy[::997].double())
    ref = xs.grad
    got = dx[::997].double()
    if torch.isnan(got).any():
        return 1e9
    return float(((got - ref).abs() / ref.abs().clamp(min=1.0)).max())


def measure_backward(w, reps, warmup):
    n = w["elements"]
    g = torch.Generator().manual_seed(0)
    x = torch.rand(n, generator=g) * 20 - 10
    dy = torch.rand(n, generator=g) * 2 - 1
    s = forward(w["op"])(x) if w["from_output"] else x
    dx = torch.full((n,), float("nan"))
    what, call = backward_kernel(w["op"], dy, s, dx)
    last = []

    def run():
        out = call()
        last[:] = [out]

    timing = measure(run, reps, warmup)
    out = last[0] if last[0] is not None else dx
    return {
        "workload": w["name"],
        **timing,
        "error": backward_error(w["op"], x, dy, out),
        "note": "torch %s aten::%s from %s, %d thread, %s" % (
            torch.__version__, what, "y" if w["from_output"] else "x",
            torch.get_num_threads(), torch.backends.cpu.get_cpu_capability()),
    }


class Mlp:
    """examples/mlp-training's MLP and its SGD step, in eager PyTorch."""

    def __init__(self, m, dtype=torch.float32, source=None):
        g = torch.Generator().manual_seed(m["batch"])
        b, i, h, c = m["batch"], m["in"], m["hidden"], m["classes"]
        if source is None:
            self.x = torch.randn(b, i, generator=g)
            labels = torch.randint(0, c, (b,), generator=g)
            self.y = F.one_hot(labels, c).float()
            self.params = [torch.randn(i, h, generator=g) * (2 / i) ** 0.5,
                           torch.randn(h, generator=g) * 0.1,
                           torch.randn(h, c, generator=g) * (2 / h) ** 0.5,
                           torch.randn(c, generator=g) * 0.1]
        else:
            self.x, self.y = source.x, source.y
            self.params = [p.detach().clone() for p in source.params]
        self.x, self.y = self.x.to(dtype), self.y.to(dtype)
        self.params = [p.detach().to(dtype).requires_grad_()
                       for p in self.params]
        self.batch = b

    def loss(self):
        w1, b1, w2, b2 = self.params
        h = F.gelu(self.x @ w1 + b1)
        lp = F.log_softmax(h @ w2 + b2, dim=-1)
        return -(self.y * lp).sum() / self.batch

    def step(self, lr):
        for p in self.params:
            p.grad = None
        loss = self.loss()
        loss.backward()
        with torch.no_grad():
            for p in self.params:
                p -= lr * p.grad
        return loss


def relative(a, ref):
    return float((a.double() - ref).abs().max() / ref.abs().max())


def measure_mlp(m, threads, reps, warmup, steps, lr):
    torch.set_num_threads(threads)
    mlp = Mlp(m)
    # The first step's loss and gradients against float64.
    ref = Mlp(m, torch.float64, source=mlp)
    ref_loss = ref.step(lr)
    first = Mlp(m, source=mlp)
    loss = first.step(lr)
    error = relative(loss.detach(), ref_loss.detach())
    for p, r in zip(first.params, ref.params):
        error = max(error, relative(p.grad, r.grad))

    def run():
        for _ in range(steps):
            mlp.step(lr)

    timing = measure(run, reps, warmup)
    for key in ("min", "median", "max", "first"):
        timing[key] /= steps
    last = float(mlp.loss())
    return {
        "workload": m["name"],
        "threads": threads,
        **timing,
        "error": error if last == last else 1e9,
        "note": "torch %s eager autograd, set_num_threads(%d), %s, loss "
                "%.3f -> %.3f" % (torch.__version__, threads,
                                  torch.backends.cpu.get_cpu_capability(),
                                  float(ref_loss), last),
    }


def main():
    request = json.load(sys.stdin)
    reps, warmup = request["repetitions"], request["warmup"]
    results = []
    torch.set_num_threads(1)
    for w in request.get("backward", []):
        results.append(measure_backward(w, reps, warmup))
        print("backward_peers: %s done" % w["name"])
    for t in request.get("threads", [1]):
        for m in request.get("mlp", []):
            results.append(measure_mlp(m, t, reps, warmup,
                                       request.get("mlp_steps", 20),
                                       request.get("lr", 0.1)))
    info = {"torch": "%s (%s, %s)" % (
        torch.__version__, torch.backends.cpu.get_cpu_capability(),
        "MKL" if torch.backends.mkl.is_available() else "no MKL")}
    peers.answer({"results": results, "info": info})


if __name__ == "__main__":
    main()
