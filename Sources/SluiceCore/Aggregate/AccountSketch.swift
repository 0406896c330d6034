import Foundation

/// The mergeable, bounded per-account state that plain counters cannot hold: distinct counts,
/// what was seen before, what repeats, where from and when. About 2.5 KB encoded at most.
public struct AccountSketch: Sendable, Equatable {
    public var firstSeen: Double = .infinity
    public var lastSeen: Double = 0
    public var distinctPrompts = HyperLogLog(precision: 8)
    /// A deterministic sample (one prompt in four, chosen by hash) of prompts already sent,
    /// oldest replaced first: novelty is measured on it.
    public var seenPrompts: [UInt32] = []
    public var seenPromptsNext = 0
    /// Which slots of `seenPrompts` were sent on `sentDay` (one bit a slot): a prompt sent again
    /// the same day at a sampling temperature is another sample of a question already counted,
    /// not a repeat (rejection sampling by separate requests); sent again another day, or greedily,
    /// it is a repeat (an eval's rerun).
    public var sentToday = [UInt64](repeating: 0, count: seenPromptCapacity / 64)
    public var sentDay = Int32.min
    public var templates = TopCounts(capacity: 16)
    public var systemPrompts = TopCounts(capacity: 4)
    public var networks = BoundedSet(capacity: 32)
    public var userAgents = BoundedSet(capacity: 16)
    public var apiKeys = BoundedSet(capacity: 32)
    public var endUsers = HyperLogLog(precision: 6)
    public var models = TopCounts(capacity: 4)
    /// Requests per hour of the day (UTC).
    public var hourOfDay = [Int64](repeating: 0, count: 24)
    /// Days with traffic, as bits from the day of `firstSeen` (512 days).
    public var activeDays = [UInt64](repeating: 0, count: 8)
    /// Inter-arrival gaps, as log-seconds moments: machines are regular, people are not.
    public var lastArrival: Double = 0
    public var gapCount: Int64 = 0
    public var gapLogSum: Double = 0
    public var gapLogSquares: Double = 0
    /// Novelty per day for the last days seen (day number, distinct sampled prompts sent that day,
    /// new ones): a
    /// harvester keeps bringing new prompts every day, an eval harness re-sends its set.
    public var recentDays: [DayNovelty] = []

    /// End users seen once, without an entity of their own (16-bit fingerprints, newest
    /// replacing oldest): one becomes an entity at its second request while it is remembered
    /// here. People come back; an id made up for each request never does, and never costs a row.
    public var onceSeenEndUsers: [UInt16] = []
    public var onceSeenEndUsersNext = 0
    /// End users of this account that were given an entity of their own, at most `endUserEntityLimit`.
    public var endUserEntities = 0

    public struct DayNovelty: Sendable, Equatable {
        public var day: Int32
        public var sampled: Int32
        public var novel: Int32
    }

    public static let seenPromptCapacity = 512
    public static let recentDayCapacity = 8
    public static let onceSeenEndUserCapacity = 256
    /// Bounds what one account's end users can store (~1.3 KB each).
    public static let endUserEntityLimit = 5000

    public init() {}

    /// What absorbing one request learned beyond the counters.
    public struct Observation: Sendable {
        /// Whether the prompt was new to this account; nil when it is outside the novelty sample
        /// or is another sample, at temperature ≥ 0.7, of a prompt already sent today.
        public var novel: Bool?
        /// Whether the prompt, in the novelty sample, was already sent today and is sampled again
        /// at temperature ≥ 0.7.
        public var resampled = false
        /// Whether the request's template was already among this account's frequent ones.
        public var repeatedTemplate: Bool
        /// For a follow-up in a conversation: whether the turn before was sent by this account
        /// before; nil when there is none, or it is outside the novelty sample.
        public var continued: Bool? = nil
        /// The distinct API keys the account has used, this request's included.
        public var apiKeys: Int
    }

