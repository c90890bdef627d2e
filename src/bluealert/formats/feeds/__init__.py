"""Public feeds of active alerts: Atom with CAP fields, RSS 2.0, GeoJSON, a JSON list."""
