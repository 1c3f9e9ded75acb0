"""Stata's own language: how a do-file is lexed, how commands abbreviate, how values are
quoted, which names are legal and what a return code means.

Nothing here knows about templates, plans or jobs; the safety scan, the template checks, the
binding rules, the rendering and the log diagnosis all read Stata through these modules.
"""
