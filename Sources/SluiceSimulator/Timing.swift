import Foundation

/// When an account is active over the day, in its local time.
enum ActivityProfile {
    /// People: evenings and daytime, little at night.
    case human
    /// Office hours.
    case workday
    /// Machines: around the clock.
    case flat
    /// Mostly office hours with a machine background (CI, batch jobs).
    case mixed

    /// Relative request weight for each local hour 0...23.
    var hourlyWeights: [Double] {
        switch self {
        case .human:
            return [
                0.25, 0.12, 0.05, 0.03, 0.03, 0.05, 0.15, 0.4, 0.7, 0.9, 1.0, 1.0,
                0.9, 0.95, 1.0, 1.0, 0.95, 0.85, 0.8, 0.9, 1.0, 0.95, 0.75, 0.45,
            ]
        case .workday:
            return [
                0.01, 0.01, 0.01, 0.01, 0.01, 0.02, 0.05, 0.25, 0.7, 1.0, 1.0, 1.0,
                0.7, 0.9, 1.0, 1.0, 0.9, 0.6, 0.25, 0.1, 0.06, 0.04, 0.02, 0.01,
            ]
        case .flat:
            return Array(repeating: 1.0, count: 24)
        case .mixed:
            return ActivityProfile.workday.hourlyWeights.map { 0.35 + $0 }
        }
    }
}

/// Shared notions of event time for one run.
struct SimulationClock {
    let startMicros: Int64
    let days: Int

    static let microsPerSecond: Int64 = 1_000_000
    static let microsPerHour: Int64 = 3_600_000_000
    static let microsPerDay: Int64 = 86_400_000_000

    var endMicros: Int64 { startMicros + Int64(days) * Self.microsPerDay }
    /// A newer model appears halfway through the run; harvesters move to it quickly.
    var newModelReleaseMicros: Int64 { startMicros + Int64(days) * Self.microsPerDay / 2 }

    /// Arrival times of a non-homogeneous Poisson process with `perDay` expected events per day, shaped by the
    /// profile in the account's local time; each day gets its own random level so days are not copies.
    func arrivals(
        _ random: inout SimulationRandom, perDay: Double, profile: ActivityProfile,
        utcOffsetHours: Int, dayToDayVariation: Double = 0.15
    ) -> [Int64] {
        let weights = profile.hourlyWeights
        let weightSum = weights.reduce(0, +)
        var times: [Int64] = []
        times.reserveCapacity(Int(perDay * Double(days) * 1.2))
        for day in 0..<days {
            let dayLevel = max(0.2, 1 + random.double(-dayToDayVariation...dayToDayVariation))
            for hour in 0..<24 {
                let localHour = ((hour + utcOffsetHours) % 24 + 24) % 24
                let expected = perDay * dayLevel * weights[localHour] / weightSum
                let count = Self.poisson(&random, mean: expected)
                let hourStart = startMicros + Int64(day) * Self.microsPerDay + Int64(hour) * Self.microsPerHour
                for _ in 0..<count {
                    times.append(hourStart + Int64(random.unit() * Double(Self.microsPerHour)))
                }
            }
        }
        times.sort()
        return times
    }

    static func poisson(_ random: inout SimulationRandom, mean: Double) -> Int {
        if mean <= 0 { return 0 }
        if mean > 40 { return max(0, Int(random.normal(mean: mean, deviation: mean.squareRoot()).rounded())) }
        let limit = exp(-mean)
        var product = random.unit()
        var count = 0
        while product > limit {
            product *= random.unit()
            count += 1
        }
        return count
    }

    static func micros(seconds: Double) -> Int64 { Int64(seconds * 1_000_000) }
}
