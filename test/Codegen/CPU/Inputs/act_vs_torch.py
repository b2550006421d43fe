"""Running a function with act-run and comparing its results elementwise with
a float64 reference: what the kernel tests against PyTorch share."""

import os
import subprocess

import numpy as np


def t(shape, ty="f32"):
    return "tensor<%sx%s>" % ("x".join(map(str, shape)), ty)


class Harness:
    def __init__(self, act_run, work):
        self.act_run, self.work = act_run, work
        os.makedirs(work, exist_ok=True)
        self.passed = self.failed = 0

    def record(self, ok):
        self.passed += bool(ok)
        self.failed += not ok

    def run(self, name, mlir, inputs, nresults, extra=()):
        """act-run on `mlir` with .npy inputs; the results, or None (and a
        failure) if act-run exits non-zero."""
        path = os.path.join(self.work, name + ".mlir")
        with open(path, "w") as f:
            f.write(mlir)
        args = [self.act_run, path]
        for i, a in enumerate(inputs):
            p = os.path.join(self.work, "%s.in%d.npy" % (name, i))
            np.save(p, a)
            args.append("--input=@" + p)
        outs = [os.path.join(self.work, "%s.out%d.npy" % (name, i))
                for i in range(nresults)]
        args += ["--output=@" + p for p in outs] + list(extra)
        r = subprocess.run(args, capture_output=True, text=True)
        if r.returncode:
            print("FAILED %s: act-run exit %d\n%s%s" % (name, r.returncode,
                                                       r.stdout, r.stderr))
            self.record(False)
            return None
        return [np.load(p) for p in outs]

    def check(self, name, got, ref, bound):
        """NaN exactly where ref is NaN, equal infinities, else within `bound`
        plus 4 ulp of the f32 result."""
        ref = np.asarray(ref, dtype=np.float64)
        got = np.asarray(got, dtype=np.float64)
        if got.shape != ref.shape:
            print("FAILED %s: shape %s, expected %s" % (name, got.shape,
                                                        ref.shape))
            self.record(False)
            return
        nan_ok = np.array_equal(np.isnan(got), np.isnan(ref))
        inf = np.isinf(ref)
        inf_ok = np.array_equal(got[inf], ref[inf])
        finite = ~np.isnan(ref) & ~inf
        bound = np.broadcast_to(bound, ref.shape)
        err = np.abs(got[finite] - ref[finite])
        allowed = bound[finite] + 4 * np.spacing(
            np.abs(ref[finite]).astype(np.float32)).astype(np.float64) + 1e-45
        ratio = err / allowed
        use = float(np.max(np.where(np.isnan(ratio), np.inf, ratio),
                           initial=0.0))
        ok = nan_ok and inf_ok and use <= 1.0
        print("%s %s: max err %.3g, %.3f of the bound%s%s" %
              ("ok" if ok else "FAILED", name,
               float(np.nanmax(err, initial=0.0)), use,
               "" if nan_ok else " (NaN mismatch: %d got, %d expected)" %
               (np.isnan(got).sum(), np.isnan(ref).sum()),
               "" if inf_ok else " (Inf mismatch)"))
        self.record(ok)

    def summary(self, label):
        print("%s: %d passed, %d failed" % (label, self.passed, self.failed))
