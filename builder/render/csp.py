"""The Content-Security-Policy every page carries, as a `<meta http-equiv>` tag.

The site is static and its content is untrusted, so the policy is the last line of defence: even
if some text slipped through escaping, the browser runs no script and loads no style that is not
one of the site's own files. Pages therefore hold no inline script, no `style` attribute and no
event-handler attribute. Map tiles of the basemaps a map offers (高德, and OpenStreetMap when a
build chooses it) are the only images from another host, and load only when a visitor picks them. `frame-ancestors` and reporting cannot be set from a meta tag; a server that hosts the site
can add them as headers (docs/security.md).
"""

from __future__ import annotations

from .tiles import Tiles, basemap_choices


def content_security_policy(tiles: Tiles) -> str:
    images = ["'self'", "data:", *(t.source.image_host for t in basemap_choices(tiles) if t.source)]
    directives = {
        "default-src": ["'none'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": images,
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "manifest-src": ["'self'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "object-src": ["'none'"],
    }
    return "; ".join(f"{name} {' '.join(values)}" for name, values in directives.items())
