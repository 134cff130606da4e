using PodLogs.Core.Native;

namespace PodLogs.Core.Node;

public enum SafeReadOutcome { Ok, NotFound, NotRegularFile, TooLarge, AccessDenied, Error }

public readonly record struct SafeReadResult(SafeReadOutcome Outcome, byte[] Content, FileStatus Status, int Errno);
