namespace HaInfra.Synthesis;

/// <summary>
/// The provider plugin versions every program pins (options.version on its explicit providers): the one place they
/// are set. tools/pulumi-typecheck/package.json pins the same npm SDK versions, and a test keeps the two equal, so
/// offline type checks, preview and production use the same providers.
/// </summary>
public static class ProviderVersions
{
    public const string Aws = "7.48.0";

    /// <summary>The classic azure provider (type tokens azure:&lt;module&gt;:&lt;Resource&gt;), not azure-native.</summary>
    public const string Azure = "6.40.0";
    public const string Random = "4.21.2";
    public const string Command = "4.5.0";
    public const string Tls = "5.6.1";

    public static readonly IReadOnlyDictionary<string, string> ByPackage = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["aws"] = Aws,
        ["azure"] = Azure,
        ["random"] = Random,
        ["command"] = Command,
        ["tls"] = Tls,
    };
}
