// RUN: act-opt %s --split-input-file --act-raise | FileCheck %s

// Forms that look like an activation but differ from PyTorch's op in value
// or special values: left alone.

#id = affine_map<(d0, d1) -> (d0, d1)>

// An ordered comparison turns NaN into 0: not relu.
// CHECK-LABEL: func.func @relu_ordered
// CHECK-NOT: act.
// CHECK: arith.cmpf ogt
func.func @relu_ordered(%x: tensor<4x8xf32>) -> tensor<4x8xf32> {
  %c0 = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<4x8xf32>
  %r = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]} ins(%x : tensor<4x8xf32>) outs(%e : tensor<4x8xf32>) {
  ^bb0(%in: f32, %out: f32):
    %p = arith.cmpf ogt, %in, %c0 : f32
    %s = arith.select %p, %in, %c0 : f32
    linalg.yield %s : f32
  } -> tensor<4x8xf32>
  return %r : tensor<4x8xf32>
}

// -----

#id = affine_map<(d0, d1) -> (d0, d1)>

// maxnumf(x, 0) gives 0 for NaN; maximumf would be relu.
// CHECK-LABEL: func.func @relu_maxnum
// CHECK-NOT: act.
// CHECK: arith.maxnumf
func.func @relu_maxnum(%x: tensor<4x8xf32>) -> tensor<4x8xf32> {
  %c0 = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<4x8xf32>
  %r = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]} ins(%x : tensor<4x8xf32>) outs(%e : tensor<4x8xf32>) {
  ^bb0(%in: f32, %out: f32):
    %s = arith.maxnumf %in, %c0 : f32
    linalg.yield %s : f32
  } -> tensor<4x8xf32>
  return %r : tensor<4x8xf32>
}

// -----

#id = affine_map<(d0, d1) -> (d0, d1)>

// maximumf(x, 0), either operand order: relu.
// CHECK-LABEL: func.func @relu_maximum
// CHECK: act.relu %{{.*}} : f32
func.func @relu_maximum(%x: tensor<4x8xf32>) -> tensor<4x8xf32> {
  %c0 = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<4x8xf32>
  %r = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]} ins(%x : tensor<4x8xf32>) outs(%e : tensor<4x8xf32>) {
  ^bb0(%in: f32, %out: f32):
    %s = arith.maximumf %c0, %in : f32
    linalg.yield %s : f32
  } -> tensor<4x8xf32>
  return %r : tensor<4x8xf32>
}

// -----

#id = affine_map<(d0, d1) -> (d0, d1)>

