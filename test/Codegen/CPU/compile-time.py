# The largest dense layer of the benchmark suite compiles in bounded time
# (reported, not asserted), and the micro-kernel is what the target should
# run: for AVX2 (haswell) broadcasts of A and 256-bit FMAs on ymm registers;
# for AVX-512 (znver4, skylake-avx512) 512-bit FMAs on zmm registers with A
# broadcast from memory inside the FMA ({1to16}).
#
# RUN: %act_python %s %act_obj_root/bin/act-opt %t | FileCheck %s
# CHECK: 128x4096x4096 gelu: compiled to LLVM IR in {{[0-9.]+}} s
# CHECK: haswell: {{[1-9][0-9]*}} ymm FMAs in the micro-kernel loop, 0 zmm
# CHECK: skylake-avx512: {{[1-9][0-9]*}} zmm FMAs with {1to16} broadcasts

import os
import re
import subprocess
import sys
import time

act_opt, work = sys.argv[1:3]
os.makedirs(work, exist_ok=True)
tools = "/usr/lib/llvm-22/bin"


def dense(m, k, n):
    t = lambda *s: "tensor<%sxf32>" % "x".join(map(str, s))
    return f"""func.func @dense(%x: {t(m, k)}, %w: {t(k, n)}, %b: {t(n)}) -> {t(m, n)} {{
  %e = tensor.empty() : {t(m, n)}
  %z = arith.constant 0.0 : f32
  %f = linalg.fill ins(%z : f32) outs(%e : {t(m, n)}) -> {t(m, n)}
  %m = linalg.matmul ins(%x, %w : {t(m, k)}, {t(k, n)}) outs(%f : {t(m, n)}) -> {t(m, n)}
  %bb = linalg.broadcast ins(%b : {t(n)}) outs(%e : {t(m, n)}) dimensions = [0]
  %a = arith.addf %m, %bb : {t(m, n)}
  %y = act.gelu %a : {t(m, n)}
  return %y : {t(m, n)}
}}
"""


def compile_to_asm(src, cpu):
    path = os.path.join(work, "dense-%s.mlir" % cpu)
    with open(path, "w") as f:
        f.write(src)
    start = time.time()
    llvm = subprocess.run([act_opt, path, "--act-to-llvm=target-cpu=%s threads=1" % cpu],
                          check=True, capture_output=True, text=True).stdout
    ll = subprocess.run([tools + "/mlir-translate", "--mlir-to-llvmir"], input=llvm,
                        check=True, capture_output=True, text=True).stdout
    seconds = time.time() - start
    asm = subprocess.run([tools + "/llc", "-O3", "-mcpu=" + cpu, "-o", "-"],
                         input=ll, check=True, capture_output=True, text=True).stdout
    return seconds, asm


seconds, _ = compile_to_asm(dense(128, 4096, 4096), "znver4")
print("128x4096x4096 gelu: compiled to LLVM IR in %.2f s" % seconds)

_, asm = compile_to_asm(dense(64, 256, 256), "haswell")
ymm = len(re.findall(r"vfmadd\d+ps\s+.*%ymm", asm))
zmm = len(re.findall(r"%zmm", asm))
print("haswell: %d ymm FMAs in the micro-kernel loop, %d zmm" % (ymm, zmm))

_, asm = compile_to_asm(dense(64, 256, 256), "skylake-avx512")
embedded = len(re.findall(r"vfmadd\d+ps\s+\S*\{1to16\}.*%zmm", asm))
print("skylake-avx512: %d zmm FMAs with {1to16} broadcasts" % embedded)
