"""Prometheus metrics, one registry per app (never the process-global default one)."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping

from prometheus_client import CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.core import GaugeMetricFamily, HistogramMetricFamily
from prometheus_client.registry import Collector

from bluealert.logs import get_logger

log = get_logger("bluealert.web")
CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"


class _CountsCollector(Collector):
    """A gauge read from the store at scrape time (alerts by state, deliveries by outcome)."""

    def __init__(
        self,
        name: str,
        doc: str,
        labels: list[str],
        read: Callable[[], Mapping[tuple[str, ...], int]],
    ) -> None:
        self.name, self.doc, self.labels, self.read = name, doc, labels, read

    def collect(self) -> Iterator[GaugeMetricFamily]:
        family = GaugeMetricFamily(self.name, self.doc, labels=self.labels)
        try:
            counts = self.read()
        except Exception:  # a scrape must answer even when the store does not
            log.warning("metrics_unavailable", extra={"metric": self.name})
            counts = {}
        for labels, value in sorted(counts.items()):
            family.add_metric(list(labels), value)
        yield family


LATENCY_BOUNDS_MS = (100, 250, 500, 1000, 2500, 5000, 10_000, 30_000, 60_000, 300_000)


class _LatencyCollector(Collector):
    """A histogram of delivery latencies, counted in the store at scrape time."""

    def __init__(
        self, name: str, doc: str, read: Callable[[tuple[int, ...]], tuple[list[int], int, int]]
    ) -> None:
        self.name, self.doc, self.read = name, doc, read

    def collect(self) -> Iterator[HistogramMetricFamily]:
        try:
            cumulative, count, total_ms = self.read(LATENCY_BOUNDS_MS)
        except Exception:  # a scrape must answer even when the store does not
            log.warning("metrics_unavailable", extra={"metric": self.name})
            cumulative, count, total_ms = [0] * len(LATENCY_BOUNDS_MS), 0, 0
        buckets = [
            (str(b / 1000), float(n)) for b, n in zip(LATENCY_BOUNDS_MS, cumulative, strict=True)
        ]
        buckets.append(("+Inf", float(count)))
        yield HistogramMetricFamily(self.name, self.doc, buckets=buckets, sum_value=total_ms / 1000)


class Metrics:
    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        self.latency = Histogram(
            "bluealert_http_request_duration_seconds",
            "Time to answer an HTTP request, by route template.",
            ["method", "route", "status"],
            registry=self.registry,
            buckets=(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10),
        )
        self.refusals = Counter(
            "bluealert_http_refusals",
            "Requests refused for authentication, permission or rate.",
            ["reason"],
            registry=self.registry,
        )
        # labels() validates and locks on every call; its children, kept, cost a dict look-up
        # (routes are templates, so the keys are few).
        self._latency_of: dict[tuple[str, str, int], Histogram] = {}

    def observe_request(self, method: str, route: str, status: int, seconds: float) -> None:
        key = (method, route, status)
        child = self._latency_of.get(key)
        if child is None:
            child = self._latency_of[key] = self.latency.labels(method, route, str(status))
        child.observe(seconds)

    def add_counts(
        self,
        name: str,
        doc: str,
        labels: list[str],
        read: Callable[[], Mapping[tuple[str, ...], int]],
    ) -> None:
        self.registry.register(_CountsCollector(name, doc, labels, read))

    def add_latency(
        self, name: str, doc: str, read: Callable[[tuple[int, ...]], tuple[list[int], int, int]]
    ) -> None:
        self.registry.register(_LatencyCollector(name, doc, read))

    def exposition(self) -> bytes:
        return generate_latest(self.registry)
