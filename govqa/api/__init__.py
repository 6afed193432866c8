"""HTTP edge: FastAPI app factory, routes and pydantic schemas."""
