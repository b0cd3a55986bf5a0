"""Computed receptive fields against the published tables, and where a stride sits.

Compares the recurrence with the google-research/receptive_field tables (computed on the
TF-slim models, reproduced in the Distill article of Araujo, Norris and Sim, 2019) for
AlexNet, VGG-16, ResNet-50 and MobileNet V1, using this site's specifications and
TF-slim's own variants; and shows how ResNet-50's field depends on where each stage
puts its stride.
"""
import re

from snippets.lib import architectures, receptive, style
from snippets.lib.specs import ConvSpec

RF_TABLE = ("google-research/receptive_field, receptive_field/RECEPTIVE_FIELD_TABLE.md "
            "(TF-slim models, resolution 224; the README and the Distill article list the last end-points)")
# (published end-point, our layer name, receptive field, effective stride, effective padding)
PUBLISHED_FIELDS = {
    "alexnet_v2": [("conv1", "conv1", 11, 4, 0), ("pool1", "pool1", 19, 8, 0), ("conv2", "conv2", 51, 8, 16),
                   ("conv3", "conv3", 99, 16, 32), ("conv4", "conv4", 131, 16, 48),
                   ("conv5", "conv5", 163, 16, 64), ("pool5", "pool5", 195, 32, 64)],
    "vgg_16": [("conv1/conv1_1", "conv1_1", 3, 1, 1), ("pool1", "pool1", 6, 2, 2), ("conv2/conv2_1", "conv2_1", 10, 2, 4),
               ("pool2", "pool2", 16, 4, 6), ("conv3/conv3_1", "conv3_1", 24, 4, 10),
               ("conv3/conv3_2", "conv3_2", 32, 4, 14), ("pool3", "pool3", 44, 8, 18),
               ("conv4/conv4_1", "conv4_1", 60, 8, 26), ("conv4/conv4_2", "conv4_2", 76, 8, 34),
               ("pool4", "pool4", 100, 16, 42), ("conv5/conv5_1", "conv5_1", 132, 16, 58),
               ("conv5/conv5_2", "conv5_2", 164, 16, 74), ("pool5", "pool5", 212, 32, 90)],
    "resnet_v1_50": [("block1", "block1.unit_3.relu", 35, 8, 15), ("block2", "block2.unit_4.relu", 99, 16, 47),
                     ("block3", "block3.unit_6.relu", 291, 32, 143), ("block4", "block4.unit_3.relu", 483, 32, 239)],
    "mobilenet_v1": [("Conv2d_0", "conv1", 3, 2, 0), *[
        (f"Conv2d_{i}_pointwise", f"conv_pw_{i}", rf, stride, pad) for i, rf, stride, pad in (
            (1, 7, 2, 2), (2, 11, 4, 2), (3, 19, 4, 6), (4, 27, 8, 6), (5, 43, 8, 14), (6, 59, 16, 14),
            (7, 91, 16, 30), (8, 123, 16, 46), (9, 155, 16, 62), (10, 187, 16, 78), (11, 219, 16, 94),
            (12, 251, 32, 94), (13, 315, 32, 126))]],
}
# The same table at resolution 321: 'SAME' padding splits evenly on odd sizes.
PUBLISHED_FIELDS_321 = {"resnet_v1_50": ("block4", 483, 32, 241), "mobilenet_v1": ("Conv2d_13_pointwise", 315, 32, 157)}
INPUT = (3, 224, 224)
# Published network -> (this site's spec, its layer names), (TF-slim's variant, its layer names).
SPECS = {
    "alexnet_v2": [("AlexNet (2012)", architectures.alexnet_2012, None)],
    "vgg_16": [("VGG-16", architectures.vgg16, None)],
    "resnet_v1_50": [("ResNet-50 (torchvision)", architectures.resnet50, "layer{}.{}.relu"),
                     ("TF-slim resnet_v1_50", architectures.resnet_v1_50_slim, None)],
    "mobilenet_v1": [("MobileNet V1 (symmetric padding)", architectures.mobilenet_v1, None),
                     ("MobileNet V1, 'SAME' padding", architectures.mobilenet_v1_same, None)],
}
RESNET_STAGE_UNITS = [units for _, units in architectures.RESNET50_STAGES]
PLACEMENTS = {  # ResNet-50 variants: where each stage's stride sits
    "torchvision: 3×3 of the first block": architectures.resnet50,
    "Caffe and Keras: first 1×1 of the first block": lambda: architectures.resnet50("1x1"),
    "TF-slim: 3×3 of the last block": architectures.resnet_v1_50_slim,
}


