#!/usr/bin/python3
"""An independent PyTorch LoRA over the PyTorch peer BERT (`torch_bert.py`): the check of our `peft`-format adapters.

Written from the LoRA paper (Hu et al. 2021, eq. 3: h = W0·x + B·A·x · alpha/r) and `peft`'s documented checkpoint
layout (`PeftModel.save_pretrained`): `adapter_config.json` (`peft_type` LORA, `task_type` SEQ_CLS|TOKEN_CLS, `r`,
`lora_alpha`, `target_modules`, `modules_to_save`) and `adapter_model.safetensors` whose keys are
`base_model.model.<module>.lora_A.weight` [r, in], `...lora_B.weight` [out, r] and the `modules_to_save` copies as
`base_model.model.classifier.weight` [C, H] (no adapter name in any key). Nothing here is shared with the TypeScript
code; `transformers` and `peft` are not installed. Every tensor in the adapter file must be used, or it fails.

AdaLoRA (`peft_type` ADALORA; Zhang et al. 2023, eq. 3: h = W0·x + P·Λ·Q·x) as `peft`'s source saves and loads it
(src/peft/tuners/adalora/model.py `resize_state_dict_by_rank_pattern` / `resize_modules_by_rank_pattern`, layer.py
`SVDLinear.forward`): `rank_pattern` {"<module>.lora_E": [bool] * init_r}, tensors `<module>.lora_A` [r_m, in],
`.lora_E` [r_m, 1], `.lora_B` [out, r_m] with r_m the kept count (no `.weight`), and the update
(x @ (A * E).T @ B.T) * lora_alpha / (ranknum + 1e-5) where `ranknum` stays `init_r` after resizing.

  /usr/bin/python3 bench/peer/torch_lora.py --base DIR --adapter DIR --ids IDS.jsonl --out LOGITS.json [--merge]
      classification logits of the base + adapter: [{"logits": [C floats]}] (sequence) or
      [{"logits": [[C floats] per position]}] (token); --merge folds B·A·alpha/r into W first (same logits expected)
  /usr/bin/python3 bench/peer/torch_lora.py --base DIR --ids IDS.jsonl --out LOGITS.json
      a plain Hugging Face BertFor{Sequence,Token}Classification folder (e.g. our merged checkpoint): its
      `classifier.*` from model.safetensors, the task from config.json's architectures

Shape legend: B batch, T sequence, H hidden, C classes, r rank.
"""
import argparse
import json
import os
import sys

import numpy as np
import torch
from torch import nn

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from torch_bert import BertForMaskedLM, Config, pad_rows, read_ids, read_safetensors  # noqa: E402

PREFIX = "base_model.model."


class LoraLinear(nn.Module):
    """A frozen nn.Linear plus B·A·alpha/r (no dropout: evaluation)."""

    def __init__(self, base, r, alpha):
        super().__init__()
        self.base = base
        self.lora_A = nn.Linear(base.in_features, r, bias=False)  # weight [r, in]
        self.lora_B = nn.Linear(r, base.out_features, bias=False)  # weight [out, r]
        self.scaling = alpha / r
        self.merged = False

    def merge(self):
        with torch.no_grad():
            self.base.weight += (self.lora_B.weight @ self.lora_A.weight) * self.scaling  # [out, in]
        self.merged = True

    def forward(self, x):
        y = self.base(x)
        return y if self.merged else y + self.lora_B(self.lora_A(x)) * self.scaling


class AdaLoraLinear(nn.Module):
    """A frozen nn.Linear plus peft's SVDLinear update B·(A∘E)·alpha/(init_r + 1e-5) (no dropout: evaluation)."""

    def __init__(self, base, lora_A, lora_E, lora_B, alpha, init_r):
        super().__init__()
        self.base = base
        self.lora_A, self.lora_E, self.lora_B = lora_A, lora_E, lora_B  # [r_m, in], [r_m, 1], [out, r_m]
        self.scaling = alpha / (init_r + 1e-5)
        self.merged = False

    def merge(self):
        with torch.no_grad():
            self.base.weight += (self.lora_B @ (self.lora_A * self.lora_E)) * self.scaling  # [out, in]
        self.merged = True

    def forward(self, x):
        y = self.base(x)
        return y if self.merged else y + (x @ (self.lora_A * self.lora_E).T @ self.lora_B.T) * self.scaling


def module(root, path):
    for part in path.split("."):
        root = root[int(part)] if part.isdigit() else getattr(root, part)
    return root


def set_module(root, path, value):
    parent, _, name = path.rpartition(".")
    setattr(module(root, parent), name, value)


def load_encoder(model_dir):
    """The peer's BERT with every `bert.*` parameter from `model.safetensors` (a classifier folder has no `cls.*`)."""
    with open(os.path.join(model_dir, "config.json")) as f:
        model = BertForMaskedLM(Config(json.load(f)))
    raw = read_safetensors(os.path.join(model_dir, "model.safetensors"))
    wanted = {n: p for n, p in model.named_parameters() if n.startswith("bert.")}
    missing = [n for n in wanted if n not in raw]
    if missing:
        raise ValueError(f"{model_dir}: missing parameters {missing[:5]}")
    with torch.no_grad():
        for name, p in wanted.items():
            if tuple(raw[name].shape) != tuple(p.shape):
                raise ValueError(f"{model_dir}: {name} has shape {raw[name].shape}, expected {tuple(p.shape)}")
            p.copy_(torch.from_numpy(raw[name].astype(np.float32)))
    return model.eval()


