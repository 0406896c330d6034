import Prometheus

/// Metrics by their full name and help text (the registry's name-and-help methods are deprecated
/// in favour of descriptors; an empty unit leaves the name as written).
extension PrometheusCollectorRegistry {
    func descriptor(_ name: String, _ help: String) -> MetricNameDescriptor {
        MetricNameDescriptor(metricName: name, unitName: "", helpText: help)
    }

    func gauge(_ name: String, labels: [(String, String)] = [], help: String) -> Gauge {
        makeGauge(descriptor: descriptor(name, help), labels: labels)
    }

    func counter(_ name: String, labels: [(String, String)] = [], help: String) -> Prometheus.Counter {
        makeCounter(descriptor: descriptor(name, help), labels: labels)
    }

    func durationHistogram(_ name: String, labels: [(String, String)] = [], buckets: [Duration], help: String)
        -> DurationHistogram
    {
        makeDurationHistogram(descriptor: descriptor(name, help), labels: labels, buckets: buckets)
    }
}
