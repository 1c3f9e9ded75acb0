"""Template authoring: the tools behind ``ssctl templates`` (static checks, generated docs,
sample bindings, smoke plans). They render templates to check them, so they sit above
``rendering/`` and ``library/``; the running service never imports them.
"""
