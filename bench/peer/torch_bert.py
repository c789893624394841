#!/usr/bin/python3
"""An independent PyTorch BERT (Hugging Face's `BertForMaskedLM` semantics), the peer of our TypeScript model.

Written from the Hugging Face architecture (transformers/models/bert/modeling_bert.py), without `transformers`:
post-LayerNorm encoder layers, exact erf GELU, LayerNorm eps from config.json, padded keys get the dtype's
minimum before softmax, the MLM decoder tied to the word embeddings plus `cls.predictions.bias`. `nn.Linear`
stores weights [out, in], as in the checkpoint files. Runs on Debian's python3-torch (1.13) + numpy:

  /usr/bin/python3 bench/peer/torch_bert.py forward --model DIR --ids IDS.jsonl --out LOGITS.json
      MLM logits of each id sequence, padded into one batch with an attention mask:
      [{"logits": [[V floats] per position]}]  (the format of `course forward`)
  /usr/bin/python3 bench/peer/torch_bert.py train --vocab-size 30522 [--steps 10 --batch 32 --seq 128]
      [--layers 4 --hidden 256 --heads 4 --intermediate 1024]   (BERT-Mini by default; BERT-Tiny: 2, 128, 2, 512)
      MLM training steps of BERT-Mini (L4/H256/A4/I1024), fp32, AdamW, 15% masking (80/10/10) with the masked
      positions gathered before the vocabulary projection, global-norm clipping at 1.0 (as our trainer); random
      ids stand in for text (throughput only); prints JSON with tokens/s on the last line.
  /usr/bin/python3 bench/peer/torch_bert.py step --model DIR --batch BATCH.json --out DIR2 [--lr 1e-4]
      The scale-out round trip: one MLM training step of the checkpoint in DIR on BATCH.json ({"input_ids",
      "attention_mask", "labels"}: rows of ids, 1/0, original id or -100), torch.optim.AdamW (eps 1e-6, weight
      decay 0.01 except biases and LayerNorm), no clipping; writes DIR2 (config.json + model.safetensors, every
      tensor of DIR, the trained ones updated) and DIR2/logits.json, the updated model's logits on the batch.

Shape legend: B batch, T sequence, H hidden, N heads, D head size, I intermediate, V vocabulary, M masked.
"""
import argparse
import json
import math
import os
import struct
import sys
import time

import numpy as np
import torch
from torch import nn

# ---------------------------------------------------------------------------------------------------------
# safetensors, parsed by hand (spec: https://huggingface.co/docs/safetensors): u64 LE header length N,
# N bytes of JSON {name: {dtype, shape, data_offsets: [begin, end]}}, then the data, offsets relative to it.

NUMPY_DTYPES = {"F64": "<f8", "F32": "<f4", "F16": "<f2", "I64": "<i8", "I32": "<i4", "I16": "<i2", "I8": "i1", "U8": "u1", "BOOL": "u1"}


def read_safetensors(path):
    """{name: numpy array} of a safetensors file (BF16 widened to float32)."""
    with open(path, "rb") as f:
        blob = f.read()
    if len(blob) < 8:
        raise ValueError(f"{path}: truncated (no 8-byte header length)")
    (n,) = struct.unpack("<Q", blob[:8])
    if 8 + n > len(blob):
        raise ValueError(f"{path}: truncated header ({n} bytes claimed)")
    header = json.loads(blob[8 : 8 + n].decode("utf-8"))
    data = memoryview(blob)[8 + n :]
    out = {}
    for name, entry in header.items():
        if name == "__metadata__":
            continue
        begin, end = entry["data_offsets"]
        if not 0 <= begin <= end <= len(data):
            raise ValueError(f"{path}: tensor {name!r} offsets [{begin}, {end}] out of range")
        raw = data[begin:end]
        if entry["dtype"] == "BF16":
            array = (np.frombuffer(raw, dtype="<u2").astype(np.uint32) << 16).view(np.float32)
        elif entry["dtype"] in NUMPY_DTYPES:
            array = np.frombuffer(raw, dtype=NUMPY_DTYPES[entry["dtype"]])
        else:
            raise ValueError(f"{path}: tensor {name!r} has unsupported dtype {entry['dtype']}")
        out[name] = array.reshape(entry["shape"]).copy()
    return out


