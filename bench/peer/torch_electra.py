#!/usr/bin/python3
"""An independent PyTorch ELECTRA loss (Clark et al. 2020), the peer of lib/pretrain/electra.ts.

Written from the reference (google-research/electra `run_pretraining.py`: `_get_masked_lm_output`,
`get_token_logits`, `_get_fake_data`, `_get_discriminator_output`; `model/modeling.py`'s `embeddings_project`),
in PyTorch, on the encoder blocks of our BERT peer (`torch_bert.py`: Embeddings, Encoder, safetensors reader):

  - one embedding module (word + position + segment, LayerNorm) shared by generator and discriminator;
  - generator: Linear(H -> H_g) when the widths differ, L encoder layers of width H_g, the hidden states at the
    masked positions, Linear(H_g -> H) + GELU + LayerNorm, logits = x @ word_embeddings^T + bias;
  - L_MLM = mean cross-entropy at the masked positions;
  - sample: torch.multinomial's inverse-CDF rule with the given uniforms (first id whose cumulative
    probability exceeds u), no gradient; the discriminator's input is the original ids with the samples at
    the masked positions; label 1 where the input now differs from the original;
  - discriminator: the BERT encoder, Linear(H -> H) + GELU + Linear(H -> 1); L_disc = BCE-with-logits averaged
    over the attention mask; loss = L_MLM + lambda * L_disc.

  /usr/bin/python3 bench/peer/torch_electra.py loss --weights W.safetensors --spec SPEC.json --out OUT.json
      SPEC.json: {"config": {HF BERT config keys}, "generator": {"hidden_size", "num_attention_heads",
      "intermediate_size", "num_hidden_layers"}, "disc_weight": 50, "masked_ids": [[...]], "original_ids": [[...]],
      "attention_mask": [[...]], "flat_positions": [...], "masked_labels": [...], "uniforms": [...]}
      Writes {"loss", "mlm_loss", "disc_loss", "sampled": [...], "labels": [[...]]}. No dropout (eval mode).

Shape legend: B batch, T sequence, H hidden, H_g generator hidden, V vocabulary, M masked positions.
"""
import argparse
import json
import os
import sys

import torch
from torch import nn

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from torch_bert import Config, Embeddings, Encoder, read_safetensors  # noqa: E402


