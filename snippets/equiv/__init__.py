"""Equivariance and invariance (docs/equivariance.md): what is exact, where pooling, stride and
padding break it, anti-aliasing, and group convolution."""
