"""What the Python peers of act-bench's suites share (dense_peers.py,
attention_peers.py, backward_peers.py): the JSON answer on stdout, the result
rows and their notes, torch.compile, IREE (compiled in the script, run in a
child process per thread count) and the script's own child processes.

A peers script reads its request as JSON on stdin and writes its answer,
{"results": [...], "skipped": [...], "info": {...}}, to stdout; as a child
(--NAME=VALUE arguments) it answers for that child's part alone.
"""

import json
import os
import subprocess
import sys
import tempfile
import time

import torch

from torch_peers import measure  # one timing loop for every script

IREE_FLAGS = [
    "--iree-hal-target-device=local",
    "--iree-hal-local-target-device-backends=llvm-cpu",
    "--iree-llvmcpu-target-cpu=host",
]

_answer = None


def keep_stdout_for_answer():
    """From here on everything printed, by the script or by a library, goes
    to stderr: stdout is the JSON answer alone (answer())."""
    global _answer
    _answer = os.fdopen(os.dup(1), "w")
    os.dup2(2, 1)
    sys.stdout = sys.stderr


def answer(value):
    json.dump(value, _answer)
    _answer.close()


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

def torch_runs(request, info, inputs):
    """(threads, workload, its `inputs`) for every measurement of the
    request, with torch's thread count set for it."""
    info["torch"] = "torch %s, %s" % (torch.__version__,
                                      torch.backends.cpu.get_cpu_capability())
    # Thread counts outermost, as in act-bench: a threaded pool spins for a
    # while after its work, and would slow the single-threaded runs after it.
    for t in request["threads"]:
        torch.set_num_threads(t)
        for w in request["workloads"]:
            yield t, w, inputs(w)


def run_torch_compile(w, fn, args, threads, reps, warmup, error, of=""):
    """The torch_compile row of `fn` on `args` (`of`: what it compiles, for
    the note), its output checked by `error`."""
    # A fresh compile per workload and thread count: inductor bakes the
    # thread count into its C++ (#pragma omp parallel num_threads), and
    # dynamo would stop recompiling one function after its cache limit.
    try:
        import torch._dynamo
        import torch._inductor.config as inductor
        torch._dynamo.reset()
        inductor.cpp.threads = threads
        compiled = torch.compile(fn)
        start = time.perf_counter()
        y = compiled(*args)
        setup = time.perf_counter() - start
        timing = measure(lambda: compiled(*args), reps, warmup)
        err = error(y)
    except Exception as e:  # offline, no compiler, ...: say why, go on
        return row(w, "torch_compile", threads,
                   "torch.compile failed: " + failure(e))
    return row(w, "torch_compile", threads,
               "torch.compile (inductor, default mode)%s, %s; compile = "
               "first call" % (of, threads_note(threads)),
               timing, setup=setup, err=err)


# --- IREE ---------------------------------------------------------------------

def iree_versions():
    from importlib import metadata
    return "iree-base-compiler %s, iree-base-runtime %s" % (
        metadata.version("iree-base-compiler"),
        metadata.version("iree-base-runtime"))


def run_iree(request, results, skipped, info):
    """Every workload's "linalg" compiled by IREE here, then run by a child
    (iree_child) per thread count."""
    try:
        import iree.compiler as ireec
        import iree.runtime  # noqa: F401 (in the children; fail early here)
        info["iree"] = iree_versions()
    except Exception as e:
        skipped.append("iree: not available (%s); .venv/bin/pip install -r "
                       "tools/requirements-bench.txt" % failure(e))
        return
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


def iree_child(request, threads, inputs, error, source="", result="Y"):
    """The child of run_iree at `threads`: each workload's module on its
    `inputs` (a list of tensors), checked by `error`; the note says what
    was compiled (`source`) and what the module allocates (`result`)."""
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
            "%s, %sllvm-cpu target-cpu=host, local-task %s "
            "(task_topology_max_group_count), allocates %s" % (
                iree_versions(), source, threads_note(threads), result),
            timing, setup=w["compile_s"], err=err))
    return {"results": results, "skipped": skipped}


# --- Driver -------------------------------------------------------------------

def run_child(args, request, env=None):
    """The peers script itself under the same python with `args`, `request`
    on stdin; its JSON answer."""
    environment = dict(os.environ)
    environment.update(env or {})
    script = os.path.abspath(sys.modules["__main__"].__file__)
    done = subprocess.run([sys.executable, script] + args,
                          input=json.dumps(request), capture_output=True,
                          text=True, env=environment)
    sys.stderr.write(done.stderr)
    if done.returncode != 0:
        raise RuntimeError("child %s exited %d" % (" ".join(args),
                                                   done.returncode))
    return json.loads(done.stdout)


def main(run, children):
    """A peers script's main: the request from stdin; as a child
    (--NAME=N), the answer of children[NAME](request, N); otherwise
    run(request, impls, results, skipped, info)'s."""
    request = json.load(sys.stdin)
    options = dict(a[2:].split("=", 1) for a in sys.argv[1:])
    for name, child in children.items():
        if name in options:
            answer(child(request, int(options[name])))
            return
    results, skipped, info = [], [], {}
    run(request, request["impls"], results, skipped, info)
    answer({"results": results, "skipped": skipped, "info": info})
