"""Parameter arithmetic (docs/parameter-arithmetic.md): every layer type's parameters, output
size and multiply-adds, with the worked examples of the sources."""
