"""Snippets: one idea each, grouped in topic packages that match the site's sections.

`snippets/<topic>/<stem>.py` computes the values and draws the figures that pages name
as `{{ <topic>_<stem>.value }}`; `<topic>/__init__.py` names the page(s) the topic feeds,
`<topic>/_common.py` holds code shared inside the topic, and `lib/` what several topics
use. A snippet imports only `snippets.lib` and its own topic's `_common`.
"""
