// Programs random_programs.py found off their --verify bound (seed 2,
// 2026-12-02), kept with their inputs. A parameter f32 cannot hold is
// rounded by the kernel (and its product with x rounded once); a chain of
// act ops is judged by the bound propagated through it.
// RUN: act-run %s --function=softplus_beta --input=31xf32=random:325105131 --verify | FileCheck %s --check-prefix=PARAM
// RUN: act-run %s --function=softplus_beta_tiny --input=1xf32=random:720589354 --verify | FileCheck %s --check-prefix=PARAM
// RUN: act-run %s --function=softshrink_lambd --input=3x31xf32=random:406042178 --verify | FileCheck %s --check-prefix=PARAM
// PARAM: result #0: {{.*}} - ok (propagated bound, at least {{[14]}} ulp above 5.96046e-08)
// Without the allowance for the parameter (a propagated bound scaled to
// almost nothing leaves the op's own ulps) the softplus is off its bound.
// RUN: not act-run %s --function=softplus_beta --input=31xf32=random:325105131 --verify --verify-tolerance=1e-9 | FileCheck %s --check-prefix=NOALLOW
// NOALLOW: result #0: {{.*}} - FAILED (propagated bound x1e-09, at least 4 ulp above 5.96046e-08)
// RUN: act-run %s --function=softplus_gelu --input=7xf32=random:505033205 --verify | FileCheck %s --check-prefix=CHAIN
// RUN: act-run %s --function=chain_f16 --input=1x7xf16=random:1018165859 --verify | FileCheck %s --check-prefix=CHAIN
// CHAIN: result #0: {{.*}}, bound use {{.*}} - ok (propagated bound, at least 4 ulp above 5.96046e-08)
// softmin along dim 0 of 100 rows was 17.2 ulp off (seed 8), over the 16
// once documented for up to 128 terms; the bound grows by 1/8 ulp per term
// beyond 16.
// RUN: act-run %s --function=softmin_dim0 --input=100x64x31xf32=random:45112909 --verify | FileCheck %s --check-prefix=ROWS
// ROWS: result #0: max abs {{.*}}, max ulp 17.{{[0-9]}} {{.*}} - ok (bound 26.5 ulp above 5.96046e-08)

func.func @softplus_beta(%x: tensor<31xf32>) -> tensor<31xf32> {
  %y = act.softplus %x {beta = 2.646514288966302 : f64, threshold = 27.604620817111382 : f64} : tensor<31xf32>
  return %y : tensor<31xf32>
}
func.func @softplus_beta_tiny(%x: tensor<1xf32>) -> tensor<1xf32> {
  %y = act.softplus %x {beta = 2.4847332046644217 : f64, threshold = 18.678207326526703 : f64} : tensor<1xf32>
  return %y : tensor<1xf32>
}
func.func @softshrink_lambd(%x: tensor<3x31xf32>) -> tensor<3x31xf32> {
  %y = act.softshrink %x {lambd = 1.058669752672792 : f64} : tensor<3x31xf32>
  return %y : tensor<3x31xf32>
}
func.func @softplus_gelu(%x: tensor<7xf32>) -> tensor<7xf32> {
  %s = act.softplus %x {beta = 1.7601313046455 : f64, threshold = 18.597293866614876 : f64} : tensor<7xf32>
  %y = act.gelu %s : tensor<7xf32>
  return %y : tensor<7xf32>
}
func.func @chain_f16(%x: tensor<1x7xf16>) -> tensor<1x7xf16> {
  %a = act.log_sigmoid %x : tensor<1x7xf16>
  %b = act.tanhshrink %a : tensor<1x7xf16>
  %y = act.hard_sigmoid %b : tensor<1x7xf16>
  return %y : tensor<1x7xf16>
}
func.func @softmin_dim0(%x: tensor<100x64x31xf32>) -> tensor<100x64x31xf32> {
  %y = act.softmin %x {dim = 0 : i64} : tensor<100x64x31xf32>
  return %y : tensor<100x64x31xf32>
}
