"""The built-in CRM plugins, one module each; they import only :mod:`crm_whatsapp.plugin_api`.

They register through the entry-point group ``crm_whatsapp.plugins`` in the
project's ``pyproject.toml``, exactly as a third party's package would.
"""
