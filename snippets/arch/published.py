"""Computed totals against the figures torchvision, Keras and the papers publish.

For every published total, tries the ways of counting that publishers document (with
batch-norm statistics, with a bias on every convolution, FLOPs instead of multiply-adds,
another stride placement) and lets code decide: the plain count matches, another
accounting matches (and which), or nothing does.
"""
import math
from functools import cache

from snippets.lib import architectures, fmt
from snippets.lib.architectures import NAMES, PUBLISHED, published
from snippets.lib.accounting import totals, walk
from snippets.lib.formulas import flops
from snippets.lib.quotes import READINGS

# Sandler et al. 2018 (MobileNetV2), Table 4: "3.4M" parameters for MobileNetV2 (1.0).
MOBILENET_V2_PAPER = published("paper.mobilenet_v2.params", 3_400_000, "Sandler et al. 2018, Table 4: 3.4M parameters", "parameters", 10**5)
MODELS = {  # the publisher's name of a model -> the spec that builds it
    "alexnet": "alexnet_torchvision", "vgg16": "vgg16", "resnet18": "resnet18", "resnet50": "resnet50",
    "mobilenet_v1": "mobilenet_v1", "mobilenet_v2": "mobilenet_v2", "lenet5": "lenet5",
    "VGG16": "vgg16", "ResNet50": "resnet50", "MobileNet": "mobilenet_v1", "MobileNetV2": "mobilenet_v2",
}
PAPER_MODELS = {"alexnet": "alexnet_2012"}  # the paper describes the original network, not torchvision's
VARIANTS = {"resnet50": ("with the stride on the first 1×1 (the original model)", lambda: architectures.resnet50("1x1"))}
SHOWN = ("params", "macs", "total", "connections")  # Keras's trainable and non-trainable parts add up to its total


def compared():
    """(key, published entry) of every whole-network figure, the paper's 3.4M included."""
    entries = {**PUBLISHED, "paper.mobilenet_v2.params": MOBILENET_V2_PAPER}
    return [(key, entry) for key, entry in entries.items() if len(key.split(".")) == 3 and key.split(".")[2] in SHOWN]


def network_of(key):
    publisher, model, _ = key.split(".")
    return PAPER_MODELS.get(model, MODELS[model]) if publisher == "paper" else MODELS[model]


@cache
def parts(network):
    """The pieces that accountings add or leave out, counted from the walked layers."""
    rows = walk(architectures.NETWORKS[network](), architectures.INPUT[network])
    norms = [r for r in rows if r.kind == "BatchNorm"]
    total = totals(rows)
    return {
        "params": total.params,
        "statistics": sum(r.non_trainable for r in norms),  # running mean and variance
        "scale_shift": sum(r.params for r in norms),
        "conv_biases": sum(r.out_shape[0] for r in rows if r.kind in ("Conv", "DepthwiseConv") and not r.spec.bias),
        "macs": total.macs,
        "biased_units": sum(math.prod(r.out_shape) for r in rows if getattr(r.spec, "bias", False)),
    }


def accountings(network, quantity, label):
    """[(how it counts, count)]: what the figure's label says first, then the documented
    alternatives. A figure labelled FLOPs should be two per multiply-add."""
    p = parts(network)
    if quantity == "connections":  # LeCun et al.: one per multiply-add, one per biased unit
        return [(f"multiply-adds + biased units ({fmt.text(p['biased_units'])})", p["macs"] + p["biased_units"])]
    if quantity == "macs":
        found = [("multiply-adds", p["macs"]), ("FLOPs, 2 per multiply-add", flops(p["macs"]))]
        if "FLOP" in label:
            found.reverse()
        if network in VARIANTS:
            how, build = VARIANTS[network]
            found.append((f"multiply-adds {how}", totals(walk(build(), architectures.INPUT[network])).macs))
        return found
    stats, biases = fmt.text(p["statistics"]), fmt.text(p["conv_biases"])
    candidates = [
        ("parameters", p["params"]),
        (f"parameters + BN statistics ({stats})", p["params"] + p["statistics"]),  # Keras's "Total params"
        (f"parameters + a bias per convolution ({biases})", p["params"] + p["conv_biases"]),  # Keras Conv2D
        (f"parameters + a bias per convolution ({biases}) + BN statistics ({stats})",
         p["params"] + p["conv_biases"] + p["statistics"]),
    ]
    if p["scale_shift"]:  # the weights alone, as TF-slim's README counts MobileNetV2
        candidates.append((f"weights only: parameters − BN scale and shift ({fmt.text(p['scale_shift'])})",
                           p["params"] - p["scale_shift"]))
    return candidates[:1] + [c for c in candidates[1:] if c[1] != p["params"]]  # drop the pieces a network lacks


