using System.Runtime.InteropServices;

namespace HaInfra.Operations.Processes;

/// <summary>
/// The libc calls that .NET does not offer, in one place: start a program with any open file as its stdin/stdout
/// (posix_spawn with dup2 actions), so adjacent pipeline stages share a kernel pipe and no byte passes through this
/// process; pipes; waiting; signals; and splice(2) with pipe sizing for streams that do pass through.
/// </summary>
internal static partial class Libc
{
    public const int SigKill = 9;
    public const int SigPipe = 13;
    public const int SigTerm = 15;

    // Opaque glibc structures (80, 336 and 128 bytes on x86-64/arm64); allocated generously.
    private const int OpaqueBytes = 1024;

    /// <summary>open(2) and pipe2(2) flags.</summary>
    [Flags]
    private enum OpenFlags
    {
        ReadOnly = 0,
        WriteOnly = 0x1,
        Create = 0x40,
        Truncate = 0x200,
        CloseOnExec = 0x80000,
    }

    /// <summary>posix_spawnattr_setflags flags.</summary>
    [Flags]
    private enum SpawnFlags : short
    {
        SetProcessGroup = 0x02,
        SetSignalDefaults = 0x04,
        SetSignalMask = 0x08,
    }

    /// <summary>A pipe whose two ends are closed on exec (a child gets one only through an explicit dup2).</summary>
    public static (int Read, int Write) Pipe()
    {
        Span<int> fds = stackalloc int[2];
        if (Pipe2(fds, (int)OpenFlags.CloseOnExec) != 0)
        {
            throw new IOException($"pipe2 failed with errno {Marshal.GetLastPInvokeError()}");
        }

        return (fds[0], fds[1]);
    }

    /// <summary>Where a child's standard stream comes from: an open descriptor, or a path opened for it.</summary>
    public readonly record struct Source(int Fd, string? Path)
    {
        public static Source Descriptor(int fd) => new(fd, null);

        public static Source File(string path) => new(-1, path);
    }

    /// <summary>
    /// Starts <paramref name="program"/> (looked up in PATH) with the given stdin/stdout/stderr, in process group
    /// <paramref name="processGroup"/> (0: a new group led by the child), signals at their defaults and unblocked
    /// (.NET ignores SIGPIPE; a pipeline's writers must die of it when their reader goes). Returns the pid, or the
    /// errno when it could not start.
    /// </summary>
    public static (int Pid, int Errno) Start(
        string program, IReadOnlyList<string> args, IReadOnlyList<string> environment, Source stdin, Source stdout, Source stderr, int processGroup)
    {
        var actions = Marshal.AllocHGlobal(OpaqueBytes);
        var attributes = Marshal.AllocHGlobal(OpaqueBytes);
        var signals = Marshal.AllocHGlobal(OpaqueBytes);
        var strings = new List<IntPtr>();
        try
        {
            Check(FileActionsInit(actions));
            Check(AttrInit(attributes));
            Redirect(actions, 0, stdin, OpenFlags.ReadOnly);
            Redirect(actions, 1, stdout, OpenFlags.WriteOnly | OpenFlags.Create | OpenFlags.Truncate);
            Redirect(actions, 2, stderr, OpenFlags.WriteOnly | OpenFlags.Create | OpenFlags.Truncate);
            Check(AttrSetFlags(attributes, (short)(SpawnFlags.SetProcessGroup | SpawnFlags.SetSignalDefaults | SpawnFlags.SetSignalMask)));
            Check(AttrSetProcessGroup(attributes, processGroup));
            Check(SigFillSet(signals));
            Check(AttrSetSignalDefaults(attributes, signals));
            Check(SigEmptySet(signals));
            Check(AttrSetSignalMask(attributes, signals));
            var argv = NullTerminated([program, .. args], strings);
            var envp = NullTerminated(environment, strings);
            var errno = Spawnp(out var pid, program, actions, attributes, argv, envp);
            return (errno == 0 ? pid : -1, errno);
        }
        finally
        {
            _ = FileActionsDestroy(actions);
            _ = AttrDestroy(attributes);
            strings.ForEach(Marshal.FreeCoTaskMem);
            Marshal.FreeHGlobal(actions);
            Marshal.FreeHGlobal(attributes);
            Marshal.FreeHGlobal(signals);
        }
    }

    /// <summary>Waits for the child to end; its exit code, or 128 + the signal that killed it (as a shell reports it).</summary>
    public static int Wait(int pid)
    {
        while (true)
        {
            if (WaitPid(pid, out var status, 0) == pid)
            {
                var signal = status & 0x7f;
                return signal == 0 ? (status >> 8) & 0xff : 128 + signal;
            }

            if (Marshal.GetLastPInvokeError() != 4)
            {
                return -1; // not our child any more (reaped elsewhere): unknown outcome
            }
        }
    }

