"""The journey as plain async use cases over the ports.

``ss_http`` handlers and embedding services call exactly these functions; each takes a
``Services`` bundle (the ports and policies) as its first argument.
"""
