"""The crm-whatsapp relay: Meta webhooks in, a durable event stream out, sends proxied."""

__version__ = "0.1.0"
