"""Policy analysis for civil servants: typed clauses, their attributes, comparisons and draft review."""
