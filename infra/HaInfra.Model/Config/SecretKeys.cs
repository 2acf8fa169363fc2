using System.Text.Json;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace HaInfra.Model.Config;

/// <summary>
/// Which config keys are secret. PULUMI_CONFIG hands a compiler every value decrypted and does not say which were
/// secret, so the stack file is read for its <c>secure:</c> values (and PULUMI_CONFIG_SECRET_KEYS when present).
/// </summary>
public static class SecretKeys
{
    /// <summary>
    /// The values of hainfra keys become names, CIDRs and sizes in the program, so a hainfra key stored as secret
    /// cannot be honoured: the error for it, or null when none is.
    /// </summary>
    public static string? SecretSettingsProblem(IReadOnlySet<string> secretKeys, string source)
    {
        var settings = secretKeys.Where(k => k.StartsWith(RawStackConfig.Namespace + ":", StringComparison.Ordinal)).Order(StringComparer.Ordinal).ToList();
        return settings.Count == 0 ? null
            : $"error: {source}: {string.Join(", ", settings)} {(settings.Count == 1 ? "is" : "are")} stored as secret, " +
              "but hainfra settings are written into the program in plain text. Fix: set them without --secret (they hold no credentials).";
    }

    public static IReadOnlySet<string> Find(string stacksDirectory, string stack, IReadOnlyDictionary<string, string?> environment)
    {
        var keys = new HashSet<string>(StringComparer.Ordinal);
        if (environment.TryGetValue("PULUMI_CONFIG_SECRET_KEYS", out var listed) && !string.IsNullOrEmpty(listed))
        {
            try
            {
                foreach (var key in JsonSerializer.Deserialize(listed, ModelJson.Default.StringArray) ?? [])
                {
                    keys.Add(RawStackConfig.Qualify(key));
                }
            }
            catch (JsonException)
            {
                // Not a list: nothing to learn from it; the stack file still tells.
            }
        }

        var path = StackFileReader.PathFor(stacksDirectory, stack);
        if (!File.Exists(path))
        {
            return keys;
        }

        var yaml = new YamlStream();
        try
        {
            yaml.Load(new StringReader(File.ReadAllText(path)));
        }
        catch (YamlException)
        {
            return keys;
        }

        var root = yaml.Documents.FirstOrDefault()?.RootNode as YamlMappingNode;
        if (root?.Children.TryGetValue(new YamlScalarNode("config"), out var config) == true && config is YamlMappingNode map)
        {
            foreach (var (key, value) in map.Children)
            {
                if (value is YamlMappingNode inner && inner.Children.ContainsKey(new YamlScalarNode("secure")))
                {
                    keys.Add(RawStackConfig.Qualify(((YamlScalarNode)key).Value ?? ""));
                }
            }
        }

        return keys;
    }
}
