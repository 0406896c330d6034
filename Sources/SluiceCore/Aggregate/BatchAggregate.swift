/// The hour an event falls in, as hours since 1970.
public func hourBucket(_ time: Double) -> Int64 { Int64((time / 3600).rounded(.down)) }

/// Everything one batch of records changes, ready to be committed in one transaction:
/// counter deltas per account and hour, and the new sketches of the accounts it touched.
/// End users and API keys inside an account are entities of their own (`account::end_user`,
/// `account::key:KEY_ID`), so that a reseller's harvesting customers, or one harvesting key
/// among a team's, are scored on their own traffic and rolled up to the account.
public struct BatchAggregate: Sendable {
    public struct BucketKey: Hashable, Sendable {
        public var entity: String
        public var hour: Int64
    }

    public var buckets: [BucketKey: Counters] = [:]
    public var sketches: [String: AccountSketch] = [:]
    /// Entity → its account, for end-user and key entities.
    public var parents: [String: String] = [:]
    /// API key id → account, so the gateway check can map a bearer key to its account.
    public var keyAccounts: [String: String] = [:]
    public var records = 0
    public var latestEventTime: Double = 0

    public init() {}

    public static func endUserEntity(account: String, endUser: String) -> String { account + "::" + endUser }
    public static func keyEntity(account: String, key: String) -> String { account + keyInfix + key }
    /// Between an account and one of its key ids in the key's entity.
    public static let keyInfix = "::key:"
    /// Whether `entity`, a child of `account`, is one of its keys (else an end user).
    public static func isKeyEntity(_ entity: String, of account: String) -> Bool {
        entity.hasPrefix(account + keyInfix)
    }

    /// Adds one record. `loadSketch` returns the stored sketch of an entity the batch has not touched yet.
    public mutating func add(
        _ record: RequestRecord, features: RequestFeatures, loadSketch: (String) -> AccountSketch?
    ) {
        records += 1
        latestEventTime = max(latestEventTime, record.time)
        if let key = record.apiKeyID { keyAccounts[key] = record.account }
        let keysOfAccount = absorb(record, features, entity: record.account, loadSketch: loadSketch)
        // A key is an entity of its own once its account has a second one: until then the key's
        // traffic is the account's, scored already, and most accounts never pay for a copy.
        if let key = record.apiKeyID, key != record.account, keysOfAccount >= 2 {
            let entity = Self.keyEntity(account: record.account, key: key)
            parents[entity] = record.account
            absorb(record, features, entity: entity, loadSketch: loadSketch)
        }
        // `identity.endUser` is the end user's hash, computed with the record's features.
        if let endUser = record.endUser, endUser != record.account, let hash = features.identity.endUser {
            let entity = Self.endUserEntity(account: record.account, endUser: endUser)
            if admitsEndUser(entity, hash: hash, of: record.account, loadSketch: loadSketch) {
                parents[entity] = record.account
                absorb(record, features, entity: entity, loadSketch: loadSketch)
            }
        }
    }

    /// Whether an end user's request also goes to an entity of its own: one it has, or one made
    /// now, at its second request, if its account remembers the first (`AccountSketch.admitsEndUser`).
    /// An end user's first request is its account's only.
    mutating func admitsEndUser(
        _ entity: String, hash: UInt64, of account: String, loadSketch: (String) -> AccountSketch?
    ) -> Bool {
        if sketches.index(forKey: entity) != nil { return true }
        if let stored = loadSketch(entity) {
            sketches[entity] = stored
            return true
        }
        // The account's sketch is in the batch: its record was absorbed first.
        guard let index = sketches.index(forKey: account), sketches.values[index].admitsEndUser(hash) else {
            return false
        }
        sketches[entity] = AccountSketch()
        return true
    }

    /// Adds the record to `entity`'s sketch and counters; returns how many API keys the entity
    /// has used (reading that out of the dictionary afterwards copied the whole sketch).
    @discardableResult
    mutating func absorb(
        _ record: RequestRecord, _ features: RequestFeatures, entity: String, loadSketch: (String) -> AccountSketch?
    ) -> Int {
        // Mutated in place: a copy taken out of the dictionary would copy the sketch's arrays on
        // every record (and so would `sketches[entity] == nil`).
        var found = sketches.index(forKey: entity)
        if found == nil {
            sketches[entity] = loadSketch(entity) ?? AccountSketch()
            found = sketches.index(forKey: entity)
        }
        let index = found!
        let observation = sketches.values[index].absorb(record, features)
        let delta = Counters.of(record, features, observation)
        buckets[BucketKey(entity: entity, hour: hourBucket(record.time)), default: Counters()] += delta
        return observation.apiKeys
    }
}
