"""Imported PyTorch models through act against PyTorch, in the same run.

    .venv/bin/python tools/act-bench/models_bench.py [--models=mlp,gpt2_block]
        [--threads=1,0] [--repetitions=10] [--no-compile] [--json=FILE]
        [--chart=FILE.png]

For each model of examples/models: act-import (into build/models/NAME, redone
when the model file is newer), then at each thread count (0: all cores) act-run
--benchmark (its compile time, and the median call) and PyTorch on the same
inputs: eager and torch.compile (inductor), each the median of --repetitions
calls after a first call and two warm-up calls, with torch.set_num_threads;
and IREE (iree-base-compiler/runtime from tools/requirements-bench.txt,
skipped without them) compiling the same imported MLIR for llvm-cpu
target-cpu=host, run in a child process per thread count (its task executor
reads the thread count once per process). The errors are max |x - eager|
over max |eager| (act's from act-run --expect).
Prints a table (ratios to PyTorch eager measured in the same run; timings
drift between runs and machines), writes JSON and optionally a bar chart.
"""

import argparse
import json
import os
import re
import subprocess
import sys
import time

root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(root, "tools", "act-import"))
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import act_import  # noqa: E402
from torch_peers import measure  # noqa: E402  (one timing loop for every script)

MODELS = ["mlp", "silu_ffn", "swiglu_ffn", "scores", "chain", "gpt2_block"]


def imported(name, build):
    """The act-import output directory of examples/models/NAME.py."""
    source = os.path.join(root, "examples", "models", name + ".py")
    out = os.path.join(build, "models", name)
    mlir = os.path.join(out, "model.mlir")
    if not os.path.exists(mlir) or os.path.getmtime(mlir) < os.path.getmtime(source):
        subprocess.run(
            [os.path.join(build, "bin", "act-import"), source, "-o", out],
            check=True,
            stdout=subprocess.DEVNULL,
        )
    return source, out


def npy_args(out, prefix, flag):
    files = sorted(
        (f for f in os.listdir(out) if re.fullmatch(prefix + r"\d+\.npy", f)),
        key=lambda f: int(re.findall(r"\d+", f)[0]),
    )
    return [f"{flag}=@{os.path.join(out, f)}" for f in files]


def run_act(build, out, threads, reps):
    """act-run's benchmark JSON and the --expect error of one model."""
    cmd = [os.path.join(build, "bin", "act-run"), os.path.join(out, "model.mlir")]
    cmd += npy_args(out, "input", "--input")
    bench = subprocess.run(
        cmd
        + [f"--threads={threads}", "--benchmark", "--benchmark-format=json",
           f"--benchmark-repetitions={reps}"],
        check=True, capture_output=True, text=True,
    )
    timing = json.loads(bench.stdout.strip().splitlines()[-1])
    check = subprocess.run(
        cmd + npy_args(out, "expected", "--expect") + [f"--threads={threads}"],
        capture_output=True, text=True,
    )
    errors = [
        float(a) / float(b)
        for a, b in re.findall(r"max abs ([^,]+), max \|expected\| ([^ ]+)", check.stdout)
    ]
    return timing, (max(errors) if errors else float("nan")), check.returncode == 0


IREE_FLAGS = [
    "--iree-hal-target-device=local",
    "--iree-hal-local-target-device-backends=llvm-cpu",
    "--iree-llvmcpu-target-cpu=host",
]


def compile_iree(out):
    """IREE's module of the imported MLIR and its compile time, or a note."""
    try:
        import iree.compiler as ireec
    except ModuleNotFoundError:
        return None, None, "iree not installed (tools/requirements-bench.txt)"
    vmfb = os.path.join(out, "model.vmfb")
    start = time.perf_counter()
    try:
        ireec.compile_file(os.path.join(out, "model.mlir"),
                           extra_args=IREE_FLAGS, output_file=vmfb)
    except Exception as e:
        return None, None, f"iree compile failed: {str(e).splitlines()[0][:150]}"
    return vmfb, time.perf_counter() - start, None


def run_iree(vmfb, out, threads, reps):
    """IREE's median and error at `threads`, from a child process."""
    done = subprocess.run(
        [sys.executable, os.path.abspath(__file__),
         f"--iree-child={vmfb},{out},{threads},{reps}"],
        capture_output=True, text=True)
    if done.returncode != 0:
        return {"iree_note": "iree run failed: " + done.stderr.strip()[-150:]}
    return json.loads(done.stdout)


def iree_child(spec):
    import numpy as np
    import iree.runtime as rt

    vmfb, out, threads, reps = spec.split(",")
    rt.flags.parse_flags(f"--task_topology_max_group_count={threads}")
    device = rt.get_device("local-task")
    ctx = rt.SystemContext(config=rt.Config(device=device))
    with open(vmfb, "rb") as f:
        ctx.add_vm_module(rt.VmModule.copy_buffer(ctx.instance, f.read()))
    fn = ctx.modules.module["forward"]
    load = lambda prefix: [np.load(a.split("@", 1)[1]) for a in npy_args(out, prefix, "")]
    args = [rt.asdevicearray(device, x) for x in load("input")]
    timing = measure(lambda: fn(*args), int(reps), 2)
    got = fn(*args)
    got = [got] if not isinstance(got, (list, tuple)) else got
    errors = [float(np.max(np.abs(g.to_host() - e)) / max(np.max(np.abs(e)), 1e-38))
              for g, e in zip(got, load("expected"))]
    print(json.dumps({"iree_s": timing["median"], "iree_error": max(errors)}))


