"""A generated number's tooltip says in words what it is and which script computed it."""
from pipeline.render import Pages, Value, describe, tooltip


def test_keys_are_spelled_out():
    assert describe("params_shared") == "Parameters shared"
    assert describe("resnet50_macs") == "ResNet-50 multiply-adds"
    assert describe("image") == "Image"


def test_the_tooltip_names_the_script_and_no_internal_id():
    pages = Pages()
    pages.set_page("weight-sharing-in-numbers.md")
    value = Value(pages, "intro_alexnet", "image", (227, 227, 3), "snippets/intro/alexnet.py",
                  "AlexNet's first layer with and without weight sharing.")
    markdown = str(value)
    title = markdown.split('title="')[1].split('"')[0]
    assert title == tooltip("image", value.title, value.path)
    assert title == ("Image: AlexNet's first layer with and without weight sharing "
                     "(computed by snippets/intro/alexnet.py)")
    assert "intro_alexnet" not in title and 'data-value="intro_alexnet.image"' in markdown
    assert pages.used == {"intro_alexnet.image": {"weight-sharing-in-numbers.md"}}
