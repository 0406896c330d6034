import Dispatch
import Foundation
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// A one-waiter alarm: `signal` wakes the current or the next `wait`, which otherwise times out.
final class Wakeup: Sendable {
    private struct State {
        var pending = false
        var waiter: CheckedContinuation<Void, Never>?
    }
    private let state = Mutex(State())

    func signal() {
        let waiter = state.withLock { state -> CheckedContinuation<Void, Never>? in
            if let waiter = state.waiter {
                state.waiter = nil
                return waiter
            }
            state.pending = true
            return nil
        }
        waiter?.resume()
    }

    /// Returns at the first signal, after `timeout`, or when the task is cancelled.
    func wait(timeout: Duration) async {
        await withTaskGroup(of: Void.self) { group in
            group.addTask { try? await Task.sleep(for: timeout) }
            group.addTask { await self.signalled() }
            await group.next()
            group.cancelAll()
        }
    }

    private func signalled() async {
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let resumeNow = state.withLock { state -> Bool in
                    if state.pending || Task.isCancelled {
                        state.pending = false
                        return true
                    }
                    state.waiter = continuation
                    return false
                }
                if resumeNow { continuation.resume() }
            }
        } onCancel: {
            let waiter = state.withLock { state -> CheckedContinuation<Void, Never>? in
                defer { state.waiter = nil }
                return state.waiter
            }
            waiter?.resume()
        }
    }
}

/// Wakes the tail loop when a watched directory changes (inotify on Linux), so new lines are read
/// at once instead of at the next poll. Only a hint: the poll still runs, and is all there is where
/// inotify is missing (other systems, some network file systems, an exhausted watch limit).
final class FileWatcher: @unchecked Sendable {
    // @unchecked: `source` and `descriptor` are set once; `directories` is behind a Mutex.
    let wakeup: Wakeup
    private let directories = Mutex<[String: Int32]>([:])
    #if canImport(Glibc)
        private let descriptor: Int32
        private let source: any DispatchSourceRead
    #endif

    /// Nil where file notifications are unavailable.
    init?(wakeup: Wakeup) {
        self.wakeup = wakeup
        #if canImport(Glibc)
            let fd = inotify_init1(Int32(IN_NONBLOCK) | Int32(IN_CLOEXEC))
            guard fd >= 0 else { return nil }
            descriptor = fd
            source = DispatchSource.makeReadSource(fileDescriptor: fd, queue: DispatchQueue(label: "sluice.inotify"))
            source.setEventHandler { [wakeup] in
                // Drain the queued events; which file changed does not matter, the poll looks at all.
                var buffer = [UInt8](repeating: 0, count: 16 << 10)
                while buffer.withUnsafeMutableBytes({ read(fd, $0.baseAddress, $0.count) }) > 0 {}
                wakeup.signal()
            }
            source.setCancelHandler { close(fd) }
            source.resume()
        #else
            return nil
        #endif
    }

    /// Watches each directory not watched yet; one that cannot be watched is left to the poll.
    func watch(_ paths: Set<String>) {
        #if canImport(Glibc)
            directories.withLock { watched in
                for path in paths where watched[path] == nil {
                    let mask =
                        UInt32(IN_MODIFY) | UInt32(IN_CREATE) | UInt32(IN_MOVED_TO) | UInt32(IN_MOVED_FROM)
                        | UInt32(IN_DELETE) | UInt32(IN_CLOSE_WRITE) | UInt32(IN_ATTRIB)
                    let wd = inotify_add_watch(descriptor, path, mask)
                    if wd >= 0 { watched[path] = wd }
                }
            }
        #endif
    }

    var watchedDirectories: Set<String> { directories.withLock { Set($0.keys) } }

    func stop() {
        #if canImport(Glibc)
            source.cancel()
        #endif
    }
}