def our_name(template, name):
    """Map a TF-slim ResNet end-point name ('block2.unit_4.relu') onto torchvision's ('layer2.3.relu')."""
    if template is None:
        return name
    block = int(re.match(r"block(\d)", name).group(1))
    return template.format(block, RESNET_STAGE_UNITS[block - 1] - 1)


def by_name(network, shape=INPUT):
    return {r.name: r.field for r in receptive.fields(receptive.features(network), shape)}


def comparison():
    """One row per (published end-point, spec); ``tf_slim`` marks the spec with TF-slim's
    geometry (the last one listed for each network)."""
    rows = []
    for published, endpoints in PUBLISHED_FIELDS.items():
        for number, (label, build, template) in enumerate(SPECS[published], 1):
            found = by_name(build())
            for endpoint, name, size, stride, padding in endpoints:
                field = found[our_name(template, name)]
                ours = (field.size[0], field.jump[0], field.padding[0])
                rows.append({"end-point": f"{published}/{endpoint}", "spec": label, "field": ours[0],
                             "jump": ours[1], "effective padding": ours[2],
                             "published (field / stride / padding)": f"{size} / {stride} / {padding}",
                             "matches": ours == (size, stride, padding),
                             "_tf_slim": number == len(SPECS[published])})
    return rows


def three_by_three_jumps(network):
    """Jump of the input of every 3×3 convolution on the main path, in order."""
    rows = receptive.fields(receptive.features(network), INPUT)
    before = {r.name: previous.field for previous, r in zip(rows, rows[1:])}
    return [before[r.name].jump[0] for r in rows
            if isinstance(r.spec, ConvSpec) and r.spec.kernel == 3 and ".shortcut." not in r.name]


def compute():
    rows = comparison()
    slim = [r for r in rows if r.pop("_tf_slim")]
    last = {(r["end-point"], r["spec"]): r for r in rows}
    placements = []
    for label, build in PLACEMENTS.items():
        jumps = three_by_three_jumps(build())
        field = receptive.fields(receptive.features(build()), INPUT)[-1].field
        placements.append({"stride on": label, **{f"3×3 convs at jump {j}": jumps.count(j) for j in (4, 8, 16, 32)},
                           "field": field.size[0], "effective padding": field.padding[0]})
    same_321 = receptive.fields(architectures.mobilenet_v1_same(321), (3, 321, 321))[-1].field
    slim_321 = receptive.fields(architectures.resnet_v1_50_slim(321), (3, 321, 321))[-1].field
    mobilenet_sym = last[("mobilenet_v1/Conv2d_13_pointwise", "MobileNet V1 (symmetric padding)")]
    return {
        "table": [r for r in rows if r["end-point"].endswith(("pool5", "block4", "Conv2d_13_pointwise"))],
        "endpoints_checked": len(rows),
        "endpoints_matching": sum(r["matches"] for r in rows),
        "slim_endpoints": len(slim),
        "slim_endpoints_matching": sum(r["matches"] for r in slim),
        "specs_mismatching": " and ".join(sorted({r["spec"] for r in rows if not r["matches"]})),
        "placements": placements,
        "resnet50_torchvision_field": placements[0]["field"],
        "resnet50_slim_field": placements[2]["field"],
        "resnet50_caffe_padding": placements[1]["effective padding"],
        "resnet50_slim_padding": placements[2]["effective padding"],
        "resnet50_slim_padding_321": slim_321.padding[0],
        "mobilenet_symmetric_padding": mobilenet_sym["effective padding"],
        "mobilenet_same_padding_321": same_321.padding[0],
        "_jumps": {label: three_by_three_jumps(build()) for label, build in PLACEMENTS.items()},
    }


def figure_placements(v):
    """Step plot of the jump (input pixels between neighbouring units) at the input of each
    of ResNet-50's sixteen 3×3 convolutions, for three placements of the stride: the later a
    stage strides, the more of its 3×3 convolutions work at the coarser jump, and each adds
    twice its jump to the receptive field."""
    theme = style.current()
    fig, ax = style.figure(6.4, 3.2)
    for (label, jumps), colour, offset in zip(v["_jumps"].items(), theme.series, (-0.12, 0, 0.12)):
        ax.step([i + offset for i in range(1, len(jumps) + 1)], jumps, where="mid", color=colour, label=label,
                linewidth=1.8)
    ax.set_yscale("log", base=2)
    ax.set_yticks([4, 8, 16, 32], labels=["4", "8", "16", "32"])
    ax.set_xlabel("3×3 convolution on the main path")
    ax.set_ylabel("jump at its input (pixels)")
    ax.legend(frameon=False, fontsize=8.5)
    return fig


if __name__ == "__main__":
    from pipeline.cli import show

    show(__file__)
