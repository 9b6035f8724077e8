"""Prometheus figures an admin watches: intake, storage, devices, lag, sends.

Each app gets its own registry so several relays (tests, the demo) can live in
one process without sharing counters.
"""

from __future__ import annotations

from prometheus_client import (
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    disable_created_metrics,
    generate_latest,
)

disable_created_metrics()  # the *_created series only add noise to scrapes


class RelayMetrics:
    """The relay's counters, gauges and histograms, in a registry of their own.

    Handlers increment the attributes directly; names follow Prometheus'
    conventions (``_total`` is added to counters on export).
    """

    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        r = self.registry
        self.webhooks = Counter(
            "relay_webhooks",
            "Webhook deliveries by result and reason",
            ["result", "reason"],
            registry=r,
        )
        self.events_stored = Counter(
            "relay_events_stored", "Events appended to the log", ["kind"], registry=r
        )
        self.events_duplicate = Counter(
            "relay_events_duplicate", "Events dropped as retries of stored ones", registry=r
        )
        self.head_seq = Gauge("relay_head_seq", "Newest seq in the log", registry=r)
        self.devices_connected = Gauge(
            "relay_devices_connected", "Open stream connections", registry=r
        )
        self.stream_lag = Gauge(
            "relay_stream_lag_events",
            "Head seq minus the device's acknowledged seq",
            ["device"],
            registry=r,
        )
        self.frames_sent = Counter("relay_stream_frames", "Event frames sent", registry=r)
        self.stream_unacked_bytes = Gauge(
            "relay_stream_unacked_bytes",
            "Bytes written to open streams and not yet acknowledged (memory slow desktops pin)",
            registry=r,
        )
        self.disconnects = Counter(
            "relay_stream_disconnects", "Streams closed by the relay", ["reason"], registry=r
        )
        self.sends = Counter("relay_sends", "Sends by result", ["result"], registry=r)
        self.send_latency = Histogram(
            "relay_send_latency_seconds",
            "Time to Graph's answer for a send",
            buckets=(0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30),
            registry=r,
        )
        self.commit_batch = Histogram(
            "relay_commit_batch_events",
            "Events per group commit",
            buckets=(1, 2, 5, 10, 25, 50, 100, 250, 1000, 5000),
            registry=r,
        )

        self.commit_seconds = Histogram(
            "relay_commit_seconds",
            "Time to write and commit one group",
            buckets=(0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.5),
            registry=r,
        )
        self.append_lock_held = Counter(
            "relay_append_lock_held_seconds",
            "Time groups held the appends' lock before their commit (PostgreSQL): "
            "the serial part that bounds several instances",
            registry=r,
        )

        self.internal_errors = Counter(
            "relay_internal_errors",
            "Failures the relay survived, by where they happened and the exception class",
            ["where", "kind"],
            registry=r,
        )

        # Bound once: label lookups on every webhook add up at thousands per second.
        self.webhook_accepted = self.webhooks.labels("accepted", "")

    def render(self) -> bytes:
        """The registry in Prometheus' text format, for ``GET /metrics``."""
        return generate_latest(self.registry)