// 1 / (2 + exp(-x)) is not the sigmoid; x * sigmoid(y) with y != x is not
// silu (the sigmoid alone is raised).
// CHECK-LABEL: func.func @sigmoid_wrong_constant
// CHECK-NOT: act.sigmoid
// CHECK: math.exp
// CHECK-LABEL: func.func @silu_other_operand
// CHECK: act.sigmoid %[[Y:.*]] : f32
// CHECK-NOT: act.silu
func.func @sigmoid_wrong_constant(%x: tensor<4x8xf32>) -> tensor<4x8xf32> {
  %c1 = arith.constant 1.0 : f32
  %c2 = arith.constant 2.0 : f32
  %e = tensor.empty() : tensor<4x8xf32>
  %r = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]} ins(%x : tensor<4x8xf32>) outs(%e : tensor<4x8xf32>) {
  ^bb0(%in: f32, %out: f32):
    %n = arith.negf %in : f32
    %x1 = math.exp %n : f32
    %d = arith.addf %x1, %c2 : f32
    %s = arith.divf %c1, %d : f32
    linalg.yield %s : f32
  } -> tensor<4x8xf32>
  return %r : tensor<4x8xf32>
}
func.func @silu_other_operand(%x: tensor<4x8xf32>, %y: tensor<4x8xf32>) -> tensor<4x8xf32> {
  %c1 = arith.constant 1.0 : f32
  %e = tensor.empty() : tensor<4x8xf32>
  %r = linalg.generic {indexing_maps = [#id, #id, #id], iterator_types = ["parallel", "parallel"]} ins(%x, %y : tensor<4x8xf32>, tensor<4x8xf32>) outs(%e : tensor<4x8xf32>) {
  ^bb0(%a: f32, %b: f32, %out: f32):
    %n = arith.negf %b : f32
    %x1 = math.exp %n : f32
    %d = arith.addf %x1, %c1 : f32
    %s = arith.divf %c1, %d : f32
    %m = arith.mulf %a, %s : f32
    linalg.yield %m : f32
  } -> tensor<4x8xf32>
  return %r : tensor<4x8xf32>
}

// -----

#id = affine_map<(d0, d1) -> (d0, d1)>
#row = affine_map<(d0, d1) -> (d0)>

// A softmax whose max is maxnumf (NaN dropped), and one whose exp is also
// returned: left as they are.
// CHECK-LABEL: func.func @softmax_maxnum
// CHECK-NOT: act.softmax
// CHECK-LABEL: func.func @softmax_exp_used
// CHECK-NOT: act.softmax
// CHECK: return
func.func @softmax_maxnum(%x: tensor<4x8xf32>) -> tensor<4x8xf32> {
  %ninf = arith.constant 0xFF800000 : f32
  %z = arith.constant 0.0 : f32
  %er = tensor.empty() : tensor<4xf32>
  %fm = linalg.fill ins(%ninf : f32) outs(%er : tensor<4xf32>) -> tensor<4xf32>
  %m = linalg.generic {indexing_maps = [#id, #row], iterator_types = ["parallel", "reduction"]} ins(%x : tensor<4x8xf32>) outs(%fm : tensor<4xf32>) {
  ^bb0(%in: f32, %out: f32):
    %v = arith.maxnumf %in, %out : f32
    linalg.yield %v : f32
  } -> tensor<4xf32>
  %e = tensor.empty() : tensor<4x8xf32>
  %s = linalg.generic {indexing_maps = [#id, #row, #id], iterator_types = ["parallel", "parallel"]} ins(%x, %m : tensor<4x8xf32>, tensor<4xf32>) outs(%e : tensor<4x8xf32>) {
  ^bb0(%a: f32, %b: f32, %out: f32):
    %v = arith.subf %a, %b : f32
    linalg.yield %v : f32
  } -> tensor<4x8xf32>
  %x1 = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]} ins(%s : tensor<4x8xf32>) outs(%e : tensor<4x8xf32>) {
  ^bb0(%a: f32, %out: f32):
    %v = math.exp %a : f32
    linalg.yield %v : f32
  } -> tensor<4x8xf32>
  %fz = linalg.fill ins(%z : f32) outs(%er : tensor<4xf32>) -> tensor<4xf32>
  %sum = linalg.generic {indexing_maps = [#id, #row], iterator_types = ["parallel", "reduction"]} ins(%x1 : tensor<4x8xf32>) outs(%fz : tensor<4xf32>) {
  ^bb0(%in: f32, %out: f32):
    %v = arith.addf %in, %out : f32
    linalg.yield %v : f32
  } -> tensor<4xf32>
  %r = linalg.generic {indexing_maps = [#id, #row, #id], iterator_types = ["parallel", "parallel"]} ins(%x1, %sum : tensor<4x8xf32>, tensor<4xf32>) outs(%e : tensor<4x8xf32>) {
  ^bb0(%a: f32, %b: f32, %out: f32):
    %v = arith.divf %a, %b : f32
    linalg.yield %v : f32
  } -> tensor<4x8xf32>
  return %r : tensor<4x8xf32>
}
func.func @softmax_exp_used(%x: tensor<4x8xf32>) -> (tensor<4x8xf32>, tensor<4x8xf32>) {
  %ninf = arith.constant 0xFF800000 : f32
  %z = arith.constant 0.0 : f32
  %er = tensor.empty() : tensor<4xf32>
  %fm = linalg.fill ins(%ninf : f32) outs(%er : tensor<4xf32>) -> tensor<4xf32>
  %m = linalg.generic {indexing_maps = [#id, #row], iterator_types = ["parallel", "reduction"]} ins(%x : tensor<4x8xf32>) outs(%fm : tensor<4xf32>) {
  ^bb0(%in: f32, %out: f32):
    %v = arith.maximumf %in, %out : f32
    linalg.yield %v : f32
  } -> tensor<4xf32>
  %e = tensor.empty() : tensor<4x8xf32>
  %s = linalg.generic {indexing_maps = [#id, #row, #id], iterator_types = ["parallel", "parallel"]} ins(%x, %m : tensor<4x8xf32>, tensor<4xf32>) outs(%e : tensor<4x8xf32>) {
  ^bb0(%a: f32, %b: f32, %out: f32):
    %v = arith.subf %a, %b : f32
    linalg.yield %v : f32
  } -> tensor<4x8xf32>
  %x1 = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]} ins(%s : tensor<4x8xf32>) outs(%e : tensor<4x8xf32>) {
  ^bb0(%a: f32, %out: f32):
    %v = math.exp %a : f32
    linalg.yield %v : f32
  } -> tensor<4x8xf32>
  %fz = linalg.fill ins(%z : f32) outs(%er : tensor<4xf32>) -> tensor<4xf32>
  %sum = linalg.generic {indexing_maps = [#id, #row], iterator_types = ["parallel", "reduction"]} ins(%x1 : tensor<4x8xf32>) outs(%fz : tensor<4xf32>) {
  ^bb0(%in: f32, %out: f32):
    %v = arith.addf %in, %out : f32
    linalg.yield %v : f32
  } -> tensor<4xf32>
  %r = linalg.generic {indexing_maps = [#id, #row, #id], iterator_types = ["parallel", "parallel"]} ins(%x1, %sum : tensor<4x8xf32>, tensor<4xf32>) outs(%e : tensor<4x8xf32>) {
  ^bb0(%a: f32, %b: f32, %out: f32):
    %v = arith.divf %a, %b : f32
    linalg.yield %v : f32
  } -> tensor<4x8xf32>
  return %r, %x1 : tensor<4x8xf32>, tensor<4x8xf32>
}

// -----

#id = affine_map<(d0, d1) -> (d0, d1)>

// x < 0 ? 0 : x is relu exactly (NaN and -0 kept).
// CHECK-LABEL: func.func @relu_select_less
// CHECK: ^bb0(%[[X:.*]]: f32,
// CHECK-NEXT: %[[Y:.*]] = act.relu %[[X]] : f32
// CHECK-NEXT: linalg.yield %[[Y]]
func.func @relu_select_less(%x: tensor<4x8xf32>) -> tensor<4x8xf32> {
  %c0 = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<4x8xf32>
  %r = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]} ins(%x : tensor<4x8xf32>) outs(%e : tensor<4x8xf32>) {
  ^bb0(%in: f32, %out: f32):
    %p = arith.cmpf olt, %in, %c0 : f32
    %s = arith.select %p, %c0, %in : f32
    linalg.yield %s : f32
  } -> tensor<4x8xf32>
  return %r : tensor<4x8xf32>
}

// -----

#id = affine_map<(d0, d1) -> (d0, d1)>

// clamp(x, 0, 6) with comparisons that keep NaN, in select form: relu6;
// maximumf(minimumf(x, 3), -2): hard_tanh(-2, 3). A clamp whose bounds are
// reversed (lo > hi) is not hard_tanh.
// CHECK-LABEL: func.func @relu6_select
// CHECK: ^bb0(%[[X:.*]]: f32,
// CHECK-NEXT: %[[Y:.*]] = act.relu6 %[[X]] : f32
// CHECK-NEXT: linalg.yield %[[Y]]
// CHECK-LABEL: func.func @hard_tanh_minmax
// CHECK: ^bb0(%[[X2:.*]]: f32,
// CHECK-NEXT: %[[Y2:.*]] = act.hard_tanh %[[X2]] {max_val = 3.000000e+00 : f64, min_val = -2.000000e+00 : f64} : f32
// CHECK-NEXT: linalg.yield %[[Y2]]
// CHECK-LABEL: func.func @hard_tanh_reversed
// CHECK-NOT: act.hard_tanh
// CHECK: return
func.func @relu6_select(%x: tensor<4x8xf32>) -> tensor<4x8xf32> {
  %c0 = arith.constant 0.0 : f32
  %c6 = arith.constant 6.0 : f32
  %e = tensor.empty() : tensor<4x8xf32>
  %r = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]} ins(%x : tensor<4x8xf32>) outs(%e : tensor<4x8xf32>) {
  ^bb0(%in: f32, %out: f32):
    %p = arith.cmpf olt, %in, %c0 : f32
    %s = arith.select %p, %c0, %in : f32
    %q = arith.cmpf ogt, %s, %c6 : f32
    %t = arith.select %q, %c6, %s : f32
    linalg.yield %t : f32
  } -> tensor<4x8xf32>
  return %r : tensor<4x8xf32>
}
func.func @hard_tanh_minmax(%x: tensor<4x8xf32>) -> tensor<4x8xf32> {
  %c3 = arith.constant 3.0 : f32
  %cm2 = arith.constant -2.0 : f32
  %e = tensor.empty() : tensor<4x8xf32>
  %r = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]} ins(%x : tensor<4x8xf32>) outs(%e : tensor<4x8xf32>) {
  ^bb0(%in: f32, %out: f32):
    %s = arith.minimumf %in, %c3 : f32
    %t = arith.maximumf %s, %cm2 : f32
    linalg.yield %t : f32
  } -> tensor<4x8xf32>
  return %r : tensor<4x8xf32>
}
func.func @hard_tanh_reversed(%x: tensor<4x8xf32>) -> tensor<4x8xf32> {
  %c3 = arith.constant 3.0 : f32
  %cm2 = arith.constant -2.0 : f32
  %e = tensor.empty() : tensor<4x8xf32>
  %r = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]} ins(%x : tensor<4x8xf32>) outs(%e : tensor<4x8xf32>) {
  ^bb0(%in: f32, %out: f32):
    %s = arith.minimumf %in, %cm2 : f32
    %t = arith.maximumf %s, %c3 : f32
    linalg.yield %t : f32
  } -> tensor<4x8xf32>
  return %r : tensor<4x8xf32>
}

