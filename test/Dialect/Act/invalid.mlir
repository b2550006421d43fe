// RUN: act-opt %s -split-input-file -verify-diagnostics

// One case per verifier rule.

func.func @integer_element_type(%x: tensor<4xi32>) -> tensor<4xi32> {
  // expected-error @+1 {{operand #0 must be f16, bf16, f32 or f64, or a vector or ranked tensor of them, but got 'tensor<4xi32>'}}
  %0 = act.relu %x : tensor<4xi32>
  return %0 : tensor<4xi32>
}

// -----

func.func @f8_element_type(%x: tensor<4xf8E4M3FN>) -> tensor<4xf8E4M3FN> {
  // expected-error @+1 {{operand #0 must be f16, bf16, f32 or f64}}
  %0 = "act.gelu"(%x) : (tensor<4xf8E4M3FN>) -> tensor<4xf8E4M3FN>
  return %0 : tensor<4xf8E4M3FN>
}

// -----

func.func @unranked_tensor(%x: tensor<*xf32>) -> tensor<*xf32> {
  // expected-error @+1 {{operand #0 must be f16, bf16, f32 or f64, or a vector or ranked tensor of them, but got 'tensor<*xf32>'}}
  %0 = "act.sigmoid"(%x) : (tensor<*xf32>) -> tensor<*xf32>
  return %0 : tensor<*xf32>
}

// -----

func.func @result_type_mismatch(%x: tensor<4xf32>) -> tensor<4xf16> {
  // expected-error @+1 {{requires the same type for all operands and results}}
  %0 = "act.tanh"(%x) : (tensor<4xf32>) -> tensor<4xf16>
  return %0 : tensor<4xf16>
}

// -----

func.func @result_shape_mismatch(%x: tensor<4xf32>) -> tensor<5xf32> {
  // expected-error @+1 {{requires the same type for all operands and results}}
  %0 = "act.softmax"(%x) : (tensor<4xf32>) -> tensor<5xf32>
  return %0 : tensor<5xf32>
}

// -----

func.func @softmax_on_scalar(%x: f32) -> f32 {
  // expected-error @+1 {{operand #0 must be vector or ranked tensor of f16, bf16, f32 or f64, but got 'f32'}}
  %0 = "act.softmax"(%x) : (f32) -> f32
  return %0 : f32
}

// -----

func.func @dim_too_large(%x: tensor<4x8xf32>) -> tensor<4x8xf32> {
  // expected-error @+1 {{dim 2 is out of range for rank 2 (expected -2 <= dim < 2)}}
  %0 = act.softmax %x {dim = 2 : i64} : tensor<4x8xf32>
  return %0 : tensor<4x8xf32>
}

// -----

func.func @dim_too_negative(%x: tensor<4x8xf32>) -> tensor<4x8xf32> {
  // expected-error @+1 {{dim -3 is out of range for rank 2}}
  %0 = act.log_softmax %x {dim = -3 : i64} : tensor<4x8xf32>
  return %0 : tensor<4x8xf32>
}

// -----

func.func @softmin_dim(%x: vector<8xf32>) -> vector<8xf32> {
  // expected-error @+1 {{dim 1 is out of range for rank 1}}
  %0 = act.softmin %x {dim = 1 : i64} : vector<8xf32>
  return %0 : vector<8xf32>
}

// -----

func.func @glu_dim(%x: tensor<4x8xf32>) -> tensor<4x4xf32> {
  // expected-error @+1 {{dim 5 is out of range for rank 2}}
  %0 = act.glu %x {dim = 5 : i64} : tensor<4x8xf32> -> tensor<4x4xf32>
  return %0 : tensor<4x4xf32>
}

// -----

func.func @glu_odd_size(%x: tensor<4x7xf32>) -> tensor<4x3xf32> {
  // expected-error @+1 {{requires an even size along dim 1, got 7}}
  %0 = act.glu %x : tensor<4x7xf32> -> tensor<4x3xf32>
  return %0 : tensor<4x3xf32>
}

// -----

func.func @glu_result_shape(%x: tensor<4x8xf32>) -> tensor<2x8xf32> {
  // expected-error @+1 {{result type 'tensor<2x8xf32>' does not match the input 'tensor<4x8xf32>' with dim 1 divided by 2 (expected shape 4, 4)}}
  %0 = act.glu %x : tensor<4x8xf32> -> tensor<2x8xf32>
  return %0 : tensor<2x8xf32>
}

