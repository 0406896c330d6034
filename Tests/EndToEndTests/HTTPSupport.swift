import Foundation
import SluiceCore
import SluiceTestSupport

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

struct HTTPAnswer {
    var status: Int
    var headers: [String: String]
    var body: Data
    var text: String { String(decoding: body, as: UTF8.self) }
    var json: [String: Any] { (try? JSONSerialization.jsonObject(with: body)) as? [String: Any] ?? [:] }
    var errorCode: String? { (json["error"] as? [String: Any])?["code"] as? String }
}

/// A GET.
func http(_ url: String, headers: [String: String] = [:]) async throws -> HTTPAnswer {
    try await http("GET", url, headers: headers, body: nil)
}

/// One HTTP request.
func http(_ method: String, _ url: String, headers: [String: String] = [:], body: Data? = nil) async throws
    -> HTTPAnswer
{
    var request = URLRequest(url: URL(string: url)!)
    request.httpMethod = method
    request.timeoutInterval = patience
    for (k, v) in headers { request.setValue(v, forHTTPHeaderField: k) }
    request.httpBody = body
    let (data, response) = try await URLSession.shared.data(for: request)
    let http = response as! HTTPURLResponse
    var fields: [String: String] = [:]
    for (k, v) in http.allHeaderFields { fields[String(describing: k).lowercased()] = String(describing: v) }
    return HTTPAnswer(status: http.statusCode, headers: fields, body: data)
}

func jsonBody(_ object: [String: Any]) -> Data {
    try! JSONSerialization.data(withJSONObject: object)
}

/// A TCP port that was free a moment ago on 127.0.0.1.
func freePort() throws -> Int {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    defer { close(fd) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_port = 0
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    let bound = withUnsafeMutablePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer in
            bind(fd, pointer, length) == 0 && getsockname(fd, pointer, &length) == 0
        }
    }
    guard bound else { throw POSIXError(.EADDRINUSE) }
    return Int(UInt16(bigEndian: address.sin_port))
}

/// Tokens of every role and the `auth:` block that configures them.
enum TestTokens {
    static let admin = "admin-token-\(UUID().uuidString)"
    static let reader = "reader-token-\(UUID().uuidString)"
    static let gateway = "gateway-token-\(UUID().uuidString)"
    static let ingest = "ingest-token-\(UUID().uuidString)"

    static var yaml: String {
        """
        auth:
          key_secret: test-key-secret
          tokens:
            - { name: ops,  role: admin,   sha256: "\(Digest.sha256Hex(admin))" }
            - { name: view, role: reader,  sha256: "\(Digest.sha256Hex(reader))" }
            - { name: edge, role: gateway, sha256: "\(Digest.sha256Hex(gateway))" }
            - { name: lite, role: ingest,  sha256: "\(Digest.sha256Hex(ingest))" }
        """
    }
}