    public mutating func absorb(_ record: RequestRecord, _ features: RequestFeatures) -> Observation {
        let time = record.time
        if time < firstSeen { firstSeen = time }
        if time > lastSeen { lastSeen = time }
        distinctPrompts.insert(hash: features.promptHash)
        // Looked up before this prompt is recorded: a turn cannot continue itself.
        let continued = features.previousPromptHash.flatMap { previous in
            previous & 3 == 0 ? seenPrompts.contains(UInt32(truncatingIfNeeded: previous >> 32)) : nil
        }
        var novel: Bool?
        var resampled = false
        if features.promptHash & 3 == 0 {
            let short = UInt32(truncatingIfNeeded: features.promptHash >> 32)
            let today = Int32((time / 86400).rounded(.down))
            if today > sentDay {
                for i in sentToday.indices { sentToday[i] = 0 }
                sentDay = today
            }
            let slot: Int
            if let seen = seenPrompts.firstIndex(of: short) {
                slot = seen
                // A question sampled again: counted once a day, the first time saying whether it was
                // new. Re-sent at temperature 0 (or unknown), it is a rerun that counts every time.
                resampled = wasSentToday(slot) && (record.temperature ?? 0) >= 0.7
                if !resampled { novel = false }
            } else {
                novel = true
                if seenPrompts.count < Self.seenPromptCapacity {
                    slot = seenPrompts.count
                    seenPrompts.append(short)
                } else {
                    slot = seenPromptsNext
                    seenPrompts[slot] = short
                    seenPromptsNext = (seenPromptsNext + 1) % Self.seenPromptCapacity
                }
            }
            sentToday[slot / 64] |= 1 << UInt64(slot % 64)
            if let novel {
                if let last = recentDays.indices.last, recentDays[last].day == today {
                    recentDays[last].sampled += 1
                    if novel { recentDays[last].novel += 1 }
                } else if recentDays.last.map({ today > $0.day }) ?? true {
                    recentDays.append(DayNovelty(day: today, sampled: 1, novel: novel ? 1 : 0))
                    if recentDays.count > Self.recentDayCapacity { recentDays.removeFirst() }
                }
            }
        }
        let repeatedTemplate = templates.contains(features.templateHash)
        templates.add(features.templateHash)
        if let system = features.systemSimHash { systemPrompts.add(system) }
        let identity = features.identity
        if let network = identity.network { networks.insert(network) }
        if let agent = identity.userAgent { userAgents.insert(agent) }
        if let key = identity.apiKey { apiKeys.insert(key) }
        if let endUser = identity.endUser { endUsers.insert(hash: endUser) }
        if let model = identity.model { models.add(model) }
        let hour = Int((time / 3600).rounded(.down)) % 24
        hourOfDay[(hour + 24) % 24] += 1
        let day = Int((time / 86400).rounded(.down)) - Int((firstSeen / 86400).rounded(.down))
        if day >= 0 && day < 512 { activeDays[day / 64] |= 1 << UInt64(day % 64) }
        if lastArrival > 0 && time >= lastArrival {
            let gap = log(max(time - lastArrival, 0.001))
            gapCount += 1
            gapLogSum += gap
            gapLogSquares += gap * gap
        }
        if time > lastArrival { lastArrival = time }
        return Observation(
            novel: novel, resampled: resampled, repeatedTemplate: repeatedTemplate, continued: continued,
            apiKeys: apiKeys.count)
    }

    private func wasSentToday(_ slot: Int) -> Bool { sentToday[slot / 64] & (1 << UInt64(slot % 64)) != 0 }

    /// Whether an end user with no entity of its own should get one now: true when it was seen
    /// once before, among the last `onceSeenEndUserCapacity` such end users, and the account has
    /// room for another entity. Otherwise the end user is remembered.
    public mutating func admitsEndUser(_ hash: UInt64) -> Bool {
        let fingerprint = UInt16(truncatingIfNeeded: hash >> 48)
        if onceSeenEndUsers.contains(fingerprint) {
            guard endUserEntities < Self.endUserEntityLimit else { return false }
            endUserEntities += 1
            return true
        }
        if onceSeenEndUsers.count < Self.onceSeenEndUserCapacity {
            onceSeenEndUsers.append(fingerprint)
        } else {
            onceSeenEndUsers[onceSeenEndUsersNext] = fingerprint
            onceSeenEndUsersNext = (onceSeenEndUsersNext + 1) % Self.onceSeenEndUserCapacity
        }
        return false
    }