def reading(count, entry):
    """How the printed figure relates to `count`: 'exact', 'rounded' (to the last printed
    digit) or 'truncated' (the further digits dropped); None if it does not."""
    candidates = ("exact",) if entry.resolution == 1 else ("rounded", "truncated")
    return next((r for r in candidates if READINGS[r](entry, count)), None)


def search(key, entry):
    """Every (how it is counted, count, reading) tried for a published figure: each
    documented accounting, read as the figure's precision allows (exact, or rounded and
    truncated to its last printed digit)."""
    readings = ("exact",) if entry.resolution == 1 else ("rounded", "truncated")
    return [{"counted as": how, "count": count, "reading": r,
             "prints as the figure": READINGS[r](entry, count)}
            for how, count in accountings(network_of(key), key.split(".")[2], printed(key, entry)) for r in readings]


def verdict(key, entry):
    """(network, how it is counted, count, reading, verdict) of one published figure:
    'matches' by the plain count, 'differs by accounting' by another, else 'wrong'."""
    network = network_of(key)
    options = accountings(network, key.split(".")[2], printed(key, entry))
    for index, (how, count) in enumerate(options):
        read = reading(count, entry)
        if read:
            return network, how, count, read, "matches" if index == 0 else "differs by accounting"
    return network, *options[0], "none", "wrong"


def printed(key, entry):
    """The figure as its source prints it."""
    return entry.printed


def source(key, entry):
    publisher, _, quantity = key.split(".")
    if publisher == "torchvision":
        return "torchvision docs: " + ("GFLOPS" if quantity == "macs" else "num_params")
    if publisher == "keras":
        return "Keras model.summary(): Total params"
    return entry.source.split(":")[0]


def compute():
    table = []
    for key, entry in compared():
        network, how, count, read, decided = verdict(key, entry)
        table.append({"network": NAMES[network], "source": source(key, entry), "printed": printed(key, entry),
                      "computed": count, "reading": read, "verdict": decided, "counted as": how})
    resnet, mobilenet, lenet = parts("resnet50"), parts("mobilenet_v2"), parts("lenet5")
    stride_1x1 = accountings("resnet50", "macs", "")[2][1]
    return {
        "comparison": table,
        "published_count": len(table),
        "matching_count": sum(r["verdict"] == "matches" for r in table),
        "accounting_count": sum(r["verdict"] == "differs by accounting" for r in table),
        "wrong_count": sum(r["verdict"] == "wrong" for r in table),
        "exact_count": sum(r["reading"] == "exact" for r in table),
        "resnet50_conv_biases": resnet["conv_biases"],
        "resnet50_statistics": resnet["statistics"],
        "resnet50_keras_extra": resnet["conv_biases"] + resnet["statistics"],
        "resnet50_flops": flops(resnet["macs"]),
        "resnet50_stride_1x1_macs": stride_1x1,
        "mobilenet_v2_search": search("paper.mobilenet_v2.params", MOBILENET_V2_PAPER),
        "mobilenet_v2_tfslim_millions": PUBLISHED["tfslim.mobilenet_v2.params"].value / 1e6,
        "mobilenet_v2_paper_millions": MOBILENET_V2_PAPER.value / 1e6,
        "mobilenet_v2_millions": round(mobilenet["params"] / MOBILENET_V2_PAPER.resolution)  # printed alike
        * MOBILENET_V2_PAPER.resolution / 1e6,
        "mobilenet_v2_scale_shift": mobilenet["scale_shift"],
        "mobilenet_v2_without_scale_shift": mobilenet["params"] - mobilenet["scale_shift"],
        "lenet5_connections": lenet["macs"] + lenet["biased_units"],
        "alexnet_conv_difference": parts("alexnet_torchvision")["params"] - parts("alexnet_2012")["params"],
    }


if __name__ == "__main__":
    from pipeline.cli import show

    show(__file__)
