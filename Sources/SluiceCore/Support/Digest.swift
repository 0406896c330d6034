import CLibCrypto

/// SHA-256 and HMAC-SHA-256 from the system's libcrypto.
public enum Digest {
    public static func sha256(_ bytes: some Collection<UInt8>) -> [UInt8] {
        var output = [UInt8](repeating: 0, count: Int(SHA256_DIGEST_LENGTH))
        let input = Array(bytes)
        input.withUnsafeBufferPointer { inputBuffer in
            output.withUnsafeMutableBufferPointer { outputBuffer in
                _ = SHA256(inputBuffer.baseAddress, inputBuffer.count, outputBuffer.baseAddress)
            }
        }
        return output
    }

    public static func sha256Hex(_ text: String) -> String { hex(sha256(Array(text.utf8))) }

    public static func hmacSHA256(key: some Collection<UInt8>, message: some Collection<UInt8>) -> [UInt8] {
        var output = [UInt8](repeating: 0, count: Int(EVP_MAX_MD_SIZE))
        var length: UInt32 = 0
        let keyBytes = Array(key)
        let messageBytes = Array(message)
        keyBytes.withUnsafeBufferPointer { k in
            messageBytes.withUnsafeBufferPointer { m in
                output.withUnsafeMutableBufferPointer { o in
                    _ = HMAC(
                        EVP_sha256(), k.baseAddress, Int32(k.count), m.baseAddress, m.count, o.baseAddress, &length)
                }
            }
        }
        return Array(output.prefix(Int(length)))
    }

    public static func hex(_ bytes: some Sequence<UInt8>) -> String {
        let digits: [Character] = Array("0123456789abcdef")
        var result = ""
        for byte in bytes {
            result.append(digits[Int(byte >> 4)])
            result.append(digits[Int(byte & 0x0F)])
        }
        return result
    }

    /// Compares two byte strings in time that depends only on their lengths.
    public static func constantTimeEquals(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        guard a.count == b.count else { return false }
        var difference: UInt8 = 0
        for i in 0..<a.count { difference |= a[i] ^ b[i] }
        return difference == 0
    }
}

/// Turns a raw API key into a stable identifier that cannot be reversed: HMAC-SHA-256 with the
/// deployment's secret, 16 bytes of it in hex, prefixed `key:`. Raw keys are never stored.
public struct KeyHasher: Sendable {
    public let secret: [UInt8]
    public init(secret: String) { self.secret = Array(secret.utf8) }

    public func keyID(forRawKey key: String) -> String {
        "key:" + Digest.hex(Digest.hmacSHA256(key: secret, message: Array(key.utf8)).prefix(16))
    }

    /// The key from an `Authorization` header value: `Bearer sk-…` → `sk-…`.
    public static func bearerToken(_ header: String) -> String? {
        let trimmed = header.trimmingWhitespace()
        guard !trimmed.isEmpty else { return nil }
        if trimmed.count > 7, trimmed.prefix(7).lowercased() == "bearer " {
            let token = String(trimmed.dropFirst(7)).trimmingWhitespace()
            return token.isEmpty ? nil : token
        }
        return trimmed
    }
}

extension String {
    func trimmingWhitespace() -> String {
        var view = Substring(self)
        while let first = view.first, first.isWhitespace { view.removeFirst() }
        while let last = view.last, last.isWhitespace { view.removeLast() }
        return String(view)
    }
}
