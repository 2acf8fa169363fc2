namespace HaInfra.Synthesis.Checks;

/// <summary>
/// The keys Pulumi YAML understands, as its template parser defines them. Pulumi ignores an unknown top-level key
/// and only warns about unknown resource or option keys, so the program is checked against these before printing.
/// </summary>
internal static class PulumiYamlSchema
{
    // No "packages": providers are pinned with options.version on explicit providers (ARCHITECTURE.md §2).
    public static readonly HashSet<string> TopLevel = new(StringComparer.Ordinal)
    {
        "name", "namespace", "description", "pulumi", "config", "configuration", "variables", "resources", "outputs", "components",
    };

    public static readonly HashSet<string> ResourceKeys = new(StringComparer.Ordinal)
    {
        "type", "name", "defaultProvider", "properties", "options", "get",
    };

    public static readonly HashSet<string> ResourceOptions = new(StringComparer.Ordinal)
    {
        "additionalSecretOutputs", "aliases", "customTimeouts", "deleteBeforeReplace", "dependsOn", "ignoreChanges", "import",
        "parent", "protect", "provider", "providers", "version", "pluginDownloadURL", "replaceOnChanges", "retainOnDelete",
        "replaceWith", "deletedWith", "hideDiffs", "replacementTrigger",
    };

    public static readonly HashSet<string> ConfigKeys = new(StringComparer.Ordinal) { "type", "name", "secret", "default", "value", "items" };

    public static readonly HashSet<string> InvokeKeys = new(StringComparer.Ordinal) { "function", "arguments", "options", "return" };

    public static readonly HashSet<string> InvokeOptions = new(StringComparer.Ordinal) { "dependsOn", "parent", "provider", "version", "pluginDownloadURL" };

    /// <summary>Built-in functions, in the spelling the language reference uses.</summary>
    public static readonly HashSet<string> Functions = new(StringComparer.Ordinal)
    {
        "fn::invoke", "fn::join", "fn::split", "fn::select", "fn::toJSON", "fn::toBase64", "fn::fromBase64", "fn::secret",
        "fn::unsecret", "fn::readFile", "fn::stackReference", "fn::assetArchive", "fn::fileAsset", "fn::stringAsset",
        "fn::remoteAsset", "fn::fileArchive", "fn::remoteArchive",
    };

    /// <summary>Property names that hold credentials: their value must be a reference or fn::secret, never literal text.</summary>
    public static bool IsSecretProperty(string key)
    {
        var k = key.ToLowerInvariant();
        return k.Contains("password", StringComparison.Ordinal) || k.Contains("secret", StringComparison.Ordinal)
            || k.Contains("privatekey", StringComparison.Ordinal) || k.EndsWith("token", StringComparison.Ordinal);
    }
}