    /// <summary>kill(2): 0, or -1 with the errno in <see cref="LastError"/>.</summary>
    public static int Signal(int pidOrNegativeGroup, int signal) => Kill(pidOrNegativeGroup, signal);

    public static void Close(int fd) => _ = CloseFd(fd);

    private static void Redirect(IntPtr actions, int target, Source source, OpenFlags flags)
    {
        Check(source.Path is { } path
            ? FileActionsAddOpen(actions, target, path, (int)flags, Convert.ToInt32("600", 8))
            : FileActionsAddDup2(actions, source.Fd, target));
    }

    private static IntPtr[] NullTerminated(IEnumerable<string> values, List<IntPtr> strings)
    {
        var pointers = values.Select(v =>
        {
            var p = Marshal.StringToCoTaskMemUTF8(v);
            strings.Add(p);
            return p;
        }).ToList();
        pointers.Add(IntPtr.Zero);
        return [.. pointers];
    }

    private static void Check(int result)
    {
        if (result != 0)
        {
            throw new IOException($"posix_spawn setup failed with error {result}");
        }
    }

    /// <summary>splice(2): moves up to <paramref name="length"/> bytes between two descriptors, one a pipe, inside the kernel.</summary>
    public static nint Splice(int fdIn, int fdOut, nuint length, uint flags) => SpliceCall(fdIn, IntPtr.Zero, fdOut, IntPtr.Zero, length, flags);

    /// <summary>The errno of the last call that failed on this thread.</summary>
    public static int LastError => Marshal.GetLastPInvokeError();

    /// <summary>fcntl(2) with an integer argument; -1 on failure.</summary>
    public static int Fcntl(int fd, int command, int argument) => FcntlCall(fd, command, argument);

    [LibraryImport("libc", EntryPoint = "fcntl", SetLastError = true)]
    private static partial int FcntlCall(int fd, int command, int argument);

    [LibraryImport("libc", EntryPoint = "splice", SetLastError = true)]
    private static partial nint SpliceCall(int fdIn, IntPtr offIn, int fdOut, IntPtr offOut, nuint length, uint flags);

    [LibraryImport("libc", EntryPoint = "pipe2", SetLastError = true)]
    private static partial int Pipe2(Span<int> fds, int flags);

    [LibraryImport("libc", EntryPoint = "close")]
    private static partial int CloseFd(int fd);

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);

    [LibraryImport("libc", EntryPoint = "waitpid", SetLastError = true)]
    private static partial int WaitPid(int pid, out int status, int options);

    [LibraryImport("libc", EntryPoint = "posix_spawn_file_actions_init")]
    private static partial int FileActionsInit(IntPtr actions);

    [LibraryImport("libc", EntryPoint = "posix_spawn_file_actions_destroy")]
    private static partial int FileActionsDestroy(IntPtr actions);

    [LibraryImport("libc", EntryPoint = "posix_spawn_file_actions_adddup2")]
    private static partial int FileActionsAddDup2(IntPtr actions, int fd, int newFd);

    [LibraryImport("libc", EntryPoint = "posix_spawn_file_actions_addopen", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int FileActionsAddOpen(IntPtr actions, int fd, string path, int flags, int mode);

    [LibraryImport("libc", EntryPoint = "posix_spawnattr_init")]
    private static partial int AttrInit(IntPtr attributes);

    [LibraryImport("libc", EntryPoint = "posix_spawnattr_destroy")]
    private static partial int AttrDestroy(IntPtr attributes);

    [LibraryImport("libc", EntryPoint = "posix_spawnattr_setflags")]
    private static partial int AttrSetFlags(IntPtr attributes, short flags);

    [LibraryImport("libc", EntryPoint = "posix_spawnattr_setpgroup")]
    private static partial int AttrSetProcessGroup(IntPtr attributes, int processGroup);

    [LibraryImport("libc", EntryPoint = "posix_spawnattr_setsigdefault")]
    private static partial int AttrSetSignalDefaults(IntPtr attributes, IntPtr signals);

    [LibraryImport("libc", EntryPoint = "posix_spawnattr_setsigmask")]
    private static partial int AttrSetSignalMask(IntPtr attributes, IntPtr signals);

    [LibraryImport("libc", EntryPoint = "sigfillset")]
    private static partial int SigFillSet(IntPtr signals);

    [LibraryImport("libc", EntryPoint = "sigemptyset")]
    private static partial int SigEmptySet(IntPtr signals);

    [LibraryImport("libc", EntryPoint = "posix_spawnp", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Spawnp(out int pid, string file, IntPtr actions, IntPtr attributes, IntPtr[] argv, IntPtr[] envp);
}
