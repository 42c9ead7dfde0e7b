"""The Content-Security-Policy every page carries, as a `<meta http-equiv>` tag.

The site is static and its content is untrusted, so the policy is the last line of defence: even
if some text slipped through escaping, the browser runs no script and loads no style that is not
one of the site's own files. Pages therefore hold no inline script, no `style` attribute and no
event-handler attribute. Map tiles, when a build turns them on, are the only images from another
host. `frame-ancestors` and reporting cannot be set from a meta tag; a server that hosts the site
can add them as headers (docs/security.md).
"""

from __future__ import annotations

from .tiles import Tiles


def content_security_policy(tiles: Tiles) -> str:
    images = ["'self'", "data:"]
    if tiles.source:
        images.append(tiles.source.image_host)
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
