"""act-import: a PyTorch module or an ONNX model to linalg-on-tensors MLIR,
with example inputs and the reference outputs as .npy, ready for act-run.

  act-import model.py -o DIR       # a Python file defining `model` and `inputs`
  act-import model.onnx -o DIR     # an ONNX file (torch-mlir's ONNX importer)

DIR receives model.mlir, input<i>.npy and expected<i>.npy (PyTorch eager's or
onnxruntime's outputs on those inputs), and the act-run command that runs and
checks the model is printed. With --weights=args the parameters become the
function's leading arguments, written as weight<i>.npy, instead of
dense_resource constants in the IR.

Needs the import group of the project's venv (tools/requirements-import.txt).
Errors are one line "act-import: error: ..." and exit 1.
"""

import argparse
import importlib.util
import os
import shlex
import sys


class UsageError(Exception):
    """A user-facing error: printed as one line, exit 1."""


def fail(message):
    raise UsageError(message)


def load_python_module(path):
    spec = importlib.util.spec_from_file_location("act_import_model", path)
    if spec is None:
        fail(f"cannot load {path} as Python")
    module = importlib.util.module_from_spec(spec)
    sys.path.insert(0, os.path.dirname(os.path.abspath(path)))
    try:
        spec.loader.exec_module(module)
    except FileNotFoundError as e:
        fail(f"cannot open {path}: {e.strerror}")
    except Exception as e:  # the user's file: report where it failed
        fail(f"{path}: {type(e).__name__}: {e}")
    return module


def attribute(module, path, name):
    """`name` from the user's file; a zero-argument callable is called."""
    if not hasattr(module, name):
        fail(f"{path} defines no '{name}'")
    value = getattr(module, name)
    if callable(value) and not _is_torch_module(value):
        try:
            value = value()
        except Exception as e:
            fail(f"{path}: {name}(): {type(e).__name__}: {e}")
    return value


def _is_torch_module(value):
    import torch

    return isinstance(value, torch.nn.Module)


def as_tuple(value):
    return tuple(value) if isinstance(value, (tuple, list)) else (value,)


def save_npy(path, tensor):
    import numpy as np
    import torch

    if isinstance(tensor, torch.Tensor):
        tensor = tensor.detach()
        # numpy has no bf16; act-run takes an f32 .npy for a bf16 argument.
        if tensor.dtype == torch.bfloat16:
            tensor = tensor.float()
        tensor = tensor.contiguous().numpy()
    np.save(path, np.ascontiguousarray(tensor))


def check_tensors(what, values):
    import torch

    for i, v in enumerate(values):
        if not isinstance(v, torch.Tensor):
            fail(f"{what} #{i} is a {type(v).__name__}, not a torch.Tensor")


class WeightsAsArguments:
    """Wraps `model` so that its parameters and buffers are leading
    arguments (torch.func.functional_call), in named order."""

    def __init__(self, model):
        import torch

        self.names = [n for n, _ in model.named_parameters()] + [
            n for n, _ in model.named_buffers()
        ]
        state = dict(model.named_parameters())
        state.update(model.named_buffers())
        self.values = [state[n].detach() for n in self.names]
        names = self.names

        class Wrapper(torch.nn.Module):
            def __init__(self):
                super().__init__()
                self.inner = model

            def forward(self, *args):
                weights = dict(zip(names, args[: len(names)]))
                return torch.func.functional_call(
                    self.inner, weights, args[len(names) :]
                )

        self.module = Wrapper()


def import_torch(args):
    import torch
    from torch_mlir import fx

    user = load_python_module(args.model_file)
    model = attribute(user, args.model_file, args.model)
    if not isinstance(model, torch.nn.Module):
        fail(
            f"{args.model_file}: '{args.model}' is a {type(model).__name__}, "
            "not a torch.nn.Module"
        )
    inputs = as_tuple(attribute(user, args.model_file, args.inputs))
    check_tensors("input", inputs)
    model.eval()

    with torch.no_grad():
        expected = as_tuple(model(*inputs))
    check_tensors("output", expected)

    weights = []
    exported = model
    call_args = inputs
    if args.weights == "args":
        wrapped = WeightsAsArguments(model)
        exported = wrapped.module
        weights = wrapped.values
        call_args = tuple(weights) + inputs
    try:
        module = fx.export_and_import(
            exported,
            *call_args,
            output_type="linalg-on-tensors",
            func_name=args.func_name,
        )
    except Exception as e:
        first = str(e).strip().splitlines()
        fail(
            "torch-mlir could not import the model: "
            f"{type(e).__name__}: {first[0] if first else ''}"
        )
    return str(module), weights, list(inputs), list(expected)


