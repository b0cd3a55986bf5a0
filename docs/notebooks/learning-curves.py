# %% [markdown]
# # Learning curves
#
# This notebook is being written.

# %%
print("placeholder")
