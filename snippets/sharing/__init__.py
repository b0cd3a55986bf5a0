"""Weight sharing, shown (docs/weight-sharing.md): the mechanism, the tied matrix, what sharing
costs and saves, its gradients, and where it hurts."""