// -----

#id = affine_map<(d0, d1) -> (d0, d1)>

// maxnumf turns NaN into the bound: not hard_tanh.
// CHECK-LABEL: func.func @hard_tanh_maxnum
// CHECK-NOT: act.
// CHECK: return
func.func @hard_tanh_maxnum(%x: tensor<4x8xf32>) -> tensor<4x8xf32> {
  %c1 = arith.constant 1.0 : f32
  %cm1 = arith.constant -1.0 : f32
  %e = tensor.empty() : tensor<4x8xf32>
  %r = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]} ins(%x : tensor<4x8xf32>) outs(%e : tensor<4x8xf32>) {
  ^bb0(%in: f32, %out: f32):
    %s = arith.maxnumf %in, %cm1 : f32
    %t = arith.minimumf %s, %c1 : f32
    linalg.yield %t : f32
  } -> tensor<4x8xf32>
  return %r : tensor<4x8xf32>
}

// -----

#id = affine_map<(d0, d1) -> (d0, d1)>

// clamp(x + 3, 0, 6) / 6 with clamps that keep NaN: hard_sigmoid; x times
// it (act's association of hardswish): hardswish.
// CHECK-LABEL: func.func @hard_sigmoid_exact
// CHECK: ^bb0(%[[X:.*]]: f32,
// CHECK-NEXT: %[[Y:.*]] = act.hard_sigmoid %[[X]] : f32
// CHECK-NEXT: linalg.yield %[[Y]]
// CHECK-LABEL: func.func @hardswish_scaled
// CHECK: ^bb0(%[[X2:.*]]: f32,
// CHECK-NEXT: %[[Y2:.*]] = act.hardswish %[[X2]] : f32
// CHECK-NEXT: linalg.yield %[[Y2]]
func.func @hard_sigmoid_exact(%x: tensor<4x8xf32>) -> tensor<4x8xf32> {
  %c0 = arith.constant 0.0 : f32
  %c3 = arith.constant 3.0 : f32
  %c6 = arith.constant 6.0 : f32
  %e = tensor.empty() : tensor<4x8xf32>
  %r = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]} ins(%x : tensor<4x8xf32>) outs(%e : tensor<4x8xf32>) {
  ^bb0(%in: f32, %out: f32):
    %a = arith.addf %in, %c3 : f32
    %s = arith.maximumf %a, %c0 : f32
    %t = arith.minimumf %s, %c6 : f32
    %d = arith.divf %t, %c6 : f32
    linalg.yield %d : f32
  } -> tensor<4x8xf32>
  return %r : tensor<4x8xf32>
}
func.func @hardswish_scaled(%x: tensor<4x8xf32>) -> tensor<4x8xf32> {
  %c0 = arith.constant 0.0 : f32
  %c3 = arith.constant 3.0 : f32
  %c6 = arith.constant 6.0 : f32
  %e = tensor.empty() : tensor<4x8xf32>
  %r = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]} ins(%x : tensor<4x8xf32>) outs(%e : tensor<4x8xf32>) {
  ^bb0(%in: f32, %out: f32):
    %a = arith.addf %in, %c3 : f32
    %s = arith.maximumf %a, %c0 : f32
    %t = arith.minimumf %s, %c6 : f32
    %d = arith.divf %t, %c6 : f32
    %m = arith.mulf %in, %d : f32
    linalg.yield %m : f32
  } -> tensor<4x8xf32>
  return %r : tensor<4x8xf32>
}

