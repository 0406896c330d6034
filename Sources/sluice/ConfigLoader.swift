import Foundation
import SluiceCore
import Yams

enum ConfigLoader {
    /// Reads and validates a YAML configuration file; errors name the file and the key.
    static func load(path: String) throws -> SluiceCore.Configuration {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw UserError("cannot read config file \(path): no such file or not readable")
        }
        guard let text = String(data: data, encoding: .utf8) else { throw UserError("\(path) is not UTF-8 text") }
        let tree: Any?
        do {
            tree = try Yams.load(yaml: text)
        } catch {
            throw UserError("\(path): not valid YAML: \(error)")
        }
        do {
            return try SluiceCore.Configuration(tree: normalize(tree))
        } catch {
            throw UserError("\(path): \(error)")
        }
    }

    /// Yams builds `[AnyHashable: Any]` maps and `NSNull` for empty values; the validator takes
    /// plain `[String: Any]`, with empty values left out.
    static func normalize(_ value: Any?) -> Any? {
        switch value {
        case nil, is NSNull: return nil
        case let map as [AnyHashable: Any]:
            var result: [String: Any] = [:]
            for (key, v) in map {
                if let n = normalize(v) { result["\(key.base)"] = n }
            }
            return result
        case let map as [String: Any]:
            return normalize(Dictionary(uniqueKeysWithValues: map.map { (AnyHashable($0.key), $0.value) }))
        case let list as [Any]:
            return list.compactMap(normalize)
        default:
            return value
        }
    }
}
