"""Attention scores: softmax(Q K^T / 8) for 4 heads of 128 queries and keys."""
import torch


class Scores(torch.nn.Module):
    def forward(self, q, k):
        return torch.softmax(q @ k.transpose(-2, -1) / 8.0, dim=-1)


model = Scores()
torch.manual_seed(0)
inputs = (torch.randn(4, 128, 64), torch.randn(4, 128, 64))
