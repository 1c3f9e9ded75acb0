"""The page SS ships: a researcher workspace at ``/`` and an operator console at ``/console``.

Server-rendered jinja2 shells plus small hand-written JavaScript and CSS, all inside this
package (no CDN, no build step, works offline). The page is just another client: every call it
makes goes through ``/v1`` and ``/api/admin``; it holds no business rules.
"""
