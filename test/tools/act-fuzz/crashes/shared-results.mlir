func.func @relu_of_relu(%x: tensor<8xf32>) -> (tensor<8xf32>, tensor<8xf32>) {
  %0 = act.relu %x : tensor<8xf32>
  %1 = act.relu %0 : tensor<8xf32>
  %2 = act.relu %1 : tensor<8xf32>
  return %2, %0 : tensor<8xf32>, tensor<8xf32>
}
