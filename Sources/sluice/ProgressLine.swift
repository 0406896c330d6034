import Foundation

/// Progress of long work on standard error, rewritten in place, a few times a second. Only on a
/// terminal: in a log or a pipe, carriage returns would run the updates together.
final class ProgressLine: @unchecked Sendable {
    let isShown: Bool
    let started = Date()
    var lastShown = Date.distantPast
    var width = 0

    init(isShown: Bool = isatty(STDERR_FILENO) != 0) {
        self.isShown = isShown
    }

    var elapsed: Double { Date().timeIntervalSince(started) }

    /// Shows `text`, unless the last update was under a quarter of a second ago.
    func update(_ text: @autoclosure () -> String) {
        guard isShown, Date().timeIntervalSince(lastShown) >= 0.25 else { return }
        lastShown = Date()
        let text = text()
        // Spaces over the end of a longer previous text.
        let padding = String(repeating: " ", count: max(width - text.count, 0))
        width = text.count
        FileHandle.standardError.write(Data("\r\(text)\(padding)".utf8))
    }

    /// Clears the line, for what is printed next.
    func finish() {
        guard isShown, width > 0 else { return }
        FileHandle.standardError.write(Data("\r\(String(repeating: " ", count: width))\r".utf8))
        width = 0
    }

    /// `1234567` → `1,234,567`.
    static func grouped(_ n: Int) -> String {
        let digits = String(n.magnitude)
        var result = ""
        for (i, digit) in digits.enumerated() {
            if i > 0 && (digits.count - i) % 3 == 0 { result.append(",") }
            result.append(digit)
        }
        return n < 0 ? "-" + result : result
    }
}
