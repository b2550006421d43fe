// Tensors with a zero-sized dimension compile and run (nothing to compute;
// tiling them used to crash).
// RUN: act-run %s --function=gelu --input=0xf32=random:1 --verify | FileCheck %s
// RUN: act-run %s --function=softmax_rows --input=3x0xf32=random:1 --verify | FileCheck %s --check-prefix=ROWS
// RUN: act-run %s --function=log_softmax_none --input=0x5xf32=random:1 --verify | FileCheck %s --check-prefix=NONE
// RUN: act-run %s --function=glu --input=0x4xf32=random:1 --verify | FileCheck %s --check-prefix=GLU
// RUN: act-run %s --function=maxout --input=0x6xf32=random:1 --verify | FileCheck %s --check-prefix=MAXOUT
// CHECK: tensor<0xf32>
// CHECK-NEXT: []
// CHECK-NEXT: result #0: max abs 0, {{.*}} - ok
// ROWS: tensor<3x0xf32>
// ROWS: result #0: max abs 0, {{.*}} - ok
// NONE: tensor<0x5xf32>
// NONE: result #0: max abs 0, {{.*}} - ok
// GLU: tensor<0x2xf32>
// GLU: result #0: max abs 0, {{.*}} - ok
// MAXOUT: tensor<0x2xf32>
// MAXOUT: result #0: max abs 0, {{.*}} - ok

func.func @gelu(%x: tensor<0xf32>) -> tensor<0xf32> {
  %y = act.gelu %x : tensor<0xf32>
  return %y : tensor<0xf32>
}
func.func @softmax_rows(%x: tensor<3x0xf32>) -> tensor<3x0xf32> {
  %y = act.softmax %x {dim = 1 : i64} : tensor<3x0xf32>
  return %y : tensor<3x0xf32>
}
func.func @log_softmax_none(%x: tensor<0x5xf32>) -> tensor<0x5xf32> {
  %y = act.log_softmax %x {dim = 1 : i64} : tensor<0x5xf32>
  return %y : tensor<0x5xf32>
}
func.func @glu(%x: tensor<0x4xf32>) -> tensor<0x2xf32> {
  %y = act.glu %x : tensor<0x4xf32> -> tensor<0x2xf32>
  return %y : tensor<0x2xf32>
}
func.func @maxout(%x: tensor<0x6xf32>) -> tensor<0x2xf32> {
  %y = act.maxout %x {groups = 3 : i64} : tensor<0x6xf32> -> tensor<0x2xf32>
  return %y : tensor<0x2xf32>
}
