"""Sample data: the deterministic generator, its COPY loader and the boundaries the product ships.

Stands at the edge (it loads the law's tables): may import the law and the ground floor; nothing imports it
but commands, tests and benchmarks.
"""
