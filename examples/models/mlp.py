"""An MLP classifier: Linear, GELU (erf), Linear, log_softmax.

act-import examples/models/mlp.py -o out/mlp
"""
import torch

torch.manual_seed(0)
model = torch.nn.Sequential(
    torch.nn.Linear(64, 256),
    torch.nn.GELU(),
    torch.nn.Linear(256, 10),
    torch.nn.LogSoftmax(dim=-1),
)
inputs = torch.randn(32, 64)
