using System.Text.Json.Nodes;

namespace HaInfra.Model.Config;

/// <summary>
/// A stack's configuration as Pulumi would hand it over: "namespace:key" to a JSON value, before any typing.
/// Scalars are kept as strings, which is how both stack files and PULUMI_CONFIG carry them.
/// </summary>
public sealed record RawStackConfig(
    string Stack,
    string Source,
    IReadOnlyDictionary<string, JsonNode?> Values,
    IReadOnlyList<ConfigError> ParseErrors)
{
    public const string Namespace = "hainfra";

    /// <summary>Pulumi treats a key without a namespace as the project's own.</summary>
    public static string Qualify(string key) => key.Contains(':', StringComparison.Ordinal) ? key : $"{Namespace}:{key}";
}
