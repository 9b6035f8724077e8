"""The Meta simulator: scripted customers and a Graph API on loopback, for tests and the demo."""
