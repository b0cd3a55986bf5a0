# ---
# jupyter:
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
# The page *Weight sharing in numbers* states how many [parameters](../../basics/#parameters) AlexNet's first layer
# has with and without weight sharing. This notebook builds the weight arrays and counts
# their entries, so you can check the claim, change the layer and count again.
#
# A convolution output of side $\lfloor (W - K)/S \rfloor + 1$ has one neuron per position and [channel](../../basics/#channels).

# %%
import numpy as np

from snippets.intro import alexnet

height, width, channels = alexnet.IMAGE
filters, kernel, stride = alexnet.FILTERS, alexnet.KERNEL, alexnet.STRIDE
side = (height - kernel) // stride + 1
print(f"output: {side}×{side}×{filters}")

# %% [markdown]
# With sharing, one [filter](../../basics/#filter) and one bias per output channel:

# %%
shared = np.zeros((filters, channels, kernel, kernel)).size + np.zeros(filters).size
print(f"shared: {shared:,} parameters")

# %% [markdown]
# Without sharing, a filter and a bias for every position of every channel:

# %%
unshared = np.zeros((side, side, filters, channels, kernel, kernel)).size + np.zeros((filters, side, side)).size
print(f"unshared: {unshared:,} parameters, {unshared // shared:,} times as many")
