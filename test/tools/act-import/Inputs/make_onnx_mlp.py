"""Writes argv[1]: an ONNX dense layer, softmax(gelu(x W + b)), built with
onnx.helper (no exporter involved)."""
import sys

import numpy as np
import onnx
from onnx import helper, TensorProto, numpy_helper
rng = np.random.default_rng(1)
W = numpy_helper.from_array(rng.standard_normal((64, 32)).astype(np.float32), "W")
b = numpy_helper.from_array(rng.standard_normal((32,)).astype(np.float32), "b")
nodes = [helper.make_node("MatMul", ["x", "W"], ["h"]), helper.make_node("Add", ["h", "b"], ["z"]),
         helper.make_node("Gelu", ["z"], ["g"]) , helper.make_node("Softmax", ["g"], ["y"], axis=-1)]
g = helper.make_graph(nodes, "mlp", [helper.make_tensor_value_info("x", TensorProto.FLOAT, [4, 64])],
                      [helper.make_tensor_value_info("y", TensorProto.FLOAT, [4, 32])], [W, b])
m = helper.make_model(g, opset_imports=[helper.make_opsetid("", 20)])
onnx.save(m, sys.argv[1])
