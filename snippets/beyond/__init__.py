"""Sharing beyond convolutions (docs/beyond-convolutions.md): attention, ViT's patch
embedding, tied input and output embeddings, ALBERT's cross-layer sharing, Siamese and
graph networks, each on a small numpy instance and with the real models' arithmetic."""
