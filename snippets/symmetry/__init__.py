"""Sharing from symmetry (docs/symmetry.md): ask a linear layer to commute with a group of
symmetries, solve the linear constraints, and read the free parameters and the sharing
pattern off the solution: cyclic shifts, locality, image shifts and rotations,
permutations (Deep Sets) and shifts in time (a recurrent cell)."""
