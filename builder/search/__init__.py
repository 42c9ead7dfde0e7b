"""Stage 6 — search: documents from the Atlas, facets, and a static substring index."""
