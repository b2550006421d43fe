// --verify against the double-precision reference, random inputs, odd shapes.
// RUN: act-run %s --function=relu --input=1000xf32=random:1 --verify | FileCheck %s
// RUN: act-run %s --function=gelu_tanh --input=17x7xf32=random:2 --verify | FileCheck %s
// RUN: act-run %s --function=sigmoid --input=7x17xf32=random:3 --verify | FileCheck %s
// RUN: act-run %s --function=sigmoid_f16 --input=1000xf16=random:4 --verify | FileCheck %s
// RUN: act-run %s --function=sigmoid_bf16 --input=7x17xbf16=random:5 --verify | FileCheck %s
// RUN: act-run %s --function=softmax --input=7x1000xf32=random:6 --verify | FileCheck %s --check-prefix=B18
// RUN: act-run %s --function=softmax_dim0 --input=17x7xf32=random:7 --verify | FileCheck %s --check-prefix=B16D0
// RUN: act-run %s --function=log_softmax --input=1x17xf32=random:8 --verify | FileCheck %s --check-prefix=ABS
// RUN: act-run %s --function=glu --input=7x34xf32=random:10 --verify | FileCheck %s
// RUN: act-run %s --function=maxout --input=17x21xf32=random:11 --verify | FileCheck %s
// RUN: act-run %s --function=prelu --input=7x17x1xf32=random:12 --input=17xf32=random:13 --verify | FileCheck %s
// RUN: act-run %s --function=prelu_shared --input=1000xf32=random:14 --input=1xf32=0.25 --verify | FileCheck %s
// RUN: act-run %s --function=two_results --input=17x7xf32=random:15 --verify | FileCheck %s --check-prefixes=CHECK,TWO
// Reductions along dim 0 add 2048 terms in sequence per column: the bounds
// grow with that (16 + (2048 - 16) / 8 and 4 + (2048 - 32) / 32).
// RUN: act-run %s --function=softmax_columns --input=2048x64xf32=random:18 --verify | FileCheck %s --check-prefix=COLS
// RUN: act-run %s --function=log_softmax_columns --input=2048x64xf32=random:19 --verify | FileCheck %s --check-prefix=LCOLS
// COLS:  result #0: max abs {{.*}} - ok (bound 270 ulp above 5.96046e-08)
// LCOLS: result #0: max abs {{.*}} - ok (bound 67 ulp above 1)
// Outputs of 16 MiB take the streaming-store path (act-streaming-stores),
// aligned to the register width (shown for AVX2 and AVX-512 targets).
// RUN: act-opt %s --act-to-llvm="target-cpu=znver3" | FileCheck %s --check-prefix=STREAM
// RUN: act-opt %s --act-to-llvm="target-cpu=znver4" | FileCheck %s --check-prefix=STREAM512
// RUN: act-run %s --function=relu_16mib --input=4194304xf32=random:16 --verify | FileCheck %s
// RUN: act-run %s --function=softmax_16mib --input=1024x4096xf32=random:17 --verify | FileCheck %s --check-prefix=B30
// RUN: act-opt %s --act-to-llvm="streaming-store-bytes=0" | FileCheck %s --check-prefix=NOSTREAM
// NOSTREAM: llvm.func @relu_16mib
// NOSTREAM-NOT: nontemporal
// STREAM-LABEL: llvm.func @relu_16mib
// STREAM: llvm.store {{.*}} {alignment = 32 : i64, nontemporal}
// STREAM-LABEL: llvm.func @softmax_16mib
// STREAM: llvm.intr.prefetch
// STREAM: llvm.store {{.*}} {alignment = 32 : i64, nontemporal}
// STREAM512-LABEL: llvm.func @relu_16mib
// STREAM512: llvm.store {{.*}} {alignment = 64 : i64, nontemporal} : vector<16xf32>

// The default bound is the largest documented bound of the function's ops
// (docs/Accuracy.md), in ulps of max(|reference|, 2^-24); log_softmax's
// error is absolute (ulps of max(|reference|, 1)); --verify-ulp overrides it.
// softmax's bound: 16 ulp + 1/8 per term an accumulator adds beyond 16
// (32 per-lane partial sums along the last dim: 1000 -> 32 terms, 4096 ->
// 128; 17 along dim 0).
// B18:   result #0: max abs {{.*}} - ok (bound 18 ulp above 5.96046e-08)
// B16D0: result #0: max abs {{.*}} - ok (bound 16.125 ulp above 5.96046e-08)
// B30:   result #0: max abs {{.*}} - ok (bound 30 ulp above 5.96046e-08)
// ABS:   result #0: max abs {{.*}} - ok (bound 4 ulp above 1)
// RUN: act-run %s --function=log_softmax_f64 --input=7x17xf64=random:9 --verify | FileCheck %s --check-prefix=F64
// F64:   result #0: max abs {{.*}} - ok (bound 4 ulp above 1)
// RUN: act-run %s --function=relu --input=1000xf32=random:1 --verify | FileCheck %s --check-prefix=EXACT
// EXACT: result #0: max abs 0, max rel 0, max ulp 0.0 - ok (bound 1 ulp above 5.96046e-08)
// RUN: not act-run %s --function=gelu_tanh --input=17x7xf32=random:2 --verify --verify-ulp=0.25 | FileCheck %s --check-prefix=TIGHT
// TIGHT: result #0: {{.*}} - FAILED (bound 0.25 ulp above 5.96046e-08)
// Fast mode documents no bound: errors are reported, only NaN/Inf/zero-sign
// mismatches fail.
// RUN: act-run %s --function=sigmoid --input=7x17xf32=random:3 --math=fast --verify | FileCheck %s --check-prefix=FAST
// FAST: result #0: max abs {{.*}} - ok (bound inf ulp above 5.96046e-08)
// CHECK: result #0: max abs {{.*}} - ok (bound {{[124]}} ulp above {{.*}})
// A chain: the softmax of sigmoid's result is judged by the propagated bound.
// TWO:   result #1: max abs {{.*}}, bound use {{.*}} - ok (propagated bound, at least 16 ulp above {{.*}})

