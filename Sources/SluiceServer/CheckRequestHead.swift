import HTTPTypes

/// A `GET /v1/check` request head read straight from a connection's bytes, for `FrontCheckHandler`.
///
/// Strict on purpose: it accepts only the plain form gateways send (`GET /v1/check[?query] HTTP/1.1`,
/// CRLF lines, token names, no body) and calls anything else `other`, leaving it to NIO's HTTP/1
/// decoder, which answers or refuses it as it would without this parser. So a head it accepts is
/// one the decoder would accept too, and means the same.
struct CheckRequestHead: Equatable {
    // The fields the check and its authorization read, and `Connection`, each as `HTTPFields`' subscript
    // gives it: nil if absent, the values joined with ", " if repeated. Every other field is skipped.
    var token: String?
    var account: String?
    var authorization: String?
    var connection: String?
    /// Bytes of the head, up to and including the empty line that ends it.
    var length = 0

    enum Parsed: Equatable {
        case check(CheckRequestHead)
        /// A check so far, but the head has not ended yet.
        case incomplete
        /// Not a check this parser answers: another request, a body, a malformed or oversized head.
        case other
    }

    /// A head not ended within this many bytes is `other`. Gateways send a few hundred; re-parsing a
    /// head that arrives in pieces from its start costs at most this much per read.
    static let maximumLength = 8 << 10
    /// More fields than this is `other`, well under the decoder's own limit.
    static let maximumFieldCount = 100

    /// The head at the start of `bytes`; bytes after its end are not looked at.
    static func parse(_ bytes: UnsafeRawBufferPointer) -> Parsed {
        let count = min(bytes.count, maximumLength)
        // Not ended within the bytes seen: `incomplete` until the cap.
        let unfinished: Parsed = bytes.count >= maximumLength ? .other : .incomplete
        var i = 0

        // The request line: the path, an optional query of visible ASCII (as llhttp allows), HTTP/1.1.
        for byte in requestLineStart {
            guard i < count else { return unfinished }
            guard bytes[i] == byte else { return .other }
            i += 1
        }
        guard i < count else { return unfinished }
        if bytes[i] == UInt8(ascii: "?") {
            i += 1
            while true {
                guard i < count else { return unfinished }
                let byte = bytes[i]
                if byte == UInt8(ascii: " ") { break }
                guard byte > 0x20 && byte < 0x7F else { return .other }
                i += 1
            }
        }
        for byte in requestLineEnd {
            guard i < count else { return unfinished }
            guard bytes[i] == byte else { return .other }
            i += 1
        }

        var head = CheckRequestHead()
        var fieldCount = 0
        var zeroLength = false
        while true {
            guard i + 1 < count else { return unfinished }
            if bytes[i] == cr {
                guard bytes[i + 1] == lf else { return .other }
                head.length = i + 2
                return .check(head)
            }
            fieldCount += 1
            guard fieldCount <= maximumFieldCount else { return .other }

            // name ":" OWS value OWS CRLF. No space before the colon, no folded lines.
            let nameStart = i
            while true {
                guard i < count else { return unfinished }
                let byte = bytes[i]
                if byte == UInt8(ascii: ":") { break }
                guard isTokenByte(byte) else { return .other }
                i += 1
            }
            let nameEnd = i
            guard nameEnd > nameStart else { return .other }
            i += 1
            var valueStart = i
            while true {
                guard i < count else { return unfinished }
                let byte = bytes[i]
                if byte == cr { break }
                // Visible ASCII, obs-text, space and tab; controls and DEL are the decoder's to refuse.
                guard (byte >= 0x20 && byte != 0x7F) || byte == tab else { return .other }
                i += 1
            }
            guard i + 1 < count else { return unfinished }
            guard bytes[i + 1] == lf else { return .other }
            var valueEnd = i
            i += 2
            while valueStart < valueEnd, bytes[valueStart] == sp || bytes[valueStart] == tab { valueStart += 1 }
            while valueEnd > valueStart, bytes[valueEnd - 1] == sp || bytes[valueEnd - 1] == tab { valueEnd -= 1 }

            let name = UnsafeRawBufferPointer(rebasing: bytes[nameStart..<nameEnd])
            let value = UnsafeRawBufferPointer(rebasing: bytes[valueStart..<valueEnd])
            switch knownName(name) {
            case nil:
                continue
            case .contentLength:
                // Only one `Content-Length: 0`; a body, or a second length, is the decoder's.
                guard !zeroLength, value.count == 1, value[0] == UInt8(ascii: "0") else { return .other }
                zeroLength = true
            case .transferEncoding, .upgrade:
                return .other
            case .token: append(value, to: &head.token)
            case .account: append(value, to: &head.account)
            case .authorization: append(value, to: &head.authorization)
            case .connection: append(value, to: &head.connection)
            }
        }
    }

    /// A value as NIO's decoder makes it a String (invalid UTF-8 becomes U+FFFD), joined to the
    /// field's earlier values as `HTTPFields` joins them.
    static func append(_ value: UnsafeRawBufferPointer, to field: inout String?) {
        let text = String(decoding: value, as: UTF8.self)
        if let earlier = field {
            field = earlier + ", " + text
        } else {
            field = text
        }
    }

    static let requestLineStart = Array("GET \(SluiceAPI.checkPath)".utf8)
    static let requestLineEnd = Array(" HTTP/1.1\r\n".utf8)
    static let cr = UInt8(ascii: "\r")
    static let lf = UInt8(ascii: "\n")
    static let sp = UInt8(ascii: " ")
    static let tab = UInt8(ascii: "\t")

    /// The fields the parser looks for: those the check reads, `Connection`, and those that mean
    /// the request is not a plain bodyless GET.
    enum KnownName: CaseIterable {
        case token, account, authorization, connection, contentLength, transferEncoding, upgrade

        var name: HTTPField.Name {
            switch self {
            case .token: .sluiceToken
            case .account: .sluiceAccount
            case .authorization: .authorization
            case .connection: .connection
            case .contentLength: .contentLength
            case .transferEncoding: .transferEncoding
            case .upgrade: .upgrade
            }
        }
    }

    static let knownNames = KnownName.allCases.map { ($0, Array($0.name.canonicalName.utf8)) }

    /// The known field `name` names, ignoring ASCII case.
    static func knownName(_ name: UnsafeRawBufferPointer) -> KnownName? {
        candidates: for (known, bytes) in knownNames where bytes.count == name.count {
            for j in 0..<bytes.count {
                var byte = name[j]
                if byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z") { byte |= 0x20 }
                guard byte == bytes[j] else { continue candidates }
            }
            return known
        }
        return nil
    }

    /// RFC 9110 `tchar`, the bytes of a field name.
    static func isTokenByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "!"), UInt8(ascii: "#"),
            UInt8(ascii: "$"), UInt8(ascii: "%"), UInt8(ascii: "&"), UInt8(ascii: "'"), UInt8(ascii: "*"),
            UInt8(ascii: "+"), UInt8(ascii: "."), UInt8(ascii: "^"), UInt8(ascii: "_"), UInt8(ascii: "`"),
            UInt8(ascii: "|"), UInt8(ascii: "~"):
            return true
        default:
            return false
        }
    }
}
