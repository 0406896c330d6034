import Foundation

public enum Cores {
    /// The cores this process may use. Read once: on Linux, `activeProcessorCount` reads the
    /// cgroup's files on every call, and the tailer asked for every chunk it analysed.
    public static let available = ProcessInfo.processInfo.activeProcessorCount
}
