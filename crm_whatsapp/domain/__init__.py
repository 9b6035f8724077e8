"""Rules of WhatsApp the inbox shows (markup, send errors, the 24-hour window), without any UI."""
