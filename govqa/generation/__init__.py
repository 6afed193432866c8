"""Context packing, prompts, citation parsing and verification, answer composition."""
