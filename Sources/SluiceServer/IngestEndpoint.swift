import Foundation
import HTTPTypes
import Hummingbird
import SluiceCore
import SluiceStore

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

// `POST /v1/ingest`: log records over HTTP, e.g. from LiteLLM's `generic_api` callback.

extension SluiceAPI {
    func addIngestRoutes(to router: Router<BasicRequestContext>) {
        router.post("/v1/ingest") { request, _ in try await ingest(request) }
    }

    /// Takes a JSON array of records (what LiteLLM's `generic_api` callback posts), one JSON object,
    /// or NDJSON. Good records and the bad-line counts commit in one transaction before the answer:
    /// 202 when every record was taken, 400 listing the bad ones by index (the good ones of the
    /// batch are committed all the same), 413 over `server.max_body_bytes`, 503 when the store
    /// cannot write. A batch is known by its `Idempotency-Key` header, else by the SHA-256 of its
    /// body: sent again, it is answered the same way and counted once.
    func ingest(_ request: Request) async throws -> Response {
        let query = request.uri.queryParameters
        let sourceName = query["source"].map(String.init) ?? "http"
        guard Self.isValidSourceName(sourceName) else {
            throw APIError.badRequest("source must be 1 to 64 letters, digits, '.', '_' or '-'")
        }
        let configured = configuration.sources.first { $0.name == sourceName }
        var format = configured?.format ?? .litellm
        if let text = query["format"] {
            guard let parsed = LogFormat(rawValue: String(text)) else {
                throw APIError.badRequest("unknown format \"\(text)\"; use litellm, openai or nginx")
            }
            format = parsed
        }
        if let encoding = request.headers[.contentEncoding], encoding != "identity" {
            throw APIError(
                .unsupportedMediaType, code: "unsupported_encoding",
                "Content-Encoding \(encoding) is not supported; send the body uncompressed")
        }
        let limit = configuration.server.maxBodyBytes
        let tooLarge = APIError(
            .contentTooLarge, code: "too_large",
            "the body is over server.max_body_bytes (\(limit) bytes); send smaller batches or raise the limit")
        if let length = request.headers[.contentLength].flatMap(Int.init), length > limit { throw tooLarge }
        let body: ByteBuffer
        do {
            body = try await request.body.collect(upTo: limit)
        } catch let error as any HTTPResponseError where error.status == .contentTooLarge {
            throw tooLarge
        }
        let bytes = Array(body.readableBytesView)
        guard bytes.contains(where: { !Self.isWhitespace($0) }) else {
            throw APIError.badRequest("empty body: send a JSON array, a JSON object or NDJSON of log records")
        }
        let parser = LogParser(
            format: format, accountPaths: configured?.format == format ? configured?.account : nil,
            keyHasher: KeyHasher(secret: configuration.keySecret), maximumLineBytes: configuration.ingest.maxLineBytes)
        let outcomes = try Self.parse(bytes, with: parser)

        let batchID: String
        if let key = request.headers[.idempotencyKey], !key.isEmpty {
            guard key.utf8.count <= 256 else { throw APIError.badRequest("Idempotency-Key is longer than 256 bytes") }
            batchID = "key:\(sourceName):\(key)"
        } else {
            batchID = "sha256:" + Digest.hex(Digest.sha256(Array("\(sourceName)\n\(format.rawValue)\n".utf8) + bytes))
        }
        var progress = IngestProgress(source: sourceName, batchID: batchID)
        var items: [(RequestRecord, RequestFeatures)] = []
        var result = IngestResult(
            batchID: batchID, source: sourceName, format: format.rawValue, received: outcomes.count)
        var latest = 0.0
        for (index, outcome) in outcomes {
            switch outcome {
            case .record(let record):
                items.append((record, RequestFeatures(record)))
                latest = max(latest, record.time)
            case .skipped:
                progress.skipped += 1
            case .bad(let reason, let detail):
                progress.bad[reason, default: 0] += 1
                if progress.samples.count < SQLiteStore.badSampleLimit {
                    progress.samples.append(
                        BadLineSample(
                            source: sourceName, reason: reason.rawValue, detail: detail,
                            location: "ingest:\(batchID.suffix(12))#\(index)", at: Date()))
                }
                if result.errors.count < IngestResult.errorLimit {
                    result.errors.append(.init(index: index, reason: reason.rawValue, message: detail))
                }
                result.rejected += 1
            }
        }
        result.accepted = items.count
        result.skipped = progress.skipped
        do {
            result.duplicate = try await store.commit(items, progress: progress) == .duplicate
        } catch let error as StoreError {
            logger.error("HTTP ingest into \(sourceName) failed: \(error)")
            var response = JSONResponse.make(
                APIErrorBody(
                    code: error.code, message: "the store cannot take the batch now (\(error.code)); retry later"),
                status: .serviceUnavailable)
            response.headers[.retryAfter] = "5"
            return response
        }
        if latest > 0 && !result.duplicate {
            let scoring = self.scoring
            // A scoring pass may run on this event time; the client need not wait for it.
            Task { await scoring.eventTimeAdvanced(to: latest) }
        }
        return JSONResponse.make(result, status: result.rejected > 0 ? .badRequest : .accepted)
    }

