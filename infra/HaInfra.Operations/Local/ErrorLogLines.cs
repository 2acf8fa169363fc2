using System.Text.RegularExpressions;

namespace HaInfra.Operations.Local;

/// <summary>
/// What a MariaDB error log says went wrong: its [ERROR] lines, each message once (a full disk repeats one line
/// thousands of times), without timestamps and thread ids. The crash report's stack and resource limits that follow
/// a fatal error are noise to an operator; the error that caused it is the line to show.
/// </summary>
public static partial class ErrorLogLines
{
    /// <summary>The last <paramref name="max"/> distinct error messages of <paramref name="log"/>, oldest first.</summary>
    public static IReadOnlyList<string> Errors(string log, int max)
    {
        var messages = new List<string>();
        foreach (var line in log.Split('\n'))
        {
            var match = Error().Match(line);
            if (!match.Success)
            {
                continue;
            }

            var message = (match.Groups[1].Success ? match.Groups[1].Value : match.Groups[2].Value).Trim();
            // The crash report's first line and the shutdown's last say that it ended, not why.
            if (message.Contains(" got signal ", StringComparison.Ordinal) || message == "Aborting")
            {
                continue;
            }

            messages.Remove(message);
            messages.Add(message);
        }

        return messages.TakeLast(max).ToList();
    }

    /// <summary>
    /// Why the server's last run ended (the log file at <paramref name="path"/>, its last 256 KiB): the fatal error if
    /// there is one, else the run's first error (the ones after it are usually its consequences), or null.
    /// </summary>
    public static string? LastError(string path)
    {
        if (!File.Exists(path))
        {
            return null;
        }

        using var file = File.OpenRead(path);
        file.Seek(Math.Max(0, file.Length - (256 * 1024)), SeekOrigin.Begin);
        using var reader = new StreamReader(file);
        var text = reader.ReadToEnd();
        var run = text.LastIndexOf("[Note] Starting MariaDB", StringComparison.Ordinal);
        var errors = Errors(run < 0 ? text : text[run..], int.MaxValue);
        return (errors.FirstOrDefault(e => e.Contains("[FATAL]", StringComparison.Ordinal)) ?? (errors.Count > 0 ? errors[0] : null)) is { } error
            ? WithErrnoMeaning(error) : null;
    }

    /// <summary>
    /// InnoDB names the OS error by number only ("preallocating … failed with error 28"): the meaning of ENOSPC is added,
    /// so a full disk reads as one (bench/reliability's disk-full once saw only this line in `local status`).
    /// </summary>
    private static string WithErrnoMeaning(string message) =>
        NoSpaceErrno().IsMatch(message) && !message.Contains("no space left", StringComparison.OrdinalIgnoreCase)
            ? $"{message} (error 28: no space left on device)" : message;

    [GeneratedRegex(@"\berror 28$")]
    private static partial Regex NoSpaceErrno();

    // "2026-12-06 17:30:29 11 [ERROR] [FATAL] InnoDB: …", "261206 17:30:29 [ERROR] /usr/sbin/mariadbd got signal 6 ;", and the
    // one warning that stops a server's work: "… [Warning] mariadbd: Disk is full writing './relay-bin.000002' …".
    [GeneratedRegex(@"^\S+ +\S+ +(?:\d+ +)?(?:\[ERROR\] (.*)|\[Warning\] (\S+: Disk is full .*))$")]
    private static partial Regex Error();
}