// -----

#id = affine_map<(d0, d1) -> (d0, d1)>

// hardswish of another operand, or divided by 5: not hardswish.
// CHECK-LABEL: func.func @hardswish_other_operand
// CHECK-NOT: act.hardswish
// CHECK: return
// CHECK-LABEL: func.func @hardswish_wrong_constant
// CHECK-NOT: act.hardswish
// CHECK: return
func.func @hardswish_other_operand(%x: tensor<4x8xf32>, %y: tensor<4x8xf32>) -> tensor<4x8xf32> {
  %c0 = arith.constant 0.0 : f32
  %c3 = arith.constant 3.0 : f32
  %c6 = arith.constant 6.0 : f32
  %e = tensor.empty() : tensor<4x8xf32>
  %r = linalg.generic {indexing_maps = [#id, #id, #id], iterator_types = ["parallel", "parallel"]} ins(%x, %y : tensor<4x8xf32>, tensor<4x8xf32>) outs(%e : tensor<4x8xf32>) {
  ^bb0(%in: f32, %y0: f32, %out: f32):
    %a = arith.addf %y0, %c3 : f32
    %p = arith.cmpf ult, %a, %c0 : f32
    %s = arith.select %p, %c0, %a : f32
    %q = arith.cmpf ugt, %s, %c6 : f32
    %t = arith.select %q, %c6, %s : f32
    %m = arith.mulf %in, %t : f32
    %d = arith.divf %m, %c6 : f32
    linalg.yield %d : f32
  } -> tensor<4x8xf32>
  return %r : tensor<4x8xf32>
}
func.func @hardswish_wrong_constant(%x: tensor<4x8xf32>) -> tensor<4x8xf32> {
  %c0 = arith.constant 0.0 : f32
  %c3 = arith.constant 3.0 : f32
  %c5 = arith.constant 5.0 : f32
  %c6 = arith.constant 6.0 : f32
  %e = tensor.empty() : tensor<4x8xf32>
  %r = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]} ins(%x : tensor<4x8xf32>) outs(%e : tensor<4x8xf32>) {
  ^bb0(%in: f32, %out: f32):
    %a = arith.addf %in, %c3 : f32
    %p = arith.cmpf ult, %a, %c0 : f32
    %s = arith.select %p, %c0, %a : f32
    %q = arith.cmpf ugt, %s, %c6 : f32
    %t = arith.select %q, %c6, %s : f32
    %m = arith.mulf %in, %t : f32
    %d = arith.divf %m, %c5 : f32
    linalg.yield %d : f32
  } -> tensor<4x8xf32>
  return %r : tensor<4x8xf32>
}

