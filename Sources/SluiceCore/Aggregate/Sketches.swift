import Foundation

/// HyperLogLog with 2^precision one-byte registers: distinct counts in bounded space, mergeable.
public struct HyperLogLog: Sendable, Equatable {
    public private(set) var registers: [UInt8]
    public let precision: Int

    public init(precision: Int = 8) {
        self.precision = precision
        registers = [UInt8](repeating: 0, count: 1 << precision)
    }

    init(precision: Int, registers: [UInt8]) {
        self.precision = precision
        self.registers = registers
    }

    public mutating func insert(hash: UInt64) {
        let index = Int(hash >> UInt64(64 - precision))
        let rest = hash << UInt64(precision)
        let rank = UInt8(min(rest.leadingZeroBitCount + 1, 64 - precision + 1))
        if rank > registers[index] { registers[index] = rank }
    }

    public mutating func merge(_ other: HyperLogLog) {
        for i in 0..<registers.count where other.registers[i] > registers[i] { registers[i] = other.registers[i] }
    }

    /// 2⁻ʳ for every register value r (exact: a division per register made a pass over 100k
    /// accounts spend a tenth of its scoring here).
    static let inversePowers: [Double] = (0...255).map { 1.0 / Double(UInt64(1) << UInt64($0)) }

    public var estimate: Double {
        let m = Double(registers.count)
        var sum = 0.0
        var zeros = 0
        for r in registers {
            sum += Self.inversePowers[Int(r)]
            if r == 0 { zeros += 1 }
        }
        let alpha = 0.7213 / (1 + 1.079 / m)
        let raw = alpha * m * m / sum
        if raw <= 2.5 * m && zeros > 0 { return m * log(m / Double(zeros)) }
        return raw
    }
}

/// The most frequent keys and their counts in bounded space (Space-Saving): the smallest entry
/// is replaced when full, so heavy hitters stay and their counts stay close.
public struct TopCounts: Sendable, Equatable {
    public private(set) var entries: [(key: UInt64, count: Int64)]
    public let capacity: Int

    public init(capacity: Int) {
        self.capacity = capacity
        entries = []
    }

    init(capacity: Int, entries: [(key: UInt64, count: Int64)]) {
        self.capacity = capacity
        self.entries = entries
    }

    public static func == (lhs: TopCounts, rhs: TopCounts) -> Bool {
        lhs.capacity == rhs.capacity && lhs.entries.elementsEqual(rhs.entries) { $0 == $1 }
    }

    @discardableResult
    public mutating func add(_ key: UInt64, count: Int64 = 1) -> Int64 {
        if let i = entries.firstIndex(where: { $0.key == key }) {
            entries[i].count += count
            return entries[i].count
        }
        if entries.count < capacity {
            entries.append((key, count))
            return count
        }
        var smallest = 0
        for i in 1..<entries.count where entries[i].count < entries[smallest].count { smallest = i }
        entries[smallest] = (key, entries[smallest].count + count)
        return entries[smallest].count
    }

    public var top: (key: UInt64, count: Int64)? { entries.max { $0.count < $1.count } }
    public func contains(_ key: UInt64) -> Bool { entries.contains { $0.key == key } }
}

/// Distinct values up to a capacity; past it, the count saturates (the sketch keeps its bound).
public struct BoundedSet: Sendable, Equatable {
    public private(set) var members: [UInt64]
    public let capacity: Int
    public private(set) var overflowed: Bool

    public init(capacity: Int) {
        self.capacity = capacity
        members = []
        overflowed = false
    }

    init(capacity: Int, members: [UInt64], overflowed: Bool) {
        self.capacity = capacity
        self.members = members
        self.overflowed = overflowed
    }

    public mutating func insert(_ value: UInt64) {
        if members.contains(value) { return }
        if members.count < capacity { members.append(value) } else { overflowed = true }
    }

    public var count: Int { members.count }
}
