"""The domain, storage and services of Liaison. Never imports Qt."""
