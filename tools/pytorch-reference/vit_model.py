"""The ViT of docs/model-spec.md in PyTorch, with timm's module names (so a timm-named state dict
loads as is). Shared by vit_bench.py (speed) and parity.py (forward-pass parity with vit-lens)."""
import torch
import torch.nn as nn
import torch.nn.functional as F


class PatchEmbed(nn.Module):
    def __init__(self, channels, patch, dim):
        super().__init__()
        self.proj = nn.Conv2d(channels, dim, patch, stride=patch)

    def forward(self, x):
        return self.proj(x).flatten(2).transpose(1, 2)  # [batch, tokens, D], row-major grid order


class Attention(nn.Module):
    # fused: F.scaled_dot_product_attention, as timm runs it by default (same function, one fused kernel);
    # False: the products and softmax written out (parity.py uses this in float64)
    fused = False

    def __init__(self, dim, heads):
        super().__init__()
        self.heads, self.scale = heads, (dim // heads) ** -0.5
        self.qkv = nn.Linear(dim, 3 * dim)
        self.proj = nn.Linear(dim, dim)

    def forward(self, x):
        b, n, d = x.shape
        # [3, batch, heads, tokens, head dim]: rows 0..D-1 of qkv are Q, then K, then V; head h owns h*d..h*d+d-1
        qkv = self.qkv(x).reshape(b, n, 3, self.heads, d // self.heads).permute(2, 0, 3, 1, 4)
        q, k, v = qkv[0], qkv[1], qkv[2]
        if Attention.fused:
            return self.proj(F.scaled_dot_product_attention(q, k, v).transpose(1, 2).reshape(b, n, d))
        a = ((q @ k.transpose(-2, -1)) * self.scale).softmax(dim=-1)  # [batch, heads, tokens, tokens]
        return self.proj((a @ v).transpose(1, 2).reshape(b, n, d))


class Mlp(nn.Module):
    def __init__(self, dim, hidden):
        super().__init__()
        self.fc1, self.fc2 = nn.Linear(dim, hidden), nn.Linear(hidden, dim)

    def forward(self, x):
        return self.fc2(F.gelu(self.fc1(x)))  # exact (erf) GELU


class Block(nn.Module):
    def __init__(self, dim, heads, mlp):
        super().__init__()
        self.norm1 = nn.LayerNorm(dim, eps=1e-6)
        self.attn = Attention(dim, heads)
        self.norm2 = nn.LayerNorm(dim, eps=1e-6)
        self.mlp = Mlp(dim, mlp)

    def forward(self, x):
        x = x + self.attn(self.norm1(x))
        return x + self.mlp(self.norm2(x))


class ViT(nn.Module):
    def __init__(self, image_size, channels, patch, dim, depth, heads, mlp, classes, pos_embed=True, pooling="cls"):
        super().__init__()
        tokens = (image_size // patch) ** 2
        self.pooling = pooling
        self.patch_embed = PatchEmbed(channels, patch, dim)
        self.cls_token = nn.Parameter(torch.zeros(1, 1, dim))
        self.pos_embed = nn.Parameter(torch.randn(1, tokens + 1, dim) * 0.02) if pos_embed else None
        self.blocks = nn.Sequential(*[Block(dim, heads, mlp) for _ in range(depth)])
        self.norm = nn.LayerNorm(dim, eps=1e-6)
        self.head = nn.Linear(dim, classes)

    def forward(self, x):
        x = self.patch_embed(x)
        x = torch.cat([self.cls_token.expand(x.shape[0], -1, -1), x], dim=1)  # [batch, N+1, D]
        if self.pos_embed is not None:
            x = x + self.pos_embed
        x = self.norm(self.blocks(x))
        return self.head(x[:, 0] if self.pooling == "cls" else x[:, 1:].mean(dim=1))
