"""The CRM plugins' host: what is installed (registry), its settings (config), running it (host).

Plugin authors read :mod:`crm_whatsapp.plugin_api` only; this package is the
inbox's side.
"""