# ---------------------------------------------------------------------------------------------------------
# The model (module and parameter names = Hugging Face's, so `load_state_dict` maps one to one)


class Config:
    def __init__(self, d):
        self.vocab_size = d["vocab_size"]
        self.hidden_size = d["hidden_size"]
        self.num_hidden_layers = d["num_hidden_layers"]
        self.num_attention_heads = d["num_attention_heads"]
        self.intermediate_size = d["intermediate_size"]
        self.max_position_embeddings = d.get("max_position_embeddings", 512)
        self.type_vocab_size = d.get("type_vocab_size", 2)
        self.hidden_dropout_prob = d.get("hidden_dropout_prob", 0.1)
        self.attention_probs_dropout_prob = d.get("attention_probs_dropout_prob", 0.1)
        self.layer_norm_eps = d.get("layer_norm_eps", 1e-12)
        self.initializer_range = d.get("initializer_range", 0.02)
        self.pad_token_id = d.get("pad_token_id", 0)
        if d.get("hidden_act", "gelu") != "gelu":
            raise ValueError(f"hidden_act {d.get('hidden_act')!r}: this peer implements exact 'gelu' only")


class Embeddings(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.word_embeddings = nn.Embedding(c.vocab_size, c.hidden_size, padding_idx=c.pad_token_id)
        self.position_embeddings = nn.Embedding(c.max_position_embeddings, c.hidden_size)
        self.token_type_embeddings = nn.Embedding(c.type_vocab_size, c.hidden_size)
        self.LayerNorm = nn.LayerNorm(c.hidden_size, eps=c.layer_norm_eps)
        self.dropout = nn.Dropout(c.hidden_dropout_prob)

    def forward(self, input_ids, token_type_ids):
        t = input_ids.shape[1]
        positions = torch.arange(t, device=input_ids.device)[None, :]  # [1, T]
        x = self.word_embeddings(input_ids) + self.position_embeddings(positions) + self.token_type_embeddings(token_type_ids)  # [B, T, H]
        return self.dropout(self.LayerNorm(x))


class SelfAttention(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.num_heads = c.num_attention_heads
        self.head_size = c.hidden_size // c.num_attention_heads
        self.query = nn.Linear(c.hidden_size, c.hidden_size)
        self.key = nn.Linear(c.hidden_size, c.hidden_size)
        self.value = nn.Linear(c.hidden_size, c.hidden_size)
        self.dropout = nn.Dropout(c.attention_probs_dropout_prob)

    def split(self, x):  # [B, T, H] -> [B, N, T, D]
        b, t, _ = x.shape
        return x.view(b, t, self.num_heads, self.head_size).permute(0, 2, 1, 3)

    def forward(self, x, additive_mask):
        q, k, v = self.split(self.query(x)), self.split(self.key(x)), self.split(self.value(x))  # [B, N, T, D]
        scores = q @ k.transpose(-1, -2) / math.sqrt(self.head_size) + additive_mask  # [B, N, T, T]
        probs = self.dropout(torch.softmax(scores, dim=-1))
        context = (probs @ v).permute(0, 2, 1, 3).reshape(x.shape)  # [B, T, H]
        return context


class SelfOutput(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.dense = nn.Linear(c.hidden_size, c.hidden_size)
        self.LayerNorm = nn.LayerNorm(c.hidden_size, eps=c.layer_norm_eps)
        self.dropout = nn.Dropout(c.hidden_dropout_prob)

    def forward(self, h, residual):
        return self.LayerNorm(self.dropout(self.dense(h)) + residual)  # post-LN


class Attention(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.self = SelfAttention(c)  # HF names this module `self`
        self.output = SelfOutput(c)

    def forward(self, x, additive_mask):
        return self.output(self.self(x, additive_mask), x)


class Intermediate(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.dense = nn.Linear(c.hidden_size, c.intermediate_size)

    def forward(self, x):
        return nn.functional.gelu(self.dense(x))  # exact erf GELU  [B, T, I]


class Output(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.dense = nn.Linear(c.intermediate_size, c.hidden_size)
        self.LayerNorm = nn.LayerNorm(c.hidden_size, eps=c.layer_norm_eps)
        self.dropout = nn.Dropout(c.hidden_dropout_prob)

    def forward(self, h, residual):
        return self.LayerNorm(self.dropout(self.dense(h)) + residual)


class Layer(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.attention = Attention(c)
        self.intermediate = Intermediate(c)
        self.output = Output(c)

    def forward(self, x, additive_mask):
        a = self.attention(x, additive_mask)
        return self.output(self.intermediate(a), a)


class Encoder(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.layer = nn.ModuleList([Layer(c) for _ in range(c.num_hidden_layers)])

    def forward(self, x, additive_mask):
        for layer in self.layer:
            x = layer(x, additive_mask)
        return x


class Pooler(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.dense = nn.Linear(c.hidden_size, c.hidden_size)


class Bert(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.embeddings = Embeddings(c)
        self.encoder = Encoder(c)
        self.pooler = Pooler(c)  # loaded for completeness; the MLM head does not use it

    def forward(self, input_ids, attention_mask, token_type_ids):
        # HF `get_extended_attention_mask`: (1 - mask) * dtype min, broadcast over heads and queries.
        additive = (1.0 - attention_mask[:, None, None, :].to(torch.float32)) * torch.finfo(torch.float32).min  # [B, 1, 1, T]
        return self.encoder(self.embeddings(input_ids, token_type_ids), additive)  # [B, T, H]


class PredictionHeadTransform(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.dense = nn.Linear(c.hidden_size, c.hidden_size)
        self.LayerNorm = nn.LayerNorm(c.hidden_size, eps=c.layer_norm_eps)

    def forward(self, x):
        return self.LayerNorm(nn.functional.gelu(self.dense(x)))


class LMPredictionHead(nn.Module):
    def __init__(self, c, word_embeddings):
        super().__init__()
        self.transform = PredictionHeadTransform(c)
        self.bias = nn.Parameter(torch.zeros(c.vocab_size))
        self.word_embeddings = [word_embeddings]  # a list: the tied weight is not registered twice

    def forward(self, x):  # [M, H] -> [M, V]
        return self.transform(x) @ self.word_embeddings[0].weight.t() + self.bias


class OnlyMLMHead(nn.Module):
    def __init__(self, c, word_embeddings):
        super().__init__()
        self.predictions = LMPredictionHead(c, word_embeddings)


class BertForMaskedLM(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.config = c
        self.bert = Bert(c)
        self.cls = OnlyMLMHead(c, self.bert.embeddings.word_embeddings)

    def init_weights(self, generator):
        """HF `_init_weights`: Linear/Embedding ~ N(0, initializer_range²), biases 0, LayerNorm (1, 0)."""
        std = self.config.initializer_range
        for name, p in self.named_parameters():
            with torch.no_grad():
                if name.endswith("bias"):
                    p.zero_()
                elif "LayerNorm" in name:
                    p.fill_(1.0)
                else:
                    p.normal_(0.0, std, generator=generator)

    def logits(self, input_ids, attention_mask, token_type_ids):
        return self.cls.predictions(self.bert(input_ids, attention_mask, token_type_ids))  # [B, T, V]


def load_model(model_dir):
    """A `BertForMaskedLM` from `config.json` + `model.safetensors`, names mapped like `from_pretrained`."""
    with open(os.path.join(model_dir, "config.json")) as f:
        config = Config(json.load(f))
    model = BertForMaskedLM(config)
    raw = read_safetensors(os.path.join(model_dir, "model.safetensors"))
    state = {}
    for name, array in raw.items():
        name = name.replace("LayerNorm.gamma", "LayerNorm.weight").replace("LayerNorm.beta", "LayerNorm.bias")
        if not name.startswith(("bert.", "cls.")):
            name = "bert." + name
        state[name] = torch.from_numpy(array.astype(np.float32) if array.dtype.kind == "f" else array)
    if "cls.predictions.bias" not in state and "cls.predictions.decoder.bias" in state:
        state["cls.predictions.bias"] = state["cls.predictions.decoder.bias"]
    wanted = dict(model.named_parameters())
    missing = [n for n in wanted if n not in state]
    if missing:
        raise ValueError(f"{model_dir}: missing parameters {missing}")
    for name, p in wanted.items():
        if tuple(state[name].shape) != tuple(p.shape):
            raise ValueError(f"{model_dir}: {name} has shape {tuple(state[name].shape)}, expected {tuple(p.shape)}")
    model.load_state_dict({n: state[n] for n in wanted}, strict=True)
    return model.eval()


# ---------------------------------------------------------------------------------------------------------
# forward mode


def read_ids(path):
    """One sequence per line: a JSON array of ids, or {"input_ids"|"inputIds": [...], "token_type_ids"?: [...]}."""
    rows = []
    with open(path) as f:
        for number, line in enumerate(f, 1):
            if not line.strip():
                continue
            item = json.loads(line)
            if isinstance(item, list):
                rows.append((item, [0] * len(item)))
            else:
                ids = item.get("input_ids", item.get("inputIds"))
                types = item.get("token_type_ids", item.get("tokenTypeIds", [0] * len(ids)))
                rows.append((ids, types))
    return rows


def pad_rows(rows, pad):
    """(ids, token types) rows padded to the longest: input ids, attention mask, token types, each [B, T]."""
    t = max(len(ids) for ids, _ in rows)
    input_ids = torch.tensor([ids + [pad] * (t - len(ids)) for ids, _ in rows], dtype=torch.long)  # [B, T]
    mask = torch.tensor([[1] * len(ids) + [0] * (t - len(ids)) for ids, _ in rows], dtype=torch.long)
    token_types = torch.tensor([types + [0] * (t - len(types)) for _, types in rows], dtype=torch.long)
    return input_ids, mask, token_types


def forward(args):
    torch.set_num_threads(args.threads)
    model = load_model(args.model)
    rows = read_ids(args.ids)
    input_ids, mask, token_types = pad_rows(rows, model.config.pad_token_id)
    with torch.no_grad():
        logits = model.logits(input_ids, mask, token_types)  # [B, T, V]
    out = [{"logits": logits[b, : len(ids)].tolist()} for b, (ids, _) in enumerate(rows)]
    tmp = f"{args.out}.tmp-{os.getpid()}"
    with open(tmp, "w") as f:
        json.dump(out, f)
    os.replace(tmp, args.out)


def write_safetensors(path, tensors):
    """{name: float32 numpy array} → a safetensors file (F32, names sorted, `format: pt` metadata)."""
    header, offset, blobs = {"__metadata__": {"format": "pt"}}, 0, []
    for name in sorted(tensors):
        data = np.ascontiguousarray(tensors[name], dtype="<f4").tobytes()
        header[name] = {"dtype": "F32", "shape": list(tensors[name].shape), "data_offsets": [offset, offset + len(data)]}
        blobs.append(data)
        offset += len(data)
    encoded = json.dumps(header, separators=(",", ":")).encode("utf-8")
    encoded += b" " * (-len(encoded) % 8)  # the data starts 8-byte aligned
    tmp = f"{path}.tmp-{os.getpid()}"
    with open(tmp, "wb") as f:
        f.write(struct.pack("<Q", len(encoded)) + encoded + b"".join(blobs))
    os.replace(tmp, path)


# ---------------------------------------------------------------------------------------------------------
# step mode (the scale-out round trip)


def one_step(args):
    torch.set_num_threads(args.threads)
    model = load_model(args.model)
    model.train()  # dropout is whatever the config says; the round-trip test saves a config with dropout 0
    with open(args.batch) as f:
        batch = json.load(f)
    input_ids = torch.tensor(batch["input_ids"], dtype=torch.long)  # [B, T]
    mask = torch.tensor(batch["attention_mask"], dtype=torch.long)
    labels = torch.tensor(batch["labels"], dtype=torch.long).flatten()  # [B·T], -100 = not masked
    positions = (labels != -100).nonzero().squeeze(1)  # [M]
    decay = [p for n, p in model.named_parameters() if not n.endswith("bias") and "LayerNorm" not in n]
    no_decay = [p for n, p in model.named_parameters() if n.endswith("bias") or "LayerNorm" in n]
    optimizer = torch.optim.AdamW([{"params": decay, "weight_decay": 0.01}, {"params": no_decay, "weight_decay": 0.0}], lr=args.lr, eps=1e-6)
    hidden = model.bert(input_ids, mask, torch.zeros_like(input_ids))  # [B, T, H]
    logits = model.cls.predictions(hidden.reshape(-1, hidden.shape[-1]).index_select(0, positions))  # [M, V]
    loss = nn.functional.cross_entropy(logits, labels[positions])
    optimizer.zero_grad(set_to_none=True)
    loss.backward()
    optimizer.step()
    # every tensor of the input checkpoint goes back out; the ones this model trains carry their new values
    tensors = read_safetensors(os.path.join(args.model, "model.safetensors"))
    trained = {n: p.detach().numpy() for n, p in model.named_parameters()}
    for name in list(tensors):
        canonical = name.replace("LayerNorm.gamma", "LayerNorm.weight").replace("LayerNorm.beta", "LayerNorm.bias")
        canonical = canonical if canonical.startswith(("bert.", "cls.")) else "bert." + canonical
        if canonical in trained:
            tensors[name] = trained[canonical]
    os.makedirs(args.out, exist_ok=True)
    with open(os.path.join(args.model, "config.json")) as f:
        config_text = f.read()
    with open(os.path.join(args.out, "config.json"), "w") as f:
        f.write(config_text)
    write_safetensors(os.path.join(args.out, "model.safetensors"), tensors)
    model.eval()
    with torch.no_grad():
        after = model.logits(input_ids, mask, torch.zeros_like(input_ids))  # [B, T, V]
    with open(os.path.join(args.out, "logits.json"), "w") as f:
        json.dump({"loss": loss.item(), "logits": after.tolist()}, f)


# ---------------------------------------------------------------------------------------------------------
# train mode (the benchmark)


def mask_tokens(input_ids, vocab_size, generator, special=5, rate=0.15):
    """BERT's masking: choose 15% of positions; of those 80% → [MASK] (id 4 here), 10% → random, 10% kept."""
    b, t = input_ids.shape
    chosen = torch.rand(b, t, generator=generator) < rate  # [B, T]
    positions = chosen.flatten().nonzero().squeeze(1)  # [M] flat indices into B·T
    labels = input_ids.flatten()[positions]  # [M]
    corrupted = input_ids.clone().flatten()
    r = torch.rand(positions.shape[0], generator=generator)
    corrupted[positions[r < 0.8]] = 4  # [MASK]
    random_slots = positions[(r >= 0.8) & (r < 0.9)]
    corrupted[random_slots] = torch.randint(special, vocab_size, (random_slots.shape[0],), generator=generator)
    return corrupted.view(b, t), positions, labels


def train(args):
    torch.set_num_threads(args.threads)
    config = Config({"vocab_size": args.vocab_size, "hidden_size": args.hidden, "num_hidden_layers": args.layers, "num_attention_heads": args.heads,
                     "intermediate_size": args.intermediate, "max_position_embeddings": 512})
    generator = torch.Generator().manual_seed(args.seed)
    model = BertForMaskedLM(config)
    model.init_weights(generator)
    model.train()
    decay = [p for n, p in model.named_parameters() if not n.endswith("bias") and "LayerNorm" not in n]
    no_decay = [p for n, p in model.named_parameters() if n.endswith("bias") or "LayerNorm" in n]
    optimizer = torch.optim.AdamW([{"params": decay, "weight_decay": 0.01}, {"params": no_decay, "weight_decay": 0.0}], lr=1e-4, eps=1e-6)
    b, t = args.batch, args.seq
    attention_mask = torch.ones(b, t, dtype=torch.long)
    token_types = torch.zeros(b, t, dtype=torch.long)
    h = config.hidden_size

    def step():
        input_ids = torch.randint(5, config.vocab_size, (b, t), generator=generator)  # synthetic text: throughput only
        corrupted, positions, labels = mask_tokens(input_ids, config.vocab_size, generator)
        hidden = model.bert(corrupted, attention_mask, token_types)  # [B, T, H]
        masked = hidden.reshape(-1, h).index_select(0, positions)  # [M, H]: gather before the V projection
        logits = model.cls.predictions(masked)  # [M, V]
        loss = nn.functional.cross_entropy(logits, labels)
        optimizer.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)  # as our trainer does (BERT's global-norm 1.0)
        optimizer.step()
        return loss.item(), positions.shape[0]

    for _ in range(args.warmup):
        step()
    losses, masked_total = [], 0
    start, cpu_start = time.perf_counter(), time.process_time()
    for _ in range(args.steps):
        loss, m = step()
        losses.append(loss)
        masked_total += m
    seconds = time.perf_counter() - start
    cpu_seconds = time.process_time() - cpu_start  # every thread's CPU time: a shared machine's waits do not count
    params = sum(p.numel() for p in model.parameters())
    result = {
        "peer": f"pytorch {torch.__version__}",
        "threads": torch.get_num_threads(),
        "config": {"L": config.num_hidden_layers, "H": h, "N": config.num_attention_heads, "I": config.intermediate_size, "V": config.vocab_size, "T": t, "B": b},
        "params": params,
        "steps": args.steps,
        "seconds": seconds,
        "tokens_per_s": b * t * args.steps / seconds,
        "tokens_per_cpu_s": b * t * args.steps / cpu_seconds,
        "masked_per_step": masked_total / args.steps,
        "first_loss": losses[0],
        "last_loss": losses[-1],
    }
    print(json.dumps(result))


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="mode", required=True)
    f = sub.add_parser("forward", help="MLM logits of id sequences")
    f.add_argument("--model", required=True)
    f.add_argument("--ids", required=True)
    f.add_argument("--out", required=True)
    f.add_argument("--threads", type=int, default=2)
    t = sub.add_parser("train", help="MLM training throughput (BERT-Mini unless --layers/--hidden/--heads/--intermediate)")
    t.add_argument("--vocab-size", type=int, default=30522)
    t.add_argument("--layers", type=int, default=4)
    t.add_argument("--hidden", type=int, default=256)
    t.add_argument("--heads", type=int, default=4)
    t.add_argument("--intermediate", type=int, default=1024)
    t.add_argument("--steps", type=int, default=10)
    t.add_argument("--warmup", type=int, default=2)
    t.add_argument("--batch", type=int, default=32)
    t.add_argument("--seq", type=int, default=128)
    t.add_argument("--seed", type=int, default=0)
    t.add_argument("--threads", type=int, default=2)
    s = sub.add_parser("step", help="one AdamW step of a checkpoint, saved back (the scale-out round trip)")
    s.add_argument("--model", required=True)
    s.add_argument("--batch", required=True)
    s.add_argument("--out", required=True)
    s.add_argument("--lr", type=float, default=1e-4)
    s.add_argument("--threads", type=int, default=2)
    args = parser.parse_args()
    {"forward": forward, "train": train, "step": one_step}[args.mode](args)


if __name__ == "__main__":
    sys.exit(main())
