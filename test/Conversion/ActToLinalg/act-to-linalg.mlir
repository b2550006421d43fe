// RUN: act-opt %s --convert-act-to-linalg --split-input-file -verify-diagnostics | FileCheck %s --check-prefixes=CHECK,PRECISE
// RUN: act-opt %s --convert-act-to-linalg="math=fast" --split-input-file -verify-diagnostics | FileCheck %s --check-prefixes=CHECK,FAST

// gelu's normal CDF has no math op: precise mode emits act's f32 kernel for
// it (an exp-scaled polynomial: no erfc left), fast mode composes
// 0.5 * erfc(-x / sqrt(2)).
// CHECK-DAG: #[[ID:.*]] = affine_map<(d0, d1) -> (d0, d1)>
// CHECK-LABEL: func @gelu_erf
// CHECK-SAME: (%[[X:.*]]: tensor<4x8xf32>)
// CHECK: %[[INIT:.*]] = tensor.empty() : tensor<4x8xf32>
// CHECK: linalg.generic {indexing_maps = [#[[ID]], #[[ID]]], iterator_types = ["parallel", "parallel"]}
// CHECK-SAME: ins(%[[X]] : tensor<4x8xf32>) outs(%[[INIT]] : tensor<4x8xf32>)
// CHECK-NEXT: ^bb0(%[[IN:.*]]: f32, %{{.*}}: f32):
// PRECISE-NOT: math.erfc
// PRECISE: math.fma
// PRECISE: math.roundeven
// PRECISE-NOT: math.erfc
// PRECISE: linalg.yield
// FAST-NEXT:   %[[B:.*]] = arith.mulf %[[IN]], %{{.*}} : f32
// FAST-NEXT:   %[[C:.*]] = math.erfc %[[B]] : f32
// FAST-NEXT:   %[[PHI:.*]] = arith.mulf %[[C]], %{{.*}} : f32
// FAST-NEXT:   %[[R:.*]] = arith.mulf %[[IN]], %[[PHI]] : f32
// FAST-NEXT:   linalg.yield %[[R]] : f32
func.func @gelu_erf(%x: tensor<4x8xf32>) -> tensor<4x8xf32> {
  %0 = act.gelu %x : tensor<4x8xf32>
  return %0 : tensor<4x8xf32>
}

// -----

// f16 and bf16 are computed in f32. The sigmoid is act's f32 kernel in
// precise mode, 1 / (1 + exp(-x)) in fast mode.
// CHECK-LABEL: func @sigmoid_bf16
// CHECK: linalg.generic
// CHECK-NEXT: ^bb0(%[[IN:.*]]: bf16, %{{.*}}: bf16):
// CHECK-NEXT:   %[[W:.*]] = arith.extf %[[IN]] : bf16 to f32
// PRECISE:      math.fma
// FAST-NEXT:    %[[N:.*]] = arith.negf %[[W]] : f32
// FAST-NEXT:    %[[E:.*]] = math.exp %[[N]] : f32
// FAST-NEXT:    %[[S:.*]] = arith.addf %[[E]], %{{.*}} : f32
// FAST-NEXT:    %[[R:.*]] = arith.divf %{{.*}}, %[[S]] : f32
// CHECK:        %[[T:.*]] = arith.truncf %{{.*}} : f32 to bf16
// CHECK-NEXT:   linalg.yield %[[T]] : bf16
func.func @sigmoid_bf16(%x: tensor<16xbf16>) -> tensor<16xbf16> {
  %0 = act.sigmoid %x : tensor<16xbf16>
  return %0 : tensor<16xbf16>
}

// -----

// Scalars and vectors get the formula in place; relu keeps NaN and -0 by
// selecting on x < 0.
// CHECK-LABEL: func @relu_vector
// CHECK-SAME: (%[[X:.*]]: vector<16xf32>, %[[S:.*]]: f64)
// CHECK-DAG: %[[Z:.*]] = arith.constant dense<0.000000e+00> : vector<16xf32>
// CHECK-DAG: %[[ZS:.*]] = arith.constant 0.000000e+00 : f64
// CHECK: %[[C:.*]] = arith.cmpf olt, %[[X]], %[[Z]] : vector<16xf32>
// CHECK: %[[R:.*]] = arith.select %[[C]], %[[Z]], %[[X]] : vector<16xi1>, vector<16xf32>
// CHECK: %[[CS:.*]] = arith.cmpf olt, %[[S]], %[[ZS]] : f64
// CHECK: %[[RS:.*]] = arith.select %[[CS]], %[[ZS]], %[[S]] : f64
// CHECK: return %[[R]], %[[RS]]
func.func @relu_vector(%x: vector<16xf32>, %s: f64) -> (vector<16xf32>, f64) {
  %0 = act.relu %x : vector<16xf32>
  %1 = act.relu %s : f64
  return %0, %1 : vector<16xf32>, f64
}

