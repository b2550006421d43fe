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

// f64 is left to LLVM.
// CHECK-LABEL: func @f64
// CHECK: math.exp %{{.*}} : vector<4xf64>
func.func @f64(%d: vector<4xf64>) -> vector<4xf64> {
  %0 = math.exp %d : vector<4xf64>
  return %0 : vector<4xf64>
}
