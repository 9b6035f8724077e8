"""The desktop inbox's Qt user interface."""