    /// Adds another sketch's evidence (a cluster's members, summed). Order-dependent parts
    /// (the seen-prompt sample, inter-arrival moments) are combined approximately.
    public mutating func merge(_ other: AccountSketch) {
        let base = (firstSeen / 86400).rounded(.down)
        let otherBase = (other.firstSeen / 86400).rounded(.down)
        firstSeen = min(firstSeen, other.firstSeen)
        lastSeen = max(lastSeen, other.lastSeen)
        distinctPrompts.merge(other.distinctPrompts)
        for e in other.templates.entries { templates.add(e.key, count: e.count) }
        for e in other.systemPrompts.entries { systemPrompts.add(e.key, count: e.count) }
        for e in other.models.entries { models.add(e.key, count: e.count) }
        for m in other.networks.members { networks.insert(m) }
        for m in other.userAgents.members { userAgents.insert(m) }
        for m in other.apiKeys.members { apiKeys.insert(m) }
        endUsers.merge(other.endUsers)
        for h in 0..<24 { hourOfDay[h] += other.hourOfDay[h] }
        // Re-base both day bitmaps on the earlier first day.
        let newBase = (firstSeen / 86400).rounded(.down)
        var days = [UInt64](repeating: 0, count: 8)
        for (bits, start) in [(activeDays, base), (other.activeDays, otherBase)] where start.isFinite {
            for d in 0..<512 where bits[d / 64] & (1 << UInt64(d % 64)) != 0 {
                let shifted = d + Int(start - newBase)
                if shifted >= 0 && shifted < 512 { days[shifted / 64] |= 1 << UInt64(shifted % 64) }
            }
        }
        activeDays = days
        gapCount += other.gapCount
        gapLogSum += other.gapLogSum
        gapLogSquares += other.gapLogSquares
        lastArrival = max(lastArrival, other.lastArrival)
        var byDay: [Int32: DayNovelty] = [:]
        for d in recentDays + other.recentDays {
            var entry = byDay[d.day] ?? DayNovelty(day: d.day, sampled: 0, novel: 0)
            entry.sampled += d.sampled
            entry.novel += d.novel
            byDay[d.day] = entry
        }
        recentDays = Array(byDay.values.sorted { $0.day < $1.day }.suffix(Self.recentDayCapacity))
    }

    public var activeDayCount: Int { activeDays.reduce(0) { $0 + $1.nonzeroBitCount } }
    public var activeHourCount: Int { hourOfDay.filter { $0 > 0 }.count }

    /// Standard deviation of log inter-arrival gaps: small for a metronome, large for a person.
    public var gapSpread: Double? {
        guard gapCount >= 10 else { return nil }
        let mean = gapLogSum / Double(gapCount)
        return (max(0, gapLogSquares / Double(gapCount) - mean * mean)).squareRoot()
    }

    /// Share of new prompts over the most recent days with at least `minimum` sampled prompts
    /// (the latest day alone when it has enough), nil without enough samples.
    public func recentNovelty(minimum: Int32 = 16) -> Double? {
        var sampled: Int32 = 0
        var novel: Int32 = 0
        for day in recentDays.reversed() {
            sampled += day.sampled
            novel += day.novel
            if sampled >= minimum { break }
        }
        return sampled >= minimum ? Double(novel) / Double(sampled) : nil
    }

    /// Median inter-arrival gap, approximated by the geometric mean of gaps.
    public var typicalGap: Double? { gapCount > 0 ? exp(gapLogSum / Double(gapCount)) : nil }
}

// MARK: - Binary encoding

extension AccountSketch {
    /// 3 added the end users seen once; a version 2 sketch (stored before) decodes with none.
    /// 4 added the prompts sent today; an older sketch decodes as if none were.
    static let formatVersion: UInt8 = 4

    public func encoded() -> [UInt8] {
        var w = ByteWriter()
        w.u8(Self.formatVersion)
        w.f64(firstSeen)
        w.f64(lastSeen)
        w.bytes(distinctPrompts.registers)
        w.u32(UInt32(seenPrompts.count))
        for p in seenPrompts { w.u32(p) }
        w.u32(UInt32(seenPromptsNext))
        for top in [templates, systemPrompts, models] {
            w.u32(UInt32(top.entries.count))
            for e in top.entries {
                w.u64(e.key)
                w.i64(e.count)
            }
        }
        for set in [networks, userAgents, apiKeys] {
            w.u8(set.overflowed ? 1 : 0)
            w.u32(UInt32(set.members.count))
            for m in set.members { w.u64(m) }
        }
        w.bytes(endUsers.registers)
        for h in hourOfDay { w.i64(h) }
        for d in activeDays { w.u64(d) }
        w.f64(lastArrival)
        w.i64(gapCount)
        w.f64(gapLogSum)
        w.f64(gapLogSquares)
        w.u32(UInt32(recentDays.count))
        for d in recentDays {
            w.u32(UInt32(bitPattern: d.day))
            w.u32(UInt32(bitPattern: d.sampled))
            w.u32(UInt32(bitPattern: d.novel))
        }
        w.u32(UInt32(onceSeenEndUsers.count))
        for f in onceSeenEndUsers { w.u16(f) }
        w.u32(UInt32(onceSeenEndUsersNext))
        w.u32(UInt32(endUserEntities))
        w.u32(UInt32(bitPattern: sentDay))
        for bits in sentToday { w.u64(bits) }
        return w.buffer
    }

