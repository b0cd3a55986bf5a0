"""Independent oracles that tests of several topics use: convolution as nested loops
(`loops`, with its depthwise, pointwise and separable forms), free parameters counted
from a layer's matrix (`free_parameters`), index enumeration (`indices`), finite
differences (`differences`), the raw digits file (`digits_file`) and the layer tables of
the papers (`published_layers`). None of them calls the code it checks."""
