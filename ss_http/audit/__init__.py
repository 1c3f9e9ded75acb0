"""The production audit: drive the whole /v1 journey against a running SS and judge go/no-go.

``client`` talks HTTP and keeps every exchange as evidence, ``points`` holds one function per
audit point, ``runner`` orders them and ``report`` writes the Markdown and JSON verdict. The
package depends on httpx and the standard library only, so it can audit any deployment.
"""