// -----

#id = affine_map<(d0, d1) -> (d0, d1)>

// leaky_relu whose two parts both turn NaN into 0 (ordered x > 0 ? x : 0,
// ordered x < 0 ? x : 0), and one whose negative part reads another
// value: not leaky_relu.
// CHECK-LABEL: func.func @leaky_relu_drops_nan
// CHECK-NOT: act.
// CHECK: return
// CHECK-LABEL: func.func @leaky_relu_other_operand
// CHECK-NOT: act.leaky_relu
// CHECK: return
func.func @leaky_relu_drops_nan(%x: tensor<4x8xf32>) -> tensor<4x8xf32> {
  %c0 = arith.constant 0.0 : f32
  %k = arith.constant 0.01 : f32
  %e = tensor.empty() : tensor<4x8xf32>
  %r = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]} ins(%x : tensor<4x8xf32>) outs(%e : tensor<4x8xf32>) {
  ^bb0(%in: f32, %out: f32):
    %p = arith.cmpf ogt, %in, %c0 : f32
    %s = arith.select %p, %in, %c0 : f32
    %q = arith.cmpf olt, %in, %c0 : f32
    %t = arith.select %q, %in, %c0 : f32
    %m = arith.mulf %t, %k : f32
    %a = arith.addf %s, %m : f32
    linalg.yield %a : f32
  } -> tensor<4x8xf32>
  return %r : tensor<4x8xf32>
}
func.func @leaky_relu_other_operand(%x: tensor<4x8xf32>, %y: tensor<4x8xf32>) -> tensor<4x8xf32> {
  %c0 = arith.constant 0.0 : f32
  %k = arith.constant 0.01 : f32
  %e = tensor.empty() : tensor<4x8xf32>
  %r = linalg.generic {indexing_maps = [#id, #id, #id], iterator_types = ["parallel", "parallel"]} ins(%x, %y : tensor<4x8xf32>, tensor<4x8xf32>) outs(%e : tensor<4x8xf32>) {
  ^bb0(%in: f32, %y0: f32, %out: f32):
    %p = arith.cmpf ogt, %c0, %in : f32
    %s = arith.select %p, %c0, %in : f32
    %q = arith.cmpf olt, %c0, %y0 : f32
    %t = arith.select %q, %c0, %y0 : f32
    %m = arith.mulf %t, %k : f32
    %a = arith.addf %s, %m : f32
    linalg.yield %a : f32
  } -> tensor<4x8xf32>
  return %r : tensor<4x8xf32>
}

// -----

#id = affine_map<(d0, d1) -> (d0, d1)>

// exp(min(x, 0)) - 2 is not elu's; SELU with scale 1.05: not selu;
// expm1(x / 2) * 3: not celu. x > 0 ? x : expm1(x) * 0.5 is elu(0.5).
// CHECK-LABEL: func.func @elu_wrong_constant
// CHECK-NOT: act.elu
// CHECK: return
// CHECK-LABEL: func.func @selu_wrong_scale
// CHECK-NOT: act.selu
// CHECK: return
// CHECK-LABEL: func.func @celu_mismatched_alpha
// CHECK-NOT: act.celu
// CHECK: return
// CHECK-LABEL: func.func @elu_select
// CHECK: ^bb0(%[[X:.*]]: f32,
// CHECK-NEXT: %[[Y:.*]] = act.elu %[[X]] {alpha = 5.000000e-01 : f64} : f32
// CHECK-NEXT: linalg.yield %[[Y]]
func.func @elu_wrong_constant(%x: tensor<4x8xf32>) -> tensor<4x8xf32> {
  %c0 = arith.constant 0.0 : f32
  %c2 = arith.constant 2.0 : f32
  %e = tensor.empty() : tensor<4x8xf32>
  %r = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]} ins(%x : tensor<4x8xf32>) outs(%e : tensor<4x8xf32>) {
  ^bb0(%in: f32, %out: f32):
    %q = arith.cmpf olt, %c0, %in : f32
    %t = arith.select %q, %c0, %in : f32
    %x1 = math.exp %t : f32
    %n = arith.subf %x1, %c2 : f32
    %p = arith.cmpf ogt, %c0, %in : f32
    %s = arith.select %p, %c0, %in : f32
    %a = arith.addf %s, %n : f32
    linalg.yield %a : f32
  } -> tensor<4x8xf32>
  return %r : tensor<4x8xf32>
}
func.func @selu_wrong_scale(%x: tensor<4x8xf32>) -> tensor<4x8xf32> {
  %c0 = arith.constant 0.0 : f32
  %c1 = arith.constant 1.0 : f32
  %scale = arith.constant 1.05 : f32
  %alpha = arith.constant 1.67326319 : f32
  %e = tensor.empty() : tensor<4x8xf32>
  %r = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]} ins(%x : tensor<4x8xf32>) outs(%e : tensor<4x8xf32>) {
  ^bb0(%in: f32, %out: f32):
    %p = arith.cmpf ogt, %c0, %in : f32
    %s = arith.select %p, %c0, %in : f32
    %q = arith.cmpf olt, %c0, %in : f32
    %t = arith.select %q, %c0, %in : f32
    %x1 = math.exp %t : f32
    %n = arith.subf %x1, %c1 : f32
    %n1 = arith.mulf %n, %scale : f32
    %n2 = arith.mulf %n1, %alpha : f32
    %ps = arith.mulf %s, %scale : f32
    %a = arith.addf %ps, %n2 : f32
    linalg.yield %a : f32
  } -> tensor<4x8xf32>
  return %r : tensor<4x8xf32>
}
func.func @celu_mismatched_alpha(%x: tensor<4x8xf32>) -> tensor<4x8xf32> {
  %c0 = arith.constant 0.0 : f32
  %c2 = arith.constant 2.0 : f32
  %c3 = arith.constant 3.0 : f32
  %e = tensor.empty() : tensor<4x8xf32>
  %r = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]} ins(%x : tensor<4x8xf32>) outs(%e : tensor<4x8xf32>) {
  ^bb0(%in: f32, %out: f32):
    %d = arith.divf %in, %c2 : f32
    %x1 = math.expm1 %d : f32
    %n = arith.mulf %x1, %c3 : f32
    %p = arith.cmpf ogt, %in, %c0 : f32
    %s = arith.select %p, %in, %n : f32
    linalg.yield %s : f32
  } -> tensor<4x8xf32>
  return %r : tensor<4x8xf32>
}
func.func @elu_select(%x: tensor<4x8xf32>) -> tensor<4x8xf32> {
  %c0 = arith.constant 0.0 : f32
  %h = arith.constant 0.5 : f32
  %e = tensor.empty() : tensor<4x8xf32>
  %r = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]} ins(%x : tensor<4x8xf32>) outs(%e : tensor<4x8xf32>) {
  ^bb0(%in: f32, %out: f32):
    %x1 = math.expm1 %in : f32
    %n = arith.mulf %x1, %h : f32
    %p = arith.cmpf ogt, %in, %c0 : f32
    %s = arith.select %p, %in, %n : f32
    linalg.yield %s : f32
  } -> tensor<4x8xf32>
  return %r : tensor<4x8xf32>
}

