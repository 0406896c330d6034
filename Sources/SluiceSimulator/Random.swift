import Foundation

/// A small, fast, seedable PRNG (xoshiro256**, seeded through SplitMix64) so a simulation is a pure function of its
/// options: the system generator and wall-clock time are never used.
struct SimulationRandom {
    private var state: (UInt64, UInt64, UInt64, UInt64)

    /// Derives an independent stream from a seed and any number of labels (account index, purpose, ...).
    init(seed: UInt64, _ labels: UInt64...) {
        var mixer = seed
        for label in labels {
            mixer = Self.splitMix(&mixer) ^ (label &* 0xD6E8_FEB8_6659_FD93)
        }
        state = (Self.splitMix(&mixer), Self.splitMix(&mixer), Self.splitMix(&mixer), Self.splitMix(&mixer))
    }

    private static func splitMix(_ value: inout UInt64) -> UInt64 {
        value &+= 0x9E37_79B9_7F4A_7C15
        var mixed = value
        mixed = (mixed ^ (mixed >> 30)) &* 0xBF58_476D_1CE4_E5B9
        mixed = (mixed ^ (mixed >> 27)) &* 0x94D0_49BB_1331_11EB
        return mixed ^ (mixed >> 31)
    }

    mutating func next() -> UInt64 {
        let result = ((state.1 &* 5) << 7 | (state.1 &* 5) >> 57) &* 9
        let shifted = state.1 << 17
        state.2 ^= state.0
        state.3 ^= state.1
        state.1 ^= state.2
        state.0 ^= state.3
        state.2 ^= shifted
        state.3 = state.3 << 45 | state.3 >> 19
        return result
    }

    /// Uniform in [0, 1).
    mutating func unit() -> Double {
        Double(next() >> 11) * 0x1.0p-53
    }

    /// Uniform integer in `range` (modulo bias is negligible for the small ranges used here).
    mutating func int(_ range: ClosedRange<Int>) -> Int {
        let width = UInt64(range.upperBound - range.lowerBound) + 1
        return range.lowerBound + Int(next() % width)
    }

    /// Uniform integer in `0..<count`.
    mutating func index(_ count: Int) -> Int {
        precondition(count > 0, "index(_:) needs a non-empty range")
        return Int(next() % UInt64(count))
    }

    mutating func double(_ range: ClosedRange<Double>) -> Double {
        range.lowerBound + unit() * (range.upperBound - range.lowerBound)
    }

    mutating func chance(_ probability: Double) -> Bool {
        unit() < probability
    }

    mutating func pick<T>(_ items: [T]) -> T {
        items[index(items.count)]
    }

    /// Exponentially distributed with the given mean (inter-arrival gaps of a Poisson process).
    mutating func exponential(mean: Double) -> Double {
        -mean * log(1 - unit())
    }

    /// Roughly normal (Box–Muller).
    mutating func normal(mean: Double, deviation: Double) -> Double {
        let first = max(unit(), 1e-12)
        let second = unit()
        return mean + deviation * (-2 * log(first)).squareRoot() * cos(2 * Double.pi * second)
    }

    /// Log-normal around `median`: heavy-tailed sizes such as token counts.
    mutating func logNormal(median: Double, spread: Double) -> Double {
        median * exp(normal(mean: 0, deviation: spread))
    }

    mutating func shuffled<T>(_ items: [T]) -> [T] {
        var result = items
        guard result.count > 1 else { return result }
        for position in stride(from: result.count - 1, to: 0, by: -1) {
            result.swapAt(position, index(position + 1))
        }
        return result
    }

    /// Lower-case hex of `digits` random nibbles.
    mutating func hex(_ digits: Int) -> String {
        var text = ""
        text.reserveCapacity(digits)
        var remaining = digits
        while remaining > 0 {
            var word = next()
            for _ in 0..<min(16, remaining) {
                text.append(hexDigits[Int(word & 0xF)])
                word >>= 4
                remaining -= 1
            }
        }
        return text
    }
}

private let hexDigits: [Character] = Array("0123456789abcdef")