// -----

// Dynamic sizes carry over to the result.
// CHECK-LABEL: func @dynamic
// CHECK-SAME: (%[[X:.*]]: tensor<?x8xf32>)
// CHECK: %[[C0:.*]] = arith.constant 0 : index
// CHECK: %[[D:.*]] = tensor.dim %[[X]], %[[C0]] : tensor<?x8xf32>
// CHECK: %[[INIT:.*]] = tensor.empty(%[[D]]) : tensor<?x8xf32>
// CHECK: linalg.generic {{.*}} ins(%[[X]] : tensor<?x8xf32>) outs(%[[INIT]] : tensor<?x8xf32>)
// CHECK: math.tanh
func.func @dynamic(%x: tensor<?x8xf32>) -> tensor<?x8xf32> {
  %0 = act.tanh %x : tensor<?x8xf32>
  return %0 : tensor<?x8xf32>
}

// -----

// Per-channel slopes are indexed by dim 1, a shared one by a constant.
// CHECK-DAG: #[[ID:.*]] = affine_map<(d0, d1, d2) -> (d0, d1, d2)>
// CHECK-DAG: #[[CHANNEL:.*]] = affine_map<(d0, d1, d2) -> (d1)>
// CHECK-DAG: #[[SHARED:.*]] = affine_map<(d0, d1, d2) -> (0)>
// CHECK-LABEL: func @prelu
// CHECK: linalg.generic {indexing_maps = [#[[ID]], #[[CHANNEL]], #[[ID]]]
// CHECK-NEXT: ^bb0(%[[IN:.*]]: f32, %[[SLOPE:.*]]: f32, %{{.*}}: f32):
// CHECK-NEXT:   %[[P:.*]] = arith.cmpf ogt, %[[IN]], %{{.*}} : f32
// CHECK-NEXT:   %[[M:.*]] = arith.mulf %[[IN]], %[[SLOPE]] : f32
// CHECK-NEXT:   %[[R:.*]] = arith.select %[[P]], %[[IN]], %[[M]] : f32
// CHECK: linalg.generic {indexing_maps = [#[[ID]], #[[SHARED]], #[[ID]]]
func.func @prelu(%x: tensor<2x3x5xf32>, %c: tensor<3xf32>, %s: tensor<1xf32>) -> (tensor<2x3x5xf32>, tensor<2x3x5xf32>) {
  %0 = act.prelu %x, %c : tensor<2x3x5xf32>, tensor<3xf32>
  %1 = act.prelu %x, %s : tensor<2x3x5xf32>, tensor<1xf32>
  return %0, %1 : tensor<2x3x5xf32>, tensor<2x3x5xf32>
}

// -----