// -----

#id = affine_map<(d0, d1) -> (d0, d1)>

// softplus with a threshold of 100, above which exp overflows first (the
// formula gives +Inf for 88.7 < x <= 100, act.softplus x), or of 0.1, not
// exact in f32 (the f64 comparison is not the f32 one): left alone.
// CHECK-LABEL: func.func @softplus_overflowing_threshold
// CHECK-NOT: act.softplus
// CHECK: return
// CHECK-LABEL: func.func @softplus_inexact_threshold
// CHECK-NOT: act.softplus
// CHECK: return
func.func @softplus_overflowing_threshold(%x: tensor<4x8xf32>) -> tensor<4x8xf32> {
  %t = arith.constant 1.000000e+02 : f64
  %e = tensor.empty() : tensor<4x8xf32>
  %r = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]} ins(%x : tensor<4x8xf32>) outs(%e : tensor<4x8xf32>) {
  ^bb0(%in: f32, %out: f32):
    %x1 = math.exp %in : f32
    %l = math.log1p %x1 : f32
    %w = arith.extf %in : f32 to f64
    %p = arith.cmpf ogt, %w, %t : f64
    %s = arith.select %p, %in, %l : f32
    linalg.yield %s : f32
  } -> tensor<4x8xf32>
  return %r : tensor<4x8xf32>
}
func.func @softplus_inexact_threshold(%x: tensor<4x8xf32>) -> tensor<4x8xf32> {
  %t = arith.constant 1.000000e-01 : f64
  %e = tensor.empty() : tensor<4x8xf32>
  %r = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]} ins(%x : tensor<4x8xf32>) outs(%e : tensor<4x8xf32>) {
  ^bb0(%in: f32, %out: f32):
    %x1 = math.exp %in : f32
    %l = math.log1p %x1 : f32
    %w = arith.extf %in : f32 to f64
    %p = arith.cmpf ogt, %w, %t : f64
    %s = arith.select %p, %in, %l : f32
    linalg.yield %s : f32
  } -> tensor<4x8xf32>
  return %r : tensor<4x8xf32>
}

