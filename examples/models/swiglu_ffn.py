"""LLaMA's feed-forward block: down(silu(gate(x)) * up(x)), no biases."""
import torch


class SwiGLU(torch.nn.Module):
    def __init__(self, d=256, hidden=688):
        super().__init__()
        self.gate = torch.nn.Linear(d, hidden, bias=False)
        self.up = torch.nn.Linear(d, hidden, bias=False)
        self.down = torch.nn.Linear(hidden, d, bias=False)

    def forward(self, x):
        return self.down(torch.nn.functional.silu(self.gate(x)) * self.up(x))


torch.manual_seed(0)
model = SwiGLU()
inputs = torch.randn(64, 256)
