"""Receptive fields of AlexNet, VGG-16, ResNet-50 and MobileNet V1, layer by layer.

The size, jump and effective padding of every convolution and pooling (every block of
the residual networks) at the standard input size, by the recurrence through the same
layer specifications that the architectures page counts.
"""
import re

from snippets.lib import architectures, receptive, style
from snippets.lib.architectures import NAMES

NETWORKS = ("alexnet_2012", "vgg16", "resnet50", "mobilenet_v1")
# Rows shown in the tables: the end of each block for the deep networks, else every window.
BLOCK_END = {"resnet50": r"layer\d\.\d+\.relu$", "mobilenet_v1": r"conv_pw_\d+$"}
WINDOWS = ("Conv", "DepthwiseConv", "MaxPool")


def network_fields(key):
    """Field rows of a network's feature layers on its standard input."""
    network = receptive.features(architectures.NETWORKS[key]())
    return receptive.fields(network, architectures.INPUT[key])


def main_path(rows):
    """The windowed layers a signal crosses on the main path (shortcuts left out)."""
    return [r for r in rows if r.kind in WINDOWS and ".shortcut." not in r.name]


def shown(key, row):
    pattern = BLOCK_END.get(key)
    return re.search(pattern, row.name) or row.name in ("conv1", "maxpool") if pattern else row.kind in WINDOWS


def table(key, rows):
    return [{"layer": r.name.removesuffix(".relu"), "output": tuple(r.out_shape[1:]), "field": r.field.size[0],
             "jump": r.field.jump[0], "effective padding": r.field.padding[0]} for r in rows if shown(key, r)]


def compute():
    values = {"_growth": {}}
    summary = []
    for key in NETWORKS:
        rows = network_fields(key)
        last = rows[-1]
        size = architectures.INPUT[key][1]
        values[key] = table(key, rows)
        values["_growth"][key] = [r.field.size[0] for r in main_path(rows)]
        summary.append({"network": NAMES[key], "input": size, "last feature map": last.name.removesuffix(".relu"),
                        "field": last.field.size[0], "jump": last.field.jump[0],
                        "effective padding": last.field.padding[0],
                        "field / input side": round(last.field.size[0] / size, 2)})
        values[f"{key}_field"] = last.field.size[0]
        values[f"{key}_depth"] = len(main_path(rows))
    values["summary"] = summary
    return values


def input_sides(networks):
    """[(side, label)]: one line per input size, labelled with the networks that take it
    ('input of AlexNet (2012): 227 px'), the largest first."""
    by_side = {}
    for key in networks:
        by_side.setdefault(architectures.INPUT[key][1], []).append(NAMES[key])
    return [(side, f"input of {', '.join(names)}: {side} px") for side, names in sorted(by_side.items(), reverse=True)]


def figure_growth(v):
    """Receptive field size against the number of convolution and pooling layers crossed,
    for AlexNet, VGG-16, ResNet-50 and MobileNet V1, on a logarithmic vertical axis, with the
    side of each network's input image marked (227 pixels for AlexNet, 224 for the others):
    ResNet-50 and MobileNet V1 pass it well before their end."""
    theme = style.current()
    fig, ax = style.figure(6.4, 3.6)
    for (key, sizes), colour in zip(v["_growth"].items(), theme.series):
        ax.plot(range(1, len(sizes) + 1), sizes, color=colour, label=NAMES[key], linewidth=1.8)
    for (side, label), dashes in zip(input_sides(v["_growth"]), ("--", ":")):
        ax.axhline(side, color=theme.muted, linestyle=dashes, linewidth=1.2, label=label)
    ax.set_yscale("log")
    ax.set_xlabel("convolution and pooling layers crossed")
    ax.set_ylabel("receptive field (pixels)")
    ax.legend(frameon=False, fontsize=8)
    ax.grid(which="major", axis="y")
    return fig


if __name__ == "__main__":
    from pipeline.cli import show

    show(__file__)
