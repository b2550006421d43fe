// RUN: act-opt %s --act-thread-local-allocas | FileCheck %s

// A chunk's static stack buffer moves from the alloca_scope of the
// worksharing loop's body to the start of the omp.parallel region (once per
// thread); a dynamically sized one stays in its scope.
// CHECK-LABEL: func.func @chunk
// CHECK:         omp.parallel {
// CHECK-NEXT:      %[[BUF:.*]] = memref.alloca() : memref<64xf32>
// CHECK:           omp.wsloop {
// CHECK:             memref.alloca_scope {
// CHECK-NOT:           memref.alloca() : memref<64xf32>
// CHECK:               memref.alloca(%{{.*}}) : memref<?xf32>
// CHECK:               memref.store %{{.*}}, %[[BUF]]
func.func @chunk(%out: memref<4xf32>, %n: index) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c4 = arith.constant 4 : index
  %v = arith.constant 1.0 : f32
  omp.parallel {
    omp.wsloop {
      omp.loop_nest (%i) : index = (%c0) to (%c4) step (%c1) {
        memref.alloca_scope {
          %buf = memref.alloca() : memref<64xf32>
          %dyn = memref.alloca(%n) : memref<?xf32>
          memref.store %v, %buf[%c0] : memref<64xf32>
          memref.store %v, %dyn[%c0] : memref<?xf32>
          %w = memref.load %buf[%c0] : memref<64xf32>
          memref.store %w, %out[%i] : memref<4xf32>
        }
        omp.yield
      }
    }
    omp.terminator
  }
  return
}
