"""The read side for civil servants: documents as clause trees, validity, service items, highlighted search."""
