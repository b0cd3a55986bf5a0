"""Real architectures (docs/architectures.md): LeNet-5 to MobileNet V2 layer by layer, and the
published totals matched by convention."""