class Electra(nn.Module):
    def __init__(self, c, g):
        super().__init__()
        self.c = c
        self.embeddings = Embeddings(c)  # shared
        self.encoder = Encoder(c)  # the discriminator
        self.generator_encoder = Encoder(g)
        self.project = nn.Linear(c.hidden_size, g.hidden_size) if g.hidden_size != c.hidden_size else None
        self.gen_dense = nn.Linear(g.hidden_size, c.hidden_size)
        self.gen_norm = nn.LayerNorm(c.hidden_size, eps=c.layer_norm_eps)
        self.gen_bias = nn.Parameter(torch.zeros(c.vocab_size))
        self.disc_dense = nn.Linear(c.hidden_size, c.hidden_size)
        self.disc_prediction = nn.Linear(c.hidden_size, 1)

    def load(self, tensors):
        """Our names -> these modules (Linear weights arrive [out, in], as PyTorch stores them)."""
        mapping = {}
        for name in tensors:
            if name.startswith("bert.embeddings."):
                mapping[name] = "embeddings." + name[len("bert.embeddings."):]
            elif name.startswith("bert.encoder."):
                mapping[name] = "encoder." + name[len("bert.encoder."):]
            elif name.startswith("generator.encoder."):
                mapping[name] = "generator_encoder." + name[len("generator.encoder."):]
            elif name.startswith("generator.embeddings_project."):
                mapping[name] = "project." + name.split(".")[-1]
            elif name.startswith("generator_predictions.dense."):
                mapping[name] = "gen_dense." + name.split(".")[-1]
            elif name.startswith("generator_predictions.LayerNorm."):
                mapping[name] = "gen_norm." + name.split(".")[-1]
            elif name == "generator_lm_head.bias":
                mapping[name] = "gen_bias"
            elif name.startswith("discriminator_predictions.dense_prediction."):
                mapping[name] = "disc_prediction." + name.split(".")[-1]
            elif name.startswith("discriminator_predictions.dense."):
                mapping[name] = "disc_dense." + name.split(".")[-1]
            # bert.pooler.*, cls.predictions.*: the discriminator's unused BERT heads
        state = {mapping[n]: torch.from_numpy(t) for n, t in tensors.items() if n in mapping}
        own = self.state_dict()
        missing = sorted(set(own) - set(state))
        if missing:
            raise ValueError(f"weights lack {missing[:5]}")
        self.load_state_dict(state)

    @staticmethod
    def additive(mask):  # [B, T] 1/0 -> [B, 1, 1, T]
        return (1.0 - mask[:, None, None, :].float()) * torch.finfo(torch.float32).min

    def forward(self, spec):
        masked = torch.tensor(spec["masked_ids"], dtype=torch.long)  # [B, T]
        original = torch.tensor(spec["original_ids"], dtype=torch.long)  # [B, T]
        mask = torch.tensor(spec["attention_mask"], dtype=torch.long)  # [B, T]
        positions = torch.tensor(spec["flat_positions"], dtype=torch.long)  # [M]
        targets = torch.tensor(spec["masked_labels"], dtype=torch.long)  # [M]
        uniforms = torch.tensor(spec["uniforms"], dtype=torch.float32)  # [M]
        b, t = masked.shape
        segments = torch.zeros_like(masked)
        additive = self.additive(mask)

        # generator
        x = self.embeddings(masked, segments)  # [B, T, H]
        if self.project is not None:
            x = self.project(x)  # [B, T, H_g]
        x = self.generator_encoder(x, additive)  # [B, T, H_g]
        at = x.reshape(b * t, -1)[positions]  # [M, H_g]
        h = self.gen_norm(nn.functional.gelu(self.gen_dense(at)))  # [M, H]
        logits = h @ self.embeddings.word_embeddings.weight.T + self.gen_bias  # [M, V]
        mlm_loss = nn.functional.cross_entropy(logits, targets)

        # sample (no gradient), replace, label
        with torch.no_grad():
            cdf = torch.cumsum(torch.softmax(logits, dim=-1), dim=-1)  # [M, V]
            sampled = torch.clamp((cdf < uniforms[:, None]).sum(dim=-1), max=logits.shape[1] - 1)  # [M]
        corrupted = original.reshape(-1).clone()
        corrupted[positions] = sampled
        corrupted = corrupted.reshape(b, t)
        labels = (corrupted != original).float()  # [B, T]

        # discriminator
        y = self.encoder(self.embeddings(corrupted, segments), additive)  # [B, T, H]
        disc_logits = self.disc_prediction(nn.functional.gelu(self.disc_dense(y))).squeeze(-1)  # [B, T]
        weights = mask.float()
        per_token = nn.functional.binary_cross_entropy_with_logits(disc_logits, labels, reduction="none")
        disc_loss = (per_token * weights).sum() / weights.sum()
        loss = mlm_loss + spec.get("disc_weight", 50.0) * disc_loss
        return {
            "loss": loss.item(),
            "mlm_loss": mlm_loss.item(),
            "disc_loss": disc_loss.item(),
            "sampled": sampled.tolist(),
            "labels": labels.long().tolist(),
        }


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    loss = sub.add_parser("loss")
    loss.add_argument("--weights", required=True)
    loss.add_argument("--spec", required=True)
    loss.add_argument("--out", required=True)
    args = parser.parse_args()
    with open(args.spec) as f:
        spec = json.load(f)
    c = Config(spec["config"])
    g = Config({**spec["config"], **spec["generator"]})
    model = Electra(c, g)
    model.load(read_safetensors(args.weights))
    model.eval()
    with open(args.out, "w") as f:
        json.dump(model(spec), f)


if __name__ == "__main__":
    main()
