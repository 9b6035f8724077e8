"""crm-whatsapp desktop inbox (the window arrives with the inbox issue)."""

__version__ = "0.1.0"
