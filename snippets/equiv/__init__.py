"""Equivariance and invariance (docs/equivariance.md): what is exact, where pooling, stride and
padding break it, anti-aliasing, group convolution, and the data of the shift slider."""