    /// Each record's index and outcome: the elements of a JSON array, a single JSON object, or
    /// the lines of NDJSON (indexed by line from 0; blank lines are neither records nor errors).
    static func parse(_ bytes: [UInt8], with parser: LogParser) throws -> [(index: Int, outcome: ParseOutcome)] {
        guard let first = bytes.firstIndex(where: { !isWhitespace($0) }) else { return [] }
        if bytes[first] == UInt8(ascii: "[") || bytes[first] == UInt8(ascii: "{") {
            let whole = bytes.withUnsafeBufferPointer { buffer -> Result<[(Int, ParseOutcome)], JSONParseError> in
                Result { () throws(JSONParseError) in
                    try JSONTape.parse(buffer).withRoot(of: buffer) { root in
                        root.isArray
                            ? root.elements.enumerated().map { ($0, parser.parse(object: $1)) }
                            : [(0, parser.parse(object: root))]
                    }
                }
            }
            switch (bytes[first], whole) {
            case (_, .success(let outcomes)):
                return outcomes.map { (index: $0.0, outcome: $0.1) }
            case (UInt8(ascii: "["), .failure(let error)):
                throw APIError.badRequest("body is not a JSON array: \(error.message) at byte \(error.offset)")
            default:
                break  // not one JSON object: NDJSON, whose first line may be one
            }
        }
        var outcomes: [(index: Int, outcome: ParseOutcome)] = []
        bytes.withUnsafeBufferPointer { buffer in
            var start = 0
            var number = 0
            while start < buffer.count {
                var end = start
                while end < buffer.count && buffer[end] != 0x0A { end += 1 }
                let line = UnsafeBufferPointer(rebasing: buffer[start..<end])
                if line.contains(where: { !isWhitespace($0) }) { outcomes.append((number, parser.parse(line: line))) }
                start = end + 1
                number += 1
            }
        }
        return outcomes
    }

    static func isWhitespace(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D }

    static func isValidSourceName(_ name: String) -> Bool {
        !name.isEmpty && name.utf8.count <= 64
            && name.utf8.allSatisfy {
                $0.isASCIIAlphanumeric || $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: "_") || $0 == UInt8(ascii: "-")
            }
    }
}

extension UInt8 {
    fileprivate var isASCIIAlphanumeric: Bool {
        (48...57).contains(self) || (65...90).contains(self) || (97...122).contains(self)
    }
}

extension HTTPField.Name {
    static let idempotencyKey = Self("Idempotency-Key")!
}

/// The answer to `POST /v1/ingest`.
struct IngestResult: Encodable {
    struct LineError: Encodable {
        /// Position of the record in the array, or its line in NDJSON, from 0.
        var index: Int
        var reason: String
        var message: String
    }
    static let errorLimit = 100

    var batchID: String
    var source: String
    var format: String
    var received: Int
    var accepted = 0
    var skipped = 0
    var rejected = 0
    /// The batch was committed before: nothing was counted again.
    var duplicate = false
    /// The first 100 bad records.
    var errors: [LineError] = []

    init(batchID: String, source: String, format: String, received: Int) {
        self.batchID = batchID
        self.source = source
        self.format = format
        self.received = received
    }

    enum CodingKeys: String, CodingKey {
        case source, format, received, accepted, skipped, rejected, duplicate, errors
        case batchID = "batch_id"
    }
}