func.func @relu(%x: tensor<1000xf32>) -> tensor<1000xf32> {
  %y = act.relu %x : tensor<1000xf32>
  return %y : tensor<1000xf32>
}
func.func @gelu_tanh(%x: tensor<17x7xf32>) -> tensor<17x7xf32> {
  %y = act.gelu %x approximate = tanh : tensor<17x7xf32>
  return %y : tensor<17x7xf32>
}
func.func @sigmoid(%x: tensor<7x17xf32>) -> tensor<7x17xf32> {
  %y = act.sigmoid %x : tensor<7x17xf32>
  return %y : tensor<7x17xf32>
}
func.func @sigmoid_f16(%x: tensor<1000xf16>) -> tensor<1000xf16> {
  %y = act.sigmoid %x : tensor<1000xf16>
  return %y : tensor<1000xf16>
}
func.func @sigmoid_bf16(%x: tensor<7x17xbf16>) -> tensor<7x17xbf16> {
  %y = act.sigmoid %x : tensor<7x17xbf16>
  return %y : tensor<7x17xbf16>
}
func.func @softmax(%x: tensor<7x1000xf32>) -> tensor<7x1000xf32> {
  %y = act.softmax %x : tensor<7x1000xf32>
  return %y : tensor<7x1000xf32>
}
func.func @softmax_dim0(%x: tensor<17x7xf32>) -> tensor<17x7xf32> {
  %y = act.softmax %x {dim = 0 : i64} : tensor<17x7xf32>
  return %y : tensor<17x7xf32>
}
func.func @log_softmax(%x: tensor<1x17xf32>) -> tensor<1x17xf32> {
  %y = act.log_softmax %x : tensor<1x17xf32>
  return %y : tensor<1x17xf32>
}
func.func @log_softmax_f64(%x: tensor<7x17xf64>) -> tensor<7x17xf64> {
  %y = act.log_softmax %x : tensor<7x17xf64>
  return %y : tensor<7x17xf64>
}
func.func @glu(%x: tensor<7x34xf32>) -> tensor<7x17xf32> {
  %y = act.glu %x : tensor<7x34xf32> -> tensor<7x17xf32>
  return %y : tensor<7x17xf32>
}
func.func @maxout(%x: tensor<17x21xf32>) -> tensor<17x7xf32> {
  %y = act.maxout %x {groups = 3 : i64} : tensor<17x21xf32> -> tensor<17x7xf32>
  return %y : tensor<17x7xf32>
}
func.func @prelu(%x: tensor<7x17x1xf32>, %s: tensor<17xf32>) -> tensor<7x17x1xf32> {
  %y = act.prelu %x, %s : tensor<7x17x1xf32>, tensor<17xf32>
  return %y : tensor<7x17x1xf32>
}
func.func @prelu_shared(%x: tensor<1000xf32>, %s: tensor<1xf32>) -> tensor<1000xf32> {
  %y = act.prelu %x, %s : tensor<1000xf32>, tensor<1xf32>
  return %y : tensor<1000xf32>
}
func.func @two_results(%x: tensor<17x7xf32>) -> (tensor<17x7xf32>, tensor<17x7xf32>) {
  %a = act.sigmoid %x : tensor<17x7xf32>
  %b = act.softmax %a : tensor<17x7xf32>
  return %a, %b : tensor<17x7xf32>, tensor<17x7xf32>
}
func.func @relu_16mib(%x: tensor<4194304xf32>) -> tensor<4194304xf32> {
  %y = act.relu %x : tensor<4194304xf32>
  return %y : tensor<4194304xf32>
}
func.func @softmax_16mib(%x: tensor<1024x4096xf32>) -> tensor<1024x4096xf32> {
  %y = act.softmax %x {dim = 1} : tensor<1024x4096xf32>
  return %y : tensor<1024x4096xf32>
}
func.func @softmax_columns(%x: tensor<2048x64xf32>) -> tensor<2048x64xf32> {
  %y = act.softmax %x {dim = 0 : i64} : tensor<2048x64xf32>
  return %y : tensor<2048x64xf32>
}
func.func @log_softmax_columns(%x: tensor<2048x64xf32>) -> tensor<2048x64xf32> {
  %y = act.log_softmax %x {dim = 0 : i64} : tensor<2048x64xf32>
  return %y : tensor<2048x64xf32>
}
