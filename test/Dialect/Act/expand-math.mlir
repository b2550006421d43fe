// RUN: act-opt %s --act-expand-math | FileCheck %s --check-prefixes=CHECK,PRECISE
// RUN: act-opt %s --act-expand-math="math=fast" | FileCheck %s

// f32 transcendentals become branch-free arithmetic: no math.exp/tanh/erfc
// (which LLVM would turn into libm calls per lane) is left.
// CHECK-LABEL: func @f32
// CHECK-NOT: math.exp
// CHECK-NOT: math.tanh
// CHECK-NOT: math.erfc
// act's exp scales by 2^n through the exponent field: n + 127 shifted by 23.
// PRECISE-DAG: math.roundeven {{.*}} : vector<8xf32>
// PRECISE-DAG: arith.fptosi {{.*}} : vector<8xf32> to vector<8xi32>
// PRECISE-DAG: arith.shli {{.*}} : vector<8xi32>
// PRECISE-DAG: arith.bitcast {{.*}} : vector<8xi32> to vector<8xf32>
// CHECK-DAG: math.fma {{.*}} : vector<8xf32>
// CHECK-DAG: math.fma {{.*}} : f32
// CHECK: return
func.func @f32(%v: vector<8xf32>, %s: f32) -> (vector<8xf32>, f32, vector<8xf32>) {
  %0 = math.exp %v : vector<8xf32>
  %1 = math.tanh %s : f32
  %2 = math.erfc %v : vector<8xf32>
  return %0, %1, %2 : vector<8xf32>, f32, vector<8xf32>
}

// f16 and bf16 are computed in f32.
// CHECK-LABEL: func @half
// CHECK: arith.extf %{{.*}} : vector<4xf16> to vector<4xf32>
// CHECK-NOT: math.log1p
// CHECK: arith.truncf %{{.*}} : vector<4xf32> to vector<4xf16>
func.func @half(%h: vector<4xf16>) -> vector<4xf16> {
  %0 = math.log1p %h : vector<4xf16>
  return %0 : vector<4xf16>
}

// f64 gets act's kernels too, in both modes (MLIR's polynomial
// approximations are f32-only): no math.exp/tanh/erfc is left, and 2^n is
// built in the f64 exponent field (n + 1023 shifted by 52) on i64.
// CHECK-LABEL: func @f64
// CHECK-NOT: math.exp
// CHECK-NOT: math.tanh
// CHECK-NOT: math.erfc
// CHECK-DAG: math.roundeven {{.*}} : vector<4xf64>
// CHECK-DAG: arith.fptosi {{.*}} : vector<4xf64> to vector<4xi64>
// CHECK-DAG: arith.constant dense<1023> : vector<4xi64>
// CHECK-DAG: arith.constant dense<52> : vector<4xi64>
// CHECK-DAG: arith.shli {{.*}} : vector<4xi64>
// CHECK-DAG: arith.bitcast {{.*}} : vector<4xi64> to vector<4xf64>
// CHECK-DAG: math.fma {{.*}} : vector<4xf64>
// CHECK-DAG: math.fma {{.*}} : f64
// CHECK: return
func.func @f64(%d: vector<4xf64>, %s: f64) -> (vector<4xf64>, f64, vector<4xf64>) {
  %0 = math.exp %d : vector<4xf64>
  %1 = math.tanh %s : f64
  %2 = math.erfc %d : vector<4xf64>
  return %0, %1, %2 : vector<4xf64>, f64, vector<4xf64>
}

// log's exponent and mantissa come from the f64 bit fields.
// CHECK-LABEL: func @f64_log
// CHECK-NOT: math.log
// CHECK-NOT: math.erf
// CHECK-DAG: arith.shrui {{.*}} : vector<4xi64>
// CHECK-DAG: arith.constant dense<2047> : vector<4xi64>
// CHECK: return
func.func @f64_log(%d: vector<4xf64>) -> (vector<4xf64>, vector<4xf64>, vector<4xf64>, vector<4xf64>) {
  %0 = math.log %d : vector<4xf64>
  %1 = math.log1p %d : vector<4xf64>
  %2 = math.expm1 %d : vector<4xf64>
  %3 = math.erf %d : vector<4xf64>
  return %0, %1, %2, %3 : vector<4xf64>, vector<4xf64>, vector<4xf64>, vector<4xf64>
}
