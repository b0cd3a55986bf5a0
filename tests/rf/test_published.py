"""Published receptive fields (google-research/receptive_field, RECEPTIVE_FIELD_TABLE.md,
TF-slim models at resolution 224, and the README's summary table) against brute force."""
import pytest

from snippets.lib import architectures, brute_force_fields, receptive

# README of google-research/receptive_field: (receptive field, effective stride, effective padding).
README = {"alexnet_v2": (195, 32, 64), "vgg_16": (212, 32, 90), "resnet_v1_50": (483, 32, 239),
          "mobilenet_v1": (315, 32, 126)}


def brute(network, size=704):
    return brute_force_fields.measured(receptive.features(network), size)


@pytest.mark.covers("rf_published", "table", "endpoints_checked", "endpoints_matching", "slim_endpoints",
                    "slim_endpoints_matching", "specs_mismatching")
def test_tf_slim_geometry_reproduces_every_published_end_point(values):
    for row in values["table"]:
        published = tuple(int(n) for n in row["published (field / stride / padding)"].split(" / "))
        assert published == README[row["end-point"].split("/")[0]]
        assert row["matches"] == ((row["field"], row["jump"], row["effective padding"]) == published)
    assert values["slim_endpoints"] == 7 + 13 + 4 + 14  # rows of RECEPTIVE_FIELD_TABLE.md at 224
    assert values["slim_endpoints_matching"] == values["slim_endpoints"]
    # the site's ResNet-50 misses all 4 block end-points, symmetric MobileNet 13 of 14 (Conv2d_0 pads 0 vs 1)
    assert values["endpoints_checked"] == values["slim_endpoints"] + 4 + 14
    assert values["endpoints_matching"] == values["slim_endpoints"]
    assert values["specs_mismatching"] == "MobileNet V1 (symmetric padding) and ResNet-50 (torchvision)"
    slim = brute(architectures.resnet_v1_50_slim())
    assert (slim.size[0], slim.jump[0], slim.padding[0]) == README["resnet_v1_50"]
    same = brute(architectures.mobilenet_v1_same(), 608)
    assert (same.size[0], same.jump[0], same.padding[0]) == README["mobilenet_v1"]


@pytest.mark.covers("rf_published", "placements", "resnet50_torchvision_field", "resnet50_slim_field",
                    "resnet50_caffe_padding", "resnet50_slim_padding")
def test_stride_placement_changes_the_field_as_brute_force_measures(values):
    # 3×3 convolutions per jump, read off each design: torchvision strides in the first block's 3×3
    # (so that one still sees the finer jump), Caffe in its first 1×1, TF-slim in the last block's 3×3.
    expected = [(4, 4, 6, 2), (3, 4, 6, 3), (3, 4, 6, 3)]
    builds = [architectures.resnet50, lambda: architectures.resnet50("1x1"), architectures.resnet_v1_50_slim]
    for row, counts, build in zip(values["placements"], expected, builds):
        assert tuple(row[f"3×3 convs at jump {j}"] for j in (4, 8, 16, 32)) == counts
        # The stem's 7×7/2 and 3×3/2 pool give 11 pixels; each 3×3 adds two jumps.
        assert row["field"] == 11 + 2 * sum(c * j for c, j in zip(counts, (4, 8, 16, 32)))
        measured = brute(build())
        assert (row["field"], row["effective padding"]) == (measured.size[0], measured.padding[0])
    assert values["resnet50_torchvision_field"] == 427 and values["resnet50_slim_field"] == README["resnet_v1_50"][0]
    assert values["resnet50_slim_padding"] == README["resnet_v1_50"][2]
    assert values["resnet50_caffe_padding"] == values["resnet50_slim_padding"] + 2  # pool pads 1 before, not 0


@pytest.mark.covers("rf_published", "resnet50_slim_padding_321", "mobilenet_symmetric_padding",
                    "mobilenet_same_padding_321")
def test_same_padding_at_321_pixels_matches_the_published_321_rows(values):
    # RECEPTIVE_FIELD_TABLE.md, resolution 321: resnet_v1_50/block4 padding 241, Conv2d_13_pointwise 157.
    assert values["resnet50_slim_padding_321"] == 241
    assert values["mobilenet_same_padding_321"] == 157
    symmetric = brute(architectures.mobilenet_v1(), 608)
    assert values["mobilenet_symmetric_padding"] == symmetric.padding[0] == 157