def torch_model(source):
    user = act_import.load_python_module(source)
    model = act_import.attribute(user, source, "model")
    inputs = act_import.as_tuple(act_import.attribute(user, source, "inputs"))
    return model.eval(), inputs


def main(argv):
    import torch

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--models", default=",".join(MODELS))
    parser.add_argument("--threads", default="1,0", help="0: all cores")
    parser.add_argument("--repetitions", type=int, default=10)
    parser.add_argument("--no-compile", action="store_true",
                        help="skip torch.compile (its compile takes minutes here)")
    parser.add_argument("--no-iree", action="store_true")
    parser.add_argument("--iree-child", help=argparse.SUPPRESS)
    parser.add_argument("--json")
    parser.add_argument("--chart")
    parser.add_argument("--build", default=os.path.join(root, "build"))
    args = parser.parse_args(argv)
    if args.iree_child:
        iree_child(args.iree_child)
        return 0
    cores = os.cpu_count()
    thread_counts = [int(t) or cores for t in args.threads.split(",")]

    results = []
    for name in args.models.split(","):
        source, out = imported(name, args.build)
        model, inputs = torch_model(source)
        compiled = None
        if not args.no_compile:
            compiled = torch.compile(model)
        vmfb, iree_compile_s, iree_note = (
            compile_iree(out) if not args.no_iree else (None, None, "--no-iree"))
        for threads in thread_counts:
            torch.set_num_threads(threads)
            timing, error, ok = run_act(args.build, out, threads, args.repetitions)
            row = {
                "model": name, "threads": threads,
                "act_s": timing["median_us"] * 1e-6,
                "act_compile_s": (timing["compile_pipeline_ms"] + timing["compile_jit_ms"]) * 1e-3,
                "act_error": error, "act_expect_ok": ok,
            }
            with torch.no_grad():
                row["eager_s"] = measure(lambda: model(*inputs), args.repetitions, 2)["median"]
                if compiled is not None:
                    start = time.perf_counter()
                    try:
                        compiled(*inputs)
                        row["compile_setup_s"] = time.perf_counter() - start
                        row["compiled_s"] = measure(
                            lambda: compiled(*inputs), args.repetitions, 2)["median"]
                    except Exception as e:  # inductor needs a C++ compiler
                        row["compiled_note"] = f"{type(e).__name__}: {e}"[:200]
            if vmfb:
                row["iree_compile_s"] = iree_compile_s
                row.update(run_iree(vmfb, out, threads, args.repetitions))
            else:
                row["iree_note"] = iree_note
            results.append(row)
            print_row(row)
    if args.json:
        with open(args.json, "w") as f:
            json.dump({"cores": cores, "results": results}, f, indent=1)
    if args.chart:
        chart(results, args.chart)
    return 0 if all(r["act_expect_ok"] for r in results) else 2


def print_row(r):
    global header_printed
    if not header_printed:
        print(f"{'model':<12} {'thr':>3} {'act compile':>11} {'act':>10} "
              f"{'eager':>10} {'compiled':>10} {'iree':>10} {'eager/act':>9} "
              f"{'compiled/act':>12} {'iree/act':>8} {'error':>8}")
        header_printed = True
    ms = lambda s: f"{s * 1e3:8.3f}ms" if s is not None else f"{'-':>10}"
    ratio = lambda s, w: f"{s / r['act_s']:{w - 1}.2f}x" if s else f"{'-':>{w}}"
    compiled, iree = r.get("compiled_s"), r.get("iree_s")
    print(f"{r['model']:<12} {r['threads']:>3} {r['act_compile_s']:10.2f}s "
          f"{ms(r['act_s'])} {ms(r['eager_s'])} {ms(compiled)} {ms(iree)} "
          f"{ratio(r['eager_s'], 9)} {ratio(compiled, 12)} {ratio(iree, 8)} "
          f"{r['act_error']:8.1e}" + ("" if r["act_expect_ok"] else "  FAILED"),
          flush=True)
    for note in ("compiled_note", "iree_note"):
        if note in r:
            print(f"  {note.split('_')[0]}: {r[note]}")


header_printed = False


def chart(results, path):
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ModuleNotFoundError:
        print("models_bench: no chart: matplotlib is not installed "
              "(tools/requirements-bench.txt)", file=sys.stderr)
        return
    labels = [f"{r['model']}\n{r['threads']}T" for r in results]
    x = range(len(results))
    fig, ax = plt.subplots(figsize=(max(6, len(results) * 0.9), 4))
    for offset, key, label in [(-0.27, "eager_s", "PyTorch eager / act"),
                               (0, "compiled_s", "torch.compile / act"),
                               (0.27, "iree_s", "IREE / act")]:
        ax.bar([i + offset for i in x],
               [r.get(key, 0) / r["act_s"] for r in results], 0.27, label=label)
    ax.axhline(1, color="black", linewidth=0.8)
    ax.set_xticks(list(x), labels, fontsize=7)
    ax.set_ylabel("time ratio (> 1: act faster)")
    ax.legend()
    fig.tight_layout()
    fig.savefig(path, dpi=120)


if __name__ == "__main__":
    try:
        sys.exit(main(sys.argv[1:]))
    except act_import.UsageError as e:
        print(f"models_bench: error: {e}", file=sys.stderr)
        sys.exit(1)
