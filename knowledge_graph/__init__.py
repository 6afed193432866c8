"""The service-item knowledge graph: schema, build from ServiceItems, persistence, linking, queries."""
