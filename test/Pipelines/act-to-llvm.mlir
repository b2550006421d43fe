// The act-to-llvm pipeline emits full-width vector code for the target:
// <8 x float> registers on AVX2, <16 x float> on AVX-512, never wider
// (tiles of several registers are split), and records the CPU for LLVM.

// RUN: act-opt %s --act-to-llvm="target-cpu=haswell" | mlir-translate --mlir-to-llvmir | FileCheck %s --check-prefixes=CHECK,AVX2
// RUN: act-opt %s --act-to-llvm="target-cpu=skylake-avx512" | mlir-translate --mlir-to-llvmir | FileCheck %s --check-prefixes=CHECK,AVX512
// RUN: act-opt %s --act-to-llvm="target-cpu=skylake-avx512" | mlir-translate --mlir-to-llvmir | llc -O3 | FileCheck %s --check-prefix=ASM512

// CHECK: target triple = "x86_64-unknown-linux-gnu"

// CHECK-LABEL: define {{.*}} @leaky_relu(
// AVX2: fcmp ogt <8 x float>
// AVX2: select <8 x i1> {{.*}}, <8 x float>
// AVX512: fcmp ogt <16 x float>
// AVX512: select <16 x i1> {{.*}}, <16 x float>
// CHECK-NOT: <32 x float>
// CHECK-NOT: <64 x float>
// CHECK: ret
func.func @leaky_relu(%x: tensor<64x256xf32>) -> tensor<64x256xf32> {
  %0 = act.leaky_relu %x {negative_slope = 0.2 : f64} : tensor<64x256xf32>
  return %0 : tensor<64x256xf32>
}

// A tail (1000 = 31 * 32 + 8 on AVX2, 15 * 64 + 40 on AVX-512) is peeled.
// CHECK-LABEL: define {{.*}} @hardswish_tail(
// AVX2: fmul <8 x float>
// AVX512: fmul <16 x float>
// CHECK-NOT: <32 x float>
// CHECK-NOT: <64 x float>
// CHECK: ret
func.func @hardswish_tail(%x: tensor<1000xf32>) -> tensor<1000xf32> {
  %0 = act.hardswish %x : tensor<1000xf32>
  return %0 : tensor<1000xf32>
}

// Transcendentals are act's own branch-free vector math: no libm calls
// (only intrinsics such as llvm.fma, and the result's malloc).
// CHECK-LABEL: define {{.*}} @gelu_silu_mish_softplus(
// CHECK-NOT: call {{.*}}@{{(exp|expm1|log|log1p|tanh|erf|erfc)f?}}(
// CHECK-NOT: @llvm.{{(exp|log|tanh)}}.
// AVX2: call <8 x float> @llvm.fma.v8f32(
// AVX512: call <16 x float> @llvm.fma.v16f32(
// CHECK-NOT: call {{.*}}@{{(exp|expm1|log|log1p|tanh|erf|erfc)f?}}(
// CHECK-NOT: @llvm.{{(exp|log|tanh)}}.
// CHECK: ret
func.func @gelu_silu_mish_softplus(%x: tensor<4096xf32>) -> tensor<4096xf32> {
  %0 = act.gelu %x : tensor<4096xf32>
  %1 = act.silu %0 : tensor<4096xf32>
  %2 = act.mish %1 : tensor<4096xf32>
  %3 = act.softplus %2 : tensor<4096xf32>
  %4 = act.tanh %3 : tensor<4096xf32>
  return %4 : tensor<4096xf32>
}

// f64 transcendentals are act's f64 kernels (erf-form gelu needs erfc, which
// LLVM cannot lower): <4 x double> registers on AVX2, <8 x double> on
// AVX-512, and no libm call.
// CHECK-LABEL: define {{.*}} @gelu_f64(
// CHECK-NOT: call {{.*}}@{{(exp|expm1|log|log1p|tanh|erf|erfc)f?}}(
// CHECK-NOT: @llvm.{{(exp|log|tanh)}}.
// AVX2: call <4 x double> @llvm.fma.v4f64(
// AVX512: call <8 x double> @llvm.fma.v8f64(
// CHECK-NOT: call {{.*}}@{{(exp|expm1|log|log1p|tanh|erf|erfc)f?}}(
// CHECK-NOT: @llvm.{{(exp|log|tanh)}}.
// CHECK: ret
func.func @gelu_f64(%x: tensor<64x256xf64>) -> tensor<64x256xf64> {
  %0 = act.gelu %x : tensor<64x256xf64>
  %1 = act.mish %0 : tensor<64x256xf64>
  return %1 : tensor<64x256xf64>
}

// CHECK: attributes #{{[0-9]+}} = { {{.*}}"target-cpu"="{{haswell|skylake-avx512}}"

// ASM512-LABEL: leaky_relu:
// ASM512: vcmpltps {{.*}}%zmm
// ASM512-LABEL: hardswish_tail:
// ASM512: %zmm
