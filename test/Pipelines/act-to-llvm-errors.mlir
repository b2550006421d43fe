// RUN: not act-opt %s --act-to-llvm="target-cpu=pentium9" 2>&1 | FileCheck %s --check-prefix=CPU
// RUN: not act-opt %s --act-to-llvm="math=sloppy" 2>&1 | FileCheck %s --check-prefix=MATH

// CPU: error: unknown x86-64 CPU 'pentium9' (use 'host' or an LLVM CPU name
// MATH: for the --math option: Cannot find option named 'sloppy'!

func.func @f(%x: tensor<8xf32>) -> tensor<8xf32> {
  %0 = act.relu %x : tensor<8xf32>
  return %0 : tensor<8xf32>
}
