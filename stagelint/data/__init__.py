"""Data files shipped with stagelint (prices, schemas). Loaded with importlib.resources."""
