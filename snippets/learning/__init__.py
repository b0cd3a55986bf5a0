"""Statistical efficiency (docs/statistical-efficiency.md and the notebook
docs/notebooks/learning-curves.py): learning curves of dense, locally connected and
convolutional models on shifted digits, and the centred control."""
