"""The extract command of the extracts slice: may import the slice, the shared services, the law, the ground floor."""
