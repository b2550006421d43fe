"""A chain of activations: ELU, hardswish, mish, softplus, LeakyReLU."""
import torch

model = torch.nn.Sequential(
    torch.nn.ELU(),
    torch.nn.Hardswish(),
    torch.nn.Mish(),
    torch.nn.Softplus(),
    torch.nn.LeakyReLU(0.1),
)
torch.manual_seed(0)
inputs = torch.randn(256, 1024) * 4
