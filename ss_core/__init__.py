"""SS domain core: pure, embeddable, driven through ports (see ss_core.ports)."""
