using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using YamlDotNet.RepresentationModel;

namespace HaInfra.Operations.Planning;

/// <summary>
/// How a property value is shown in a plan: short single-line values as they are; long or multi-line texts (userData,
/// policies, rule files) as <c>&lt;text, 4,213 chars, sha256 1a2b3c4d&gt;</c>; anything under a key named like a secret
/// as <c>&lt;masked&gt;</c>, whatever it holds (our programs hold only <c>${…}</c> references there, but a plan is
/// posted in pull requests, so it never prints a value it cannot vouch for).
/// </summary>
public static class DisplayValue
{
    public const int MaxInline = 80;

    public const string Masked = "<masked>";

    // Key endings that name a secret (folded: lower case, no '-' or '_'): adminPassword, HAINFRA_ADMIN_PASSWORD,
    // caPrivateKeyPem, clientSecret. Endings, not substrings, so flags like httpTokens or recoverSoftDeletedSecrets stay readable.
    private static readonly string[] SecretEndings =
        ["password", "passwd", "passphrase", "secret", "privatekey", "privatekeypem", "privatekeyopenssh", "token", "connectionstring"];

    /// <summary>Whether a property key names a secret.</summary>
    public static bool IsSecretKey(string? key)
    {
        if (key is null)
        {
            return false;
        }

        var folded = key.Replace("-", "", StringComparison.Ordinal).Replace("_", "", StringComparison.Ordinal).ToLowerInvariant();
        return SecretEndings.Any(e => folded.EndsWith(e, StringComparison.Ordinal));
    }

    /// <summary>A YAML value for display at <paramref name="path"/>; null when absent.</summary>
    public static string? Of(YamlNode? node, PropertyPath path)
    {
        if (node is null)
        {
            return null;
        }

        if (path.Segments.Any(IsSecretKey) || ContainsSecretKey(node))
        {
            return Masked;
        }

        return Text(Flow(node));
    }

    /// <summary>A plain text for display: as is when short and on one line, else its length and hash.</summary>
    public static string Text(string value) =>
        value.Length <= MaxInline && !value.Contains('\n', StringComparison.Ordinal)
            ? value
            : $"<text, {value.Length.ToString("N0", CultureInfo.InvariantCulture)} chars, sha256 {Hash(value)}>";

    /// <summary>The first 8 hex digits of the text's SHA-256: enough to see that two long values differ.</summary>
    public static string Hash(string value) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(value)))[..8];

    /// <summary>A node on one line, YAML flow style: <c>{protocol: tcp, cidrBlocks: [10.0.0.0/16]}</c>.</summary>
    public static string Flow(YamlNode node) => node switch
    {
        YamlScalarNode scalar => scalar.Value ?? "null",
        YamlSequenceNode sequence => "[" + string.Join(", ", sequence.Children.Select(Flow)) + "]",
        YamlMappingNode mapping => "{" + string.Join(", ", mapping.Children.Select(p => $"{Flow(p.Key)}: {Flow(p.Value)}")) + "}",
        _ => "",
    };

    private static bool ContainsSecretKey(YamlNode node) => node switch
    {
        YamlMappingNode mapping => mapping.Children.Any(p => IsSecretKey((p.Key as YamlScalarNode)?.Value) || ContainsSecretKey(p.Value)),
        YamlSequenceNode sequence => sequence.Children.Any(ContainsSecretKey),
        _ => false,
    };
}
