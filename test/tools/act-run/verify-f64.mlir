// f64 activations through act's f64 vector math (act-expand-math), checked
// by act-run --verify against the double-precision reference on random
// inputs with odd shapes (full vectors and tails).
// RUN: act-run %s --function=gelu --input=7x17xf64=random:21 --verify | FileCheck %s
// RUN: act-run %s --function=gelu_tanh --input=7x17xf64=random:22 --verify | FileCheck %s
// RUN: act-run %s --function=tanh --input=7x17xf64=random:23 --verify | FileCheck %s
// RUN: act-run %s --function=sigmoid --input=7x17xf64=random:24 --verify | FileCheck %s
// RUN: act-run %s --function=silu --input=7x17xf64=random:25 --verify | FileCheck %s
// RUN: act-run %s --function=mish --input=7x17xf64=random:26 --verify | FileCheck %s
// RUN: act-run %s --function=softplus --input=7x17xf64=random:27 --verify | FileCheck %s
// RUN: act-run %s --function=elu --input=7x17xf64=random:28 --verify | FileCheck %s
// RUN: act-run %s --function=softmax --input=7x17xf64=random:29 --verify | FileCheck %s
// Larger inputs, and the tails (|x| up to 40) that exercise erfc, the
// sigmoid's underflow and softplus's threshold. The reference is itself f64
// (1-2 ulp off), and over 4096 points the two errors add up to 4 ulp: the
// bound is 8 there.
// RUN: act-run %s --function=gelu_wide --input=4096xf64=random:30 --verify --verify-ulp=8 | FileCheck %s
// RUN: act-run %s --function=gelu_tails --input="16xf64=-40 -30 -27.3 -26 -20 -9 -6 -1.5 1.5 6 9 20 26 27.3 30 40" --verify | FileCheck %s
// RUN: act-run %s --function=gelu_tanh_tails --input="16xf64=-40 -30 -27.3 -26 -20 -9 -6 -1.5 1.5 6 9 20 26 27.3 30 40" --verify | FileCheck %s
// Fast mode: f64 takes the same kernels (MLIR has no f64 approximations).
// RUN: act-run %s --function=gelu --input=7x17xf64=random:21 --math=fast --verify | FileCheck %s --check-prefix=FAST
// CHECK: result #0: max abs {{.*}} - ok (bound {{[0-9]+}} ulp above {{.*}})
// FAST: result #0: max abs {{.*}} - ok (bound inf ulp above {{.*}})

func.func @gelu(%x: tensor<7x17xf64>) -> tensor<7x17xf64> {
  %y = act.gelu %x : tensor<7x17xf64>
  return %y : tensor<7x17xf64>
}
func.func @gelu_tanh(%x: tensor<7x17xf64>) -> tensor<7x17xf64> {
  %y = act.gelu %x approximate = tanh : tensor<7x17xf64>
  return %y : tensor<7x17xf64>
}
func.func @tanh(%x: tensor<7x17xf64>) -> tensor<7x17xf64> {
  %y = act.tanh %x : tensor<7x17xf64>
  return %y : tensor<7x17xf64>
}
func.func @sigmoid(%x: tensor<7x17xf64>) -> tensor<7x17xf64> {
  %y = act.sigmoid %x : tensor<7x17xf64>
  return %y : tensor<7x17xf64>
}
func.func @silu(%x: tensor<7x17xf64>) -> tensor<7x17xf64> {
  %y = act.silu %x : tensor<7x17xf64>
  return %y : tensor<7x17xf64>
}
func.func @mish(%x: tensor<7x17xf64>) -> tensor<7x17xf64> {
  %y = act.mish %x : tensor<7x17xf64>
  return %y : tensor<7x17xf64>
}
func.func @softplus(%x: tensor<7x17xf64>) -> tensor<7x17xf64> {
  %y = act.softplus %x : tensor<7x17xf64>
  return %y : tensor<7x17xf64>
}
func.func @elu(%x: tensor<7x17xf64>) -> tensor<7x17xf64> {
  %y = act.elu %x : tensor<7x17xf64>
  return %y : tensor<7x17xf64>
}
func.func @softmax(%x: tensor<7x17xf64>) -> tensor<7x17xf64> {
  %y = act.softmax %x : tensor<7x17xf64>
  return %y : tensor<7x17xf64>
}
func.func @gelu_wide(%x: tensor<4096xf64>) -> tensor<4096xf64> {
  %y = act.gelu %x : tensor<4096xf64>
  return %y : tensor<4096xf64>
}
func.func @gelu_tails(%x: tensor<16xf64>) -> tensor<16xf64> {
  %y = act.gelu %x : tensor<16xf64>
  return %y : tensor<16xf64>
}
func.func @gelu_tanh_tails(%x: tensor<16xf64>) -> tensor<16xf64> {
  %y = act.gelu %x approximate = tanh : tensor<16xf64>
  return %y : tensor<16xf64>
}
