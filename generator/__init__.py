"""oagen: OpenAPI 3.0/3.1 -> typed Python client packages."""

__version__ = "0.1.0"
