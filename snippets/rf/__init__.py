"""Receptive fields (docs/receptive-fields.md): theoretical fields three ways, real networks
against the published table, dilation, and the effective receptive field."""
