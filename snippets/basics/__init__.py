"""Convolution from scratch (docs/basics.md): a filter sliding over an image, channels in
and out, padding, stride and pooling, each on an example small enough to check by hand."""