    /// Decodes a sketch. Scoring passes `seenPrompts: false`: the novelty sample is the largest
    /// part and only ingestion needs it, so a pass over every account stays small in memory.
    public init(encoded bytes: [UInt8], seenPrompts keepSeen: Bool = true) throws(SketchDecodingError) {
        let decoded = bytes.withUnsafeBytes { buffer in
            Result { () throws(SketchDecodingError) in try AccountSketch(encoded: buffer, seenPrompts: keepSeen) }
        }
        self = try decoded.get()
    }

    /// Decodes a sketch in place, for instance straight from a database row's blob, without
    /// copying it first.
    public init(encoded bytes: UnsafeRawBufferPointer, seenPrompts keepSeen: Bool = true)
        throws(SketchDecodingError)
    {
        var r = ByteReader(bytes)
        let version = try r.u8()
        guard (2...Self.formatVersion).contains(version) else { throw SketchDecodingError() }
        self.init()
        firstSeen = try r.f64()
        lastSeen = try r.f64()
        distinctPrompts = HyperLogLog(precision: 8, registers: try r.bytes(256))
        let seenCount = Int(try r.u32())
        guard seenCount <= Self.seenPromptCapacity else { throw SketchDecodingError() }
        if keepSeen {
            seenPrompts.reserveCapacity(seenCount)
            for _ in 0..<seenCount { seenPrompts.append(try r.u32()) }
        } else {
            try r.skip(seenCount * 4)
        }
        seenPromptsNext = Int(try r.u32())
        templates = try r.topCounts(capacity: 16)
        systemPrompts = try r.topCounts(capacity: 4)
        models = try r.topCounts(capacity: 4)
        networks = try r.boundedSet(capacity: 32)
        userAgents = try r.boundedSet(capacity: 16)
        apiKeys = try r.boundedSet(capacity: 32)
        endUsers = HyperLogLog(precision: 6, registers: try r.bytes(64))
        for i in 0..<24 { hourOfDay[i] = try r.i64() }
        for i in 0..<8 { activeDays[i] = try r.u64() }
        lastArrival = try r.f64()
        gapCount = try r.i64()
        gapLogSum = try r.f64()
        gapLogSquares = try r.f64()
        let dayCount = Int(try r.u32())
        guard dayCount <= Self.recentDayCapacity else { throw SketchDecodingError() }
        recentDays.reserveCapacity(dayCount)
        for _ in 0..<dayCount {
            recentDays.append(
                DayNovelty(
                    day: Int32(bitPattern: try r.u32()), sampled: Int32(bitPattern: try r.u32()),
                    novel: Int32(bitPattern: try r.u32())))
        }
        guard version >= 3 else { return }
        let onceSeen = Int(try r.u32())
        guard onceSeen <= Self.onceSeenEndUserCapacity else { throw SketchDecodingError() }
        onceSeenEndUsers.reserveCapacity(onceSeen)
        for _ in 0..<onceSeen { onceSeenEndUsers.append(try r.u16()) }
        onceSeenEndUsersNext = Int(try r.u32())
        guard onceSeenEndUsersNext < Self.onceSeenEndUserCapacity else { throw SketchDecodingError() }
        endUserEntities = Int(try r.u32())
        guard version >= 4 else { return }
        sentDay = Int32(bitPattern: try r.u32())
        for i in sentToday.indices { sentToday[i] = try r.u64() }
    }
}

public struct SketchDecodingError: Error, Sendable {}

