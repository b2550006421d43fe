// RUN: act-opt %s --split-input-file --act-differentiate=function=f -verify-diagnostics

// One error per way differentiation can fail, naming the op.

// expected-error @+1 {{act-differentiate failed for @f}}
func.func @f(%x: tensor<8xf32>) -> tensor<8xf32> {
  // expected-error @+1 {{'math.sin' op cannot be differentiated: it has no derivative rule}}
  %y = math.sin %x : tensor<8xf32>
  return %y : tensor<8xf32>
}

// -----

// A product reduction has no rule (sums, maxima and minima do).
// expected-error @+1 {{act-differentiate failed for @f}}
func.func @f(%x: tensor<4x8xf32>) -> tensor<4xf32> {
  %e = tensor.empty() : tensor<4xf32>
  %c = arith.constant 1.0 : f32
  %z = linalg.fill ins(%c : f32) outs(%e : tensor<4xf32>) -> tensor<4xf32>
  // expected-error @+1 {{cannot be differentiated: a reduction whose body is not a sum (acc + f(inputs)) or a max or min (max(acc, f(inputs)))}}
  %m = linalg.reduce ins(%x : tensor<4x8xf32>) outs(%z : tensor<4xf32>) dimensions = [1]
    (%in: f32, %acc: f32) {
      %a = arith.mulf %in, %acc : f32
      linalg.yield %a : f32
    }
  return %m : tensor<4xf32>
}

// -----

// expected-error @+1 {{no function named 'f'}}
module {
  func.func @g(%x: tensor<8xf32>) -> tensor<8xf32> {
    return %x : tensor<8xf32>
  }
}

// -----

// A declared @f_vjp must have the contract's type.
func.func @f(%x: tensor<8xf32>) -> tensor<8xf32> {
  return %x : tensor<8xf32>
}
// expected-error @+1 {{declares the gradient of @f with type '(tensor<8xf32>) -> tensor<8xf32>', but it is '(tensor<8xf32>, tensor<8xf32>) -> (tensor<8xf32>, tensor<8xf32>)'}}
func.func private @f_vjp(tensor<8xf32>) -> tensor<8xf32>
