# ---
# jupyter:
#   assumes: Weight sharing in numbers; Python and NumPy.
#   jupytext:
#     formats: py:percent
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% [markdown]
# # Count the weights yourself
#
# **Needs:** Python 3 with `numpy` (`pip install numpy`), nothing else.
#
# The page *[Weight sharing in numbers](https://shared-weights.github.io/shared-weights/weight-sharing-in-numbers/)*
# states how many [parameters](https://shared-weights.github.io/shared-weights/basics/#parameters) AlexNet's first layer
# has with and without weight sharing. This notebook builds the weight arrays and counts
# their entries, so you can check the claim, change the layer and count again.
#
# A convolution output of side $\lfloor (W - K)/S \rfloor + 1$ has one neuron per position and [channel](https://shared-weights.github.io/shared-weights/basics/#channels).

# %%
import numpy as np

height, width, channels = 227, 227, 3  # the input image: 227 pixels give the 55×55 output
filters, kernel, stride = 96, 11, 4  # conv1: 96 filters of 11×11×3, 4 pixels apart
side = (height - kernel) // stride + 1
print(f"output: {side}×{side}×{filters}")

# %% [markdown]
# With sharing, one [filter](https://shared-weights.github.io/shared-weights/basics/#filter) and one bias per output channel:

# %%
shared = np.zeros((filters, channels, kernel, kernel)).size + np.zeros(filters).size
print(f"shared: {shared:,} parameters")

# %% [markdown]
# Without sharing, a filter and a bias for every position of every channel:

# %%
unshared = np.zeros((side, side, filters, channels, kernel, kernel)).size + np.zeros((filters, side, side)).size
print(f"unshared: {unshared:,} parameters, {unshared // shared:,} times as many")