struct ByteWriter {
    var buffer: [UInt8] = []
    mutating func u8(_ v: UInt8) { buffer.append(v) }
    mutating func u16(_ v: UInt16) { withUnsafeBytes(of: v.littleEndian) { buffer.append(contentsOf: $0) } }
    mutating func u32(_ v: UInt32) { withUnsafeBytes(of: v.littleEndian) { buffer.append(contentsOf: $0) } }
    mutating func u64(_ v: UInt64) { withUnsafeBytes(of: v.littleEndian) { buffer.append(contentsOf: $0) } }
    mutating func i64(_ v: Int64) { u64(UInt64(bitPattern: v)) }
    mutating func f64(_ v: Double) { u64(v.bitPattern) }
    mutating func bytes(_ v: [UInt8]) { buffer.append(contentsOf: v) }
}

/// Reads the little-endian fields of an encoded sketch, checking every read against the end.
struct ByteReader {
    let data: UnsafeRawBufferPointer
    var index = 0
    init(_ data: UnsafeRawBufferPointer) { self.data = data }

    /// Moves past `n` bytes, returning where they start.
    @discardableResult
    mutating func skip(_ n: Int) throws(SketchDecodingError) -> Int {
        guard n >= 0, n <= data.count - index else { throw SketchDecodingError() }
        defer { index += n }
        return index
    }
    // Inlined: left generic (it was, in the release build), each call looked up the type's
    // metadata at run time.
    @inline(__always)
    mutating func integer<T: FixedWidthInteger>(_: T.Type) throws(SketchDecodingError) -> T {
        let start = try skip(MemoryLayout<T>.size)
        return T(littleEndian: data.loadUnaligned(fromByteOffset: start, as: T.self))
    }
    mutating func u8() throws(SketchDecodingError) -> UInt8 { try integer(UInt8.self) }
    mutating func u16() throws(SketchDecodingError) -> UInt16 { try integer(UInt16.self) }
    mutating func u32() throws(SketchDecodingError) -> UInt32 { try integer(UInt32.self) }
    mutating func u64() throws(SketchDecodingError) -> UInt64 { try integer(UInt64.self) }
    mutating func i64() throws(SketchDecodingError) -> Int64 { Int64(bitPattern: try u64()) }
    mutating func f64() throws(SketchDecodingError) -> Double { Double(bitPattern: try u64()) }
    mutating func bytes(_ n: Int) throws(SketchDecodingError) -> [UInt8] {
        let start = try skip(n)
        return [UInt8](unsafeUninitializedCapacity: n) { buffer, initialized in
            UnsafeMutableRawBufferPointer(buffer).copyMemory(
                from: UnsafeRawBufferPointer(rebasing: data[start..<(start + n)]))
            initialized = n
        }
    }

    // The arrays below are built in place at their final size: growing them by `append` went
    // through the standard library's unspecialised paths, which looked up the element type's
    // metadata at run time, a tenth of a 100k-account load.

    mutating func topCounts(capacity: Int) throws(SketchDecodingError) -> TopCounts {
        let count = Int(try u32())
        guard count <= capacity else { throw SketchDecodingError() }
        let start = try skip(count * 16)
        let entries = [(key: UInt64, count: Int64)](unsafeUninitializedCapacity: count) { buffer, initialized in
            for i in 0..<count {
                let at = start + 16 * i
                buffer[i] = (
                    UInt64(littleEndian: data.loadUnaligned(fromByteOffset: at, as: UInt64.self)),
                    Int64(littleEndian: data.loadUnaligned(fromByteOffset: at + 8, as: Int64.self))
                )
            }
            initialized = count
        }
        return TopCounts(capacity: capacity, entries: entries)
    }

    mutating func boundedSet(capacity: Int) throws(SketchDecodingError) -> BoundedSet {
        let overflowed = try u8() == 1
        let count = Int(try u32())
        guard count <= capacity else { throw SketchDecodingError() }
        return BoundedSet(capacity: capacity, members: try u64s(count), overflowed: overflowed)
    }

    mutating func u64s(_ count: Int) throws(SketchDecodingError) -> [UInt64] {
        let start = try skip(count * 8)
        return [UInt64](unsafeUninitializedCapacity: count) { buffer, initialized in
            for i in 0..<count {
                buffer[i] = UInt64(littleEndian: data.loadUnaligned(fromByteOffset: start + 8 * i, as: UInt64.self))
            }
            initialized = count
        }
    }
}
