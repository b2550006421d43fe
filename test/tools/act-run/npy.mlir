// .npy round trip: write the results, read them back as inputs, and check
// with numpy that our files are exactly what it expects.
// RUN: act-run %s --function=relu --input="2x3xf32=0 1.5 2 3.25 1e-30 7" \
// RUN:   --input="4xf64=-1 0.5 -3 2" --output=@%t.a.npy --output=@%t.b.npy \
// RUN:   | FileCheck %s --check-prefix=PRINT --allow-empty
// RUN: act-run %s --function=relu --input=@%t.a.npy --input=@%t.b.npy \
// RUN:   | FileCheck %s --check-prefix=BACK
// RUN: %act_python -c "import numpy as np; a = np.load('%t.a.npy'); \
// RUN:   assert a.dtype == np.float32 and a.shape == (2, 3), (a.dtype, a.shape); \
// RUN:   assert (a == np.array([[0, 1.5, 2], [3.25, 1e-30, 7]], np.float32)).all(), a; \
// RUN:   b = np.load('%t.b.npy'); assert b.dtype == np.float64 and b.shape == (4,), b; \
// RUN:   assert (b == np.array([0, 0.5, 0, 2.0])).all(), b; print('numpy ok')" \
// RUN:   | FileCheck %s --check-prefix=NUMPY
// numpy-written files of each dtype, C order, read back exactly.
// RUN: %act_python -c "import numpy as np; \
// RUN:   np.save('%t.f16.npy', np.array([[1, -2.5], [0.125, 4]], np.float16)); \
// RUN:   np.save('%t.x.npy', np.arange(6, dtype=np.float32).reshape(2, 3) / 4); \
// RUN:   np.save('%t.y.npy', np.array([-1, 0.5, -3, 2.0]))"
// RUN: act-run %s --function=relu16 --input=@%t.f16.npy | FileCheck %s --check-prefix=F16
// bf16 arguments take f32 .npy files (numpy has no bf16); bf16 results are
// written as f32.
// RUN: act-run %s --function=relu_bf16 --input=@%t.x.npy --output=@%t.bf.npy
// RUN: %act_python -c "import numpy as np; b = np.load('%t.bf.npy'); \
// RUN:   assert b.dtype == np.float32 and (b == np.arange(6).reshape(2, 3) / 4).all(), b; \
// RUN:   print('bf16 ok')" | FileCheck %s --check-prefix=BF16

// PRINT-NOT: tensor
// BACK:      tensor<2x3xf32>
// BACK-NEXT: {{\[\[}}    0   1.5     2]
// BACK-NEXT: {{^}} [ 3.25 1e-30     7]]
// BACK-NEXT: tensor<4xf64>
// BACK-NEXT: [  0 0.5   0   2]
// NUMPY: numpy ok
// F16:      tensor<2x2xf16>
// F16-NEXT: {{\[\[}}    1     0]
// F16-NEXT: {{^}} [0.125     4]]
// BF16: bf16 ok

func.func @relu(%x: tensor<2x3xf32>, %y: tensor<4xf64>)
    -> (tensor<2x3xf32>, tensor<4xf64>) {
  %a = act.relu %x : tensor<2x3xf32>
  %b = act.relu %y : tensor<4xf64>
  return %a, %b : tensor<2x3xf32>, tensor<4xf64>
}
func.func @relu16(%x: tensor<2x2xf16>) -> tensor<2x2xf16> {
  %a = act.relu %x : tensor<2x2xf16>
  return %a : tensor<2x2xf16>
}
func.func @relu_bf16(%x: tensor<2x3xbf16>) -> tensor<2x3xbf16> {
  %a = act.relu %x : tensor<2x3xbf16>
  return %a : tensor<2x3xbf16>
}
