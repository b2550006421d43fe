"""A GPT-2-small-sized transformer block with random weights: d = 768,
12 heads, FFN 3072, pre-LayerNorm, causal attention, GELU (tanh form),
residuals. One sequence of 128 tokens.

`small_model` and `small_inputs` are the same block at d = 128, 4 heads,
FFN 512 and 32 tokens (act-import --model=small_model --inputs=small_inputs),
small enough for act-run --verify's double-precision interpreter."""
import math

import torch


class Block(torch.nn.Module):
    def __init__(self, d=768, heads=12, hidden=3072, seq=128):
        super().__init__()
        self.heads = heads
        self.ln1 = torch.nn.LayerNorm(d)
        self.qkv = torch.nn.Linear(d, 3 * d)
        self.proj = torch.nn.Linear(d, d)
        self.ln2 = torch.nn.LayerNorm(d)
        self.fc = torch.nn.Linear(d, hidden)
        self.gelu = torch.nn.GELU(approximate="tanh")
        self.fc2 = torch.nn.Linear(hidden, d)
        mask = torch.full((seq, seq), float("-inf")).triu(1)
        self.register_buffer("mask", mask)

    def forward(self, x):
        t, d = x.shape
        hd = d // self.heads
        q, k, v = self.qkv(self.ln1(x)).split(d, dim=-1)
        q = q.view(t, self.heads, hd).transpose(0, 1)
        k = k.view(t, self.heads, hd).transpose(0, 1)
        v = v.view(t, self.heads, hd).transpose(0, 1)
        scores = q @ k.transpose(-2, -1) * (1.0 / math.sqrt(hd)) + self.mask
        y = torch.softmax(scores, dim=-1) @ v
        x = x + self.proj(y.transpose(0, 1).reshape(t, d))
        return x + self.fc2(self.gelu(self.fc(self.ln2(x))))


torch.manual_seed(0)
model = Block()
inputs = torch.randn(128, 768)


def small_model():
    torch.manual_seed(1)
    return Block(d=128, heads=4, hidden=512, seq=32)


def small_inputs():
    return torch.randn(32, 128, generator=torch.Generator().manual_seed(2))
