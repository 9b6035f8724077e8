"""``python -m relay.healthcheck``: the container's HEALTHCHECK, with no curl in the image.

Asks the relay in the same container (``127.0.0.1:$RELAY_PORT``) for
``/healthz``; exit 0 when it answers 200 (the database answers too), 1
otherwise, with one line saying why. Only the standard library, so it starts
fast every 30 seconds and needs nothing the image does not already have.
"""

from __future__ import annotations

import json
import os
import sys
import urllib.error
import urllib.request

TIMEOUT = 4.0


def healthz_url(env: dict[str, str] | None = None) -> str:
    """The relay in this container: loopback, on ``RELAY_PORT`` (8000 by default)."""
    env = dict(os.environ) if env is None else env
    return f"http://127.0.0.1:{env.get('RELAY_PORT', '8000').strip() or '8000'}/healthz"


def main() -> int:
    url = healthz_url()
    try:
        with urllib.request.urlopen(url, timeout=TIMEOUT) as response:
            body = json.loads(response.read() or b"{}")
    except urllib.error.HTTPError as exc:
        print(f"unhealthy: {url} answered HTTP {exc.code}.", file=sys.stderr)
        return 1
    except (OSError, ValueError) as exc:
        print(f"unhealthy: {url} did not answer ({type(exc).__name__}).", file=sys.stderr)
        return 1
    print(f"healthy: head seq {body.get('head_seq')}, {body.get('database')} database.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