def import_onnx(args):
    import numpy as np

    try:
        import onnx
        import onnxruntime
    except ModuleNotFoundError as e:
        fail(f"{e.name} is not installed (tools/requirements-import.txt)")
    from torch_mlir import ir
    from torch_mlir.compiler_utils import run_pipeline_with_repro_report
    from torch_mlir.dialects import torch as torch_d
    from torch_mlir.extras import onnx_importer

    try:
        proto = onnx.load(args.model_file)
        onnx.checker.check_model(proto)
        proto = onnx.shape_inference.infer_shapes(proto)
    except FileNotFoundError as e:
        fail(f"cannot open {args.model_file}: {e.strerror}")
    except Exception as e:
        fail(f"{args.model_file}: not a valid ONNX model: {e}")

    initializers = {i.name for i in proto.graph.initializer}
    graph_inputs = [i for i in proto.graph.input if i.name not in initializers]
    inputs = []
    if args.input:
        if len(args.input) != len(graph_inputs):
            fail(
                f"the model takes {len(graph_inputs)} inputs, given "
                f"{len(args.input)} --input"
            )
        for spec in args.input:
            if not spec.startswith("@"):
                fail(f"--input takes @FILE.npy, given '{spec}'")
            try:
                inputs.append(np.load(spec[1:]))
            except Exception as e:
                fail(f"cannot read {spec[1:]}: {e}")
    else:
        rng = np.random.default_rng(args.seed)
        for i in graph_inputs:
            t = i.type.tensor_type
            dims = [d.dim_value if d.HasField("dim_value") else 0 for d in t.shape.dim]
            if any(d <= 0 for d in dims):
                fail(
                    f"input '{i.name}' has a dynamic shape; give it with "
                    "--input=@FILE.npy"
                )
            dtype = onnx.helper.tensor_dtype_to_np_dtype(t.elem_type)
            inputs.append(rng.standard_normal(dims).astype(dtype))

    session = onnxruntime.InferenceSession(
        proto.SerializeToString(), providers=["CPUExecutionProvider"]
    )
    expected = session.run(
        None, {i.name: v for i, v in zip(graph_inputs, inputs)}
    )

    context = ir.Context()
    torch_d.register_dialect(context)
    info = onnx_importer.ModelInfo(proto)
    module = info.create_module(context=context).operation
    importer = onnx_importer.NodeImporter.define_function(info.main_graph, module)
    try:
        importer.import_all()
        run_pipeline_with_repro_report(
            module,
            "builtin.module(torch-onnx-to-torch-backend-pipeline,"
            "torch-backend-to-linalg-on-tensors-backend-pipeline)",
            "Lowering ONNX to linalg-on-tensors",
        )
    except Exception as e:
        first = str(e).strip().splitlines()
        fail(
            "torch-mlir could not import the model: "
            f"{type(e).__name__}: {first[0] if first else ''}"
        )
    text = str(module)
    return text, [], inputs, expected


def main(argv):
    parser = argparse.ArgumentParser(
        prog="act-import",
        description=__doc__.split("\n\n")[0],
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("model_file", metavar="MODEL", help="a .py or .onnx file")
    parser.add_argument("-o", "--output-dir", required=True, metavar="DIR")
    parser.add_argument(
        "--model",
        default="model",
        help="(.py) the torch.nn.Module, or a function returning it (default: model)",
    )
    parser.add_argument(
        "--inputs",
        default="inputs",
        help="(.py) a tensor or tuple of tensors, or a function returning them "
        "(default: inputs)",
    )
    parser.add_argument(
        "--weights",
        choices=["inline", "args"],
        default="inline",
        help="(.py) weights as dense_resource constants in the IR (default) or "
        "as the function's leading arguments, written as weight<i>.npy",
    )
    parser.add_argument(
        "--input",
        action="append",
        metavar="@FILE.npy",
        help="(.onnx) an input, in order (default: standard normal, --seed)",
    )
    parser.add_argument("--seed", type=int, default=0, help="(.onnx) default 0")
    parser.add_argument(
        "--func-name", default="forward", help="(.py) the function's name"
    )
    args = parser.parse_args(argv)

    try:
        import torch_mlir  # noqa: F401
    except ModuleNotFoundError:
        fail(
            "torch-mlir is not installed in this Python "
            f"({sys.executable}); install the import group with "
            "tools/setup.sh (tools/requirements-import.txt)"
        )

    if not os.path.exists(args.model_file):
        fail(f"cannot open {args.model_file}: No such file or directory")
    if args.model_file.endswith(".onnx"):
        if args.weights == "args":
            fail("--weights=args applies to PyTorch modules only")
        text, weights, inputs, expected = import_onnx(args)
    elif args.model_file.endswith(".py"):
        if args.input:
            fail("--input applies to ONNX models; a Python file gives its inputs")
        text, weights, inputs, expected = import_torch(args)
    else:
        fail(f"{args.model_file}: expected a .py or .onnx file")

    out = args.output_dir
    os.makedirs(out, exist_ok=True)
    mlir = os.path.join(out, "model.mlir")
    with open(mlir, "w") as f:
        f.write(text)
    command = ["act-run", mlir]
    for i, w in enumerate(weights):
        path = os.path.join(out, f"weight{i}.npy")
        save_npy(path, w)
        command.append(f"--input=@{path}")
    for i, x in enumerate(inputs):
        path = os.path.join(out, f"input{i}.npy")
        save_npy(path, x)
        command.append(f"--input=@{path}")
    for i, y in enumerate(expected):
        path = os.path.join(out, f"expected{i}.npy")
        save_npy(path, y)
        command.append(f"--expect=@{path}")
    print(f"wrote {mlir}: {len(weights)} weight, {len(inputs)} input and "
          f"{len(expected)} expected arrays")
    print("run and check it with:")
    print("  " + " ".join(shlex.quote(c) for c in command))
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main(sys.argv[1:]))
    except UsageError as e:
        print(f"act-import: error: {e}", file=sys.stderr)
        sys.exit(1)
