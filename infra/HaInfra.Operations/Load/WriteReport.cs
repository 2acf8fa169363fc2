using System.Text.Json;
using HaInfra.Operations.Json;

namespace HaInfra.Operations.Load;

/// <summary>A pause in acknowledgements, in seconds since the writer started.</summary>
public sealed record WriteGap(double From, double To)
{
    public double Seconds => To - From;
}

/// <summary>What an <see cref="AckedWriter"/> run saw: every acknowledged id with its time, errors and gaps.</summary>
public sealed class WriteReport
{
    private static readonly JsonSerializerOptions Json = OperationsJson.For(new() { WriteIndented = false, PropertyNamingPolicy = JsonNamingPolicy.CamelCase });

    public string Writer { get; set; } = "";

    public DateTimeOffset Started { get; set; }

    public DateTimeOffset Ended { get; set; }

    public List<long> Acked { get; set; } = [];

    /// <summary>Seconds since <see cref="Started"/> at which each of <see cref="Acked"/> was acknowledged.</summary>
    public List<double> AckSeconds { get; set; } = [];

    public List<WriteGap> Gaps { get; set; } = [];

    public long Errors { get; set; }

    public string? LastError { get; set; }

    /// <summary>Writes whose first answer was lost and whose retry showed they had committed.</summary>
    public long ResolvedInDoubt { get; set; }

    /// <summary>The first acknowledgement at or after <paramref name="unixSeconds"/>, as unix seconds; null if none.</summary>
    public double? FirstAckAfter(double unixSeconds)
    {
        var start = Started.ToUnixTimeMilliseconds() / 1000.0;
        return AckSeconds.Select(s => start + s).Where(t => t >= unixSeconds).Cast<double?>().FirstOrDefault();
    }

    public void Save(string path) => File.WriteAllText(path, JsonSerializer.Serialize(this, OperationsJson.Info<WriteReport>(Json)));

    public static WriteReport Load(string path) =>
        JsonSerializer.Deserialize(File.ReadAllText(path), OperationsJson.Info<WriteReport>(Json)) ?? throw new InvalidDataException($"{path} is empty");
}