// -----

#id = affine_map<(d0, d1) -> (d0, d1)>

// x * tanh(log1p(exp(x))) without the threshold is mish; with a threshold
// of 10 it is not mish's formula (left alone, its softplus raised).
// CHECK-LABEL: func.func @mish_no_threshold
// CHECK: ^bb0(%[[X:.*]]: f32,
// CHECK-NEXT: %[[Y:.*]] = act.mish %[[X]] : f32
// CHECK-NEXT: linalg.yield %[[Y]]
// CHECK-LABEL: func.func @mish_other_threshold
// CHECK: act.softplus %{{.*}} {threshold = 1.000000e+01 : f64}
// CHECK-NOT: act.mish
// CHECK: return
func.func @mish_no_threshold(%x: tensor<4x8xf32>) -> tensor<4x8xf32> {
  %e = tensor.empty() : tensor<4x8xf32>
  %r = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]} ins(%x : tensor<4x8xf32>) outs(%e : tensor<4x8xf32>) {
  ^bb0(%in: f32, %out: f32):
    %x1 = math.exp %in : f32
    %l = math.log1p %x1 : f32
    %t = math.tanh %l : f32
    %m = arith.mulf %in, %t : f32
    linalg.yield %m : f32
  } -> tensor<4x8xf32>
  return %r : tensor<4x8xf32>
}
func.func @mish_other_threshold(%x: tensor<4x8xf32>) -> tensor<4x8xf32> {
  %c10 = arith.constant 10.0 : f32
  %e = tensor.empty() : tensor<4x8xf32>
  %r = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]} ins(%x : tensor<4x8xf32>) outs(%e : tensor<4x8xf32>) {
  ^bb0(%in: f32, %out: f32):
    %x1 = math.exp %in : f32
    %l = math.log1p %x1 : f32
    %p = arith.cmpf ogt, %in, %c10 : f32
    %s = arith.select %p, %in, %l : f32
    %t = math.tanh %s : f32
    %m = arith.mulf %in, %t : f32
    linalg.yield %m : f32
  } -> tensor<4x8xf32>
  return %r : tensor<4x8xf32>
}

// -----

#id = affine_map<(d0, d1) -> (d0, d1)>

// log_sigmoid with exp(-x) for exp(-|x|) (which overflows): not
// log_sigmoid.
// CHECK-LABEL: func.func @log_sigmoid_no_abs
// CHECK-NOT: act.log_sigmoid
// CHECK: return
func.func @log_sigmoid_no_abs(%x: tensor<4x8xf32>) -> tensor<4x8xf32> {
  %c0 = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<4x8xf32>
  %r = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]} ins(%x : tensor<4x8xf32>) outs(%e : tensor<4x8xf32>) {
  ^bb0(%in: f32, %out: f32):
    %n = arith.negf %in : f32
    %x1 = math.exp %n : f32
    %l = math.log1p %x1 : f32
    %q = arith.cmpf olt, %c0, %in : f32
    %t = arith.select %q, %c0, %in : f32
    %d = arith.subf %t, %l : f32
    linalg.yield %d : f32
  } -> tensor<4x8xf32>
  return %r : tensor<4x8xf32>
}
