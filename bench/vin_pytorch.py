#!/usr/bin/env python3
"""Reference VIN in PyTorch, for side-by-side timing against keratorch.

Architecture (the original paper's gridworld VIN):
  h = conv3x3(2 -> 150, bias)         on the (obstacle, goal) image, no activation
  r = conv1x1(150 -> 1, no bias)      the reward map
  q = conv3x3([r] -> 10, no bias);  v = max_c q
  repeat k-1 times: q = conv3x3([r, v] -> 10, tied weights); v = max_c q
  q = conv3x3([r, v] -> 10)            (k+1 q-layers in all)
  logits = Linear(10 -> 8, no bias)(q[b, :, row_b, col_b])
  loss = cross_entropy(logits, label); RMSprop(lr=0.002, eps=1e-6)

Usage: vin_pytorch.py [--grid 8,16,28] [--batch 128] [--steps N] [--warmup W] [--threads T] [--device cpu|cuda]
Prints one JSON object a line: {"impl":"pytorch", "grid", "k", "batch", "device", "device_name",
"threads", "train_ms", "infer_ms", "warmup", "steps", "torch"}; times are medians over the timed steps.
(Copied from ../shared/bench/vin_pytorch.py for `npm run bench`; only the output gained device_name,
warmup and steps, and --warmup sets the untimed steps, 2 by default as in the original.)
"""
import argparse, json, statistics, time

import torch
import torch.nn as nn
import torch.nn.functional as F

K_FOR_GRID = {8: 10, 16: 20, 28: 36}


class VIN(nn.Module):
    def __init__(self, k, l_i=2, l_h=150, l_q=10, l_a=8):
        super().__init__()
        self.k = k
        self.h = nn.Conv2d(l_i, l_h, 3, padding=1, bias=True)
        self.r = nn.Conv2d(l_h, 1, 1, bias=False)
        self.q = nn.Conv2d(1, l_q, 3, padding=1, bias=False)
        self.w = nn.Parameter(torch.zeros(l_q, 1, 3, 3).normal_(0, 0.01))
        self.fc = nn.Linear(l_q, l_a, bias=False)

    def forward(self, x, row, col):
        r = self.r(self.h(x))
        q = self.q(r)
        v, _ = q.max(1, keepdim=True)
        w = torch.cat([self.q.weight, self.w], 1)
        for _ in range(self.k - 1):
            q = F.conv2d(torch.cat([r, v], 1), w, padding=1)
            v, _ = q.max(1, keepdim=True)
        q = F.conv2d(torch.cat([r, v], 1), w, padding=1)
        q_at = q[torch.arange(x.size(0), device=x.device), :, row, col]
        return self.fc(q_at)


def sync(device):
    if device.startswith("cuda"):
        torch.cuda.synchronize()


def bench(grid, batch, steps, device, warmup=2):
    torch.manual_seed(0)
    model = VIN(K_FOR_GRID[grid]).to(device)
    opt = torch.optim.RMSprop(model.parameters(), lr=0.002, eps=1e-6)
    x = torch.randn(batch, 2, grid, grid, device=device)
    row = torch.randint(0, grid, (batch,), device=device)
    col = torch.randint(0, grid, (batch,), device=device)
    y = torch.randint(0, 8, (batch,), device=device)

    def train_step():
        opt.zero_grad()
        F.cross_entropy(model(x, row, col), y).backward()
        opt.step()

    def timed(fn):
        out = []
        for i in range(steps + warmup):
            sync(device)
            t = time.perf_counter()
            fn()
            sync(device)
            if i >= warmup:  # warm-up steps are not timed
                out.append((time.perf_counter() - t) * 1000)
        return statistics.median(out)

    train_ms = timed(train_step)
    with torch.no_grad():
        infer_ms = timed(lambda: model(x, row, col))
    device_name = torch.cuda.get_device_name(device) if device.startswith("cuda") else None
    return {"impl": "pytorch", "grid": grid, "k": K_FOR_GRID[grid], "batch": batch,
            "device": device, "device_name": device_name, "threads": torch.get_num_threads(),
            "train_ms": round(train_ms, 3), "infer_ms": round(infer_ms, 3),
            "warmup": warmup, "steps": steps, "torch": torch.__version__}


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--grid", default="8,16,28")
    p.add_argument("--batch", type=int, default=128)
    p.add_argument("--steps", type=int, default=5)
    p.add_argument("--warmup", type=int, default=2)
    p.add_argument("--threads", type=int, default=0)
    p.add_argument("--device", default="cpu")
    a = p.parse_args()
    if a.threads:
        torch.set_num_threads(a.threads)
    for g in [int(s) for s in a.grid.split(",")]:
        print(json.dumps(bench(g, a.batch, a.steps, a.device, a.warmup)), flush=True)


if __name__ == "__main__":
    main()
