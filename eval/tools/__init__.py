"""Small maintenance scripts over the source tree."""
