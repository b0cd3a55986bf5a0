"""Eight real networks, layer by layer: output shapes, parameters and multiply-adds.

Walks the layer specifications of LeNet-5, AlexNet (the 2012 two-GPU network and
torchvision's), VGG-16, ResNet-18 and -50 and MobileNet V1 and V2, and tabulates every
layer that has parameters or changes the resolution; blocks of the deeper networks are
summed into one row each.
"""
import re

from snippets.lib import architectures
from snippets.lib.architectures import NAMES
from snippets.lib.accounting import totals, walk
from snippets.lib.formulas import flops

# How the layers of one block are named, and the name of the block (from the first group).
BLOCKS = {"resnet18": (r"(layer\d\.\d+)\.", "{}"), "resnet50": (r"(layer\d\.\d+)\.", "{}"),
          "mobilenet_v1": (r"conv_[dp]w_(\d+)", "block {}"), "mobilenet_v2": (r"block(\d+)\.", "block {}")}
POOLS = {"MaxPool": "max pool", "AvgPool": "average pool", "Subsample": "subsampling",
         "GlobalAvgPool": "global average pool", "AdaptiveAvgPool": "adaptive average pool"}
WINDOWED = {"Conv": "conv", "DepthwiseConv": "depthwise", "MaxPool": "max pool", "AvgPool": "average pool",
            "Subsample": "subsampling"}
KINDS = {"Dense": "dense", "BatchNorm": "batch norm", "RBF": "RBF units", **POOLS}


def hwc(shape):
    """(C, H, W) as height × width × channels, the order the sources print; vectors as they are."""
    return (*shape[1:], shape[0]) if len(shape) == 3 else shape


def describe(row):
    """A layer in a few words: 'conv 11×11/4, 2 groups', 'depthwise 3×3/2', 'dense'."""
    if row.kind not in WINDOWED:
        return KINDS.get(row.kind, row.kind)
    (kh, kw), (stride, _) = row.kernel, row.stride
    text = f"{WINDOWED[row.kind]} {kh}×{kw}" + (f"/{stride}" if stride > 1 else "")
    if getattr(row.spec, "table", None):
        return text + ", partial connections"
    groups = getattr(row.spec, "groups", 1) if row.kind == "Conv" else 1
    return text + (f", {groups} groups" if groups > 1 else "")


def describe_block(rows):
    """The convolutions of a block's main path, then its shortcut, if it has one."""
    main = [describe(r) for r in rows if r.kind in ("Conv", "DepthwiseConv") and ".shortcut." not in r.name]
    if any(".shortcut." in r.name for r in rows):
        return ", ".join(main) + " + projection"
    return ", ".join(main) + (" + identity" if any(r.kind == "Add" for r in rows) else "")


def shown(row):
    """Layers worth a row of their own: those with parameters or multiply-adds, and poolings."""
    return row.params or row.non_trainable or row.macs or row.kind in POOLS


def table(key, rows):
    """One entry per shown layer; each block of a deep network summed into one entry."""
    pattern, label = BLOCKS.get(key, (None, None))
    groups = {}  # name -> (is a block, rows), in order
    for row in rows:
        match = pattern and re.match(pattern, row.name)
        if match:
            groups.setdefault(label.format(match.group(1)), (True, []))[1].append(row)
        elif shown(row):
            groups[row.name] = (False, [row])
    with_fixed = any(r.non_trainable for r in rows)  # batch-norm statistics or LeNet's fixed RBF vectors
    return [_entry(name, members, describe_block(members) if block else describe(members[0]), with_fixed)
            for name, (block, members) in groups.items()]


def _entry(name, members, kind, with_fixed):
    entry = {"layer": name, "type": kind, "output": hwc(members[-1].out_shape),
             "parameters": sum(r.params for r in members)}
    if with_fixed:
        entry["non-trainable"] = sum(r.non_trainable for r in members)
    return entry | {"multiply-adds": sum(r.macs for r in members)}


def compute():
    values, summary = {}, []
    for key, name in NAMES.items():
        rows = walk(architectures.NETWORKS[key](), architectures.INPUT[key])
        total = totals(rows)
        values[key] = table(key, rows)
        values[f"{key}_params"], values[f"{key}_macs"] = total.params, total.macs
        summary.append({"network": name, "input": hwc(architectures.INPUT[key]), "parameters": total.params,
                        "non-trainable": total.non_trainable, "multiply-adds": total.macs,
                        "FLOPs (2 per multiply-add)": flops(total.macs)})
    return values | {"totals": summary}


if __name__ == "__main__":
    from pipeline.cli import show

    show(__file__)