// softmax along dim 0: a NaN-propagating max, e = exp(x - max) materialized
// once, its sum, and e times 1/sum.
// CHECK-DAG: #[[ID:.*]] = affine_map<(d0, d1) -> (d0, d1)>
// CHECK-DAG: #[[RED:.*]] = affine_map<(d0, d1) -> (d1)>
// CHECK-LABEL: func @softmax
// CHECK-SAME: (%[[X:.*]]: tensor<4x8xf32>)
// CHECK-DAG: %[[ONE:.*]] = arith.constant 1.000000e+00 : f32
// CHECK-DAG: %[[NEGINF:.*]] = arith.constant 0xFF800000 : f32
// CHECK-DAG: %[[ZERO:.*]] = arith.constant 0.000000e+00 : f32
// CHECK: %[[MAXINIT:.*]] = linalg.fill ins(%[[NEGINF]] : f32) outs(%{{.*}} : tensor<8xf32>)
// CHECK: %[[MAX:.*]] = linalg.generic {indexing_maps = [#[[ID]], #[[RED]]], iterator_types = ["reduction", "parallel"]} ins(%[[X]] : tensor<4x8xf32>) outs(%[[MAXINIT]] : tensor<8xf32>)
// CHECK:   arith.maximumf
// CHECK: %[[E:.*]] = linalg.generic {indexing_maps = [#[[ID]], #[[RED]], #[[ID]]], iterator_types = ["parallel", "parallel"]} ins(%[[X]], %[[MAX]] : tensor<4x8xf32>, tensor<8xf32>)
// CHECK-NEXT: ^bb0(%[[IN:.*]]: f32, %[[M:.*]]: f32, %{{.*}}: f32):
// CHECK-NEXT:   %[[D:.*]] = arith.subf %[[IN]], %[[M]] : f32
// FAST-NEXT:    %[[EXP:.*]] = math.exp %[[D]] : f32
// FAST-NEXT:    linalg.yield %[[EXP]] : f32
// The precise exp of x - max <= 0: clamped below only, one scaling by
// 2^(n + 64) 2^-64 (no overflow to guard), no math.exp.
// PRECISE-NEXT: %[[LOW:.*]] = arith.cmpf olt, %[[D]], %{{.*}} : f32
// PRECISE-NOT:  math.exp
// PRECISE:      math.roundeven
// PRECISE-NOT:  math.floor
// PRECISE:      arith.shli
// PRECISE-NEXT: arith.bitcast
// PRECISE-NEXT: arith.mulf
// PRECISE-NEXT: %[[EXP:.*]] = arith.mulf
// PRECISE-NEXT: linalg.yield %[[EXP]] : f32
// CHECK: %[[SUMINIT:.*]] = linalg.fill ins(%[[ZERO]] : f32) outs(%{{.*}} : tensor<8xf32>)
// CHECK: %[[SUM:.*]] = linalg.generic {indexing_maps = [#[[ID]], #[[RED]]], iterator_types = ["reduction", "parallel"]} ins(%[[E]] : tensor<4x8xf32>) outs(%[[SUMINIT]] : tensor<8xf32>)
// CHECK-NEXT: ^bb0(%[[IN:.*]]: f32, %[[ACC:.*]]: f32):
// CHECK-NEXT:   %[[A:.*]] = arith.addf %[[ACC]], %[[IN]] : f32
// CHECK: linalg.generic {indexing_maps = [#[[ID]], #[[RED]], #[[ID]]], iterator_types = ["parallel", "parallel"]} ins(%[[E]], %[[SUM]] :
// CHECK-NEXT: ^bb0(%[[IN:.*]]: f32, %[[S:.*]]: f32, %{{.*}}: f32):
// CHECK-NEXT:   %[[R:.*]] = arith.divf %[[ONE]], %[[S]] : f32
// CHECK-NEXT:   %[[Y:.*]] = arith.mulf %[[IN]], %[[R]] : f32
// CHECK-NEXT:   linalg.yield %[[Y]] : f32
func.func @softmax(%x: tensor<4x8xf32>) -> tensor<4x8xf32> {
  %0 = act.softmax %x {dim = 0 : i64} : tensor<4x8xf32>
  return %0 : tensor<4x8xf32>
}

// -----

// log_softmax subtracts log(sum), taken once per row: no exp and no log in
// the final generic.
// CHECK-LABEL: func @log_softmax
// CHECK: linalg.generic {{.*}}iterator_types = ["parallel", "reduction"]
// CHECK: %[[SUM:.*]] = linalg.generic {{.*}}iterator_types = ["parallel", "reduction"]
// CHECK: %[[LOG:.*]] = linalg.generic {{.*}}iterator_types = ["parallel"]} ins(%[[SUM]] : tensor<4xf32>)
// CHECK-NEXT: ^bb0(%[[S:.*]]: f32, %{{.*}}: f32):
// CHECK-NEXT:   %[[L:.*]] = math.log %[[S]] : f32
// CHECK: linalg.generic {{.*}}iterator_types = ["parallel", "parallel"]} ins(%{{.*}}, %{{.*}}, %[[LOG]] :
// CHECK-NEXT: ^bb0(%[[IN:.*]]: f32, %[[M:.*]]: f32, %[[LS:.*]]: f32, %{{.*}}: f32):
// CHECK-NEXT:   %[[D:.*]] = arith.subf %[[IN]], %[[M]] : f32
// CHECK-NEXT:   %[[R:.*]] = arith.subf %[[D]], %[[LS]] : f32
// CHECK-NEXT:   linalg.yield %[[R]] : f32
func.func @log_softmax(%x: tensor<4x8xf32>) -> tensor<4x8xf32> {
  %0 = act.log_softmax %x : tensor<4x8xf32>
  return %0 : tensor<4x8xf32>
}

// -----