// -----

func.func @glu_element_type(%x: tensor<4x8xf32>) -> tensor<4x4xf16> {
  // expected-error @+1 {{failed to verify that all of {input, result} have same element type}}
  %0 = act.glu %x : tensor<4x8xf32> -> tensor<4x4xf16>
  return %0 : tensor<4x4xf16>
}

// -----

func.func @maxout_not_divisible(%x: tensor<2x10xf32>) -> tensor<2x3xf32> {
  // expected-error @+1 {{requires the size along dim 1 (10) to be divisible by groups (3)}}
  %0 = act.maxout %x {groups = 3 : i64} : tensor<2x10xf32> -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

func.func @maxout_zero_groups(%x: tensor<2x10xf32>) -> tensor<2x10xf32> {
  // expected-error @+1 {{requires groups >= 1, got 0}}
  %0 = act.maxout %x {groups = 0 : i64} : tensor<2x10xf32> -> tensor<2x10xf32>
  return %0 : tensor<2x10xf32>
}

// -----

func.func @maxout_negative_groups(%x: tensor<2x10xf32>) -> tensor<2x10xf32> {
  // expected-error @+1 {{requires groups >= 1, got -2}}
  %0 = act.maxout %x {groups = -2 : i64} : tensor<2x10xf32> -> tensor<2x10xf32>
  return %0 : tensor<2x10xf32>
}

// -----

func.func @maxout_missing_groups(%x: tensor<2x10xf32>) -> tensor<2x5xf32> {
  // expected-error @+1 {{requires attribute 'groups'}}
  %0 = "act.maxout"(%x) : (tensor<2x10xf32>) -> tensor<2x5xf32>
  return %0 : tensor<2x5xf32>
}

// -----

func.func @maxout_result_shape(%x: tensor<2x10xf32>) -> tensor<2x2xf32> {
  // expected-error @+1 {{result type 'tensor<2x2xf32>' does not match the input 'tensor<2x10xf32>' with dim 1 divided by 2 (expected shape 2, 5)}}
  %0 = act.maxout %x {groups = 2 : i64} : tensor<2x10xf32> -> tensor<2x2xf32>
  return %0 : tensor<2x2xf32>
}

// -----

func.func @maxout_container_kind(%x: vector<10xf32>) -> tensor<5xf32> {
  // expected-error @+1 {{requires the input and result to be both vectors or both tensors}}
  %0 = act.maxout %x {groups = 2 : i64} : vector<10xf32> -> tensor<5xf32>
  return %0 : tensor<5xf32>
}

// -----

func.func @prelu_slope_count(%x: tensor<2x3x5xf32>, %s: tensor<5xf32>) -> tensor<2x3x5xf32> {
  // expected-error @+1 {{requires a 1-D slope with 1 element or one per channel (3, dim 1 of the input), got 'tensor<5xf32>'}}
  %0 = act.prelu %x, %s : tensor<2x3x5xf32>, tensor<5xf32>
  return %0 : tensor<2x3x5xf32>
}

// -----

func.func @prelu_slope_rank(%x: tensor<2x3xf32>, %s: tensor<1x3xf32>) -> tensor<2x3xf32> {
  // expected-error @+1 {{requires a 1-D slope with 1 element or one per channel (3, dim 1 of the input), got 'tensor<1x3xf32>'}}
  %0 = act.prelu %x, %s : tensor<2x3xf32>, tensor<1x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

func.func @prelu_rank1_has_one_channel(%x: tensor<6xf32>, %s: tensor<6xf32>) -> tensor<6xf32> {
  // expected-error @+1 {{requires a 1-D slope with 1 element or one per channel (1, dim 1 of the input), got 'tensor<6xf32>'}}
  %0 = act.prelu %x, %s : tensor<6xf32>, tensor<6xf32>
  return %0 : tensor<6xf32>
}

// -----

func.func @prelu_slope_element_type(%x: tensor<2x3xf32>, %s: tensor<3xf16>) -> tensor<2x3xf32> {
  // expected-error @+1 {{requires the slope's element type to match the input's, got 'tensor<3xf16>' for input 'tensor<2x3xf32>'}}
  %0 = act.prelu %x, %s : tensor<2x3xf32>, tensor<3xf16>
  return %0 : tensor<2x3xf32>
}

// -----

func.func @prelu_scalar(%x: f32, %s: tensor<1xf32>) -> f32 {
  // expected-error @+1 {{requires a scalar slope for a scalar input, got 'tensor<1xf32>'}}
  %0 = act.prelu %x, %s : f32, tensor<1xf32>
  return %0 : f32
}

// -----

func.func @hard_tanh_bounds(%x: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{requires min_val <= max_val, got min_val = 2 and max_val = 1}}
  %0 = act.hard_tanh %x {min_val = 2.0 : f64, max_val = 1.0 : f64} : tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

func.func @softplus_zero_beta(%x: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{requires beta != 0}}
  %0 = act.softplus %x {beta = 0.0 : f64} : tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

func.func @celu_zero_alpha(%x: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{requires alpha != 0}}
  %0 = act.celu %x {alpha = 0.0 : f64} : tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

func.func @rrelu_bounds(%x: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{requires lower <= upper, got lower = 0.5 and upper = 0.25}}
  %0 = act.rrelu %x {lower = 0.5 : f64, upper = 0.25 : f64} : tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

func.func @softshrink_negative_lambd(%x: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{requires lambd >= 0, got -0.5}}
  %0 = act.softshrink %x {lambd = -0.5 : f64} : tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

func.func @hardshrink_negative_lambd(%x: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{requires lambd >= 0, got -1}}
  %0 = act.hardshrink %x {lambd = -1.0 : f64} : tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

func.func @threshold_missing_value(%x: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{requires attribute 'value'}}
  %0 = "act.threshold"(%x) <{threshold = 1.0 : f64}> : (tensor<4xf32>) -> tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

func.func @parameter_of_wrong_type(%x: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{invalid properties {negative_slope = 1 : i64} for op act.leaky_relu: Invalid attribute `negative_slope` in property conversion: 1 : i64}}
  %0 = "act.leaky_relu"(%x) <{negative_slope = 1 : i64}> : (tensor<4xf32>) -> tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

func.func @unknown_approximate(%x: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error @+2 {{expected ::mlir::act::GeluApproximation to be one of: none, tanh}}
  // expected-error @+1 {{failed to parse Act_GeluApproximationAttr}}
  %0 = act.gelu %x approximate = erf : tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

func.func @grad_from_output_without_rule(%dy: tensor<4xf32>, %x: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{'act.gelu_grad' op has no rule from the forward output}}
  %0 = act.gelu_grad %dy, %x from_output : tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

func.func @grad_from_output_bad_parameter(%dy: tensor<4xf32>, %y: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{'act.leaky_relu_grad' op has no rule from the forward output for these parameters}}
  %0 = act.leaky_relu_grad %dy, %y from_output {negative_slope = -0.5 : f64} : tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

func.func @grad_type_mismatch(%dy: tensor<4xf32>, %x: tensor<8xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{all of {grad, source, result} have same type}}
  %0 = "act.relu_grad"(%dy, %x) : (tensor<4xf32>, tensor<8xf32>) -> tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

func.func @softmax_grad_dim(%dy: tensor<4xf32>, %y: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{dim 1 is out of range for rank 1}}
  %0 = act.softmax_grad %dy, %y {dim = 1 : i64} : tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

func.func @prelu_grad_slope(%dy: tensor<2x3xf32>, %x: tensor<2x3xf32>, %s: tensor<2xf32>) -> tensor<2x3xf32> {
  // expected-error @+1 {{requires a 1-D slope with 1 element or one per channel (3, dim 1 of the input), got 'tensor<2xf32>'}}
  %dx, %ds = act.prelu_grad %dy, %x, %s : tensor<2x3xf32>, tensor<2xf32>
  return %dx : tensor<2x3xf32>
}

// -----

func.func @glu_grad_shape(%dy: tensor<4x3xf32>, %x: tensor<4x8xf32>) -> tensor<4x8xf32> {
  // expected-error @+1 {{does not match the input 'tensor<4x8xf32>' with dim 1 divided by 2}}
  %0 = act.glu_grad %dy, %x : tensor<4x3xf32> -> tensor<4x8xf32>
  return %0 : tensor<4x8xf32>
}

// -----

func.func @maxout_grad_groups(%dy: tensor<4x2xf32>, %x: tensor<4x8xf32>) -> tensor<4x8xf32> {
  // expected-error @+1 {{requires the size along dim 1 (8) to be divisible by groups (3)}}
  %0 = act.maxout_grad %dy, %x {groups = 3 : i64} : tensor<4x2xf32> -> tensor<4x8xf32>
  return %0 : tensor<4x8xf32>
}
