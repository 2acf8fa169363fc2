namespace HaInfra.Model.Config;

/// <summary>
/// One problem in a stack's configuration: where (config path), what was there, what is wrong and how to fix it.
/// <paramref name="Value"/> is null when the key is missing, or when the value is secret and must not be echoed.
/// </summary>
public sealed record ConfigError(string Path, string? Value, string Problem, string Fix)
{
    public override string ToString()
    {
        var shown = Value is null ? "" : $" = '{Value}'";
        return $"{Path}{shown}: {Problem} Fix: {Fix}";
    }
}