// softmin is softmax of -x, accumulated in f32 for f16.
// CHECK-LABEL: func @softmin_f16
// CHECK: linalg.generic {{.*}} outs(%{{.*}} : tensor<4xf32>)
// CHECK-NEXT: ^bb0(%[[IN:.*]]: f16, %[[ACC:.*]]: f32):
// CHECK-NEXT:   %[[W:.*]] = arith.extf %[[IN]] : f16 to f32
// CHECK-NEXT:   %[[N:.*]] = arith.negf %[[W]] : f32
// CHECK-NEXT:   arith.maximumf %[[N]], %[[ACC]] : f32
// CHECK: arith.truncf %{{.*}} : f32 to f16
func.func @softmin_f16(%x: tensor<4x8xf16>) -> tensor<4x8xf16> {
  %0 = act.softmin %x : tensor<4x8xf16>
  return %0 : tensor<4x8xf16>
}

// -----

// CHECK-LABEL: func @glu
// CHECK-SAME: (%[[X:.*]]: tensor<6x8xf32>)
// CHECK-DAG: %[[A:.*]] = tensor.extract_slice %[[X]][0, 0] [3, 8] [1, 1] : tensor<6x8xf32> to tensor<3x8xf32>
// CHECK-DAG: %[[B:.*]] = tensor.extract_slice %[[X]][3, 0] [3, 8] [1, 1] : tensor<6x8xf32> to tensor<3x8xf32>
// CHECK: linalg.generic {{.*}} ins(%[[A]], %[[B]] : tensor<3x8xf32>, tensor<3x8xf32>)
// CHECK-NEXT: ^bb0(%[[IA:.*]]: f32, %[[IB:.*]]: f32, %{{.*}}: f32):
// FAST-NEXT:   %[[N:.*]] = arith.negf %[[IB]] : f32
// FAST-NEXT:   %[[E:.*]] = math.exp %[[N]] : f32
// FAST-NEXT:   %[[S:.*]] = arith.addf %[[E]], %{{.*}} : f32
// FAST-NEXT:   %[[G:.*]] = arith.divf %{{.*}}, %[[S]] : f32
// FAST-NEXT:   %[[R:.*]] = arith.mulf %[[IA]], %[[G]] : f32
// PRECISE-NOT: math.exp
// PRECISE:     %[[R:.*]] = arith.mulf %[[IA]], %{{.*}} : f32
// CHECK-NEXT:  linalg.yield %[[R]] : f32
func.func @glu(%x: tensor<6x8xf32>) -> tensor<3x8xf32> {
  %0 = act.glu %x {dim = 0 : i64} : tensor<6x8xf32> -> tensor<3x8xf32>
  return %0 : tensor<3x8xf32>
}

// -----

// CHECK-DAG: #[[ID:.*]] = affine_map<(d0, d1, d2) -> (d0, d1, d2)>
// CHECK-DAG: #[[RED:.*]] = affine_map<(d0, d1, d2) -> (d0, d1)>
// CHECK-LABEL: func @maxout
// CHECK-SAME: (%[[X:.*]]: tensor<2x12xf32>)
// CHECK: %[[E:.*]] = tensor.expand_shape %[[X]] {{\[}}[0], [1, 2]] output_shape [2, 4, 3] : tensor<2x12xf32> into tensor<2x4x3xf32>
// CHECK: linalg.generic {indexing_maps = [#[[ID]], #[[RED]]], iterator_types = ["parallel", "parallel", "reduction"]} ins(%[[E]] : tensor<2x4x3xf32>) outs(%{{.*}} : tensor<2x4xf32>)
// CHECK:   arith.maximumf
func.func @maxout(%x: tensor<2x12xf32>) -> tensor<2x4xf32> {
  %0 = act.maxout %x {groups = 3 : i64} : tensor<2x12xf32> -> tensor<2x4xf32>
  return %0 : tensor<2x4xf32>
}

// -----

func.func @softmax_vector(%x: vector<8xf32>) -> vector<8xf32> {
  // expected-error @+1 {{'act.softmax' op cannot be lowered on 'vector<8xf32>' (supported: ranked tensors; elementwise ops also on scalars and vectors)}}
  %0 = act.softmax %x : vector<8xf32>
  return %0 : vector<8xf32>
}

// -----

// No elements, nothing to compute: an empty tensor (slicing a zero-sized
// dimension, as glu would, is invalid).
// CHECK-LABEL: func @glu_empty
// CHECK-NEXT: %[[E:.*]] = tensor.empty() : tensor<0x2xf32>
// CHECK-NEXT: return %[[E]]
func.func @glu_empty(%x: tensor<0x4xf32>) -> tensor<0x2xf32> {
  %0 = act.glu %x : tensor<0x4xf32> -> tensor<0x2xf32>
  return %0 : tensor<0x2xf32>
}
