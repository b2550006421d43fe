// Bad input gives an MLIR diagnostic and exit status 1 (`not` fails on a
// crash's signal status, so these would catch a crash too).

// RUN: split-file %s %t
// RUN: not act-opt %t/malformed.mlir 2>&1 | FileCheck %s --check-prefix=MALFORMED
// RUN: not act-opt %t/unknown-op.mlir 2>&1 | FileCheck %s --check-prefix=UNKNOWN
// RUN: not act-opt %t/bad-attribute.mlir 2>&1 | FileCheck %s --check-prefix=ATTR
// RUN: not act-opt %t/bad-type.mlir 2>&1 | FileCheck %s --check-prefix=TYPE
// RUN: not act-opt %t/missing-file.mlir 2>&1 | FileCheck %s --check-prefix=MISSING
// RUN: not act-opt %t/float-dim.mlir 2>&1 | FileCheck %s --check-prefix=NOTANINT

// MALFORMED: malformed.mlir:2:{{[0-9]+}}: error: expected SSA operand
// UNKNOWN: unknown-op.mlir:2:{{[0-9]+}}: error: custom op 'act.swiglu' is unknown
// ATTR: bad-attribute.mlir:2:{{[0-9]+}}: error: {{.*}}'act.elu' op attribute 'alpha' failed to satisfy constraint: 64-bit float attribute
// TYPE: bad-type.mlir:2:{{[0-9]+}}: error: 'act.sigmoid' op operand #0 must be f16, bf16, f32 or f64
// MISSING: cannot open input file '{{.*}}missing-file.mlir': No such file or directory
// NOTANINT: float-dim.mlir:2:{{[0-9]+}}: error: {{.*}}'act.softmax' op attribute 'dim' failed to satisfy constraint: 64-bit signless integer attribute

//--- malformed.mlir
func.func @f(%x: tensor<4xf32>) -> tensor<4xf32> {
  %0 = act.relu : tensor<4xf32>
  return %0 : tensor<4xf32>
}

//--- unknown-op.mlir
func.func @f(%x: tensor<4xf32>) -> tensor<4xf32> {
  %0 = act.swiglu %x : tensor<4xf32>
  return %0 : tensor<4xf32>
}

//--- bad-attribute.mlir
func.func @f(%x: tensor<4xf32>) -> tensor<4xf32> {
  %0 = act.elu %x {alpha = "one"} : tensor<4xf32>
  return %0 : tensor<4xf32>
}

//--- bad-type.mlir
func.func @f(%x: tensor<4xi8>) -> tensor<4xi8> {
  %0 = "act.sigmoid"(%x) : (tensor<4xi8>) -> tensor<4xi8>
  return %0 : tensor<4xi8>
}

//--- float-dim.mlir
func.func @f(%x: tensor<4xf32>) -> tensor<4xf32> {
  %0 = act.softmax %x {dim = 1.5 : f64} : tensor<4xf32>
  return %0 : tensor<4xf32>
}
