"""Dashboard pages: one module per model, each with ``TITLE``, ``layout()`` and ``register(app)``."""
