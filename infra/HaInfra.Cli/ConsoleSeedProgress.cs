using HaInfra.Operations.Seeding;

namespace HaInfra.Cli;

/// <summary>
/// Seed progress on the console: bytes copied, throughput and ETA. On a terminal one line redrawn in place; when
/// output is redirected (logs, CI) a line every few seconds, so logs stay readable.
/// </summary>
public sealed class ConsoleSeedProgress : IProgress<SeedProgress>
{
    private static readonly TimeSpan LogInterval = TimeSpan.FromSeconds(2);
    private readonly bool _interactive = !Console.IsOutputRedirected;
    private TimeSpan? _lastLogged;
    private bool _lineOpen;

    public void Report(SeedProgress value)
    {
        var eta = value.Eta is { } e ? $"ETA {e.TotalSeconds:0} s" : "";
        var text = $"  {value.Step,-9} {SeedProgress.Size(value.Bytes)} of ~{SeedProgress.Size(value.EstimatedTotal)}, " +
            $"{SeedProgress.Size((long)value.BytesPerSecond)}/s {eta}";
        var done = value.Bytes >= value.EstimatedTotal && value.Eta is null && value.Elapsed > TimeSpan.Zero;
        if (_interactive)
        {
            Console.Out.Write($"\r{text,-90}");
            _lineOpen = true;
            if (done)
            {
                Console.Out.WriteLine();
                _lineOpen = false;
            }
        }
        else if (_lastLogged is null || value.Elapsed - _lastLogged >= LogInterval)
        {
            _lastLogged = value.Elapsed;
            Console.Out.WriteLine(text);
        }
    }

    /// <summary>Ends a half-drawn progress line before other output.</summary>
    public void Finish()
    {
        if (_lineOpen)
        {
            Console.Out.WriteLine();
            _lineOpen = false;
        }
    }
}