def adalora_linear(base, name, config, tensors, adapter_dir):
    """peft's SVDLinear for module `name`, its tensors resized as `rank_pattern` says (they must already be)."""
    init_r = config["init_r"]
    kept = (config.get("rank_pattern") or {}).get(f"{name}.lora_E", [True] * init_r)
    if len(kept) != init_r:
        raise ValueError(f"{adapter_dir}: rank_pattern[{name}.lora_E] has {len(kept)} entries, init_r is {init_r}")
    rank = sum(bool(k) for k in kept)
    parts = {p: torch.from_numpy(tensors.pop(f"{name}.{p}")) for p in ("lora_A", "lora_E", "lora_B")}
    want = {"lora_A": (rank, base.in_features), "lora_E": (rank, 1), "lora_B": (base.out_features, rank)}
    for p, shape in want.items():
        if tuple(parts[p].shape) != shape:
            raise ValueError(f"{adapter_dir}: {name}.{p} has shape {tuple(parts[p].shape)}; rank_pattern keeps {rank} so peft expects {shape}")
    return AdaLoraLinear(base, parts["lora_A"], parts["lora_E"], parts["lora_B"], config["lora_alpha"], init_r)


def classification_model(base_dir, adapter_dir):
    """(model, kind, classifier Linear, pooler Linear) with LoRA applied from `adapter_dir` when given."""
    model = load_encoder(base_dir)
    pooler = model.bert.pooler.dense
    if adapter_dir is None:
        with open(os.path.join(base_dir, "config.json")) as f:
            arch = json.load(f)["architectures"][0]
        kind = {"BertForSequenceClassification": "sequence", "BertForTokenClassification": "token"}[arch]
        raw = read_safetensors(os.path.join(base_dir, "model.safetensors"))
        tensors = {k: raw[k] for k in ("classifier.weight", "classifier.bias")}
    else:
        with open(os.path.join(adapter_dir, "adapter_config.json")) as f:
            config = json.load(f)
        if config["peft_type"] not in ("LORA", "ADALORA"):
            raise ValueError(f"{adapter_dir}: peft_type {config['peft_type']}; this peer checks LORA and ADALORA")
        kind = {"SEQ_CLS": "sequence", "TOKEN_CLS": "token"}[config["task_type"]]
        raw = read_safetensors(os.path.join(adapter_dir, "adapter_model.safetensors"))
        bad = [k for k in raw if not k.startswith(PREFIX) or ".default." in k or "modules_to_save" in k]
        if bad:
            raise ValueError(f"{adapter_dir}: keys not in peft's saved form: {bad[:3]}")
        tensors = {k[len(PREFIX):]: v for k, v in raw.items()}
        r, alpha = config["r"], config["lora_alpha"]
        targets = config["target_modules"]
        linears = [n for n, m in model.named_modules() if isinstance(m, nn.Linear) and n.startswith("bert.encoder.")]
        chosen = [n for n in linears if any(n == t or n.endswith("." + t) for t in targets)]
        if not chosen:
            raise ValueError(f"{adapter_dir}: target_modules {targets} match no Linear")
        for name in chosen:
            if config["peft_type"] == "ADALORA":
                lora = adalora_linear(module(model, name), name, config, tensors, adapter_dir)
            else:
                lora = LoraLinear(module(model, name), r, alpha)
                with torch.no_grad():
                    lora.lora_A.weight.copy_(torch.from_numpy(tensors.pop(f"{name}.lora_A.weight")))
                    lora.lora_B.weight.copy_(torch.from_numpy(tensors.pop(f"{name}.lora_B.weight")))
            set_module(model, name, lora)
        if "bert.pooler.dense.weight" in tensors:  # modules_to_save: pooler
            pooler = nn.Linear(pooler.in_features, pooler.out_features)
            with torch.no_grad():
                pooler.weight.copy_(torch.from_numpy(tensors.pop("bert.pooler.dense.weight")))
                pooler.bias.copy_(torch.from_numpy(tensors.pop("bert.pooler.dense.bias")))
    weight, bias = tensors.pop("classifier.weight"), tensors.pop("classifier.bias")
    if adapter_dir is not None and tensors:
        raise ValueError(f"{adapter_dir}: unused tensors {sorted(tensors)[:3]}")
    classifier = nn.Linear(weight.shape[1], weight.shape[0])  # weight [C, H]
    with torch.no_grad():
        classifier.weight.copy_(torch.from_numpy(weight))
        classifier.bias.copy_(torch.from_numpy(bias))
    return model, kind, classifier, pooler


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--base", required=True)
    parser.add_argument("--adapter")
    parser.add_argument("--ids", required=True)
    parser.add_argument("--out", required=True)
    parser.add_argument("--merge", action="store_true")
    parser.add_argument("--threads", type=int, default=2)
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    model, kind, classifier, pooler = classification_model(args.base, args.adapter)
    if args.merge:
        for m in model.modules():
            if isinstance(m, (LoraLinear, AdaLoraLinear)):
                m.merge()
    rows = read_ids(args.ids)
    input_ids, mask, token_types = pad_rows(rows, model.config.pad_token_id)
    with torch.no_grad():
        hidden = model.bert(input_ids, mask, token_types)  # [B, T, H]
        if kind == "sequence":
            logits = classifier(torch.tanh(pooler(hidden[:, 0])))  # [B, C]
            out = [{"logits": logits[b].tolist()} for b in range(len(rows))]
        else:
            logits = classifier(hidden)  # [B, T, C]
            out = [{"logits": logits[b, : len(ids)].tolist()} for b, (ids, _) in enumerate(rows)]
    tmp = f"{args.out}.tmp-{os.getpid()}"
    with open(tmp, "w") as f:
        json.dump(out, f)
    os.replace(tmp, args.out)


if __name__ == "__main__":
    sys.exit(main())
