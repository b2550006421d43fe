"""A feed-forward block with SiLU: Linear(256 -> 1024), SiLU, Linear(1024 -> 256)."""
import torch

torch.manual_seed(0)
model = torch.nn.Sequential(
    torch.nn.Linear(256, 1024), torch.nn.SiLU(), torch.nn.Linear(1024, 256)
)
inputs = torch.randn(64, 256)
